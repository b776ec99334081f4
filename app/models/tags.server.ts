/** The tag with this slug (as typed in a URL: longer slugs never exist), or null. */
export async function findTagBySlug(db: Db, slug: string): Promise<{ id: number; slug: string } | null> {
  const [tag] = await db
    .select({ id: tags.id, slug: tags.slug })
    .from(tags)
    .where(eq(tags.slug, slug.slice(0, 64)));
  return tag ?? null;
}

/** Tags: normalised names (lower-case, hyphens, no duplicates) shared by posts and people's expertise. */
import { and, asc, count, desc, eq, inArray, isNull, like, or, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { postTags, posts, tags } from "#db/schema";
import type { z } from "zod";
import { normalizeTag, parseTagList, tagListProblem } from "~/lib/tags";

export { TAG_MAX_LENGTH, normalizeTag, parseTagList } from "~/lib/tags";

/**
 * A form's tags (free text, or a list from the tag picker) as unique normalised tags, for a zod transform: a tag longer
 * than the limit is refused on the field, so what was typed comes back to fix rather than being cut short.
 */
export function parseTagField(value: string | string[], ctx: z.RefinementCtx): string[] {
  const text = Array.isArray(value) ? value.join(",") : value;
  const problem = tagListProblem(text);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
  return parseTagList(text);
}

/** Returns the ids of the given tags, creating the missing ones. */
export async function ensureTags(db: Db, slugs: string[]): Promise<{ id: number; slug: string }[]> {
  const unique = [...new Set(slugs.map(normalizeTag).filter(Boolean))];
  if (unique.length === 0) return [];
  await db
    .insert(tags)
    .values(unique.map((slug) => ({ slug })))
    .onConflictDoNothing({ target: tags.slug });
  const rows = await db.select({ id: tags.id, slug: tags.slug }).from(tags).where(inArray(tags.slug, unique));
  return unique.flatMap((slug) => rows.filter((r) => r.slug === slug));
}

export async function listPopularTags(db: Db, limit = 30) {
  return db
    .select({
      slug: tags.slug,
      uses: sql<number>`(select count(*) from post_tags pt where pt.tag_id = ${tags}.id)`.mapWith(Number),
    })
    .from(tags)
    .orderBy(sql`2 desc`, asc(tags.slug))
    .limit(limit);
}

/** LIKE treats % and _ as wildcards and \\ as its escape; typed text must match only itself. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const TAG_SUGGESTION_LIMIT = 10;

/**
 * Existing tags for what someone is typing: slugs starting with the normalised query first, then slugs
 * containing it, each group most used (on live posts) first.
 */
export async function suggestTags(
  db: Db,
  query: string,
  limit = TAG_SUGGESTION_LIMIT,
): Promise<{ slug: string; uses: number }[]> {
  const normalized = normalizeTag(query);
  if (!normalized) return [];
  const escaped = escapeLike(normalized);
  const startsWith = like(tags.slug, `${escaped}%`);
  const uses = count(posts.id);
  return db
    .select({ slug: tags.slug, uses })
    .from(tags)
    .leftJoin(postTags, eq(postTags.tagId, tags.id))
    .leftJoin(posts, and(eq(posts.id, postTags.postId), isNull(posts.deletedAt)))
    .where(or(startsWith, like(tags.slug, `%${escaped}%`)))
    .groupBy(tags.id, tags.slug)
    .orderBy(desc(sql`${startsWith}`), desc(uses), asc(tags.slug))
    .limit(Math.max(1, Math.min(limit, 50)));
}

/** Replaces a post's tags with the given (already normalised) ones, creating new tags as needed. */
export async function setPostTags(tx: Db, postId: number, slugs: string[]): Promise<void> {
  await tx.delete(postTags).where(eq(postTags.postId, postId));
  const rows = await ensureTags(tx, slugs);
  if (rows.length > 0)
    await tx
      .insert(postTags)
      .values(rows.map((t) => ({ postId, tagId: t.id })))
      .onConflictDoNothing();
}

/** The tags of each of these posts, alphabetical (a post without tags is missing from the map). */
export async function tagsByPost(db: Db, postIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (postIds.length === 0) return map;
  const rows = await db
    .select({ postId: postTags.postId, slug: tags.slug })
    .from(postTags)
    .innerJoin(tags, eq(tags.id, postTags.tagId))
    .where(inArray(postTags.postId, postIds))
    .orderBy(asc(tags.slug));
  for (const row of rows) map.set(row.postId, [...(map.get(row.postId) ?? []), row.slug]);
  return map;
}

/** One post's tags, alphabetical. */
export async function tagsOfPost(db: Db, postId: number): Promise<string[]> {
  return (await tagsByPost(db, [postId])).get(postId) ?? [];
}

export const TAG_DIRECTORY_PAGE_SIZE = 60;
export type TagDirectorySort = "popular" | "name";
export type TagDirectoryEntry = { slug: string; description: string; questions: number; howtos: number };

/**
 * The tag directory (/tags): tags on at least one public post, with how many questions and how-tos carry each, most
 * used or alphabetical, optionally those containing `query` (normalised as a tag); a page at a time.
 */
export async function listTagDirectory(
  db: Db,
  { query = "", sort = "popular", page = 1 }: { query?: string; sort?: TagDirectorySort; page?: number },
): Promise<{ tags: TagDirectoryEntry[]; total: number }> {
  const normalized = normalizeTag(query);
  const contains = normalized ? sql`and t.slug like ${`%${escapeLike(normalized)}%`}` : sql``;
  const order = sort === "name" ? sql`t.slug asc` : sql`c.questions + c.howtos desc, t.slug asc`;
  const offset = (Math.max(1, Math.trunc(page)) - 1) * TAG_DIRECTORY_PAGE_SIZE;
  const rows = await queryRows<TagDirectoryEntry & { total: number }>(
    db,
    sql`with c as (
        select pt.tag_id, (count(*) filter (where p.kind = 'question'))::int as questions,
          (count(*) filter (where p.kind = 'howto'))::int as howtos
        from post_tags pt join posts p on p.id = pt.post_id and p.deleted_at is null
        group by pt.tag_id)
      select t.slug, t.description, c.questions, c.howtos, (count(*) over ())::int as total
      from tags t join c on c.tag_id = t.id
      where c.questions + c.howtos > 0 ${contains}
      order by ${order}
      limit ${TAG_DIRECTORY_PAGE_SIZE} offset ${offset}`,
  );
  const total = rows[0]?.total ?? (offset > 0 ? (await listTagDirectory(db, { query, sort, page: 1 })).total : 0);
  return { tags: rows.map(({ total: _, ...tag }) => tag), total };
}
