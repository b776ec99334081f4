/**
 * People who follow a tag hear of the Q&A sessions tagged with it, on the real database: once each (also when they
 * follow the host, the space and several of its tags), never the host, banned people or deleted accounts; then of its
 * moves, cancellation and start like everyone its announcement told; a tag added to a session announces it to that
 * tag's followers who hadn't heard; and the notice and email name the tags they follow, so they know why.
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

const TITLE = "Printing from home";
const DESCRIPTION = "Bring the printer that won't see your laptop over the VPN.";
const TAGS = "printers, vpn, home-office";

const scheduleIn = (host: Person, spaceId: number, tags = TAGS) =>
  scheduleSession(database.db, host, { spaceId, tags, title: TITLE, description: DESCRIPTION });
const editSession = (session: HostedSession, change: Parameters<typeof editSessionAt>[2]) =>
  editSessionAt(database.db, session, change);

const followTag = (person: Person, tag: string) => follow(database.db, person.id, { type: "tag", key: tag });

const countOf = (userId: string, officeHoursId: number, kind: NotificationKind) =>
  noticeCount(database.db, userId, officeHoursId, kind);
const kindsInInbox = (userId: string) => inboxKinds(database.db, userId);

test("someone who follows a session's tag hears once that it was scheduled, also when they follow the host, the space and several of its tags", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const itHelp = await makeSpace(db, { name: "IT help" });
  const [printerFan, fanOfEverything, otherTagFan] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  await followTag(printerFan, "printers");
  for (const tag of ["vpn", "printers"]) await followTag(fanOfEverything, tag);
  await follow(db, fanOfEverything.id, { type: "space", key: String(itHelp) });
  await follow(db, fanOfEverything.id, { type: "user", key: host.id });
  await followTag(otherTagFan, "outlook");

  const { officeHoursId } = await scheduleIn(host, itHelp);

  for (const person of [printerFan, fanOfEverything])
    expect(await countOf(person.id, officeHoursId, "session_scheduled")).toBe(1);
  // The notice names the session's tags each of them follows (in the session's order): why they hear of it.
  const [toPrinterFan] = (await listNotifications(db, printerFan.id)).items;
  expect([toPrinterFan?.kind, toPrinterFan?.actorName, toPrinterFan?.title, toPrinterFan?.url]).toEqual([
    "session_scheduled",
    "Priya Shah",
    TITLE,
    `/sessions/${officeHoursId}`,
  ]);
  expect([toPrinterFan?.followedTagWords, toPrinterFan?.spaceName, toPrinterFan?.startsAt]).toEqual([
    "printers",
    "IT help",
    minutes(60),
  ]);
  const [toFanOfEverything] = (await listNotifications(db, fanOfEverything.id)).items;
  expect(toFanOfEverything?.followedTagWords).toBe("printers and vpn");
  expect(await kindsInInbox(otherTagFan.id)).toEqual([]);
});

test("the host, banned people and deleted accounts who follow a session's tag are not told of it", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor" });
  const space = await makeSpace(db);
  const [fan, banned, deleted] = [await makePerson(db), await makePerson(db, { banned: true }), await makePerson(db)];
  await db.update(users).set({ deletedAt: T0 }).where(eq(users.id, deleted.id));
  for (const person of [fan, banned, deleted, host]) await followTag(person, "vpn");

  const { officeHoursId } = await scheduleIn(host, space);

  expect(await countOf(fan.id, officeHoursId, "session_scheduled")).toBe(1);
  for (const person of [banned, deleted, host])
    expect(await countOf(person.id, officeHoursId, "session_scheduled")).toBe(0);
});

test("a tag follower told of a session hears once of its move, its cancellation and its start; a later follower does not", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const space = await makeSpace(db);
  const fan = await makePerson(db);
  await followTag(fan, "printers");
  await followTag(fan, "vpn");
  const session = await scheduleIn(host, space);
  // Followed the tag after the session was announced: never heard of it, so its news is none of theirs.
  const lateFan = await makePerson(db);
  await followTag(lateFan, "printers");

  await editSession(session, { startsAt: 70, endsAt: 130, at: 10 });
  expect(await notifyOfficeHoursStarting(db, minutes(66))).toBeGreaterThanOrEqual(1);
  await cancelOfficeHours(db, { officeHoursId: session.officeHoursId, actor: host, now: minutes(67) });

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

test("a tag added to a session announces it once to that tag's followers who hadn't heard; those told before are not told again", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const space = await makeSpace(db, { name: "IT help" });
  const [printerFan, wifiFan, fanOfBoth, asker, banned] = [
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db),
    await makePerson(db, { banned: true }),
  ];
  await followTag(printerFan, "printers");
  for (const person of [wifiFan, asker, banned, host]) await followTag(person, "wi-fi");
  for (const tag of ["printers", "wi-fi"]) await followTag(fanOfBoth, tag);
  const session = await scheduleIn(host, space, "printers");
  // Already knows of it: asking in it follows it.
  await askInOfficeHours(db, {
    officeHoursId: session.officeHoursId,
    actor: asker,
    body: "Why does the printer vanish when the VPN is on?",
    now: minutes(5),
  });

  // Tagged wi-fi too, and later at once: the tag's followers hear of it as it now is, not "moved from" a time they
  // never knew; those told before hear of the move.
  await editSession(session, { tags: "printers, wi-fi", startsAt: 90, endsAt: 150, at: 10 });
  expect(await kindsInInbox(wifiFan.id)).toEqual(["session_scheduled"]);
  const [announced] = (await listNotifications(db, wifiFan.id)).items;
  expect([announced?.actorName, announced?.followedTagWords, announced?.startsAt]).toEqual([
    "Priya Shah",
    "wi-fi",
    minutes(90),
  ]);
  expect(await kindsInInbox(printerFan.id)).toEqual(["session_changed", "session_scheduled"]);
  expect(await kindsInInbox(fanOfBoth.id)).toEqual(["session_changed", "session_scheduled"]);
  expect(await kindsInInbox(asker.id)).toEqual(["session_changed"]);
  for (const person of [banned, host]) expect(await kindsInInbox(person.id)).toEqual([]);

  // The tag taken off and put back: nobody is announced to twice.
  await editSession(session, { tags: "printers", startsAt: 90, endsAt: 150, at: 12 });
  await editSession(session, { tags: "printers, wi-fi", startsAt: 90, endsAt: 150, at: 14 });
  for (const person of [printerFan, wifiFan, fanOfBoth])
    expect(await countOf(person.id, session.officeHoursId, "session_scheduled")).toBe(1);
  expect(await countOf(asker.id, session.officeHoursId, "session_scheduled")).toBe(0);
});

test("a tag follower's email names the tags they follow, where and when the session is", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Priya Shah" });
  const space = await makeSpace(db, { name: "IT help" });
  const fan = await makePerson(db);
  for (const tag of ["vpn", "printers"]) await followTag(fan, tag);
  await setEmailPreference(db, fan.id, "session_scheduled", "immediate");
  await scheduleIn(host, space);
  await queueNotificationEmails({ db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) });

  const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.userId, fan.id));
  expect(mail?.subject).toBe(
    `Priya Shah scheduled the Q&A session “${TITLE}” on printers and vpn in IT help for Tue, 1 Dec 2026, 16:00–17:00 UTC`,
  );
  expect(mail?.textBody).toContain(
    "Stop emails about new Q&A sessions in spaces, tags and from people you follow, and their changes",
  );
});
