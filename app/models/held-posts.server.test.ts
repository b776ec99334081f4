/** Held posts on the real database: a restore doesn't publish them behind the queue's back, and each is decided once. */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, posts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { flagContent } from "./flags.server";
import { getPendingHold, listNotices } from "./holds.server";
import { restoreHowto } from "./howto-writing.server";
import { deleteQuestionOrAnswer, heldNotRestorableMessage, restoreQuestionOrAnswer } from "./post-deletion.server";
import { restorePost } from "./posts.server";
import { decideReviewItem, listReviewQueue } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

async function isVisible(postId: number) {
  const [row] = await database.db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return row?.deletedAt === null;
}

async function logActions(targetId: number) {
  const rows = await database.db
    .select({ action: moderationLog.action })
    .from(moderationLog)
    .where(eq(moderationLog.targetId, String(targetId)));
  return rows.map((row) => row.action);
}

test("restoring a question or answer held by a moderator's flag is refused and points to the review queue; keeping it publishes it", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, author, space);
  const answerId = await makeAnswer(db, author, await makeQuestion(db, await makePerson(db), space));
  for (const [id, kind] of [
    [questionId, "question"],
    [answerId, "answer"],
  ] as const) {
    // A moderator's one flag hides the post at once: a hold, not a deletion.
    await flagContent(db, { actor: moderator, targetType: "post", targetId: String(id), reason: "rude" });
    expect(await isVisible(id)).toBe(false);
    const refused = await rejection(restoreQuestionOrAnswer(db, { postId: id, actor: moderator }));
    expect([refused.status, refused.message]).toEqual([409, heldNotRestorableMessage(kind)]);
    expect(refused.message).toContain("review queue");
    // The lower-level restore refuses too, so nothing else publishes it behind the queue's back.
    expect(await restorePost(db, { postId: id, by: moderator.id })).toBe(false);
    expect(await isVisible(id)).toBe(false);
    expect((await getPendingHold(db, post(id)))?.reason).toBe("flags");
    expect((await listReviewQueue(db)).map((item) => item.ref.id)).toContain(String(id));
    expect(await logActions(id)).not.toContain("post.restore");
  }

  // Kept from the queue: published, its author told, and the queue no longer lists it.
  await decideReviewItem(db, {
    actor: await makePerson(db, { role: "admin" }),
    ref: post(questionId),
    decision: "keep",
  });
  expect(await isVisible(questionId)).toBe(true);
  expect(await getPendingHold(db, post(questionId))).toBeNull();
  expect((await listNotices(db, author.id)).map((n) => n.kind)).toContain("released");
  expect((await listReviewQueue(db)).map((item) => item.ref.id)).not.toContain(String(questionId));
});

test("a deleted post that isn't held is still restored as before", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: moderator });
  await restoreQuestionOrAnswer(db, { postId: questionId, actor: moderator });
  expect(await isVisible(questionId)).toBe(true);
  expect(await logActions(questionId)).toContain("post.restore");
});

test("two moderators hiding the same flagged post at once: one decides, the other is told who decided it", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, author, await makeSpace(db));
  await flagContent(db, {
    actor: await makePerson(db),
    targetType: "post",
    targetId: String(questionId),
    reason: "rude",
  });
  const [first, second] = [await makePerson(db, { role: "moderator" }), await makePerson(db, { role: "moderator" })];
  const outcomes = await Promise.allSettled([
    decideReviewItem(db, { actor: first, ref: post(questionId), decision: "hide" }),
    decideReviewItem(db, { actor: second, ref: post(questionId), decision: "hide" }),
  ]);
  expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
  const [winner, loser] = outcomes[0]?.status === "fulfilled" ? [first, second] : [second, first];
  const refused = outcomes.find((outcome) => outcome.status === "rejected");
  expect(refused?.status === "rejected" ? [refused.reason.status, refused.reason.message] : null).toEqual([
    409,
    `${winner.name} already decided this one: they hid it.`,
  ]);
  // Sent again later by the one who decided (a double submit, a stale page): the same decision is done already,
  // another is refused saying so; by the other moderator, refused naming who decided.
  await decideReviewItem(db, { actor: winner, ref: post(questionId), decision: "hide" });
  for (const decision of ["warn", "keep"] as const) {
    const again = await rejection(decideReviewItem(db, { actor: winner, ref: post(questionId), decision }));
    expect([again.status, again.message], decision).toEqual([409, "You already decided this one: you hid it."]);
  }
  const late = await rejection(decideReviewItem(db, { actor: loser, ref: post(questionId), decision: "keep" }));
  expect([late.status, late.message]).toEqual([409, `${winner.name} already decided this one: they hid it.`]);
  // The author is told once, and the log has one decision.
  expect((await listNotices(db, author.id)).filter((n) => n.kind === "removed")).toHaveLength(1);
  expect(await logActions(questionId)).toEqual(["review.hide"]);
  expect(await isVisible(questionId)).toBe(false);
});

test("a held post without flags is decided once too", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, author, await makeSpace(db));
  await flagContent(db, { actor: moderator, targetType: "post", targetId: String(questionId), reason: "spam" });
  const other = await makePerson(db, { role: "moderator" });
  await decideReviewItem(db, { actor: other, ref: post(questionId), decision: "hide" });
  // The same moderator's same decision again is done already; anyone else's is refused.
  await decideReviewItem(db, { actor: other, ref: post(questionId), decision: "hide" });
  const again = await rejection(decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "hide" }));
  expect(again.status).toBe(409);
  expect((await listNotices(db, author.id)).filter((n) => n.kind === "removed")).toHaveLength(1);
  // What was never flagged nor held is still a moderator's to remove directly.
  const unflagged = await makeQuestion(db, author, await makeSpace(db));
  await decideReviewItem(db, { actor: moderator, ref: post(unflagged), decision: "hide" });
  expect(await isVisible(unflagged)).toBe(false);
  const [row] = await db
    .select({ id: moderationLog.id })
    .from(moderationLog)
    .where(and(eq(moderationLog.targetId, String(unflagged)), eq(moderationLog.action, "review.hide")));
  expect(row).toBeDefined();
});

test("restoring a held how-to is refused the same way, and says so instead of reporting a restore", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const howtoId = await makeHowto(db, await makePerson(db), await makeSpace(db));
  await flagContent(db, { actor: moderator, targetType: "post", targetId: String(howtoId), reason: "rude" });
  const refused = await rejection(restoreHowto(db, { howtoId, actor: moderator }));
  expect([refused.status, refused.message]).toEqual([409, heldNotRestorableMessage("how-to")]);
  expect(await isVisible(howtoId)).toBe(false);
  expect(await logActions(howtoId)).not.toContain("post.restore");
});
