/**
 * People who follow a space hear of the Q&A sessions scheduled in it, on the real database: once each (also when they
 * follow the host too), never the host, banned people or deleted accounts; then of its moves, cancellation and start
 * like everyone its announcement told; and a session moved to another space is announced to that space's followers.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, type NotificationKind, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import {
  type HostedSession,
  T0,
  editSessionAt,
  inboxKinds,
  minutes,
  noticeCount,
  scheduleSession,
} from "../../tests/fixtures/sessions";
import { setEmailPreference } from "./email-preferences.server";
import { queueNotificationEmails } from "./email.server";
import { follow, listNotifications } from "./notifications.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { cancelOfficeHours, notifyOfficeHoursStarting } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

const TITLE = "Ask me anything about phishing emails";
const DESCRIPTION = "Bring the odd emails you were not sure about.";

const scheduleIn = (host: Person, spaceId: number) =>
  scheduleSession(database.db, host, { spaceId, tags: "phishing", title: TITLE, description: DESCRIPTION });
const editSession = (session: HostedSession, change: Parameters<typeof editSessionAt>[2]) =>
  editSessionAt(database.db, session, change);

const followSpace = (person: Person, spaceId: number) =>
  follow(database.db, person.id, { type: "space", key: String(spaceId) });

const countOf = (userId: string, officeHoursId: number, kind: NotificationKind) =>
  noticeCount(database.db, userId, officeHoursId, kind);
const kindsInInbox = (userId: string) => inboxKinds(database.db, userId);

test("someone who follows a space hears once that a session was scheduled in it, also when they follow the host too", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const security = await makeSpace(db, { name: "Security" });
  const [spaceFan, fanOfBoth, hostFan, elsewhere] = [
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
  ];
  for (const person of [spaceFan, fanOfBoth]) await followSpace(person, security);
  for (const person of [fanOfBoth, hostFan]) await follow(db, person.id, { type: "user", key: host.id });
  await followSpace(elsewhere, await makeSpace(db));

  const { officeHoursId } = await scheduleIn(host, security);

  for (const person of [spaceFan, fanOfBoth, hostFan]) {
    expect(await countOf(person.id, officeHoursId, "session_scheduled")).toBe(1);
    const [item] = (await listNotifications(db, person.id)).items;
    expect([item?.kind, item?.actorName, item?.title, item?.url, item?.spaceName, item?.startsAt]).toEqual([
      "session_scheduled",
      "Priya Shah",
      TITLE,
      `/sessions/${officeHoursId}`,
      "Security",
      minutes(60),
    ]);
  }
  expect(await kindsInInbox(elsewhere.id)).toEqual([]);
});

test("the host, banned people and deleted accounts who follow the space are not told of the session", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor" });
  const security = await makeSpace(db);
  const [fan, banned, deleted] = [await makePerson(db), await makePerson(db, { banned: true }), await makePerson(db)];
  await db.update(users).set({ deletedAt: T0 }).where(eq(users.id, deleted.id));
  for (const person of [fan, banned, deleted, host]) await followSpace(person, security);
  await follow(db, host.id, { type: "user", key: host.id });

  const { officeHoursId } = await scheduleIn(host, security);

  expect(await countOf(fan.id, officeHoursId, "session_scheduled")).toBe(1);
  for (const person of [banned, deleted, host])
    expect(await countOf(person.id, officeHoursId, "session_scheduled")).toBe(0);
});

test("a space follower told of a session hears once of its move, its cancellation and its start; a later follower does not", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const security = await makeSpace(db);
  const [fan, fanAndWatcher] = [await makePerson(db), await makePerson(db)];
  for (const person of [fan, fanAndWatcher]) await followSpace(person, security);
  const session = await scheduleIn(host, security);
  await follow(db, fanAndWatcher.id, { type: "session", key: String(session.officeHoursId) });
  // Followed the space after the session was announced: never heard of it, so its news is none of theirs.
  const lateFan = await makePerson(db);
  await followSpace(lateFan, security);

  await editSession(session, { spaceId: security, startsAt: 70, endsAt: 130, at: 10 });
  expect(await notifyOfficeHoursStarting(db, minutes(66))).toBeGreaterThanOrEqual(2);
  await cancelOfficeHours(db, { officeHoursId: session.officeHoursId, actor: host, now: minutes(67) });

  for (const person of [fan, fanAndWatcher]) {
    for (const kind of ["session_changed", "session_starting", "session_cancelled"] as const)
      expect(await countOf(person.id, session.officeHoursId, kind)).toBe(1);
  }
  expect(await kindsInInbox(fan.id)).toEqual([
    "session_cancelled",
    "session_starting",
    "session_changed",
    "session_scheduled",
  ]);
  const moved = (await listNotifications(db, fan.id)).items.find((item) => item.kind === "session_changed");
  expect([moved?.startsAt, moved?.previousStartsAt]).toEqual([minutes(70), minutes(60)]);
  expect(await kindsInInbox(lateFan.id)).toEqual([]);
  expect(await kindsInInbox(host.id)).toEqual([]);
});

test("a session moved to another space is announced once to that space's followers; those told before keep hearing of it", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const [security, networks] = [await makeSpace(db, { name: "Security" }), await makeSpace(db, { name: "Networks" })];
  const [oldFan, newFan, fanOfBoth, asker, banned] = [
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db, { banned: true }),
  ];
  await followSpace(oldFan, security);
  for (const person of [newFan, asker, banned, host]) await followSpace(person, networks);
  for (const person of [fanOfBoth]) {
    await followSpace(person, security);
    await followSpace(person, networks);
  }
  const session = await scheduleIn(host, security);
  // Already knows of it: asking in it follows it.
  await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: asker,
    body: "Is a QR code in an email safe to scan?",
    now: minutes(5),
  });

  // Moved to Networks and later at once: the new space's followers hear of it as it now is, not "moved from" a time
  // they never knew; those told before hear of the move.
  await editSession(session, { spaceId: networks, startsAt: 90, endsAt: 150, at: 10 });
  expect(await kindsInInbox(newFan.id)).toEqual(["session_scheduled"]);
  const [announced] = (await listNotifications(db, newFan.id)).items;
  expect([announced?.actorName, announced?.spaceName, announced?.startsAt]).toEqual([
    "Priya Shah",
    "Networks",
    minutes(90),
  ]);
  expect(await kindsInInbox(oldFan.id)).toEqual(["session_changed", "session_scheduled"]);
  expect(await kindsInInbox(fanOfBoth.id)).toEqual(["session_changed", "session_scheduled"]);
  expect(await kindsInInbox(asker.id)).toEqual(["session_changed"]);
  for (const person of [banned, host]) expect(await kindsInInbox(person.id)).toEqual([]);

  // Moved back and forth again: nobody is announced to twice, and everyone told, in either space, hears of its moves.
  await editSession(session, { spaceId: security, startsAt: 90, endsAt: 150, at: 12 });
  await editSession(session, { spaceId: networks, startsAt: 100, endsAt: 160, at: 14 });
  for (const person of [oldFan, newFan, fanOfBoth]) {
    expect(await countOf(person.id, session.officeHoursId, "session_scheduled")).toBe(1);
    expect(await countOf(person.id, session.officeHoursId, "session_changed")).toBe(1);
  }
  expect(await countOf(asker.id, session.officeHoursId, "session_scheduled")).toBe(0);
});

test("a space follower's email says where and when the session is, and its link stops new-session emails", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const security = await makeSpace(db, { name: "Security" });
  const [atOnce, never] = [await makePerson(db), await makePerson(db)];
  for (const person of [atOnce, never]) await followSpace(person, security);
  await setEmailPreference(db, atOnce.id, "session_scheduled", "immediate");
  await setEmailPreference(db, never.id, "session_scheduled", "never");
  const session = await scheduleIn(host, security);
  const mailer = { db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) };
  await queueNotificationEmails(mailer);
  // A move is emailed as their announcement was: not at all to whoever wants no emails about new sessions.
  await editSession(session, { spaceId: security, startsAt: 70, endsAt: 130, at: 10 });
  await queueNotificationEmails(mailer);

  const mails = async (userId: string) =>
    (await db.select().from(emailOutbox).where(eq(emailOutbox.userId, userId)).orderBy(emailOutbox.id)).map((mail) => ({
      subject: mail.subject,
      text: mail.textBody,
    }));
  const [scheduledMail, movedMail] = await mails(atOnce.id);
  expect(scheduledMail?.subject).toBe(
    `Priya Shah scheduled the Q&A session “${TITLE}” in Security for Tue, 1 Dec 2026, 16:00–17:00 UTC`,
  );
  expect(scheduledMail?.text).toContain(
    "Stop emails about new Q&A sessions in spaces, tags and from people you follow, and their changes",
  );
  expect(movedMail?.subject).toMatch(/^Priya Shah moved “Ask me anything about phishing emails” from /);
  expect(await mails(never.id)).toEqual([]);
});
