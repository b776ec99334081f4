/** Questions: asking them, loading one for the editor, moving it to another space, and editing (with revisions). */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { posts } from "#db/schema";
import { renderMarkdown, settlePictures } from "~/lib/markdown.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { follow, newPostTargets, notifyFollowers, notifyMentions, notifyNewMentions } from "./notifications.server";
import { once } from "./idempotency.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import {
  editNoteField,
  questionBodyField,
  spaceIdField,
  tagsFieldFor,
  titleField,
  validate,
} from "./post-fields.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { assertEditingLatest, recordRevision } from "./revisions.server";
import { recordModeration } from "./moderation.server";
import { refreshQuestionFacts } from "./pulse.server";
import { setPostTags, tagsOfPost } from "./tags.server";
import { isSameTagSet } from "~/lib/tags";
import { requireOpenSpace } from "./spaces.server";
import { readBeforeEdit, screenEdit, screenNewContent } from "./spam.server";
import { picturesShownIn } from "./post-images.server";
import { lockPostToEdit } from "./post-edit-lock.server";

/** A question's fields; tags may be left out of plain-language questions only. */
const questionSchema = (isPlainLanguage: boolean) =>
  z.object({
    spaceId: spaceIdField,
    title: titleField,
    body: questionBodyField,
    tags: tagsFieldFor(isPlainLanguage),
    isPlainLanguage: z.boolean().default(false),
  });

export type QuestionInput = {
  spaceId: number | string;
  title: string;
  body: string;
  tags: string | string[];
  isPlainLanguage: boolean;
};

/**
 * Asks a question: validates, then (once per idempotency key, so a double submit creates one question)
 * counts against the asker's hourly limit, stores it with revision #1, and queues it for search.
 */
export async function askQuestion(
  db: Db,
  input: QuestionInput & { actor: Actor; idempotencyKey?: string; now?: Date; isAnonymous?: boolean },
): Promise<{ questionId: number; isRepeat: boolean }> {
  const { actor } = input;
  assertCan(actor, "question.create");
  const isAnonymous = input.isAnonymous === true;
  if (isAnonymous) assertCan(actor, "question.askAnonymously");
  const fields = validate(questionSchema(input.isPlainLanguage === true), input);
  await requireOpenSpace(db, fields.spaceId, "question");
  const now = input.now ?? new Date();
  const create = async (tx: Db) => {
    // First: refuses an account banned since this request began, and holds a ban back until this question is in.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "question", now });
    const pictures = await picturesShownIn(tx, [fields.body]);
    const [post] = await tx
      .insert(posts)
      .values({
        kind: "question",
        spaceId: fields.spaceId,
        authorId: actor.id,
        title: fields.title,
        bodyMd: fields.body,
        bodyHtml: settlePictures(renderMarkdown(fields.body), pictures),
        isPlainLanguage: fields.isPlainLanguage,
        isAnonymous,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: posts.id });
    if (!post) throw new Error("question insert returned nothing");
    await setPostTags(tx, post.id, fields.tags);
    await recordRevision(tx, {
      postId: post.id,
      editorId: actor.id,
      content: { title: fields.title, bodyMd: fields.body, tags: fields.tags, isPlainLanguage: fields.isPlainLanguage },
    });
    await enqueueSearchUpdate(tx, [post.id]);
    await refreshQuestionFacts(tx, [post.id]);
    // The asker hears of answers and comments; people following the space, a tag or the asker hear of the question.
    await follow(tx, actor.id, { type: "question", key: String(post.id) });
    await notifyMentions(tx, { actorId: actor.id, postId: post.id }, fields.body);
    // An anonymous question is not announced to the asker's followers: that alone would name them.
    const targets = (await newPostTargets(tx, post.id)).filter((target) => !isAnonymous || target.type !== "user");
    await notifyFollowers(tx, { kind: "new_post", actorId: actor.id, postId: post.id }, targets);
    // Last: a held question is hidden and its announcements withdrawn before anyone sees them.
    await screenNewContent(tx, { type: "post", id: String(post.id) });
    return { questionId: post.id };
  };
  if (input.idempotencyKey) {
    const { result, isRepeat } = await once(
      db,
      { userId: actor.id, scope: "question", key: input.idempotencyKey },
      create,
    );
    return { questionId: result.questionId, isRepeat };
  }
  return { ...(await db.transaction(create)), isRepeat: false };
}

/** What an edit form starts from: the post's current editable fields, and what permission checks need. */
export async function getPostForEditing(db: Db, postId: number) {
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      parentId: posts.parentId,
      authorId: posts.authorId,
      spaceId: posts.spaceId,
      title: posts.title,
      bodyMd: posts.bodyMd,
      isPlainLanguage: posts.isPlainLanguage,
      deletedAt: posts.deletedAt,
      revisionCount: posts.revisionCount,
    })
    .from(posts)
    .where(eq(posts.id, postId))
    .limit(1);
  if (!post) return null;
  const [question] =
    post.parentId !== null
      ? await db.select({ id: posts.id, title: posts.title }).from(posts).where(eq(posts.id, post.parentId)).limit(1)
      : [];
  return { ...post, tags: await tagsOfPost(db, post.id), question: question ?? { id: post.id, title: post.title } };
}

/**
 * Moves a question (and its answers) to another space: moderators tidy up where a question was asked. Its numbers
 * on /pulse move with it (a question counts for the space it is in now).
 */
export async function moveQuestion(
  db: Db,
  { questionId, spaceId, actor, reason = "" }: { questionId: number; spaceId: number; actor: Actor; reason?: string },
): Promise<{ fromSpaceId: number }> {
  assertCan(actor, "question.move", undefined, "Only moderators can move questions between spaces.");
  // Narrowed by assertCan; kept in a constant so the transaction below sees it signed in.
  const moverId = actor.id;
  const [question] = await db
    .select({ id: posts.id, kind: posts.kind, spaceId: posts.spaceId, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, questionId))
    .limit(1);
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  await requireOpenSpace(db, spaceId, "question");
  if (question.spaceId === spaceId)
    throw new PostingError("The question is already in that space.", { spaceId: "Choose a different space." });
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(posts)
      .set({ spaceId })
      .where(sql`${posts.id} = ${question.id} or ${posts.parentId} = ${question.id}`)
      .returning({ id: posts.id });
    await enqueueSearchUpdate(
      tx,
      moved.map((row) => row.id),
    );
    await refreshQuestionFacts(tx, [question.id]);
    await recordModeration(tx, {
      actorId: moverId,
      action: "question.move",
      targetType: "question",
      targetId: String(question.id),
      reason,
      details: { from: question.spaceId, to: spaceId },
    });
  });
  return { fromSpaceId: question.spaceId };
}

/**
 * Edits a question (its author, or staff): the new content becomes the next revision, with the editor's note. The
 * author's edit is screened for spam as a new question is, and may be held for review (screenEdit).
 */
export async function editQuestion(
  db: Db,
  input: Omit<QuestionInput, "spaceId"> & {
    questionId: number;
    actor: Actor;
    note?: string;
    now?: Date;
    /** The version the edit form opened on: a newer one saved since refuses the edit (see assertEditingLatest). */
    baseRevision?: number;
  },
): Promise<{ revision: number }> {
  const current = await getPostForEditing(db, input.questionId);
  if (current?.kind !== "question" || current.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  const { actor } = input;
  assertCan(actor, "post.edit", { ownerId: current.authorId }, "You can only edit your own questions.");
  const fields = validate(
    questionSchema(input.isPlainLanguage === true)
      .omit({ spaceId: true })
      .extend({ note: editNoteField }),
    input,
  );
  const isUnchanged =
    fields.title === current.title &&
    fields.body === current.bodyMd &&
    fields.isPlainLanguage === current.isPlainLanguage &&
    isSameTagSet(fields.tags, current.tags);
  if (isUnchanged)
    throw new PostingError("You haven't changed anything yet.", {
      body: "Nothing changed: edit the title, body or tags, then save.",
    });
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // Before the question's row is locked: a ban locks the account first, then the content it hides.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "edit", now });
    // The question's row, then the pictures: a picture's take-down locks the rows showing it, then the picture, so the
    // two never wait in a circle. Deleted or hidden while this edit waited for the row: refused as the first look does.
    await lockPostToEdit(tx, { postId: current.id, noun: "question" });
    await assertEditingLatest(tx, {
      postId: current.id,
      baseRevision: input.baseRevision,
      editorId: actor.id,
      noun: "question",
    });
    const pictures = await picturesShownIn(tx, [fields.body]);
    const before = await readBeforeEdit(tx, current.id);
    await tx
      .update(posts)
      .set({
        title: fields.title,
        bodyMd: fields.body,
        bodyHtml: settlePictures(renderMarkdown(fields.body), pictures),
        isPlainLanguage: fields.isPlainLanguage,
        updatedAt: now,
        lastActivityAt: now,
      })
      .where(eq(posts.id, current.id));
    await setPostTags(tx, current.id, fields.tags);
    const revision = await recordRevision(tx, {
      postId: current.id,
      editorId: actor.id,
      note: fields.note,
      content: { title: fields.title, bodyMd: fields.body, tags: fields.tags, isPlainLanguage: fields.isPlainLanguage },
    });
    await enqueueSearchUpdate(tx, [current.id]);
    await refreshQuestionFacts(tx, [current.id]);
    await notifyNewMentions(
      tx,
      { actorId: actor.id, postId: current.id },
      { before: current.bodyMd, after: fields.body },
    );
    // Last: a held edit hides the question and withdraws its notifications (the new mentions too) until it is published.
    await screenEdit(tx, { postId: current.id, editorId: actor.id, before, now });
    return { revision };
  });
}
