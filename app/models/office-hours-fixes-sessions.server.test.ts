/**
 * Hosted Q&A sessions on the real database: a question sent twice with one form key is queued once; a moved end is
 * listed with the session's new end; the edit form's start messages don't offer a “Start now” it hasn't got; a
 * session that looks 8 hours long on the clock but lasts 9 (the clocks go back) says why; and the calendar file names
 * its organizer by the host's name at the site's sending address, escaped and folded.
 */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { T0, local, minutes, scheduled } from "../../tests/fixtures/sessions";
import { follow, listNotifications } from "./notifications.server";
import { officeHoursIcs, sendingAddress } from "./office-hours-calendar.server";
import { getOfficeHours } from "./office-hours-lists.server";
import {
  askInOfficeHours,
  getQueue,
  hasWithdrawnQuestion,
  withdrawOfficeHoursQuestion,
} from "./office-hours-queue.server";
import { scheduleOfficeHours, updateOfficeHours } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const details = {
  title: "Ask me anything about Wi-Fi roaming",
  description: "Bring your dead zones, sticky clients and mesh questions.",
  tags: "wi-fi, roaming",
  timeZone: "UTC",
};

test("a question sent twice with the same form key is queued once, counts once against the limit, and both get it", async () => {
  const { db } = database;
  const { officeHoursId } = await scheduled(db, { cap: 2 });
  const asker = await makePerson(db);
  const send = { officeHoursId, actor: asker, body: "Why does my laptop stick to the far access point?" };
  const first = await askInOfficeHours(db, { ...send, idempotencyKey: "ask-key-000001", now: minutes(10) });
  const second = await askInOfficeHours(db, { ...send, idempotencyKey: "ask-key-000001", now: minutes(10) });
  expect(second).toEqual({ questionId: first.questionId, isRepeat: true });
  expect(first.isRepeat).toBe(false);
  const queue = await getQueue(db, officeHoursId, { viewerId: asker.id, phase: "upcoming" });
  expect(queue.map((q) => q.id)).toEqual([first.questionId]);
  // The limit of two still leaves room for one more question.
  const other = await askInOfficeHours(db, {
    ...send,
    body: "And does band steering help at all?",
    idempotencyKey: "ask-key-000002",
    now: minutes(11),
  });
  expect(other.questionId).not.toBe(first.questionId);
  // A key no page made (an altered form) is refused in words, never a failed request.
  const altered = await rejection(askInOfficeHours(db, { ...send, idempotencyKey: "bad key!", now: minutes(12) }));
  expect(altered.status).toBe(400);
  expect(altered.message).toBe("This form expired. Please send your question again.");
});

test("only someone who withdrew a question in this session has one withdrawn there", async () => {
  const { db } = database;
  const { officeHoursId } = await scheduled(db);
  const { officeHoursId: otherSession } = await scheduled(db);
  const asker = await makePerson(db);
  const reader = await makePerson(db);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Is 5 GHz always better than 2.4 GHz?",
    now: minutes(5),
  });
  expect(await hasWithdrawnQuestion(db, { officeHoursId, userId: asker.id })).toBe(false);
  await withdrawOfficeHoursQuestion(db, { officeHoursId, questionId, actor: asker, now: minutes(6) });
  expect(await hasWithdrawnQuestion(db, { officeHoursId, userId: asker.id })).toBe(true);
  expect(await hasWithdrawnQuestion(db, { officeHoursId, userId: reader.id })).toBe(false);
  expect(await hasWithdrawnQuestion(db, { officeHoursId: otherSession, userId: asker.id })).toBe(false);
});

test("a moved end is listed with the session's new end, its start as it was", async () => {
  const { db } = database;
  const { host, spaceId, officeHoursId } = await scheduled(db);
  const watcher = await makePerson(db);
  await follow(db, watcher.id, { type: "session", key: String(officeHoursId) });
  await updateOfficeHours(db, {
    ...details,
    spaceId,
    officeHoursId,
    actor: host,
    startsAtLocal: local(60),
    endsAtLocal: local(150),
    now: minutes(10),
  });
  const [changed] = (await listNotifications(db, watcher.id)).items;
  expect(changed?.kind).toBe("session_changed");
  expect(changed?.startsAt).toEqual(minutes(60));
  expect(changed?.endsAt).toEqual(minutes(150));
});

test("the start's messages offer “Start now” on the schedule form only, which has it", async () => {
  const { db } = database;
  const { host, spaceId, officeHoursId } = await scheduled(db);
  const edit = { ...details, spaceId, officeHoursId, actor: host, endsAtLocal: local(150), now: minutes(10) };
  expect((await rejection(updateOfficeHours(db, { ...edit, startsAtLocal: "" }))).fieldErrors.startsAt).toBe(
    "Choose when it starts (date and time).",
  );
  expect((await rejection(updateOfficeHours(db, { ...edit, startsAtLocal: local(-60) }))).fieldErrors.startsAt).toBe(
    "The start is in the past. Choose a later time.",
  );

  const schedule = { ...details, spaceId, actor: host, endsAtLocal: local(150), now: minutes(10) };
  expect((await rejection(scheduleOfficeHours(db, { ...schedule, startsAtLocal: "" }))).fieldErrors.startsAt).toBe(
    "Choose when it starts (date and time), or tick “Start now”.",
  );
  expect(
    (await rejection(scheduleOfficeHours(db, { ...schedule, startsAtLocal: local(-60) }))).fieldErrors.startsAt,
  ).toBe("The start is in the past. Choose a later time, or tick “Start now”.");
});

test("00:00–08:00 on the night Berlin's clocks go back is 9 hours: refused saying so, and when to end it instead", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const night = { ...details, spaceId, actor: mentor, timeZone: "Europe/Berlin", now: T0 };
  const refused = await rejection(
    scheduleOfficeHours(db, { ...night, startsAtLocal: "2027-10-31T00:00", endsAtLocal: "2027-10-31T08:00" }),
  );
  expect(refused.fieldErrors.endsAt).toBe(
    "A session can last at most 8 hours. The clocks go back during this session, so 00:00–08:00 is really 9 hours " +
      "long. Please end it at 07:00 or earlier.",
  );
  // Too long on the clock too: the plain message.
  const longer = await rejection(
    scheduleOfficeHours(db, { ...night, startsAtLocal: "2027-10-30T09:00", endsAtLocal: "2027-10-30T18:00" }),
  );
  expect(longer.fieldErrors.endsAt).toBe("A session can last at most 8 hours.");
  // Ending an hour earlier is 8 real hours: accepted.
  const { officeHoursId } = await scheduleOfficeHours(db, {
    ...night,
    startsAtLocal: "2027-10-31T00:00",
    endsAtLocal: "2027-10-31T07:00",
  });
  const session = await getOfficeHours(db, officeHoursId);
  expect((session?.endsAt.getTime() ?? 0) - (session?.startsAt.getTime() ?? 0)).toBe(8 * 3_600_000);
});

test("the calendar file names the host as organizer at the site's sending address, escaped and folded", async () => {
  const { db } = database;
  const { officeHoursId } = await scheduled(db);
  const session = await getOfficeHours(db, officeHoursId);
  if (!session) throw new Error("no session");
  const url = `https://peerdesk.example/sessions/${officeHoursId}`;
  expect(sendingAddress("PeerDesk <no-reply@peerdesk.example>")).toBe("no-reply@peerdesk.example");
  expect(sendingAddress("help@peerdesk.example")).toBe("help@peerdesk.example");
  const organizer = (hostName: string) => {
    const ics = officeHoursIcs({ ...session, hostName }, url, {
      now: T0,
      organizerAddress: "no-reply@peerdesk.example",
    });
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics).not.toContain("\uFFFD");
    // Unfolded, the line as a calendar reads it; the UID stays the event's.
    expect(ics).toContain(`\r\nUID:session-${officeHoursId}@peerdesk\r\n`);
    return /\r\n(ORGANIZER[^\r]*(?:\r\n [^\r]*)*)\r\n/.exec(ics)?.[1]?.replace(/\r\n /g, "");
  };
  expect(organizer("Host Hana")).toBe('ORGANIZER;CN="Host Hana":mailto:no-reply@peerdesk.example');
  // Commas, colons and semicolons are plain text in quotes; a double quote or a line break can't be, so they go.
  expect(organizer('Dr. "Wi-Fi" Hana; Mesh, Roaming: 📶\r\nMETHOD:CANCEL')).toBe(
    'ORGANIZER;CN="Dr. Wi-Fi Hana; Mesh, Roaming: 📶METHOD:CANCEL":mailto:no-reply@peerdesk.example',
  );
  const long = `Hana ${"📶 Wi-Fi roaming ".repeat(8)}`.trim();
  expect(organizer(long)).toBe(`ORGANIZER;CN="${long}":mailto:no-reply@peerdesk.example`);
  // Never the host's own (private) address; none at all when the site has no sending address to give.
  expect(officeHoursIcs(session, url, { now: T0 })).not.toContain("ORGANIZER");
});
