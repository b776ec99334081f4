/**
 * Moderation and deleted accounts on the real database: a deleted account is told nothing, its flags keep their
 * reason but lose its note, an admin's deletion note is there for the admins, and held posts are found in one go.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { flags, follows, notifications, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { deleteAccount, deletionRecords } from "./account-deletion.server";
import { acceptAnswer } from "./answers.server";
import { requestOverdueFeedback } from "./feedback.server";
import { flagContent } from "./flags.server";
import { heldPosts } from "./holds.server";
import { follow } from "./notifications.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import { decideReviewItem, listReviewQueue } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

async function notificationsOf(userId: string) {
  const rows = await database.db
    .select({ kind: notifications.kind, postId: notifications.postId })
    .from(notifications)
    .where(eq(notifications.userId, userId));
  return rows;
}

describe("a deleted account is told nothing", () => {
  test("a follower whose account is deleted gets no notification row; a live follower still does", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const live = await makePerson(db);
    const gone = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    await follow(db, live.id, { type: "question", key: String(questionId) });
    await follow(db, gone.id, { type: "question", key: String(questionId) });
    // Marked deleted with its follow still there (an account deleted by an older version, or a follow written as the
    // deletion ran): the notification query itself must leave it out.
    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id));
    const [stillFollowing] = await db.select().from(follows).where(eq(follows.userId, gone.id));
    expect(stillFollowing).toBeDefined();

    const answerId = await makeAnswer(db, await makePerson(db), questionId);

    expect(await notificationsOf(live.id)).toEqual([{ kind: "answer", postId: answerId }]);
    expect(await notificationsOf(gone.id)).toEqual([]);
  });

  test("an answer's author whose account was deleted hears nothing when it is accepted", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const admin = await makePerson(db, { role: "admin" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const answerId = await makeAnswer(db, helper, questionId);
    await deleteAccount(db, { userId: helper.id, by: admin.id, deleteUnansweredQuestions: false, reason: "T-2" });

    await acceptAnswer(db, { answerId, actor: asker });

    expect(await notificationsOf(helper.id)).toEqual([]);
  });

  test("an asker whose account was deleted gets no 7-day reminder to rate; a live asker does", async () => {
    const { db } = database;
    const DAY = 86_400_000;
    const asked = new Date("2026-10-01T10:00:00Z");
    const space = await makeSpace(db);
    const admin = await makePerson(db, { role: "admin" });
    const helper = await makePerson(db);
    const liveAsker = await makePerson(db);
    const goneAsker = await makePerson(db);
    const liveQuestion = await makeQuestion(db, liveAsker, space, { now: asked });
    const goneQuestion = await makeQuestion(db, goneAsker, space, { now: asked });
    await makeAnswer(db, helper, liveQuestion, { now: new Date(asked.getTime() + DAY / 10) });
    await makeAnswer(db, helper, goneQuestion, { now: new Date(asked.getTime() + DAY / 10) });
    await deleteAccount(db, { userId: goneAsker.id, by: admin.id, deleteUnansweredQuestions: false, reason: "T-3" });

    await requestOverdueFeedback(db, new Date(asked.getTime() + 7.1 * DAY));

    expect(await notificationsOf(liveAsker.id)).toContainEqual({ kind: "feedback_request", postId: liveQuestion });
    expect(await notificationsOf(goneAsker.id)).toEqual([]);
  });
});

describe("a deleted account's flags", () => {
  test("lose their note but keep their reason, so the queue still counts them and says the note was removed", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const author = await makePerson(db);
    const leaving = await makePerson(db);
    const staying = await makePerson(db);
    const questionId = await makeQuestion(db, author, await makeSpace(db));
    const target = { targetType: "post", targetId: String(questionId) };
    await flagContent(db, {
      actor: leaving,
      ...target,
      reason: "rude",
      details: "My neighbour Jo wrote this about me.",
    });
    await flagContent(db, { actor: staying, ...target, reason: "other", details: "Off-topic for this space." });

    await deleteAccount(db, { userId: leaving.id, by: admin.id, deleteUnansweredQuestions: false, reason: "T-4" });

    const [flag] = await db
      .select({ reason: flags.reason, details: flags.details, status: flags.status })
      .from(flags)
      .where(and(eq(flags.flaggerId, leaving.id), eq(flags.targetId, String(questionId))));
    expect(flag).toEqual({ reason: "rude", details: "", status: "pending" });

    const item = (await listReviewQueue(db)).find((queued) => queued.ref.id === String(questionId));
    expect(item?.flags.map(({ reason, details, isNoteRemoved }) => ({ reason, details, isNoteRemoved }))).toEqual([
      { reason: "rude", details: "", isNoteRemoved: true },
      { reason: "other", details: "Off-topic for this space.", isNoteRemoved: false },
    ]);

    // The decision still counts the deleted person's flag.
    await decideReviewItem(db, { actor: admin, ref: post(questionId), decision: "hide" });
    const decided = await db.select({ status: flags.status }).from(flags).where(eq(flags.flaggerId, leaving.id));
    expect(decided).toEqual([{ status: "upheld" }]);
  });
});

describe("how an account was deleted, for admins", () => {
  test("an admin's deletion keeps its note and the admin's name; a person's own deletion has no note", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin", name: "Ada Admin" });
    const byAdmin = await makePerson(db);
    const bySelf = await makePerson(db);
    const living = await makePerson(db);
    await deleteAccount(db, {
      userId: byAdmin.id,
      by: admin.id,
      deleteUnansweredQuestions: false,
      reason: "Ticket 4412, asked by email on 3 March",
    });
    await deleteAccount(db, { userId: bySelf.id, by: bySelf.id, deleteUnansweredQuestions: false });
    const accounts = await db
      .select({ id: users.id, deletedAt: users.deletedAt })
      .from(users)
      .where(inArray(users.id, [byAdmin.id, bySelf.id, living.id]));

    const records = await deletionRecords(db, accounts);

    expect(records.get(byAdmin.id)).toMatchObject({
      isByAdmin: true,
      adminName: "Ada Admin",
      note: "Ticket 4412, asked by email on 3 March",
    });
    expect(records.get(bySelf.id)).toMatchObject({ isByAdmin: false, adminName: null, note: "" });
    expect(records.has(living.id)).toBe(false);
  });
});

describe("held posts on a staff page", () => {
  test("several posts at once: only those with a pending hold are held, not deleted or released ones", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const author = await makePerson(db);
    const questionId = await makeQuestion(db, author, await makeSpace(db));
    const [heldAnswer, deletedAnswer, releasedAnswer, visibleAnswer, otherHeldAnswer] = [
      await makeAnswer(db, await makePerson(db), questionId),
      await makeAnswer(db, await makePerson(db), questionId),
      await makeAnswer(db, await makePerson(db), questionId),
      await makeAnswer(db, await makePerson(db), questionId),
      await makeAnswer(db, await makePerson(db), questionId),
    ];
    const hold = (id: number) =>
      flagContent(db, { actor: moderator, targetType: "post", targetId: String(id), reason: "rude" });
    await hold(heldAnswer);
    await hold(otherHeldAnswer);
    await hold(releasedAnswer);
    await decideReviewItem(db, { actor: moderator, ref: post(releasedAnswer), decision: "keep" });
    await deleteQuestionOrAnswer(db, { postId: deletedAnswer, actor: moderator });

    const asked = [questionId, heldAnswer, deletedAnswer, releasedAnswer, visibleAnswer, otherHeldAnswer];
    expect([...(await heldPosts(db, asked))].sort((a, b) => a - b)).toEqual([heldAnswer, otherHeldAnswer]);
    expect(await heldPosts(db, [])).toEqual(new Set());
    expect(await heldPosts(db, [deletedAnswer, visibleAnswer])).toEqual(new Set());
  });
});
