/** Deleting and restoring questions and answers: soft deletes by authors or staff, restores by moderators. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { spaces } from "#db/schema";
import type { Actor } from "./permissions.server";
import { getPostMeta, restorePost, softDeletePost } from "./posts.server";
import { PostingError, assertCan } from "./post-errors.server";

/** Soft-deletes a question or answer (its author, or staff). Staff deleting someone else's post leaves a moderation record. */
export async function deleteQuestionOrAnswer(
  db: Db,
  { postId, actor, reason = "" }: { postId: number; actor: Actor; reason?: string },
) {
  const post = await getPostMeta(db, postId);
  if (!post || post.deletedAt || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post doesn't exist or was already deleted.", {}, 404);
  assertCan(actor, "post.delete", { ownerId: post.authorId }, "You can only delete your own posts.");
  await softDeletePost(db, { postId, by: actor.id, isModeratorAction: actor.id !== post.authorId, reason });
  const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, post.spaceId)).limit(1);
  return { kind: post.kind, parentId: post.parentId, spaceSlug: space?.slug ?? null };
}

/** Moderators bring a deleted question or answer back; the moderation log records it. */
export async function restoreQuestionOrAnswer(db: Db, { postId, actor }: { postId: number; actor: Actor }) {
  const post = await getPostMeta(db, postId);
  if (!post?.deletedAt || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post isn't deleted.", {}, 404);
  assertCan(actor, "post.restore", { ownerId: post.authorId }, "Only moderators can restore posts.");
  await restorePost(db, { postId, by: actor.id });
  return { kind: post.kind, parentId: post.parentId };
}
