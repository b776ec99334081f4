/**
 * A ban (or a silence) wins against writes in flight: a request that read its person before the ban is refused when
 * it saves, and a post already being saved when the ban comes is hidden with the rest. On PGlite transactions take
 * turns, so each order is driven explicitly; on PostgreSQL (CI's second pass) the ban really does arrive while the
 * write's transaction is open, on another connection.
 */
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { comments, contentHolds, notifications, officeHoursQuestions, posts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { whileOpen } from "../../tests/fixtures/while-open";
import { editAnswer, postAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { silenceUser } from "./holds.server";
import { editHowto } from "./howto-writing.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { SUSPENDED_MESSAGE } from "./post-errors.server";
import { askQuestion } from "./questions.server";
import { banUser } from "./users.server";
import { toggleVote } from "./votes.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const answerText = "Restart the device, update the driver and check the event log for the exact error first.";

async function answerState(db: Db, answerId: number) {
  const [answer] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, answerId));
  const holds = await db
    .select({ reason: contentHolds.reason })
    .from(contentHolds)
    .where(and(eq(contentHolds.targetType, "post"), eq(contentHolds.targetId, String(answerId))));
  const told = await db.select().from(notifications).where(eq(notifications.postId, answerId));
  return { isHidden: answer?.deletedAt != null, holds: holds.map((h) => h.reason), told: told.length };
}

describe("a ban against writes in flight", () => {
  test("an answer sent before the ban but saved after it is refused with the words a banned person gets", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    // The request read its person (not banned yet) before the admin's ban was saved.
    const staleDev = await makePerson(db);
    await banUser(db, { userId: staleDev.id, reason: "spam", by: admin.id });

    const refused = await rejection(postAnswer(db, { questionId, actor: staleDev, body: answerText }));
    expect(refused.message).toBe(SUSPENDED_MESSAGE);
    expect(refused.status).toBe(403);
    const theirs = await db.select().from(posts).where(eq(posts.authorId, staleDev.id));
    expect(theirs).toEqual([]);
  });

  test("every kind of post and edit from a request that began before the ban is refused the same way", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const spaceId = await makeSpace(db);
    const staleDev = await makePerson(db);
    const theirQuestion = await makeQuestion(db, await makePerson(db), spaceId);
    const ownAnswer = await makeAnswer(db, staleDev, theirQuestion);
    const ownHowto = await makeHowto(db, staleDev, spaceId);
    const session = await scheduled(db);
    await banUser(db, { userId: staleDev.id, reason: "spam", by: admin.id, hidePosts: false });

    const attempts = {
      question: () =>
        askQuestion(db, {
          actor: staleDev,
          spaceId,
          title: "Why does the printer queue stall every Monday?",
          body: answerText,
          tags: "printing",
          isPlainLanguage: false,
        }),
      comment: () => addComment(db, { postId: theirQuestion, actor: staleDev, body: "Which driver version is this?" }),
      howto: () => makeHowto(db, staleDev, spaceId),
      answerEdit: () => editAnswer(db, { answerId: ownAnswer, actor: staleDev, body: `${answerText} Then reboot.` }),
      howtoEdit: () =>
        editHowto(db, {
          howtoId: ownHowto,
          actor: staleDev,
          ...howtoFields({ title: "Reset a forgotten VPN password, edited after the ban" }),
        }),
      vote: () => toggleVote(db, { postId: theirQuestion, actor: staleDev, direction: "up" }),
      sessionQuestion: () =>
        askInOfficeHours(db, {
          officeHoursId: session.officeHoursId,
          actor: staleDev,
          body: "How do I stop my laptop from sticking to the far access point?",
          now: minutes(30),
        }),
    };
    // One after another, as separate requests would be (each read the person before the ban).
    for (const [what, attempt] of Object.entries(attempts)) {
      const refused = await rejection(attempt());
      expect({ what, message: refused.message }).toEqual({ what, message: SUSPENDED_MESSAGE });
    }
    expect(await db.select().from(comments).where(eq(comments.authorId, staleDev.id))).toEqual([]);
    expect(await db.select().from(officeHoursQuestions).where(eq(officeHoursQuestions.authorId, staleDev.id))).toEqual(
      [],
    );
    const [answer] = await db.select({ bodyMd: posts.bodyMd }).from(posts).where(eq(posts.id, ownAnswer));
    expect(answer?.bodyMd).not.toContain("Then reboot.");
  });

  test("an answer being saved when the ban comes is hidden with the rest, and its notifications withdrawn", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const dev = await makePerson(db);
    const earlier = await makeAnswer(db, dev, await makeQuestion(db, asker, await makeSpace(db)));

    const { result, finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => postAnswer(tx, { questionId, actor: dev, body: answerText }),
      () => banUser(db, { userId: dev.id, reason: "spam", by: admin.id }),
    );
    // The ban waited for the answer to be saved, then hid it with the earlier one.
    expect(finishedWhileOpen).toBe(false);
    expect(other).toMatchObject({ status: "fulfilled", value: { hidden: { posts: 2, sessionQuestions: 0 } } });
    expect(await answerState(db, result.answerId)).toEqual({ isHidden: true, holds: ["banned_author"], told: 0 });
    expect((await answerState(db, earlier)).isHidden).toBe(true);
  });

  test("an answer sent while the ban is being saved waits for it and is refused", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const staleDev = await makePerson(db);

    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => banUser(tx, { userId: staleDev.id, reason: "spam", by: admin.id }),
      () => postAnswer(db, { questionId, actor: staleDev, body: answerText }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status).toBe("rejected");
    expect(other.status === "rejected" && String(other.reason)).toContain(SUSPENDED_MESSAGE);
    expect(await db.select().from(posts).where(eq(posts.authorId, staleDev.id))).toEqual([]);
  });
});

describe("a silence against writes in flight", () => {
  test("an answer being saved when its author is silenced is held with the rest", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const dev = await makePerson(db);

    const { result, finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => postAnswer(tx, { questionId, actor: dev, body: answerText }),
      () => db.transaction((tx) => silenceUser(tx, { userId: dev.id, by: moderator.id, reason: "Spam." })),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status).toBe("fulfilled");
    expect(await answerState(db, result.answerId)).toEqual({ isHidden: true, holds: ["silenced_author"], told: 0 });
  });

  test("an answer sent while the silence is being saved waits for it and is refused as a silenced person's is", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const dev = await makePerson(db);

    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => silenceUser(tx, { userId: dev.id, by: moderator.id, reason: "Spam." }),
      () => postAnswer(db, { questionId, actor: dev, body: answerText }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain("Your account is silenced");
    expect(await db.select().from(posts).where(eq(posts.authorId, dev.id))).toEqual([]);
  });
});
