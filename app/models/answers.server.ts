/** Answers: posting and editing them, and the asker accepting the one that solved their problem. */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { posts, spaces } from "#db/schema";
import { HEADING_LEVEL, renderMarkdown, settlePictures } from "~/lib/markdown.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { publish, questionTopic } from "~/lib/realtime.server";
import { follow, notifyFollowers, notifyMentions, notifyNewMentions, notifyUsers } from "./notifications.server";
import { once } from "./idempotency.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { answerBodyField, editNoteField, validate } from "./post-fields.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { refreshQuestionFacts } from "./pulse.server";
import { assertEditingLatest, recordRevision } from "./revisions.server";
import { readBeforeEdit, screenEdit, screenNewContent } from "./spam.server";
import { isInDeletedQuestion, refreshAnswerCount } from "./posts.server";
import { assertOpenForAnswers } from "./closure.server";
import { picturesShownIn } from "./post-images.server";
import { lockPostToEdit } from "./post-edit-lock.server";
import { archivedSpaceRefusal, assertSpaceStillOpen } from "./spaces.server";

/**
 * Answers a question that is visible and in a space still taking posts. Once per idempotency key (a
 * double submit posts one answer); counts against the hourly limit; stores revision #1; bumps the question's activity.
 */
export async function postAnswer(
  db: Db,
  input: { questionId: number; actor: Actor; body: string; idempotencyKey?: string; now?: Date },
): Promise<{ answerId: number; isRepeat: boolean }> {
  const { actor } = input;
  assertCan(actor, "answer.create");
  const { body } = validate(z.object({ body: answerBodyField }), input);
  const [question] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      spaceId: posts.spaceId,
      deletedAt: posts.deletedAt,
      spaceArchivedAt: spaces.archivedAt,
    })
    .from(posts)
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(eq(posts.id, input.questionId))
    .limit(1);
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  if (question.spaceArchivedAt) throw archivedSpaceRefusal("answers");
  await assertOpenForAnswers(db, question.id);
  const now = input.now ?? new Date();
  // Rendered before the transaction: with one embedded connection, a transaction holds up every reader while it lasts.
  const bodyHtml = renderMarkdown(body, HEADING_LEVEL.answer);
  const create = async (tx: Db) => {
    // First: refuses an account banned since this request began, and holds a ban back until this answer is in.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "answer", now });
    // The question's row before the pictures: a picture's take-down locks the rows showing it, then the picture.
    await tx.update(posts).set({ lastActivityAt: now }).where(eq(posts.id, question.id));
    // Then its space's: one archived since the check above refuses this answer, and an archiving now waits for it.
    await assertSpaceStillOpen(tx, question.id, "answers");
    const pictures = await picturesShownIn(tx, [body]);
    const [answer] = await tx
      .insert(posts)
      .values({
        kind: "answer",
        spaceId: question.spaceId,
        parentId: question.id,
        authorId: actor.id,
        bodyMd: body,
        bodyHtml: settlePictures(bodyHtml, pictures),
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: posts.id });
    if (!answer) throw new Error("answer insert returned nothing");
    await refreshAnswerCount(tx, question.id);
    await recordRevision(tx, {
      postId: answer.id,
      editorId: actor.id,
      content: { title: null, bodyMd: body, tags: [] },
    });
    await enqueueSearchUpdate(tx, [answer.id, question.id]);
    await refreshQuestionFacts(tx, [question.id]);
    // Mentions first: someone both mentioned and following hears of it once, as a mention.
    await notifyMentions(tx, { actorId: actor.id, postId: answer.id }, body);
    await notifyFollowers(tx, { kind: "answer", actorId: actor.id, postId: answer.id }, [
      { type: "question", key: String(question.id) },
      { type: "user", key: actor.id },
    ]);
    await follow(tx, actor.id, { type: "question", key: String(question.id) });
    // Open pages of the question offer to show it ("1 new answer — show").
    await publish(tx, { topic: questionTopic(question.id), type: "answer", actorId: actor.id, id: answer.id });
    await screenNewContent(tx, { type: "post", id: String(answer.id) });
    return { answerId: answer.id };
  };
  if (input.idempotencyKey) {
    const { result, isRepeat } = await once(
      db,
      { userId: actor.id, scope: `answer:${question.id}`, key: input.idempotencyKey },
      create,
    );
    return { answerId: result.answerId, isRepeat };
  }
  return { ...(await db.transaction(create)), isRepeat: false };
}

/**
 * Edits an answer (its author, or staff); the new text becomes the next revision with the editor's note. The author's
 * edit is screened for spam as a new answer is, and may be held for review (screenEdit).
 */
export async function editAnswer(
  db: Db,
  input: { answerId: number; actor: Actor; body: string; note?: string; now?: Date; baseRevision?: number },
): Promise<{ revision: number; questionId: number }> {
  const [answer] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      authorId: posts.authorId,
      parentId: posts.parentId,
      bodyMd: posts.bodyMd,
      deletedAt: posts.deletedAt,
    })
    .from(posts)
    .where(eq(posts.id, input.answerId))
    .limit(1);
  // An answer leaves every page with its deleted question: an edit saved then would land on a hidden post.
  if (
    answer?.kind !== "answer" ||
    answer.deletedAt ||
    answer.parentId === null ||
    (await isInDeletedQuestion(db, answer))
  )
    throw new PostingError("This answer doesn't exist or was deleted.", {}, 404);
  const questionId = answer.parentId;
  const { actor } = input;
  assertCan(actor, "post.edit", { ownerId: answer.authorId }, "You can only edit your own answers.");
  const fields = validate(z.object({ body: answerBodyField, note: editNoteField }), input);
  if (fields.body === answer.bodyMd)
    throw new PostingError("You haven't changed anything yet.", {
      body: "Nothing changed: edit the answer, then save.",
    });
  const now = input.now ?? new Date();
  const bodyHtml = renderMarkdown(fields.body, HEADING_LEVEL.answer);
  return db.transaction(async (tx) => {
    // Before the answer's row is locked: a ban locks the account first, then the content it hides.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "edit", now });
    // The answer's row, then its question's, then the pictures: the order a picture's take-down locks them in (the rows
    // showing it, an answer before its question, then the picture), so the two wait for each other, never in a circle.
    // Either deleted or hidden while this edit waited for them: refused as the first look does.
    await lockPostToEdit(tx, { postId: answer.id, noun: "answer" });
    await assertEditingLatest(tx, {
      postId: answer.id,
      baseRevision: input.baseRevision,
      editorId: actor.id,
      noun: "answer",
    });
    await tx.update(posts).set({ lastActivityAt: now }).where(eq(posts.id, questionId));
    const pictures = await picturesShownIn(tx, [fields.body]);
    const before = await readBeforeEdit(tx, answer.id);
    await tx
      .update(posts)
      .set({ bodyMd: fields.body, bodyHtml: settlePictures(bodyHtml, pictures), updatedAt: now, lastActivityAt: now })
      .where(eq(posts.id, answer.id));
    const revision = await recordRevision(tx, {
      postId: answer.id,
      editorId: actor.id,
      note: fields.note,
      content: { title: null, bodyMd: fields.body, tags: [] },
    });
    await enqueueSearchUpdate(tx, [answer.id, questionId]);
    await notifyNewMentions(
      tx,
      { actorId: actor.id, postId: answer.id },
      { before: answer.bodyMd, after: fields.body },
    );
    // Last: a held edit hides the answer (upvoted or accepted alike) and withdraws its notifications until published.
    await screenEdit(tx, { postId: answer.id, editorId: actor.id, before, now });
    return { revision, questionId };
  });
}

/** The question an answer belongs to, with its owner: what accept/unaccept checks need. Locks the question row inside a transaction. */
async function lockQuestionOf(tx: Db, questionId: number) {
  const [question] = await tx
    .select({
      id: posts.id,
      authorId: posts.authorId,
      acceptedAnswerId: posts.acceptedAnswerId,
      deletedAt: posts.deletedAt,
      kind: posts.kind,
    })
    .from(posts)
    .where(eq(posts.id, questionId))
    .for("update");
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  return question;
}

/** The asker marks an answer as the one that solved it; accepting another answer moves the mark. */
export async function acceptAnswer(
  db: Db,
  { answerId, actor, now = new Date() }: { answerId: number; actor: Actor; now?: Date },
): Promise<{ questionId: number }> {
  return db.transaction(async (tx) => {
    // The answer's row is held until the mark is saved: a deletion landing now waits, then takes the mark away again
    // (softDeletePost); one that landed first is seen here. Answer, then question: the order a deletion locks them in.
    const [answer] = await tx
      .select({ id: posts.id, kind: posts.kind, parentId: posts.parentId, deletedAt: posts.deletedAt })
      .from(posts)
      .where(eq(posts.id, answerId))
      .for("share");
    if (answer?.kind !== "answer" || answer.deletedAt || answer.parentId === null)
      throw new PostingError("This answer doesn't exist or was deleted.", {}, 404);
    const question = await lockQuestionOf(tx, answer.parentId);
    assertCan(
      actor,
      "answer.accept",
      { ownerId: question.authorId },
      "Only the person who asked can accept an answer.",
    );
    if (question.acceptedAnswerId === answer.id) return { questionId: question.id };
    await tx.update(posts).set({ acceptedAnswerId: answer.id, acceptedAt: now }).where(eq(posts.id, question.id));
    await refreshQuestionFacts(tx, [question.id]);
    await enqueueSearchUpdate(tx, [
      question.id,
      answer.id,
      ...(question.acceptedAnswerId === null ? [] : [question.acceptedAnswerId]),
    ]);
    const [author] = await tx.select({ id: posts.authorId }).from(posts).where(eq(posts.id, answer.id));
    if (actor && author) await notifyUsers(tx, { kind: "accepted", actorId: actor.id, postId: answer.id }, [author.id]);
    return { questionId: question.id };
  });
}

/** The asker takes their acceptance back: the question shows as unsolved again. */
export async function unacceptAnswer(
  db: Db,
  { questionId, actor }: { questionId: number; actor: Actor },
): Promise<void> {
  await db.transaction(async (tx) => {
    const question = await lockQuestionOf(tx, questionId);
    assertCan(
      actor,
      "answer.accept",
      { ownerId: question.authorId },
      "Only the person who asked can change the accepted answer.",
    );
    if (question.acceptedAnswerId === null) return;
    await tx
      .update(posts)
      .set({ acceptedAnswerId: null, acceptedAt: null })
      .where(and(eq(posts.id, question.id)));
    await refreshQuestionFacts(tx, [question.id]);
    await enqueueSearchUpdate(tx, [question.id, question.acceptedAnswerId]);
  });
}
