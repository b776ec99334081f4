/** What every kind of post shares: looking one up for permission checks, soft delete and restore, and votes. */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { posts, votes } from "#db/schema";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { recordModeration } from "./moderation.server";
import { refreshQuestionFacts } from "./pulse.server";

export class PostRuleError extends Error {}

/** The fields permission checks and routes need: kind, owner, parent, deletion state. */
export async function getPostMeta(db: Db, postId: number) {
  const [row] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      authorId: posts.authorId,
      parentId: posts.parentId,
      spaceId: posts.spaceId,
      deletedAt: posts.deletedAt,
      deletedBy: posts.deletedBy,
      title: posts.title,
    })
    .from(posts)
    .where(eq(posts.id, postId))
    .limit(1);
  return row ?? null;
}

/**
 * Whether a post belongs to a deleted question: an answer leaves every page with its question (its own row stays
 * undeleted, so the question comes back with its answers), so it takes no new comments, votes or thanks meanwhile.
 */
export async function isInDeletedQuestion(db: Db, post: { kind: string; parentId: number | null }): Promise<boolean> {
  if (post.kind !== "answer" || post.parentId === null) return false;
  const [question] = await db
    .select({ deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, post.parentId))
    .limit(1);
  return !question || question.deletedAt !== null;
}

/**
 * Keeps a question's answer count equal to its visible answers (answers only: what the page's "N answers", the
 * unanswered list and the tests count). Call it inside the transaction that adds, deletes or restores an answer.
 */
export async function refreshAnswerCount(tx: Db, questionId: number): Promise<void> {
  await tx.execute(
    sql`update posts set answer_count = (
          select count(*) from posts a where a.parent_id = ${questionId} and a.kind = 'answer' and a.deleted_at is null)
        where id = ${questionId}`,
  );
}

/**
 * Soft delete: the post disappears for readers but stays in the database, restorable by moderators.
 * Deleting an accepted answer un-accepts it. Moderators deleting someone else's post leave a log record. `by` is
 * null when the system hides a post (held for review: see holds.server.ts).
 */
export async function softDeletePost(
  db: Db,
  {
    postId,
    by,
    isModeratorAction = false,
    reason = "",
  }: { postId: number; by: string | null; isModeratorAction?: boolean; reason?: string },
) {
  await db.transaction(async (tx) => {
    const [post] = await tx
      .update(posts)
      .set({ deletedAt: new Date(), deletedBy: by })
      .where(and(eq(posts.id, postId), isNull(posts.deletedAt)))
      .returning({ id: posts.id, parentId: posts.parentId, kind: posts.kind });
    if (!post) return;
    if (post.parentId !== null) {
      await tx
        .update(posts)
        .set({ acceptedAnswerId: null, acceptedAt: null })
        .where(and(eq(posts.id, post.parentId), eq(posts.acceptedAnswerId, postId)));
      await refreshAnswerCount(tx, post.parentId);
      await enqueueSearchUpdate(tx, [post.parentId]);
    }
    await enqueueSearchUpdate(tx, [postId], "delete");
    await refreshQuestionFacts(tx, [post.parentId ?? post.id]);
    if (isModeratorAction)
      await recordModeration(tx, {
        actorId: by,
        action: "post.delete",
        targetType: post.kind,
        targetId: String(postId),
        reason,
      });
  });
}

/**
 * Brings a soft-deleted post back; `log: false` when the caller records its own moderation entry (a review decision).
 * Never a post held for review: only the queue's decision ends a hold (it releases the hold first, then restores), so
 * its author, flaggers and the queue are told. Returns whether the post came back.
 */
export async function restorePost(
  db: Db,
  { postId, by, log = true }: { postId: number; by: string; log?: boolean },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [post] = await tx
      .update(posts)
      .set({ deletedAt: null, deletedBy: null })
      .where(
        and(
          eq(posts.id, postId),
          sql`${posts.deletedAt} is not null`,
          sql`not exists (select 1 from content_holds h
            where h.target_type = 'post' and h.target_id = ${postId}::text and h.status = 'pending')`,
        ),
      )
      .returning({ id: posts.id, parentId: posts.parentId, kind: posts.kind });
    if (!post) return false;
    if (post.parentId !== null) {
      await refreshAnswerCount(tx, post.parentId);
      await enqueueSearchUpdate(tx, [post.parentId]);
    }
    await enqueueSearchUpdate(tx, [postId]);
    await refreshQuestionFacts(tx, [post.parentId ?? post.id]);
    if (log)
      await recordModeration(tx, {
        actorId: by,
        action: "post.restore",
        targetType: post.kind,
        targetId: String(postId),
      });
    return true;
  });
}

/**
 * One vote per person per post: +1, -1, or 0 to take it back. Not on your own posts (the permission
 * module says so; this rule is also enforced here because scores must never be self-inflated).
 * Returns the new score and the voter's current vote.
 */
export async function castVote(
  db: Db,
  { postId, userId, value }: { postId: number; userId: string; value: 1 | -1 | 0 },
): Promise<{ score: number; myVote: 1 | -1 | 0 }> {
  return db.transaction(async (tx) => {
    const [post] = await tx
      .select({ authorId: posts.authorId, deletedAt: posts.deletedAt, kind: posts.kind })
      .from(posts)
      .where(eq(posts.id, postId))
      .for("update");
    if (!post || post.deletedAt) throw new PostRuleError("This post no longer exists.");
    if (post.authorId === userId) throw new PostRuleError("You can't vote on your own post.");
    if (post.kind !== "question" && post.kind !== "answer")
      throw new PostRuleError("Only questions and answers take votes.");
    const [previous] = await tx
      .select({ value: votes.value })
      .from(votes)
      .where(and(eq(votes.postId, postId), eq(votes.userId, userId)));
    const before = previous?.value ?? 0;
    if (value === 0) await tx.delete(votes).where(and(eq(votes.postId, postId), eq(votes.userId, userId)));
    else
      await tx
        .insert(votes)
        .values({ postId, userId, value })
        .onConflictDoUpdate({ target: [votes.userId, votes.postId], set: { value, updatedAt: new Date() } });
    const [updated] = await tx
      .update(posts)
      .set({ score: sql`${posts.score} + ${value - before}` })
      .where(eq(posts.id, postId))
      .returning({ score: posts.score });
    if (value !== before) await enqueueSearchUpdate(tx, [postId]);
    return { score: updated?.score ?? 0, myVote: value };
  });
}

/** The viewer's own votes on a set of posts (for highlighting their arrows). */
export async function votesBy(
  db: Db,
  { userId, postIds }: { userId: string; postIds: number[] },
): Promise<Record<number, 1 | -1>> {
  if (postIds.length === 0) return {};
  const rows = await db
    .select({ postId: votes.postId, value: votes.value })
    .from(votes)
    .where(and(eq(votes.userId, userId), sql`${votes.postId} in ${postIds}`));
  return Object.fromEntries(rows.map((r) => [r.postId, r.value === 1 ? 1 : -1]));
}
