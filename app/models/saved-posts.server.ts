/**
 * "Save for later": a person's own list of questions and how-tos to come back to (/saved). Private: nobody else sees
 * what someone saved, and saving tells nobody. A deleted post leaves the list while it is deleted (it comes back
 * if a moderator restores it); a deleted account's list goes with it.
 */
import { and, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { savedPosts } from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { questionPath } from "~/lib/qa";
import { PostingError } from "./post-errors.server";

export const SAVED_PAGE_SIZE = 50;

/** Something that can't be saved (gone, or not a question or how-to): a refused write, 404. */
export class SaveError extends PostingError {
  constructor(message: string) {
    super(message, {}, 404);
  }
}

/** Saves a question or how-to that readers can see; saving it again changes nothing. */
export async function savePost(db: Db, userId: string, postId: number): Promise<void> {
  const [post] = await queryRows<{ kind: string }>(
    db,
    sql`select kind from posts where id = ${postId} and deleted_at is null and kind in ('question', 'howto')`,
  );
  if (!post) throw new SaveError("Only questions and how-tos that are still there can be saved.");
  await db.insert(savedPosts).values({ userId, postId }).onConflictDoNothing();
}

export async function unsavePost(db: Db, userId: string, postId: number): Promise<void> {
  await db.delete(savedPosts).where(and(eq(savedPosts.userId, userId), eq(savedPosts.postId, postId)));
}

export type SavedItem = {
  postId: number;
  kind: "question" | "howto";
  title: string;
  path: string;
  spaceName: string;
  answerCount: number;
  isSolved: boolean;
  savedAt: Date;
};

/**
 * The person's saved posts that are still there, most recently saved first, a page at a time; `total` counts them all
 * (also past the last page).
 */
export async function listSaved(
  db: Db,
  userId: string,
  { page = 1 }: { page?: number } = {},
): Promise<{ items: SavedItem[]; total: number }> {
  const offset = (Math.max(1, Math.trunc(page)) - 1) * SAVED_PAGE_SIZE;
  const rows = await queryRows<{
    id: number;
    kind: "question" | "howto";
    title: string | null;
    space_name: string;
    answer_count: number;
    accepted_answer_id: number | null;
    saved_at: Date | string;
    total: number;
  }>(
    db,
    sql`select p.id, p.kind, p.title, sp.name as space_name, p.answer_count, p.accepted_answer_id,
        s.created_at as saved_at, (count(*) over ())::int as total
      from saved_posts s
      join posts p on p.id = s.post_id and p.deleted_at is null
      join spaces sp on sp.id = p.space_id
      where s.user_id = ${userId}
      order by s.created_at desc, p.id desc
      limit ${SAVED_PAGE_SIZE} offset ${offset}`,
  );
  // Past the last page no row carries the total: counted on its own, so the page can say it is past the end.
  const total = rows[0]?.total ?? (offset > 0 ? await countSaved(db, userId) : 0);
  return {
    items: rows.map((row) => ({
      postId: row.id,
      kind: row.kind,
      title: row.title ?? "",
      path: row.kind === "howto" ? howtoPath(row.id) : questionPath(row.id, row.title),
      spaceName: row.space_name,
      answerCount: row.answer_count,
      isSolved: row.accepted_answer_id !== null,
      savedAt: new Date(row.saved_at),
    })),
    total,
  };
}

async function countSaved(db: Db, userId: string): Promise<number> {
  const [row] = await queryRows<{ total: number }>(
    db,
    sql`select count(*)::int as total from saved_posts s join posts p on p.id = s.post_id and p.deleted_at is null
      where s.user_id = ${userId}`,
  );
  return row?.total ?? 0;
}
