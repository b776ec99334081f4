/**
 * A ban locks the person's account, then the sessions they host, then what they wrote. A session write landing at that
 * moment takes its locks in the same order (accounts, then the session, then its question), so the two wait for each
 * other and never in a circle (on PostgreSQL, a circle is a deadlock: one of them fails with a server error). On PGlite
 * transactions take turns, so these pass trivially; on PostgreSQL (CI's second pass) the write really arrives halfway
 * through the ban, on another connection.
 */
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { notifications, officeHours, officeHoursQuestions } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { type Settled, whileOpen } from "../../tests/fixtures/while-open";
import { answerInOfficeHours, askInOfficeHours } from "./office-hours-queue.server";
import { cancelOfficeHours, notifyOfficeHoursStarting } from "./office-hours.server";
import { PostingError, SUSPENDED_MESSAGE } from "./post-errors.server";
import { lockAccountForModeration } from "./rate-limits.server";
import { banUser } from "./users.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

/**
 * Bans `person` in two steps with `meanwhile` started between them: the ban's first lock (their account), then, once
 * `meanwhile` has had time to take the locks it takes first, the whole ban in the same transaction. Says how
 * `meanwhile` ended; a deadlock fails the test (whichever side PostgreSQL picks to fail).
 */
async function banHalfwayThrough<U>(
  db: Db,
  { person, by, now }: { person: Person; by: Person; now: Date },
  meanwhile: () => Promise<U>,
): Promise<Settled<U>> {
  let other: Promise<Settled<U>> | undefined;
  await db.transaction(async (tx) => {
    await lockAccountForModeration(tx, person.id);
    other = meanwhile().then(
      (value): Settled<U> => ({ status: "fulfilled", value }),
      (reason: unknown): Settled<U> => ({ status: "rejected", reason }),
    );
    await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 400))]);
    await banUser(tx, { userId: person.id, reason: "spam", by: by.id, now });
  });
  if (!other) throw new Error("the ban ended before the other write started");
  return other;
}

/** How a write ended when it was refused in words: its status and message (a server error fails the test). */
function refusal(other: Settled<unknown>) {
  if (other.status === "fulfilled") throw new Error("the write went through");
  if (!(other.reason instanceof PostingError)) throw other.reason;
  return { status: other.reason.status, message: other.reason.message };
}

async function sessionState(db: Db, officeHoursId: number) {
  const [row] = await db
    .select({ cancelledAt: officeHours.cancelledAt, updatedBy: officeHours.updatedBy })
    .from(officeHours)
    .where(eq(officeHours.id, officeHoursId));
  return { isCancelled: row?.cancelledAt != null, updatedBy: row?.updatedBy };
}

async function questionsIn(db: Db, officeHoursId: number) {
  return db
    .select({
      state: officeHoursQuestions.state,
      isHidden: officeHoursQuestions.hiddenAt,
      body: officeHoursQuestions.body,
    })
    .from(officeHoursQuestions)
    .where(eq(officeHoursQuestions.officeHoursId, officeHoursId))
    .then((rows) => rows.map((row) => ({ ...row, isHidden: row.isHidden !== null })));
}

async function noticesOf(db: Db, userId: string, officeHoursId: number) {
  const rows = await db
    .select({ kind: notifications.kind })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.officeHoursId, officeHoursId)));
  return rows.map((row) => row.kind).sort();
}

const question = "Why does my laptop keep the weak access point?";
const answer = "Lower the minimum signal level on the access points so clients roam sooner.";

describe("a host banned while writing in their own session", () => {
  test("a question the host asks in their session at the moment of the ban is refused, and the ban cancels the session", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { host, officeHoursId } = await scheduled(db);

    const ask = await banHalfwayThrough(db, { person: host, by: admin, now: minutes(30) }, () =>
      askInOfficeHours(db, { officeHoursId, actor: host, body: question, now: minutes(30) }),
    );
    expect(refusal(ask)).toEqual({ status: 403, message: SUSPENDED_MESSAGE });
    expect(await questionsIn(db, officeHoursId)).toEqual([]);
    expect(await sessionState(db, officeHoursId)).toEqual({ isCancelled: true, updatedBy: admin.id });
  });

  test("the host cancelling their session at the moment of the ban is refused; the ban's cancellation is the one told", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { host, officeHoursId } = await scheduled(db);
    const attendee = await makePerson(db);
    await askInOfficeHours(db, { officeHoursId, actor: attendee, body: question, now: minutes(10) });

    const cancel = await banHalfwayThrough(db, { person: host, by: admin, now: minutes(30) }, () =>
      cancelOfficeHours(db, { officeHoursId, actor: host, now: minutes(30) }),
    );
    expect(refusal(cancel)).toEqual({ status: 403, message: SUSPENDED_MESSAGE });
    expect(await sessionState(db, officeHoursId)).toEqual({ isCancelled: true, updatedBy: admin.id });
    expect(await noticesOf(db, attendee.id, officeHoursId)).toEqual(["session_cancelled"]);
  });

  test("the starting notice sent at the moment of the host's ban is not sent: the session is cancelled instead", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { host, officeHoursId } = await scheduled(db);
    const attendee = await makePerson(db);
    await askInOfficeHours(db, { officeHoursId, actor: attendee, body: question, now: minutes(10) });

    // The session starts at minute 60: at minute 57 its people are due to hear it is starting.
    const starting = await banHalfwayThrough(db, { person: host, by: admin, now: minutes(57) }, () =>
      notifyOfficeHoursStarting(db, minutes(57)),
    );
    expect(starting).toEqual({ status: "fulfilled", value: 0 });
    expect(await sessionState(db, officeHoursId)).toEqual({ isCancelled: true, updatedBy: admin.id });
    expect(await noticesOf(db, attendee.id, officeHoursId)).toEqual(["session_cancelled"]);
  });
});

describe("answering in a session while someone in it is banned", () => {
  test("the host's answer to a question whose asker is banned at that moment is refused, and the question stays hidden", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const { host, officeHoursId } = await scheduled(db);
    const asker = await makePerson(db);
    const { questionId } = await askInOfficeHours(db, { officeHoursId, actor: asker, body: question, now: minutes(5) });

    const answered = await banHalfwayThrough(db, { person: asker, by: admin, now: minutes(70) }, () =>
      answerInOfficeHours(db, { officeHoursId, questionId, actor: host, answer, now: minutes(70) }),
    );
    expect(refusal(answered)).toEqual({ status: 404, message: "This question is no longer in the session." });
    expect(await questionsIn(db, officeHoursId)).toEqual([{ state: "open", isHidden: true, body: question }]);
  });

  test("a moderator answering the host's own question at the moment of the host's ban is refused: the session is cancelled", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const moderator = await makePerson(db, { role: "moderator" });
    const { host, officeHoursId } = await scheduled(db);
    const { questionId } = await askInOfficeHours(db, { officeHoursId, actor: host, body: question, now: minutes(5) });

    const answered = await banHalfwayThrough(db, { person: host, by: admin, now: minutes(70) }, () =>
      answerInOfficeHours(db, { officeHoursId, questionId, actor: moderator, answer, now: minutes(70) }),
    );
    expect(refusal(answered).status).toBe(404);
    expect(await questionsIn(db, officeHoursId)).toEqual([{ state: "open", isHidden: true, body: question }]);
    expect(await sessionState(db, officeHoursId)).toEqual({ isCancelled: true, updatedBy: admin.id });
  });

  test("a moderator's answer sent while the host's ban is being saved waits for it and is refused: the session is over", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const moderator = await makePerson(db, { role: "moderator" });
    const { host, officeHoursId } = await scheduled(db);
    const asker = await makePerson(db);
    const { questionId } = await askInOfficeHours(db, { officeHoursId, actor: asker, body: question, now: minutes(5) });

    const { other } = await whileOpen(
      db,
      (tx) => banUser(tx, { userId: host.id, reason: "spam", by: admin.id, now: minutes(70) }),
      () => answerInOfficeHours(db, { officeHoursId, questionId, actor: moderator, answer, now: minutes(70) }),
    );
    expect(refusal(other)).toEqual({ status: 409, message: "This session is over; its archive is read-only." });
    expect(await questionsIn(db, officeHoursId)).toEqual([{ state: "open", isHidden: false, body: question }]);
  });
});
