/** Comments: short remarks under a question or an answer (3 to 600 characters, inline Markdown only). */
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import sanitizeHtml from "sanitize-html";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { comments, posts, spaces, users } from "#db/schema";
import { EXTERNAL_LINK_ATTRIBUTES, renderMarkdown, settlePictures } from "~/lib/markdown.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { commentBodyField, validate } from "./post-fields.server";
import { assertNotSuspended, consumeWriteLimit } from "./rate-limits.server";
import { notifyFollowers, notifyMentions, notifyUsers } from "./notifications.server";
import { publish, questionTopic } from "~/lib/realtime.server";
import { refreshQuestionFacts } from "./pulse.server";
import { handleInThread, nameInThread } from "./anonymity.server";
import { screenNewContent } from "./spam.server";
import { picturesShownIn } from "./post-images.server";
import { isInDeletedQuestion } from "./posts.server";
import { archivedSpaceRefusal, assertSpaceStillOpen } from "./spaces.server";

/**
 * The one Markdown renderer, then only inline formatting kept: a comment is a sentence or two, not a document. A
 * picture becomes a link to it named by its description ("the display (image)", as the renderer names an http picture), rather than vanishing.
 */
export function renderCommentMarkdown(source: string): string {
  const html = renderMarkdown(source).replace(/<\/(p|li|h[1-6]|blockquote|pre)>\s*/g, " ");
  return sanitizeHtml(html, {
    allowedTags: ["a", "code", "em", "strong", "s", "del"],
    allowedAttributes: { a: ["href", "title", "rel", "target"] },
    allowedSchemes: ["http", "https", "mailto"],
    transformTags: {
      img: (_tag, { src, alt }) => {
        const attribs: Record<string, string> = {};
        if (src) attribs.href = src;
        // As the renderer marks links to other sites.
        if (src && /^https?:/i.test(src)) Object.assign(attribs, EXTERNAL_LINK_ATTRIBUTES);
        return { tagName: "a", attribs, text: alt?.trim() ? `${alt.trim()} (image)` : "Image" };
      },
    },
  })
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether a rendered comment shows any text: Markdown that renders to nothing (a rule, `***`) would be an empty comment. */
function hasWords(commentHtml: string): boolean {
  return sanitizeHtml(commentHtml, { allowedTags: [], allowedAttributes: {} }).replace(/&nbsp;|\s/g, "").length > 0;
}

export async function refreshCommentCount(tx: Db, postId: number) {
  await tx.execute(
    sql`update posts set comment_count = (select count(*) from comments c where c.post_id = ${postId} and c.deleted_at is null) where id = ${postId}`,
  );
}

/** A repeated identical comment within this many seconds is a double submit: the first one is kept and returned. */
const DUPLICATE_WINDOW_SECONDS = 60;

/**
 * A comment's question or answer left the site (perhaps while it was being written): deleted, or hidden (held for
 * review, or with its banned author's posts). Says which post went (`kind`, and `postId`: the answer's question when
 * the whole thread went), so the message can say how (see the question page's comment handler).
 */
export class CommentedPostGoneError extends PostingError {
  constructor(
    readonly kind: "question" | "answer",
    readonly postId: number,
  ) {
    super(`This ${kind} was deleted or hidden, so it can't take new comments.`, {}, 404);
  }
}

/** Adds a comment under a question or answer that is still visible. */
export async function addComment(
  db: Db,
  input: { postId: number; actor: Actor; body: string; now?: Date },
): Promise<{ commentId: number; isRepeat: boolean }> {
  const { actor } = input;
  assertCan(actor, "comment.create");
  const { body } = validate(z.object({ body: commentBodyField }), input);
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      deletedAt: posts.deletedAt,
      parentId: posts.parentId,
      authorId: posts.authorId,
      spaceArchivedAt: spaces.archivedAt,
    })
    .from(posts)
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(eq(posts.id, input.postId))
    .limit(1);
  if (!post || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post doesn't exist or was deleted.", {}, 404);
  const postKind = post.kind;
  if (post.deletedAt) throw new CommentedPostGoneError(postKind, post.id);
  if (post.parentId !== null && (await isInDeletedQuestion(db, post)))
    throw new CommentedPostGoneError("question", post.parentId);
  // As answers are: the thread stays readable, and its votes, saves and follows go on (answers move with their question).
  if (post.spaceArchivedAt) throw archivedSpaceRefusal("comments");
  const now = input.now ?? new Date();
  // Rendered before the transaction: with one embedded connection, a transaction holds up every reader while it lasts.
  const bodyHtml = renderCommentMarkdown(body);
  if (!hasWords(bodyHtml))
    throw new PostingError("Please fix the highlighted fields; nothing you typed was lost.", {
      body: "Your comment has no words in it: formatting on its own, like ----- or ***, shows as nothing. Please write a few words.",
    });
  return db.transaction(async (tx) => {
    // First: refuses an account banned since this request began, and holds a ban back until this comment is in.
    await assertNotSuspended(tx, actor.id);
    // The post's row is held until commit, so the same comment sent twice at once waits here and then finds the first
    // (the duplicate check below), and a deletion of the post that landed meanwhile is seen.
    const [parent] = await tx
      .select({ deletedAt: posts.deletedAt })
      .from(posts)
      .where(eq(posts.id, post.id))
      .for("no key update");
    if (parent?.deletedAt) throw new CommentedPostGoneError(postKind, post.id);
    // Then its space's: one archived since the check above refuses this comment, and an archiving now waits for it.
    await assertSpaceStillOpen(tx, post.id, "comments");
    // Pictures after the post, as a picture's take-down locks them (the rows showing it, then the picture).
    const pictures = await picturesShownIn(tx, [body]);
    const [duplicate] = await tx
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.postId, post.id),
          eq(comments.authorId, actor.id),
          eq(comments.bodyMd, body),
          isNull(comments.deletedAt),
          gt(comments.createdAt, new Date(now.getTime() - DUPLICATE_WINDOW_SECONDS * 1000)),
        ),
      )
      .limit(1);
    if (duplicate) return { commentId: duplicate.id, isRepeat: true };
    await consumeWriteLimit(tx, { userId: actor.id, kind: "comment", now });
    const [row] = await tx
      .insert(comments)
      .values({
        postId: post.id,
        authorId: actor.id,
        bodyMd: body,
        bodyHtml: settlePictures(bodyHtml, pictures),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: comments.id });
    if (!row) throw new Error("comment insert returned nothing");
    await refreshCommentCount(tx, post.id);
    // A comment on a question can be its first response (comments on answers come after one anyway).
    await refreshQuestionFacts(tx, [post.id]);
    const event = { actorId: actor.id, postId: post.id, commentId: row.id };
    await notifyMentions(tx, event, body);
    // The post's author, and everyone following its question.
    await notifyUsers(tx, { ...event, kind: "comment" }, [post.authorId]);
    await notifyFollowers(tx, { ...event, kind: "comment" }, [
      { type: "question", key: String(post.parentId ?? post.id) },
    ]);
    await publish(tx, {
      topic: questionTopic(post.parentId ?? post.id),
      type: "comment",
      actorId: actor.id,
      id: row.id,
    });
    await screenNewContent(tx, { type: "comment", id: String(row.id) });
    return { commentId: row.id, isRepeat: false };
  });
}

/**
 * Removes a comment (its author, or staff). It stays in the database for moderators. Given a `questionId` (the page it
 * is deleted from), a comment under another question, or under another question's answers, is not found.
 */
export async function deleteComment(
  db: Db,
  { commentId, actor, questionId }: { commentId: number; actor: Actor; questionId?: number },
): Promise<{ postId: number }> {
  const [comment] = await db
    .select({
      id: comments.id,
      postId: comments.postId,
      authorId: comments.authorId,
      deletedAt: comments.deletedAt,
      postParentId: posts.parentId,
    })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, commentId))
    .limit(1);
  if (!comment || comment.deletedAt)
    throw new PostingError("This comment doesn't exist or was already deleted.", {}, 404);
  if (questionId !== undefined && (comment.postParentId ?? comment.postId) !== questionId)
    throw new PostingError("That comment isn't on this question, so nothing was deleted.", {}, 404);
  assertCan(actor, "comment.delete", { ownerId: comment.authorId }, "You can only delete your own comments.");
  await db.transaction(async (tx) => {
    await tx.update(comments).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(comments.id, commentId));
    await refreshCommentCount(tx, comment.postId);
    await refreshQuestionFacts(tx, [comment.postId]);
  });
  return { postId: comment.postId };
}

/**
 * The post a comment is under when it belongs to `questionId` (the question or one of its answers), and whether the
 * comment and that post are deleted (or hidden); null for a comment that doesn't exist or is on another question. Where
 * a refused deletion is explained.
 */
export async function commentPostOn(
  db: Db,
  { commentId, questionId }: { commentId: number; questionId: number },
): Promise<{ postId: number; isDeleted: boolean; isPostDeleted: boolean } | null> {
  const [comment] = await db
    .select({
      postId: comments.postId,
      postParentId: posts.parentId,
      deletedAt: comments.deletedAt,
      postDeletedAt: posts.deletedAt,
    })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, commentId))
    .limit(1);
  if (!comment || (comment.postParentId ?? comment.postId) !== questionId) return null;
  return {
    postId: comment.postId,
    isDeleted: comment.deletedAt !== null,
    isPostDeleted: comment.postDeletedAt !== null,
  };
}

export type CommentView = {
  id: number;
  bodyHtml: string;
  createdAt: Date;
  deletedAt: Date | null;
  authorName: string;
  authorHandle: string | null;
};

/** Comments under the given posts, oldest first, grouped by post. Deleted ones only for moderators. */
export async function listComments(
  db: Db,
  postIds: number[],
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
): Promise<Map<number, CommentView[]>> {
  const map = new Map<number, CommentView[]>();
  if (postIds.length === 0) return map;
  const rows = await db
    .select({
      id: comments.id,
      postId: comments.postId,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      deletedAt: comments.deletedAt,
      // The anonymous asker's comments in their own thread don't name them either.
      authorName: sql<string>`${nameInThread(sql`${comments.postId}`, sql`${comments.authorId}`, sql`${users.name}`)}`,
      authorHandle: handleInThread(sql`${comments.postId}`, sql`${comments.authorId}`, sql`${users.handle}`),
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(inArray(comments.postId, postIds), includeDeleted ? undefined : isNull(comments.deletedAt)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  for (const { postId, ...comment } of rows) map.set(postId, [...(map.get(postId) ?? []), comment]);
  return map;
}
