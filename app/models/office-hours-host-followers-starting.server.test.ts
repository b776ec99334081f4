/**
 * People told of a Q&A session through following its host (its "session_scheduled" notice) hear when it is about to
 * start, on the real database: once each (also when they follow the session itself), never the host, nor banned people
 * or deleted accounts, and by email as they chose for new sessions from people they follow.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, notifications, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { minutes, moveSession, scheduled } from "../../tests/fixtures/sessions";
import { setEmailPreference } from "./email-preferences.server";
import { queueNotificationEmails } from "./email.server";
import { follow, listNotifications } from "./notifications.server";
import { notifyOfficeHoursStarting } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

/** The host schedules a session live from minute 60 to 120, announcing it to their followers. */
const scheduleAs = (host: Person) => scheduled(database.db, { host });

/** How many "is starting" notices about the session the person has. */
async function startNoticesOf(userId: string, officeHoursId: number) {
  const rows = await database.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.officeHoursId, officeHoursId),
        eq(notifications.kind, "session_starting"),
      ),
    );
  return rows.length;
}

test("someone told of a session because they follow its host hears once that it is starting, also if they follow the session", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Host Hana" });
  const [fan, fanAndWatcher] = [await makePerson(db), await makePerson(db)];
  for (const person of [fan, fanAndWatcher, host]) await follow(db, person.id, { type: "user", key: host.id });
  const session = await scheduleAs(host);
  for (const person of [fanAndWatcher, host])
    await follow(db, person.id, { type: "session", key: String(session.officeHoursId) });

  expect(await notifyOfficeHoursStarting(db, minutes(50))).toBe(0);
  expect(await notifyOfficeHoursStarting(db, minutes(56))).toBe(2);
  expect(await notifyOfficeHoursStarting(db, minutes(58))).toBe(0);
  for (const person of [fan, fanAndWatcher]) {
    expect(await startNoticesOf(person.id, session.officeHoursId)).toBe(1);
    const starting = (await listNotifications(db, person.id)).items.find((item) => item.kind === "session_starting");
    expect([starting?.title, starting?.url, starting?.actorName]).toEqual([
      "Ask me anything about Wi-Fi roaming",
      `/sessions/${session.officeHoursId}`,
      "Host Hana",
    ]);
  }
  // The host, following themselves and their session, hears nothing of their own session.
  expect((await listNotifications(db, host.id)).items).toEqual([]);

  // Moved well later after they heard: the notice is withdrawn, and they hear once again before the new start.
  await moveSession(db, session, { startsAt: 94, endsAt: 150, at: 57 });
  for (const person of [fan, fanAndWatcher]) expect(await startNoticesOf(person.id, session.officeHoursId)).toBe(0);
  expect(await notifyOfficeHoursStarting(db, minutes(90))).toBe(2);
  for (const person of [fan, fanAndWatcher]) expect(await startNoticesOf(person.id, session.officeHoursId)).toBe(1);
});

test("only people who were told of the session hear it is starting: not the host's later followers, banned people or deleted accounts", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor" });
  const [fan, laterBanned, laterDeleted] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  for (const person of [fan, laterBanned, laterDeleted]) await follow(db, person.id, { type: "user", key: host.id });
  const session = await scheduleAs(host);
  // Followed the host after the session was announced: never heard of it, so its start is no news to them.
  const lateFan = await makePerson(db);
  await follow(db, lateFan.id, { type: "user", key: host.id });
  await db.update(users).set({ banned: true }).where(eq(users.id, laterBanned.id));
  await db
    .update(users)
    .set({ deletedAt: minutes(1) })
    .where(eq(users.id, laterDeleted.id));

  expect(await notifyOfficeHoursStarting(db, minutes(56))).toBe(1);
  expect(await startNoticesOf(fan.id, session.officeHoursId)).toBe(1);
  for (const person of [lateFan, laterBanned, laterDeleted])
    expect(await startNoticesOf(person.id, session.officeHoursId)).toBe(0);
});

test("a host follower's email that a session is starting goes by their choice for new sessions from people they follow", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Host Hana" });
  const [atOnce, inDigest, never, watcher] = [
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
  ];
  for (const person of [atOnce, inDigest, never, watcher]) await follow(db, person.id, { type: "user", key: host.id });
  // Wants new sessions at once but no emails about sessions they follow starting: this one was news through the host.
  await setEmailPreference(db, atOnce.id, "session_scheduled", "immediate");
  await setEmailPreference(db, atOnce.id, "session_starting", "never");
  await setEmailPreference(db, inDigest.id, "session_scheduled", "digest");
  await setEmailPreference(db, never.id, "session_scheduled", "never");
  // Follows the session too: its start is emailed as they chose for sessions they follow (at once by default).
  await setEmailPreference(db, watcher.id, "session_scheduled", "never");
  const session = await scheduleAs(host);
  await follow(db, watcher.id, { type: "session", key: String(session.officeHoursId) });
  const mailer = { db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) };
  await queueNotificationEmails(mailer);

  await notifyOfficeHoursStarting(db, minutes(56));
  await queueNotificationEmails(mailer);
  const mails = async (userId: string) =>
    (await db.select().from(emailOutbox).where(eq(emailOutbox.userId, userId)).orderBy(emailOutbox.id)).map((mail) => ({
      kind: mail.kind,
      subject: mail.subject,
      text: mail.textBody,
    }));
  const startingSubject = "“Ask me anything about Wi-Fi roaming”, hosted by Host Hana, is starting";
  const atOnceMails = await mails(atOnce.id);
  expect(atOnceMails.map((mail) => mail.subject === startingSubject)).toEqual([false, true]);
  // Its link stops the emails it went by.
  expect(atOnceMails[1]?.text).toContain(
    "Stop emails about new Q&A sessions in spaces, tags and from people you follow, and their changes",
  );
  expect(await mails(never.id)).toEqual([]);
  const watcherMails = await mails(watcher.id);
  expect(watcherMails.map((mail) => mail.subject)).toEqual([startingSubject]);
  expect(watcherMails[0]?.text).toContain("Stop emails about the start of Q&A sessions you follow");
  // Nothing at once for the digest reader; their digest, after its gathering hour, holds the announcement but not the
  // start (a digest would bring it after the session: it stays in their notifications).
  expect(await mails(inDigest.id)).toEqual([]);
  await queueNotificationEmails({ ...mailer, now: new Date(Date.now() + 2 * 60 * 60_000) });
  const digest = await mails(inDigest.id);
  expect(digest.map((mail) => mail.kind)).toEqual(["digest"]);
  expect(digest[0]?.text).toContain("Ask me anything about Wi-Fi roaming");
  expect(digest[0]?.text).not.toContain(startingSubject);
  expect(await startNoticesOf(inDigest.id, session.officeHoursId)).toBe(1);
});
