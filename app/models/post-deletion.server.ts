/** Deleting and restoring questions and answers: soft deletes by authors or staff, restores by moderators. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { posts, spaces } from "#db/schema";
import { withoutControlCharacters } from "~/lib/plain-text";
import { QA_LIMITS } from "~/lib/qa";
import { sendNotice } from "./holds.server";
import type { Actor } from "./permissions.server";
import { getPostMeta, restorePost, softDeletePost } from "./posts.server";
import { PostingError, assertCan } from "./post-errors.server";

/**
 * Soft-deletes a question or answer (its author, or staff). Staff deleting someone else's post leaves a moderation
 * record and tells the author, with the reason they gave (as a review-queue decision does): the author can't see the
 * post any more, so without it they would find only "doesn't exist".
 */
export async function deleteQuestionOrAnswer(
  db: Db,
  { postId, actor, reason: rawReason = "" }: { postId: number; actor: Actor; reason?: string },
) {
  const post = await getPostMeta(db, postId);
  if (!post || post.deletedAt || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post doesn't exist or was already deleted.", {}, 404);
  assertCan(actor, "post.delete", { ownerId: post.authorId }, "You can only delete your own posts.");
  const reason = withoutControlCharacters(rawReason).trim();
  if (reason.length > QA_LIMITS.deleteReasonMax)
    throw new PostingError(
      `Please keep the reason to ${QA_LIMITS.deleteReasonMax} characters (it has ${reason.length}).`,
      { reason: "Too long." },
      400,
    );
  const isModeratorAction = actor.id !== post.authorId;
  await db.transaction(async (tx) => {
    await softDeletePost(tx, { postId, by: actor.id, isModeratorAction, reason });
    if (!isModeratorAction) return;
    const title = post.title ?? (await questionTitle(tx, post.parentId));
    await sendNotice(tx, {
      userId: post.authorId,
      kind: "removed",
      message: `A moderator removed your ${post.kind}${title ? ` in “${title}”` : ""}.${reason ? ` Note: ${reason}` : ""}`,
    });
  });
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

async function questionTitle(db: Db, questionId: number | null): Promise<string | null> {
  if (questionId === null) return null;
  const [row] = await db.select({ title: posts.title }).from(posts).where(eq(posts.id, questionId)).limit(1);
  return row?.title ?? null;
}
