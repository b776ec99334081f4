/** The mentor directory: who is open to mentoring (or holds the mentor role), what they know, and whom they helped. */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import type { Role } from "#db/schema";

export type MentorCard = {
  id: string;
  name: string;
  handle: string | null;
  role: Role;
  pitch: string;
  bio: string;
  languages: string;
  expertise: string[];
  /** Others' questions where their answer was accepted. */
  helpedSolve: number;
};

export type MentorFilters = { tag?: string | null; spaceSlug?: string | null };

/**
 * Mentors, most helpful first. `tag` keeps those with that expertise; `spaceSlug` those who have answered in that
 * space. Banned people never appear.
 */
export async function listMentors(db: Db, { tag, spaceSlug }: MentorFilters = {}, limit = 60): Promise<MentorCard[]> {
  const result = await db.execute(sql`
    select u.id, u.name, u.handle, u.role, u.mentor_pitch as pitch, u.bio, u.languages,
      coalesce((select array_agg(t.slug order by t.slug) from user_expertise ue join tags t on t.id = ue.tag_id where ue.user_id = u.id), '{}') as expertise,
      (select count(*)::int from posts a join posts q on q.accepted_answer_id = a.id
        where a.author_id = u.id and a.deleted_at is null and q.deleted_at is null and q.author_id <> u.id) as helped_solve
    from users u
    where not u.banned and (u.open_to_mentoring or u.role = 'mentor')
      ${tag ? sql`and exists (select 1 from user_expertise ue join tags t on t.id = ue.tag_id where ue.user_id = u.id and t.slug = ${tag})` : sql``}
      ${
        spaceSlug
          ? sql`and exists (select 1 from posts a join spaces s on s.id = a.space_id
              where a.author_id = u.id and a.kind = 'answer' and a.deleted_at is null and s.slug = ${spaceSlug})`
          : sql``
      }
    order by helped_solve desc, u.name
    limit ${limit}`);
  return (result as unknown as { rows: (Omit<MentorCard, "helpedSolve"> & { helped_solve: number })[] }).rows.map(
    ({ helped_solve, ...row }) => ({ ...row, helpedSolve: Number(helped_solve) }),
  );
}

/** Expertise tags that at least one mentor has, for the directory's filter. */
export async function listMentorTags(db: Db): Promise<string[]> {
  const result = await db.execute(sql`
    select distinct t.slug from user_expertise ue join tags t on t.id = ue.tag_id join users u on u.id = ue.user_id
    where not u.banned and (u.open_to_mentoring or u.role = 'mentor') order by t.slug`);
  return (result as unknown as { rows: { slug: string }[] }).rows.map((row) => row.slug);
}
