/**
 * Ratings, thanks and flags against a ban or silence in flight, as every other write (ban-during-writes): the account
 * is checked inside the write's transaction, held from its start, so one sent while a ban or silence is being saved
 * waits for it and is refused, nothing saved. On PGlite transactions take turns, so each order is driven explicitly;
 * on PostgreSQL (CI's second pass) the write really starts while the ban or silence is uncommitted.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { answerThanks, flags, helpRatings, howtoFeedback } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { whileOpen } from "../../tests/fixtures/while-open";
import { acceptAnswer } from "./answers.server";
import { rateHelp, thankAnswer } from "./feedback.server";
import { flagContent } from "./flags.server";
import { silenceUser } from "./holds.server";
import { rateHowto } from "./howto-feedback.server";
import { SUSPENDED_MESSAGE } from "./post-errors.server";
import { banUser } from "./users.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const SILENCED_MESSAGE =
  "Your account is silenced while moderators review it, so you can't post, flag, thank or rate anything for now. You can still read everything.";

/** A question with an answer its asker accepted: ready to be rated, thanked and flagged. */
async function solvedQuestion() {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const answerId = await makeAnswer(db, helper, questionId);
  await acceptAnswer(db, { answerId, actor: asker });
  return { asker, helper, questionId, answerId };
}

/** Runs `write` while a silence of `userId` is being saved, and returns how it ended. */
async function whileSilencing(userId: string, write: () => Promise<unknown>) {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  return whileOpen(db, (tx) => silenceUser(tx, { userId, by: moderator.id, reason: "Spam." }), write);
}

describe("sent while the sender is being silenced, each waits for the silence and is refused, nothing saved", () => {
  test("rating the help on one's question", async () => {
    const { asker, questionId } = await solvedQuestion();
    const { finishedWhileOpen, other } = await whileSilencing(asker.id, () =>
      rateHelp(database.db, { questionId, actor: asker, rating: 5 }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain(SILENCED_MESSAGE);
    expect(await database.db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId))).toEqual([]);
  });

  test("thanking someone for an answer", async () => {
    const { answerId } = await solvedQuestion();
    const reader = await makePerson(database.db);
    const { finishedWhileOpen, other } = await whileSilencing(reader.id, () =>
      thankAnswer(database.db, { answerId, actor: reader }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain(SILENCED_MESSAGE);
    expect(await database.db.select().from(answerThanks).where(eq(answerThanks.userId, reader.id))).toEqual([]);
  });

  test("answering “Did this help?” on a how-to", async () => {
    const { db } = database;
    const howtoId = await makeHowto(db, await makePerson(db), await makeSpace(db));
    const reader = await makePerson(db);
    const { finishedWhileOpen, other } = await whileSilencing(reader.id, () =>
      rateHowto(db, { howtoId, actor: reader, isHelpful: true, comment: "Worked first time." }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain(SILENCED_MESSAGE);
    expect(await db.select().from(howtoFeedback).where(eq(howtoFeedback.userId, reader.id))).toEqual([]);
  });

  test("flagging an answer", async () => {
    const { answerId } = await solvedQuestion();
    const reader = await makePerson(database.db);
    const { finishedWhileOpen, other } = await whileSilencing(reader.id, () =>
      flagContent(database.db, { actor: reader, targetType: "post", targetId: String(answerId), reason: "rude" }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain(SILENCED_MESSAGE);
    expect(await database.db.select().from(flags).where(eq(flags.flaggerId, reader.id))).toEqual([]);
  });
});

describe("a rating from an asker banned meanwhile", () => {
  test("sent while the ban is being saved, it waits and is told the account is suspended (not that the question is gone)", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { asker, questionId } = await solvedQuestion();
    // The ban hides the asker's question with the rest of their posts.
    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => banUser(tx, { userId: asker.id, reason: "spam", by: admin.id }),
      () => rateHelp(db, { questionId, actor: asker, rating: 5 }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status).toBe("rejected");
    const refused = other.status === "rejected" ? other.reason : null;
    expect(refused instanceof Error && [refused.message, "status" in refused && refused.status]).toEqual([
      SUSPENDED_MESSAGE,
      403,
    ]);
    expect(await db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId))).toEqual([]);
  });

  test("sent from a page opened before the ban, it is refused with a banned person's words", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { asker, questionId } = await solvedQuestion();
    await banUser(db, { userId: asker.id, reason: "spam", by: admin.id });

    const refused = await rejection(rateHelp(db, { questionId, actor: asker, rating: 5 }));
    expect([refused.status, refused.message]).toEqual([403, SUSPENDED_MESSAGE]);
    expect(await db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId))).toEqual([]);
  });
});
