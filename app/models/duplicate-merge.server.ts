/** Moving a closed duplicate's answers to its original question (moderators), with everything that hangs on them. */
import { and, eq, isNull, max, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { posts } from "#db/schema";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { getClosure, questionOrThrow } from "./closure.server";
import { recordModeration } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { refreshQuestionFacts } from "./pulse.server";

/**
 * Moderators move a closed duplicate's answers to its original (their comments, votes and revisions go with them);
 * an accepted answer stays accepted only on the duplicate's side, so the original's asker still chooses.
 */
export async function mergeDuplicateAnswers(
  db: Db,
  { actor, questionId }: { actor: Actor; questionId: number },
): Promise<{ originalId: number; moved: number }> {
  assertCan(actor, "question.mergeDuplicate", undefined, "Only moderators merge answers.");
  await questionOrThrow(db, questionId);
  const closure = await getClosure(db, questionId);
  if (closure?.reason !== "duplicate" || !closure.original)
    throw new PostingError(
      "Only a question closed as a duplicate can have its answers merged into the original.",
      {},
      409,
    );
  const originalId = closure.original.id;
  return db.transaction(async (tx) => {
    const moved = await tx
      .update(posts)
      .set({ parentId: originalId, lastActivityAt: new Date() })
      .where(and(eq(posts.parentId, questionId), eq(posts.kind, "answer")))
      .returning({ id: posts.id });
    await tx.update(posts).set({ acceptedAnswerId: null, acceptedAt: null }).where(eq(posts.id, questionId));
    for (const id of [questionId, originalId])
      await tx.execute(
        sql`update posts set answer_count = (select count(*) from posts a where a.parent_id = ${id} and a.kind = 'answer' and a.deleted_at is null) where id = ${id}`,
      );
    const [latest] = await tx
      .select({ at: max(posts.createdAt) })
      .from(posts)
      .where(and(eq(posts.parentId, originalId), isNull(posts.deletedAt)));
    if (latest?.at) await tx.update(posts).set({ lastActivityAt: latest.at }).where(eq(posts.id, originalId));
    await enqueueSearchUpdate(tx, [questionId, originalId, ...moved.map((answer) => answer.id)]);
    await refreshQuestionFacts(tx, [questionId, originalId]);
    await recordModeration(tx, {
      actorId: actor.id,
      action: "question.mergeAnswers",
      targetType: "question",
      targetId: String(questionId),
      details: { into: originalId, answers: moved.length },
    });
    return { originalId, moved: moved.length };
  });
}
