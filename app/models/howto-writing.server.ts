/** Writing how-tos: publishing, loading for the editor, editing (with revisions), deleting and restoring. */
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type RevisionContent, posts, spaces } from "#db/schema";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { follow, newPostTargets, notifyFollowers, notifyMentions, notifyNewMentions } from "./notifications.server";
import { once } from "./idempotency.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { requireOpenSpace } from "./spaces.server";
import { readBeforeEdit, screenEdit, screenNewContent } from "./spam.server";
import { getPendingHold } from "./holds.server";
import { alreadyBack, heldNotRestorableMessage } from "./post-deletion.server";
import { getPostMeta, restorePost, softDeletePost } from "./posts.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { assertEditingLatest, recordRevision } from "./revisions.server";
import { setPostTags, tagsByPost } from "./tags.server";
import { picturesShownIn } from "./post-images.server";
import { lockPostToEdit } from "./post-edit-lock.server";
import {
  type HowtoInput,
  contentColumns,
  contentSchema,
  markdownOf,
  noteField,
  spaceIdField,
  toRevisionContent,
} from "./howto-validation.server";

/**
 * Publishes a how-to: validates, then (once per idempotency key, so a double submit creates one how-to)
 * counts against the author's hourly limit, stores it with revision 1, and queues it for search.
 */
export async function createHowto(
  db: Db,
  input: HowtoInput & { actor: Actor; spaceId: number | string; idempotencyKey?: string; now?: Date },
): Promise<{ howtoId: number; isRepeat: boolean }> {
  const { actor } = input;
  assertCan(actor, "howto.create", undefined, "You can't write how-tos.");
  const fields = validate(contentSchema.extend({ spaceId: spaceIdField }), input);
  await requireOpenSpace(db, fields.spaceId, "how-to");
  const now = input.now ?? new Date();
  const content = toRevisionContent(fields);
  const create = async (tx: Db) => {
    // First: refuses an account banned since this request began, and holds a ban back until this how-to is in.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "howto", now });
    const pictures = await picturesShownIn(tx, markdownOf(content));
    const [post] = await tx
      .insert(posts)
      .values({
        kind: "howto",
        spaceId: fields.spaceId,
        authorId: actor.id,
        ...contentColumns(content, pictures),
        isPlainLanguage: fields.isPlainLanguage,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: posts.id });
    if (!post) throw new Error("how-to insert returned nothing");
    await setPostTags(tx, post.id, fields.tags);
    await recordRevision(tx, { postId: post.id, editorId: actor.id, content });
    await enqueueSearchUpdate(tx, [post.id]);
    await follow(tx, actor.id, { type: "howto", key: String(post.id) });
    await notifyMentions(
      tx,
      { actorId: actor.id, postId: post.id },
      [fields.summary, fields.prerequisites, ...fields.steps].join("\n\n"),
    );
    await notifyFollowers(
      tx,
      { kind: "new_post", actorId: actor.id, postId: post.id },
      await newPostTargets(tx, post.id),
    );
    await screenNewContent(tx, { type: "post", id: String(post.id) });
    return { howtoId: post.id };
  };
  if (input.idempotencyKey) {
    const { result, isRepeat } = await once(
      db,
      { userId: actor.id, scope: "howto", key: input.idempotencyKey },
      create,
    );
    return { howtoId: result.howtoId, isRepeat };
  }
  return { ...(await db.transaction(create)), isRepeat: false };
}

/** A how-to's current editable content (as stored), with what permission checks need. */
export async function getHowtoForEditing(db: Db, howtoId: number) {
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      authorId: posts.authorId,
      spaceId: posts.spaceId,
      title: posts.title,
      bodyMd: posts.bodyMd,
      summary: posts.summary,
      appliesTo: posts.appliesTo,
      difficulty: posts.difficulty,
      estimatedMinutes: posts.estimatedMinutes,
      prerequisitesMd: posts.prerequisitesMd,
      steps: posts.steps,
      isPlainLanguage: posts.isPlainLanguage,
      revisionCount: posts.revisionCount,
      updatedAt: posts.updatedAt,
      deletedAt: posts.deletedAt,
    })
    .from(posts)
    .where(and(eq(posts.id, howtoId), eq(posts.kind, "howto")))
    .limit(1);
  if (!post) return null;
  const tagList = (await tagsByPost(db, [post.id])).get(post.id) ?? [];
  const content: RevisionContent = {
    title: post.title,
    bodyMd: post.bodyMd,
    tags: tagList,
    summary: post.summary,
    appliesTo: post.appliesTo,
    difficulty: post.difficulty,
    estimatedMinutes: post.estimatedMinutes,
    prerequisitesMd: post.prerequisitesMd,
    steps: (post.steps ?? []).map((s) => s.bodyMd),
    isPlainLanguage: post.isPlainLanguage,
  };
  return { ...post, tags: tagList, content };
}

/** Form values (field name → text) for a how-to's content: what the edit form starts from. */
export function contentToFormValues(content: RevisionContent, isPlainLanguage: boolean): Record<string, string> {
  const values: Record<string, string> = {
    title: content.title ?? "",
    summary: content.summary ?? "",
    appliesTo: content.appliesTo ?? "",
    difficulty: content.difficulty ?? "",
    estimatedMinutes:
      content.estimatedMinutes === null || content.estimatedMinutes === undefined
        ? ""
        : String(content.estimatedMinutes),
    prerequisites: content.prerequisitesMd ?? "",
    tags: content.tags.join(", "),
  };
  if (isPlainLanguage) values.plainLanguage = "on";
  for (const [i, step] of (content.steps ?? []).entries()) values[`step-${i}`] = step;
  return values;
}

/** Whether two versions read the same; "plain language" counts only where both versions record it. */
export function sameContent(a: RevisionContent, b: RevisionContent): boolean {
  return (
    (a.isPlainLanguage === undefined || b.isPlainLanguage === undefined || a.isPlainLanguage === b.isPlainLanguage) &&
    a.title === b.title &&
    (a.summary ?? null) === (b.summary ?? null) &&
    (a.appliesTo ?? null) === (b.appliesTo ?? null) &&
    (a.difficulty ?? null) === (b.difficulty ?? null) &&
    (a.estimatedMinutes ?? null) === (b.estimatedMinutes ?? null) &&
    (a.prerequisitesMd ?? null) === (b.prerequisitesMd ?? null) &&
    JSON.stringify(a.steps ?? []) === JSON.stringify(b.steps ?? []) &&
    [...a.tags].sort().join(",") === [...b.tags].sort().join(",")
  );
}

export async function requireLiveHowto(db: Db, howtoId: number) {
  const current = await getHowtoForEditing(db, howtoId);
  if (!current || current.deletedAt) throw new PostingError("This how-to doesn't exist or was deleted.", {}, 404);
  return current;
}

/**
 * Writes new content over a how-to inside a transaction: columns (the plain-language flag too, when the content says),
 * tags, the next revision, and the search outbox. People the new content mentions and `previous` did not are told,
 * by the editor (the suggester, for an accepted suggestion).
 */
export async function applyContent(
  tx: Db,
  {
    howtoId,
    content,
    previous,
    editorId,
    note,
    now,
  }: {
    howtoId: number;
    content: RevisionContent;
    previous: RevisionContent;
    editorId: string;
    note: string;
    now: Date;
  },
) {
  const mentionable = (c: RevisionContent) => markdownOf(c).filter(Boolean).join("\n\n");
  await notifyNewMentions(
    tx,
    { actorId: editorId, postId: howtoId },
    { before: mentionable(previous), after: mentionable(content) },
  );
  const pictures = await picturesShownIn(tx, markdownOf(content));
  await tx
    .update(posts)
    .set({
      ...contentColumns(content, pictures),
      ...(content.isPlainLanguage === undefined ? {} : { isPlainLanguage: content.isPlainLanguage }),
      updatedAt: now,
      lastActivityAt: now,
    })
    .where(eq(posts.id, howtoId));
  await setPostTags(tx, howtoId, content.tags);
  const revision = await recordRevision(tx, { postId: howtoId, editorId, note, content });
  await enqueueSearchUpdate(tx, [howtoId]);
  return revision;
}

/**
 * The author (or staff) edits a how-to directly; the new content becomes the next revision, with the editor's note. The
 * author's edit is screened for spam as a new how-to is, and may be held for review (screenEdit).
 */
export async function editHowto(
  db: Db,
  input: HowtoInput & { howtoId: number; actor: Actor; note?: string; now?: Date; baseRevision?: number },
): Promise<{ revision: number }> {
  const current = await requireLiveHowto(db, input.howtoId);
  const { actor } = input;
  assertCan(
    actor,
    "post.edit",
    { ownerId: current.authorId },
    "Only the author or a moderator can edit this how-to directly. You can suggest an edit instead.",
  );
  const fields = validate(contentSchema.extend({ note: noteField }), input);
  const content = toRevisionContent(fields);
  if (sameContent(content, current.content)) {
    throw new PostingError("You haven't changed anything yet.", { form: "Nothing changed: edit a field, then save." });
  }
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // Before the how-to's row is locked: a ban locks the account first, then the content it hides.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "edit", now });
    // The how-to's row before its pictures (applyContent), as a picture's take-down locks them. Deleted or hidden while
    // this edit waited for the row: refused as the first look (requireLiveHowto) does.
    await lockPostToEdit(tx, { postId: current.id, noun: "how-to" });
    await assertEditingLatest(tx, {
      postId: current.id,
      baseRevision: input.baseRevision,
      editorId: actor.id,
      noun: "how-to",
    });
    const before = await readBeforeEdit(tx, current.id);
    const revision = await applyContent(tx, {
      howtoId: current.id,
      content,
      previous: current.content,
      editorId: actor.id,
      note: fields.note,
      now,
    });
    // Last: a held edit hides the how-to and withdraws its notifications (the new mentions too) until it is published.
    await screenEdit(tx, { postId: current.id, editorId: actor.id, before, now });
    return { revision };
  });
}

/** Soft-deletes a how-to (its author, or staff); staff deleting someone else's leave a moderation record. */
export async function deleteHowto(
  db: Db,
  { howtoId, actor, reason = "" }: { howtoId: number; actor: Actor; reason?: string },
): Promise<{ spaceSlug: string | null }> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto" || post.deletedAt)
    throw new PostingError("This how-to doesn't exist or was already deleted.", {}, 404);
  assertCan(actor, "post.delete", { ownerId: post.authorId }, "You can only delete your own how-tos.");
  await softDeletePost(db, { postId: howtoId, by: actor.id, isModeratorAction: actor.id !== post.authorId, reason });
  const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, post.spaceId)).limit(1);
  return { spaceSlug: space?.slug ?? null };
}

/**
 * Moderators bring a deleted how-to back; the moderation log records it. One that is back already is a 409 saying who
 * restored it, except for the moderator who restored it moments ago (a double tap): theirs is the same success.
 */
export async function restoreHowto(db: Db, { howtoId, actor }: { howtoId: number; actor: Actor }): Promise<void> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto") throw new PostingError("This how-to doesn't exist.", {}, 404);
  assertCan(actor, "post.restore", { ownerId: post.authorId }, "Only moderators can restore how-tos.");
  const howto = { id: howtoId, kind: "howto" as const };
  if (!post.deletedAt) return alreadyBack(db, howto, actor.id, undefined);
  // A how-to held for review is not restored here: the review queue's decision ends a hold (restorePost checks it).
  if (await restorePost(db, { postId: howtoId, by: actor.id })) return;
  if (await getPendingHold(db, { type: "post", id: String(howtoId) }))
    throw new PostingError(heldNotRestorableMessage("how-to"), {}, 409);
  // Restored meanwhile: its update waited for that one and found nothing deleted.
  return alreadyBack(db, howto, actor.id, undefined);
}
