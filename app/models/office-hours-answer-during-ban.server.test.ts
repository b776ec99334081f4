/**
 * A ban or silence wins against a host's answer in flight, as against every other write (ban-during-writes): an answer
 * from a request that read the host before the ban is refused when it saves, and one sent while the ban is being saved
 * waits for it and is refused (a ban's account lock already waits for an answer being saved: the answer refers to the
 * host's account row). On PGlite transactions take turns, so each order is driven explicitly; on PostgreSQL (CI's second
 * pass) they really overlap.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { officeHoursQuestions } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson } from "../../tests/fixtures/people";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { whileOpen } from "../../tests/fixtures/while-open";
import { silenceUser } from "./holds.server";
import { answerInOfficeHours, askInOfficeHours } from "./office-hours-queue.server";
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

/** A live session (at minute 70) with one open question; `host` is the host as a request read them before any ban. */
async function liveSessionWithQuestion() {
  const { db } = database;
  const session = await scheduled(db);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: await makePerson(db),
    body: "Why does my laptop keep the weak access point?",
    now: minutes(5),
  });
  const answer = (overrides: { skip?: boolean } = {}) => ({
    officeHoursId: session.officeHoursId,
    questionId,
    actor: session.host,
    answer: "Lower the minimum signal level on the access points so clients roam sooner.",
    now: minutes(70),
    ...overrides,
  });
  return { ...session, questionId, answer };
}

async function questionState(questionId: number) {
  const [row] = await database.db
    .select({ state: officeHoursQuestions.state, answerMd: officeHoursQuestions.answerMd })
    .from(officeHoursQuestions)
    .where(eq(officeHoursQuestions.id, questionId));
  return row;
}

describe("a host banned while answering", () => {
  test("an answer from a request that began before the ban is refused with a banned person's words, and the question stays open", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { host, questionId, answer } = await liveSessionWithQuestion();
    await banUser(db, { userId: host.id, reason: "spam", by: admin.id });

    const refused = await rejection(answerInOfficeHours(db, answer()));
    expect([refused.status, refused.message]).toEqual([403, SUSPENDED_MESSAGE]);
    const skip = await rejection(answerInOfficeHours(db, answer({ skip: true })));
    expect(skip.message).toBe(SUSPENDED_MESSAGE);
    expect(await questionState(questionId)).toEqual({ state: "open", answerMd: null });
  });

  test("an answer sent while the ban is being saved waits for it and is refused", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { host, questionId, answer } = await liveSessionWithQuestion();

    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => banUser(tx, { userId: host.id, reason: "spam", by: admin.id }),
      () => answerInOfficeHours(db, answer()),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain(SUSPENDED_MESSAGE);
    expect(await questionState(questionId)).toEqual({ state: "open", answerMd: null });
  });
});

describe("a host silenced while answering", () => {
  test("an answer from a request that began before the silence is refused with a silenced person's words", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const { host, questionId, answer } = await liveSessionWithQuestion();
    await db.transaction((tx) => silenceUser(tx, { userId: host.id, by: moderator.id, reason: "Spam." }));

    const refused = await rejection(answerInOfficeHours(db, answer()));
    expect([refused.status, refused.message]).toEqual([403, SILENCED_MESSAGE]);
    expect(await questionState(questionId)).toEqual({ state: "open", answerMd: null });
  });

  test("an answer sent while the silence is being saved waits for it and is refused", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const { host, questionId, answer } = await liveSessionWithQuestion();

    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => silenceUser(tx, { userId: host.id, by: moderator.id, reason: "Spam." }),
      () => answerInOfficeHours(db, answer()),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(other.status === "rejected" && String(other.reason)).toContain(SILENCED_MESSAGE);
    expect(await questionState(questionId)).toEqual({ state: "open", answerMd: null });
  });
});
