/**
 * People told of a Q&A session through following its host (its "session_scheduled" notice) hear when it moves or is
 * cancelled, on the real database: once each, never the host, and by the email choice their announcement went by.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { inboxKinds, minutes, moveSession, noticeCount, scheduled } from "../../tests/fixtures/sessions";
import { setEmailPreference } from "./email-preferences.server";
import { queueNotificationEmails } from "./email.server";
import { follow, listNotifications } from "./notifications.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { cancelOfficeHours } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

/** The host schedules the session the sessions fixture moves (minute 60 to 120), announcing it to their followers. */
const scheduleAs = (host: Person) => scheduled(database.db, { host });

const countOf = (userId: string, officeHoursId: number, kind: "session_changed" | "session_cancelled") =>
  noticeCount(database.db, userId, officeHoursId, kind);
const kindsInInbox = (userId: string) => inboxKinds(database.db, userId);

test("someone told of a session because they follow its host hears once that it moved and once that it was cancelled", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Host Hana" });
  const [fan, fanAndWatcher, fanAndAsker] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  for (const person of [fan, fanAndWatcher, fanAndAsker, host])
    await follow(db, person.id, { type: "user", key: host.id });
  const session = await scheduleAs(host);
  await follow(db, fanAndWatcher.id, { type: "session", key: String(session.officeHoursId) });
  await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: fanAndAsker,
    body: "Does roaming work between two buildings?",
    now: minutes(5),
  });

  // Moved twice before anyone reads it: still one notice each, saying the latest time.
  await moveSession(db, session, { startsAt: 120, endsAt: 180, at: 10 });
  await moveSession(db, session, { startsAt: 150, endsAt: 210, at: 12 });
  await cancelOfficeHours(db, { officeHoursId: session.officeHoursId, actor: host, now: minutes(20) });

  for (const person of [fan, fanAndWatcher, fanAndAsker]) {
    expect(await countOf(person.id, session.officeHoursId, "session_changed")).toBe(1);
    expect(await countOf(person.id, session.officeHoursId, "session_cancelled")).toBe(1);
  }
  expect(await kindsInInbox(fan.id)).toEqual(["session_cancelled", "session_changed", "session_scheduled"]);
  const moved = (await listNotifications(db, fan.id)).items.find((item) => item.kind === "session_changed");
  expect([moved?.url, moved?.startsAt, moved?.previousStartsAt]).toEqual([
    `/sessions/${session.officeHoursId}`,
    minutes(150),
    minutes(60),
  ]);
  // The host, even following themselves, hears nothing of their own session.
  expect(await kindsInInbox(host.id)).toEqual([]);
});

test("only people who were told of the session hear of its move: not the host's later followers, banned people or deleted accounts", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor" });
  const [fan, laterBanned, laterDeleted] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  for (const person of [fan, laterBanned, laterDeleted]) await follow(db, person.id, { type: "user", key: host.id });
  const session = await scheduleAs(host);
  // Followed the host after the session was announced: never heard of it, so a move is no news to them.
  const lateFan = await makePerson(db);
  await follow(db, lateFan.id, { type: "user", key: host.id });
  await db.update(users).set({ banned: true }).where(eq(users.id, laterBanned.id));
  await db
    .update(users)
    .set({ deletedAt: minutes(1) })
    .where(eq(users.id, laterDeleted.id));

  await moveSession(db, session, { startsAt: 120, endsAt: 180, at: 10 });
  await cancelOfficeHours(db, { officeHoursId: session.officeHoursId, actor: host, now: minutes(20) });

  expect(await kindsInInbox(fan.id)).toEqual(["session_cancelled", "session_changed", "session_scheduled"]);
  expect(await kindsInInbox(lateFan.id)).toEqual([]);
  for (const person of [laterBanned, laterDeleted]) {
    expect(await countOf(person.id, session.officeHoursId, "session_changed")).toBe(0);
    expect(await countOf(person.id, session.officeHoursId, "session_cancelled")).toBe(0);
  }
});

test("a host follower's email about a move goes by their choice for new sessions from people they follow", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Host Hana" });
  const [atOnce, never, watcher] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  for (const person of [atOnce, never, watcher]) await follow(db, person.id, { type: "user", key: host.id });
  // Wants new sessions at once but no emails about moves: the move was news only through the host, so it comes.
  await setEmailPreference(db, atOnce.id, "session_scheduled", "immediate");
  await setEmailPreference(db, atOnce.id, "session_changed", "never");
  // Wants no emails about new sessions: none about their moves either.
  await setEmailPreference(db, never.id, "session_scheduled", "never");
  // Follows the session too: its moves are emailed as they chose for sessions they follow.
  await setEmailPreference(db, watcher.id, "session_scheduled", "never");
  const session = await scheduleAs(host);
  await follow(db, watcher.id, { type: "session", key: String(session.officeHoursId) });
  const mailer = { db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) };
  await queueNotificationEmails(mailer);

  await moveSession(db, session, { startsAt: 120, endsAt: 180, at: 10 });
  await queueNotificationEmails(mailer);
  const mails = async (userId: string) =>
    (await db.select().from(emailOutbox).where(eq(emailOutbox.userId, userId)).orderBy(emailOutbox.id)).map((mail) => ({
      subject: mail.subject,
      text: mail.textBody,
    }));
  const movedSubject = "Host Hana moved “Ask me anything about Wi-Fi roaming” from Tue, 1 Dec 2026, 16:00–17:00 to";
  const atOnceMails = await mails(atOnce.id);
  expect(atOnceMails.map((mail) => mail.subject.startsWith(movedSubject))).toEqual([false, true]);
  // Its link stops the emails it went by.
  expect(atOnceMails[1]?.text).toContain(
    "Stop emails about new Q&A sessions in spaces, tags and from people you follow, and their changes",
  );
  expect(await mails(never.id)).toEqual([]);
  const watcherMails = await mails(watcher.id);
  expect(watcherMails.map((mail) => mail.subject.startsWith(movedSubject))).toEqual([true]);
  expect(watcherMails[0]?.text).toContain("Stop emails about new times for Q&A sessions you follow or asked in");
});
