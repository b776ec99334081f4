/**
 * Banning someone who hosts Q&A sessions cancels their upcoming and live ones in the ban itself, as a moderator's
 * cancel does: the people in them are told once, with no word of the ban; asking and following are refused as for any
 * cancelled session; a session that already took place stays as it was, and lifting the ban brings nothing back.
 * On the real database.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { notifications, officeHours } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { follow, followRefusal, listNotifications } from "./notifications.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { officeHoursPhase, scheduleOfficeHours } from "./office-hours.server";
import { PostingError } from "./post-errors.server";
import { banUser, unbanUser } from "./users.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

/** "2026-12-08T10:00" for `n` minutes from now, as a datetime-local field in UTC sends it. */
const fromNow = (n: number) => new Date(Date.now() + n * 60_000).toISOString().slice(0, 16);

/** A session `host` schedules now, starting in `startsIn` minutes and lasting an hour. */
async function upcomingSession(host: Person, startsIn = 60) {
  const { officeHoursId } = await scheduleOfficeHours(database.db, {
    actor: host,
    title: "Printers on the third floor, answered live",
    description: "Bring your paper jams and driver questions.",
    spaceId: await makeSpace(database.db),
    tags: "printers",
    startsAtLocal: fromNow(startsIn),
    endsAtLocal: fromNow(startsIn + 60),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
  });
  return officeHoursId;
}

async function sessionRow(officeHoursId: number) {
  const [row] = await database.db.select().from(officeHours).where(eq(officeHours.id, officeHoursId));
  if (!row) throw new Error("no session");
  return row;
}

async function cancelNoticesOf(userId: string, officeHoursId: number) {
  return database.db
    .select({ actorId: notifications.actorId })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.officeHoursId, officeHoursId),
        eq(notifications.kind, "session_cancelled"),
      ),
    );
}

async function refusal(attempt: Promise<unknown>): Promise<PostingError> {
  const error = await attempt.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PostingError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

test("banning a host cancels their upcoming session: its people are told once, and asking or following is refused in words", async () => {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin", name: "Ada Admin" });
  const host = await makePerson(db, { role: "mentor", name: "Priya Host" });
  const [hostFan, watcher, asker, latecomer] = [
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
  ];
  await follow(db, hostFan.id, { type: "user", key: host.id });
  const officeHoursId = await upcomingSession(host);
  await follow(db, watcher.id, { type: "session", key: String(officeHoursId) });
  // Asking follows the session too: still one notice.
  await askInOfficeHours(db, { officeHoursId, actor: asker, body: "Why does the printer forget my tray settings?" });

  const { cancelledSessions } = await banUser(db, { userId: host.id, reason: "Spam links", by: admin.id });

  expect(cancelledSessions).toBe(1);
  const session = await sessionRow(officeHoursId);
  expect(officeHoursPhase(session)).toBe("cancelled");
  for (const person of [hostFan, watcher, asker]) {
    // Told once, by the admin who banned the host, as a moderator's cancel names the moderator.
    expect(await cancelNoticesOf(person.id, officeHoursId)).toEqual([{ actorId: admin.id }]);
    const notice = (await listNotifications(db, person.id)).items.find((item) => item.kind === "session_cancelled");
    expect(notice?.url).toBe(`/sessions/${officeHoursId}`);
  }
  // Nobody else hears of it: not the banned host, not the admin.
  for (const person of [host, admin, latecomer]) expect(await cancelNoticesOf(person.id, officeHoursId)).toEqual([]);

  const ask = await refusal(
    askInOfficeHours(db, { officeHoursId, actor: latecomer, body: "Can I still ask about scanners?" }),
  );
  expect([ask.status, ask.message]).toEqual([409, "This session has been cancelled, so it takes no new questions."]);
  expect(await followRefusal(db, { type: "session", key: String(officeHoursId) })).toBe(
    "This Q&A session was cancelled, so there is nothing to follow.",
  );
});

test("a live session is cancelled by the ban too, and a session that already took place is left as it was", async () => {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const host = await makePerson(db, { role: "mentor" });
  // Held on 1 December (minute 60 to 120 after T0): long over.
  const past = await scheduled(db, { host });
  const live = await upcomingSession(host, 0);
  const pastBefore = await sessionRow(past.officeHoursId);

  expect(officeHoursPhase(await sessionRow(live))).toBe("live");
  const { cancelledSessions } = await banUser(db, { userId: host.id, reason: "", by: admin.id });

  expect(cancelledSessions).toBe(1);
  expect(officeHoursPhase(await sessionRow(live))).toBe("cancelled");
  expect(await sessionRow(past.officeHoursId)).toEqual(pastBefore);
  expect(officeHoursPhase(pastBefore, minutes(500))).toBe("ended");
});

test("lifting the ban does not bring the cancelled sessions back, and banning again cancels nothing more", async () => {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const host = await makePerson(db, { role: "mentor" });
  const officeHoursId = await upcomingSession(host, 120);
  await banUser(db, { userId: host.id, reason: "", by: admin.id });
  const cancelledAt = (await sessionRow(officeHoursId)).cancelledAt;
  expect(cancelledAt).toBeInstanceOf(Date);

  await unbanUser(db, { userId: host.id, by: admin.id });
  expect((await sessionRow(officeHoursId)).cancelledAt).toEqual(cancelledAt);
  expect((await banUser(db, { userId: host.id, reason: "", by: admin.id })).cancelledSessions).toBe(0);
});
