/**
 * The per-space "first question waits for a moderator" rule (issue 16, item 5): in a space that asks for it, a new
 * account's first question is held for review before anyone else sees it.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";

/**
 * Whether this question is its author's first in a space that holds first questions. Only published questions count
 * as earlier ones: held and deleted questions are soft-deleted, so a held first question keeps the next one waiting too.
 * Who is "new" is decided by the caller (isNewAccount), so the rule has one home.
 */
export async function isHeldFirstQuestion(tx: Db, { postId, authorId }: { postId: number; authorId: string }) {
  const [row] = await queryRows<{ held: boolean }>(
    tx,
    sql`select exists (
        select 1 from posts p join spaces s on s.id = p.space_id
        where p.id = ${postId} and p.kind = 'question' and s.hold_first_questions
          and not exists (
            select 1 from posts earlier
            where earlier.author_id = ${authorId} and earlier.space_id = p.space_id and earlier.kind = 'question'
              and earlier.id <> p.id and earlier.deleted_at is null)
      ) as held`,
  );
  return row?.held === true;
}
