/** The search outbox: writes that change searchable content record the post here in the same transaction. */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { searchOutbox } from "#db/schema";

/** Call with the transaction handle of the write, so the index update is never lost or early. */
export async function enqueueSearchUpdate(
  tx: Db,
  postIds: number[],
  op: "upsert" | "delete" = "upsert",
): Promise<void> {
  const unique = [...new Set(postIds)];
  if (unique.length === 0) return;
  await tx.insert(searchOutbox).values(unique.map((postId) => ({ postId, op })));
}

/**
 * Every document that shows this person's name (documents.server.ts): the posts they wrote, and the answered questions
 * of the sessions they host (negative ids: see sessionDocumentId). Call with the transaction handle of the write that
 * changed the name; one statement, however much they wrote.
 */
export async function enqueueSearchUpdateOfPerson(tx: Db, userId: string): Promise<void> {
  await tx.execute(sql`insert into search_outbox (post_id, op)
    select id, 'upsert' from posts where author_id = ${userId} and deleted_at is null
    union all
    select -sq.id, 'upsert' from session_questions sq join qa_sessions s on s.id = sq.session_id
      where s.host_id = ${userId} and sq.state = 'answered'`);
}
