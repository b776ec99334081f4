/** Deleting and restoring questions and answers: soft deletes by authors or staff, restores by moderators. */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { moderationLog, posts, spaces, users } from "#db/schema";
import { withoutControlCharacters } from "~/lib/plain-text";
import { QA_LIMITS } from "~/lib/qa";
import { getPendingHold, sendNotice } from "./holds.server";
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
      message: `A moderator removed ${removedPostWords(post.kind, title)}.${reason ? ` Note: ${reason}` : ""}`,
    });
  });
  const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, post.spaceId)).limit(1);
  return { kind: post.kind, parentId: post.parentId, spaceSlug: space?.slug ?? null };
}

/** A removed post as its author's notice names it: a question by its own title, an answer by its question's. */
function removedPostWords(kind: string, title: string | null): string {
  if (!title) return `your ${kind}`;
  return kind === "question" ? `your question “${title}”` : `your ${kind} in “${title}”`;
}

/** What a restore of a held post is told: nobody deleted it, and only the review queue's decision ends a hold. */
export function heldNotRestorableMessage(kind: string): string {
  return `This ${kind} isn't deleted: it is hidden while it waits for a moderator's review. Keep or hide it in the review queue, so its author and anyone who flagged it are told.`;
}

/** How long after restoring a post the same moderator restoring it again is a double tap or a retry, not a conflict. */
const REPEATED_RESTORE_SECONDS = 30;

/**
 * Moderators bring a deleted question or answer back; the moderation log records it. A post held for review is not
 * restored here (that would publish it behind the queue's back): the queue's "Keep" releases it. One that is back
 * already is a conflict (409) saying who restored it, except for the moderator who restored it moments ago (a double
 * tap, a retried request): theirs is the same success as the first.
 */
export async function restoreQuestionOrAnswer(db: Db, { postId, actor }: { postId: number; actor: Actor }) {
  const post = await getPostMeta(db, postId);
  if (!post || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post doesn't exist.", {}, 404);
  assertCan(actor, "post.restore", { ownerId: post.authorId }, "Only moderators can restore posts.");
  const restored = { kind: post.kind, parentId: post.parentId };
  if (!post.deletedAt) return alreadyBack(db, { ...post, kind: post.kind }, actor.id, restored);
  const isHeld = async () => (await getPendingHold(db, { type: "post", id: String(postId) })) !== null;
  if (await isHeld()) throw new PostingError(heldNotRestorableMessage(post.kind), {}, 409);
  // restorePost checks for a hold again in its update: one made meanwhile is not undone either.
  if (await restorePost(db, { postId, by: actor.id })) return restored;
  if (await isHeld()) throw new PostingError(heldNotRestorableMessage(post.kind), {}, 409);
  // Restored meanwhile: its update waited for that one and found nothing deleted.
  return alreadyBack(db, { ...post, kind: post.kind }, actor.id, restored);
}

/** A restore of a post that is not deleted (any more): done already for who just restored it, else a 409 in words. */
export async function alreadyBack<T>(
  db: Db,
  post: { id: number; kind: "question" | "answer" | "howto" },
  actorId: string,
  restored: T,
): Promise<T> {
  const [last] = await db
    .select({
      byId: moderationLog.actorId,
      byName: users.name,
      isRecent: sql<boolean>`${moderationLog.createdAt} > now() - make_interval(secs => ${REPEATED_RESTORE_SECONDS})`,
    })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(
      and(
        eq(moderationLog.action, "post.restore"),
        eq(moderationLog.targetType, post.kind),
        eq(moderationLog.targetId, String(post.id)),
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(1);
  if (last && last.byId === actorId && last.isRecent) return restored;
  const who = !last ? null : last.byId === actorId ? "you" : last.byName;
  const kind = post.kind === "howto" ? "how-to" : post.kind;
  throw new PostingError(
    who
      ? `This ${kind} is already back: ${who} restored it. Reload the page to see it.`
      : `This ${kind} isn't deleted, so there is nothing to restore. Reload the page to see it.`,
    {},
    409,
  );
}

/**
 * A question or answer of `viewerId`'s hidden while it waits for a moderator's review (nobody deleted it), as its author
 * is told about it; null for anyone else, and for anything not held.
 */
export async function heldPostOfAuthor(db: Db, { postId, viewerId }: { postId: number; viewerId: string | null }) {
  if (viewerId === null) return null;
  const post = await getPostMeta(db, postId);
  if (!post?.deletedAt || post.authorId !== viewerId || (post.kind !== "question" && post.kind !== "answer"))
    return null;
  if (!(await getPendingHold(db, { type: "post", id: String(postId) }))) return null;
  const title = post.title ?? (await questionTitle(db, post.parentId)) ?? "";
  return { id: post.id, kind: post.kind, title };
}

async function questionTitle(db: Db, questionId: number | null): Promise<string | null> {
  if (questionId === null) return null;
  const [row] = await db.select({ title: posts.title }).from(posts).where(eq(posts.id, questionId)).limit(1);
  return row?.title ?? null;
}
