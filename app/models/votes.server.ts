import type { Db } from "#db/client.server";
import type { Actor } from "./permissions.server";
import { PostRuleError, castVote, getPostMeta, isInDeletedQuestion, votesBy } from "./posts.server";
import { PostingError, assertCan } from "./post-errors.server";
import { consumeWriteLimit } from "./rate-limits.server";

/**
 * Votes up or down on a question or answer. One vote per person: voting the other way changes it,
 * voting the same way again takes it back. Never on your own posts. Returns the new score and vote.
 */
export async function toggleVote(
  db: Db,
  { postId, actor, direction, now }: { postId: number; actor: Actor; direction: "up" | "down"; now?: Date },
) {
  const post = await getPostMeta(db, postId);
  if (
    !post ||
    post.deletedAt ||
    (post.kind !== "question" && post.kind !== "answer") ||
    (await isInDeletedQuestion(db, post))
  )
    throw new PostingError("This post no longer exists.", {}, 404);
  if (actor && actor.id === post.authorId) throw new PostingError("You can't vote on your own post.", {}, 403);
  assertCan(actor, "post.vote", { ownerId: post.authorId });
  await consumeWriteLimit(db, { userId: actor.id, kind: "vote", now });
  const wanted = direction === "up" ? 1 : -1;
  const current = (await votesBy(db, { userId: actor.id, postIds: [postId] }))[postId] ?? 0;
  try {
    return await castVote(db, { postId, userId: actor.id, value: current === wanted ? 0 : wanted });
  } catch (error) {
    if (error instanceof PostRuleError) throw new PostingError(error.message, {}, 403);
    throw error;
  }
}
