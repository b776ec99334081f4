import type { Db } from "#db/client.server";
import type { Actor } from "./permissions.server";
import { PostRuleError, castVote, getPostMeta, isInDeletedQuestion } from "./posts.server";
import { PostingError, assertCan } from "./post-errors.server";
import { consumeWriteLimit } from "./rate-limits.server";

/** The stored value of each vote a button can ask for. */
const VOTE_VALUES = { up: 1, down: -1, none: 0 } as const;

/**
 * Sets the actor's vote on a question or answer to the one asked for: "up", "down", or "none" to take it back. One
 * vote per person; asking for the vote already there changes nothing, so a page out of date or a double click can't
 * undo a vote. Never on your own posts. Returns the new score and vote.
 */
export async function toggleVote(
  db: Db,
  { postId, actor, direction, now }: { postId: number; actor: Actor; direction: "up" | "down" | "none"; now?: Date },
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
  const value = VOTE_VALUES[direction];
  try {
    return await castVote(db, { postId, userId: actor.id, value });
  } catch (error) {
    if (error instanceof PostRuleError) throw new PostingError(error.message, {}, 403);
    throw error;
  }
}
