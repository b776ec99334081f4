/** The row lock an edit of a question, answer or how-to takes before it writes, and the look again that follows it. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { posts } from "#db/schema";
import { PostingError } from "./post-errors.server";

/**
 * Locks the edited post's row (and an answer's question's, after it: the order a picture's take-down locks them in) and
 * refuses, as the edit's first look does, a post deleted or hidden since then: on PostgreSQL an edit that waited here
 * behind a deletion, a ban or a silence (which hide posts by soft-deleting them) sees what they did only once it has
 * the lock. Call it in the edit's transaction after the account's check (consumeWriteLimit) and before the pictures.
 */
export async function lockPostToEdit(tx: Db, { postId, noun }: { postId: number; noun: string }): Promise<void> {
  const post = await lockPostRow(tx, postId);
  // An answer leaves every page with its deleted question (its own row stays undeleted).
  const question = post?.parentId != null ? await lockPostRow(tx, post.parentId) : post;
  if (!post || post.deletedAt || !question || question.deletedAt)
    throw new PostingError(`This ${noun} doesn't exist or was deleted.`, {}, 404);
}

async function lockPostRow(tx: Db, postId: number) {
  const [row] = await tx
    .select({ parentId: posts.parentId, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, postId))
    .for("update");
  return row;
}
