/** Hosted Q&A sessions on the real database: scheduling rules, time windows, the queue order, votes, caps and the archive. */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { listNotifications, follow } from "./notifications.server";
import { answerInOfficeHours, askInOfficeHours, getQueue, toggleOfficeHoursVote } from "./office-hours-queue.server";
import {
  OfficeHoursConflictError,
  cancelOfficeHours,
  endOfficeHoursNow,
  getOfficeHoursForEdit,
  notifyOfficeHoursStarting,
  scheduleOfficeHours,
  officeHoursPhase,
  updateOfficeHours,
} from "./office-hours.server";
import { getOfficeHours, listHostedOfficeHours, listOfficeHours } from "./office-hours-lists.server";
import { queueNotificationEmails } from "./email.server";
import { emailOutbox } from "#db/schema";
import { eq } from "drizzle-orm";
import { officeHoursIcs } from "./office-hours-calendar.server";
import { readZonedTime, zonedTimeToUtc } from "~/lib/time-zones";
import { loadSearchDocuments, visibleDocumentIds } from "~/search/documents.server";
import { sessionDocumentId } from "~/search/types";
import { flagContent } from "./flags.server";
import { getPendingHold, listNotices } from "./holds.server";
import { liftSilenceFromReview, listSilencedMembers } from "./review-actions.server";
import { decideReviewItem } from "./review-queue.server";
import { getProfileById, rememberTimeZone } from "./users.server";
import { rejection } from "../../tests/fixtures/errors";
import { listenTo } from "../../tests/fixtures/realtime";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { T0, local, minutes, scheduled as scheduledIn } from "../../tests/fixtures/sessions";

const scheduled = (options: { cap?: number } = {}) => scheduledIn(database.db, options);

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("time zones: wall-clock times become the right instant, across daylight saving", () => {
  expect(zonedTimeToUtc("2026-07-01T09:00", "Europe/Berlin")?.toISOString()).toBe("2026-07-01T07:00:00.000Z");
  expect(zonedTimeToUtc("2026-12-01T09:00", "Europe/Berlin")?.toISOString()).toBe("2026-12-01T08:00:00.000Z");
  expect(zonedTimeToUtc("2026-03-08T12:00", "America/New_York")?.toISOString()).toBe("2026-03-08T16:00:00.000Z");
  expect(zonedTimeToUtc("not a time", "UTC")).toBeNull();
  expect(zonedTimeToUtc("2026-12-01T09:00", "Mars/Olympus")).toBeNull();
});

test("scheduling: only mentors and staff; clear messages for a bad title, times and cap", async () => {
  const { db } = database;
  const member = await makePerson(db);
  const mentor = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const base = {
    title: "Office hours: Intune enrolment",
    description: "Anything about enrolling Windows laptops in Intune.",
    spaceId,
    startsAtLocal: local(60),
    endsAtLocal: local(120),
    timeZone: "UTC",
    now: T0,
  };
  expect((await rejection(scheduleOfficeHours(db, { ...base, actor: member }))).status).toBe(403);
  const bad = await rejection(
    scheduleOfficeHours(db, {
      ...base,
      actor: mentor,
      title: "Hi",
      endsAtLocal: local(30),
      maxQuestionsPerPerson: "0",
    }),
  );
  expect(bad.fieldErrors).toMatchObject({
    title: expect.stringContaining("at least 10"),
    endsAt: "The end must be after the start.",
    maxQuestionsPerPerson: "Questions per person must be a whole number from 1 to 20, or leave it empty for no limit.",
  });
  expect(
    (await rejection(scheduleOfficeHours(db, { ...base, actor: mentor, endsAtLocal: local(60 + 9 * 60) }))).fieldErrors
      .endsAt,
  ).toContain("at most 8 hours");
  expect(
    (await rejection(scheduleOfficeHours(db, { ...base, actor: mentor, startsAtLocal: local(-30) }))).fieldErrors
      .startsAt,
  ).toContain("in the past");
  expect(
    (await rejection(scheduleOfficeHours(db, { ...base, actor: mentor, startsAtLocal: "tomorrow" }))).fieldErrors
      .startsAt,
  ).toBeTruthy();
  const { officeHoursId } = await scheduleOfficeHours(db, { ...base, actor: mentor });
  const session = await getOfficeHours(db, officeHoursId);
  expect(session).toMatchObject({
    title: "Office hours: Intune enrolment",
    startsAt: minutes(60),
    endsAt: minutes(120),
    maxQuestionsPerPerson: null,
  });
  expect(officeHoursPhase(session!, minutes(59))).toBe("upcoming");
  expect(officeHoursPhase(session!, minutes(60))).toBe("live");
  expect(officeHoursPhase(session!, minutes(120))).toBe("ended");
});

test("questions per person: empty for no limit or a whole number from 1 to 20; letters get the same plain message", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const schedule = (cap: string | number) =>
    scheduleOfficeHours(db, {
      actor: mentor,
      title: "Office hours: shared mailboxes",
      description: "Permissions, auto-mapping and sent items in shared mailboxes.",
      spaceId,
      startsAtLocal: local(60),
      endsAtLocal: local(120),
      timeZone: "UTC",
      maxQuestionsPerPerson: cap,
      now: T0,
    });
  // What Firefox sends from a number field with letters typed in, and other near misses.
  for (const cap of ["abc", "3x", "2.5", "-1", "21", "1e1", 0]) {
    const refused = await rejection(schedule(cap));
    expect(refused.fieldErrors.maxQuestionsPerPerson, String(cap)).toBe(
      "Questions per person must be a whole number from 1 to 20, or leave it empty for no limit.",
    );
  }
  for (const [cap, stored] of [
    ["", null],
    [" 3 ", 3],
    [20, 20],
  ] as const) {
    const { officeHoursId } = await schedule(cap);
    expect((await getOfficeHours(db, officeHoursId))?.maxQuestionsPerPerson, String(cap)).toBe(stored);
  }
});

test("the queue: questions before and during, ordered by votes then age; votes once, not on your own, not after the end", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const [ann, ben, cat] = [
    await makePerson(db, { name: "Ann" }),
    await makePerson(db, { name: "Ben" }),
    await makePerson(db, { name: "Cat" }),
  ];
  const q1 = (
    await askInOfficeHours(db, {
      officeHoursId,
      actor: ann,
      body: "How many access points per floor?",
      now: minutes(10),
    })
  ).questionId;
  const q2 = (
    await askInOfficeHours(db, {
      officeHoursId,
      actor: ben,
      body: "Why do iPhones stick to the far access point?",
      now: minutes(20),
    })
  ).questionId;
  const q3 = (
    await askInOfficeHours(db, {
      officeHoursId,
      actor: cat,
      body: "Is 6 GHz worth it for an office of 40?",
      now: minutes(70),
    })
  ).questionId;
  expect(
    (await rejection(askInOfficeHours(db, { officeHoursId, actor: ann, body: "short", now: minutes(70) }))).fieldErrors
      .body,
  ).toContain("at least 10");

  await toggleOfficeHoursVote(db, { questionId: q3, actor: ann, now: minutes(71) });
  await toggleOfficeHoursVote(db, { questionId: q3, actor: ben, now: minutes(71) });
  await toggleOfficeHoursVote(db, { questionId: q2, actor: ann, now: minutes(71) });
  // The pressed button takes the vote back.
  expect(await toggleOfficeHoursVote(db, { questionId: q1, actor: cat, now: minutes(72) })).toEqual({
    votes: 1,
    hasMyVote: true,
  });
  expect(await toggleOfficeHoursVote(db, { questionId: q1, actor: cat, vote: "remove", now: minutes(72) })).toEqual({
    votes: 0,
    hasMyVote: false,
  });
  expect((await rejection(toggleOfficeHoursVote(db, { questionId: q1, actor: ann, now: minutes(72) }))).status).toBe(
    403,
  );

  const queue = await getQueue(db, officeHoursId, { viewerId: ann.id, phase: "live" });
  expect(queue.map((q) => [q.id, q.votes])).toEqual([
    [q3, 2],
    [q2, 1],
    [q1, 0],
  ]);
  expect(queue.map((q) => q.hasMyVote)).toEqual([true, true, false]);

  // Answers only while live, only by the host (or staff).
  expect(
    (await rejection(answerInOfficeHours(db, { questionId: q3, actor: ann, answer: "Yes", now: minutes(80) }))).status,
  ).toBe(403);
  await answerInOfficeHours(db, {
    questionId: q3,
    actor: host,
    answer: "Yes, if your **laptops** support it.",
    now: minutes(80),
  });
  await answerInOfficeHours(db, { questionId: q1, actor: host, skip: true, now: minutes(81) });
  expect(
    (await rejection(toggleOfficeHoursVote(db, { questionId: q3, actor: ben, now: minutes(82) }))).message,
  ).toContain("already been taken up");
  const live = await getQueue(db, officeHoursId, { phase: "live" });
  expect(live.map((q) => [q.id, q.state])).toEqual([
    [q2, "open"],
    [q3, "answered"],
    [q1, "skipped"],
  ]);
  expect(live.find((q) => q.id === q3)?.answerHtml).toContain("<strong>laptops</strong>");

  // After the end: read-only, answered first.
  expect(
    (
      await rejection(
        askInOfficeHours(db, { officeHoursId, actor: cat, body: "Too late for this one?", now: minutes(121) }),
      )
    ).status,
  ).toBe(409);
  expect((await rejection(toggleOfficeHoursVote(db, { questionId: q2, actor: cat, now: minutes(121) }))).status).toBe(
    409,
  );
  expect(
    (await rejection(answerInOfficeHours(db, { questionId: q2, actor: host, answer: "Late", now: minutes(121) })))
      .status,
  ).toBe(409);
  const archive = await getQueue(db, officeHoursId, { phase: "ended" });
  expect(archive.map((q) => q.id)).toEqual([q3, q2, q1]);
});

test("answers cannot come before the start; a per-person cap is enforced with a clear message", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled({ cap: 1 });
  const ann = await makePerson(db);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: ann,
    body: "Can we run two SSIDs on one band?",
    now: minutes(5),
  });
  expect(
    (await rejection(answerInOfficeHours(db, { questionId, actor: host, answer: "Yes", now: minutes(30) }))).message,
  ).toContain("hasn't started");
  const capped = await rejection(
    askInOfficeHours(db, { officeHoursId, actor: ann, body: "And what about guest isolation?", now: minutes(6) }),
  );
  expect(capped.status).toBe(409);
  expect(capped.message).toContain("1 question");
});

test("every change is announced on the session's topic", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const { seen, heardAll } = await listenTo(database, `session:${officeHoursId}`);
  const ann = await makePerson(db);
  const ben = await makePerson(db);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: ann,
    body: "Which channel width for a dense office?",
    now: minutes(61),
  });
  await toggleOfficeHoursVote(db, { questionId, actor: ben, now: minutes(62) });
  await answerInOfficeHours(db, {
    questionId,
    actor: host,
    answer: "20 MHz on 2.4 GHz, 40 on 5 GHz.",
    now: minutes(63),
  });
  await heardAll();
  expect(seen.map((m) => m.type)).toEqual(["question", "vote", "answer"]);
});

test("lists: live and upcoming soonest first, past most recent first; an .ics event in UTC", async () => {
  const { db } = database;
  const { officeHoursId } = await scheduled();
  const { current, past } = await listOfficeHours(db, minutes(30));
  expect(current.some((s) => s.id === officeHoursId)).toBe(true);
  expect(past.some((s) => s.id === officeHoursId)).toBe(false);
  expect((await listOfficeHours(db, minutes(200))).past[0]?.id).toBe(officeHoursId);
  const session = await getOfficeHours(db, officeHoursId);
  const ics = officeHoursIcs(session!, `https://peerdesk.example/sessions/${officeHoursId}`, { now: T0 });
  expect(ics).toContain("BEGIN:VEVENT\r\n");
  expect(ics).toContain("DTSTART:20261201T160000Z\r\n");
  expect(ics).toContain("DTEND:20261201T170000Z\r\n");
  expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
});

test("followers (and everyone who asked) hear once, a few minutes before the start; the host does not", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const asker = await makePerson(db);
  const watcher = await makePerson(db);
  await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Will the recording be shared afterwards?",
    now: minutes(10),
  });
  await follow(db, watcher.id, { type: "session", key: String(officeHoursId) });
  await follow(db, host.id, { type: "session", key: String(officeHoursId) });
  // Starts at T0 + 60 min: nothing 10 minutes before, then once within the last five minutes.
  expect(await notifyOfficeHoursStarting(db, minutes(50))).toBe(0);
  expect(await notifyOfficeHoursStarting(db, minutes(56))).toBeGreaterThanOrEqual(1);
  expect(await notifyOfficeHoursStarting(db, minutes(57))).toBe(0);
  // Someone who follows in the last minutes (the button still offers it) is told at the next run, and only they are.
  const lateComer = await makePerson(db);
  await follow(db, lateComer.id, { type: "session", key: String(officeHoursId) });
  expect(await notifyOfficeHoursStarting(db, minutes(58))).toBe(1);
  expect(await notifyOfficeHoursStarting(db, minutes(59))).toBe(0);
  // Past the first minute of the session, a new follower is on its live page already: no "starting" notice.
  const tooLate = await makePerson(db);
  await follow(db, tooLate.id, { type: "session", key: String(officeHoursId) });
  expect(await notifyOfficeHoursStarting(db, minutes(62))).toBe(0);
  for (const person of [asker, watcher, lateComer]) {
    const items = (await listNotifications(db, person.id)).items;
    expect(items.map((n) => [n.kind, n.title, n.url, n.actorName])).toEqual([
      ["session_starting", "Ask me anything about Wi-Fi roaming", `/sessions/${officeHoursId}`, "Host Hana"],
    ]);
  }
  expect((await listNotifications(db, host.id)).items).toEqual([]);
});

test("a host's sessions: upcoming first (soonest), then past (most recent)", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const make = async (title: string, startMinutes: number) =>
    (
      await scheduleOfficeHours(db, {
        actor: host,
        title,
        description: "A session for the ordering test, with enough words.",
        spaceId,
        startsAtLocal: local(startMinutes),
        endsAtLocal: local(startMinutes + 30),
        timeZone: "UTC",
        now: minutes(startMinutes - 10),
      })
    ).officeHoursId;
  await make("Past one, older than the other", 0);
  await make("Past two, the more recent one", 100);
  await make("Upcoming later in the week", 5000);
  await make("Upcoming soonest of them all", 1000);
  const sessions = await listHostedOfficeHours(db, host.id, minutes(500));
  expect(sessions.map((s) => [s.title, s.phase])).toEqual([
    ["Upcoming soonest of them all", "upcoming"],
    ["Upcoming later in the week", "upcoming"],
    ["Past two, the more recent one", "ended"],
    ["Past one, older than the other", "ended"],
  ]);
  // While one is on, it comes first and says so.
  const live = await listHostedOfficeHours(db, host.id, minutes(1010));
  expect(live.map((s) => [s.title, s.phase])[0]).toEqual(["Upcoming soonest of them all", "live"]);
});

test("a host in New York who types 09:00 gets 09:00 New York time; “Start now” starts at the moment of scheduling", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const base = {
    actor: mentor,
    title: "Morning office hours from New York",
    description: "Anything about the VPN client on Macs and PCs.",
    spaceId,
  };
  const { officeHoursId } = await scheduleOfficeHours(db, {
    ...base,
    startsAtLocal: "2026-12-02T09:00",
    endsAtLocal: "2026-12-02T10:00",
    timeZone: "America/New_York",
    now: T0,
  });
  expect(await getOfficeHours(db, officeHoursId)).toMatchObject({
    startsAt: new Date("2026-12-02T14:00:00Z"),
    endsAt: new Date("2026-12-02T15:00:00Z"),
  });
  // The edit form shows the same wall-clock times in the host's zone.
  expect((await getOfficeHoursForEdit(db, officeHoursId, "America/New_York"))?.values).toMatchObject({
    startsAt: "2026-12-02T09:00",
    endsAt: "2026-12-02T10:00",
  });

  const now = new Date("2026-12-01T15:02:37Z");
  const started = await scheduleOfficeHours(db, {
    ...base,
    startNow: true,
    startsAtLocal: "",
    endsAtLocal: "2026-12-01T11:00",
    timeZone: "America/New_York",
    now,
  });
  const session = await getOfficeHours(db, started.officeHoursId);
  expect(session?.startsAt).toEqual(now);
  expect(officeHoursPhase(session!, now)).toBe("live");
  // A typed start of “now” (to the minute, a few minutes ago by submit time) is fine too.
  await scheduleOfficeHours(db, {
    ...base,
    startsAtLocal: "2026-12-01T09:55",
    endsAtLocal: "2026-12-01T11:00",
    timeZone: "America/New_York",
    now,
  });
  // An unknown zone reads the times as UTC rather than failing.
  const utc = await scheduleOfficeHours(db, {
    ...base,
    startsAtLocal: local(60),
    endsAtLocal: local(90),
    timeZone: "Mars/Olympus",
    now: T0,
  });
  expect((await getOfficeHours(db, utc.officeHoursId))?.startsAt).toEqual(minutes(60));
});

test("a profile's time zone is set once from the browser, and not overwritten by it later", async () => {
  const { db } = database;
  const person = await makePerson(db);
  expect((await getProfileById(db, person.id))?.timeZone).toBeNull();
  await rememberTimeZone(db, person.id, "not a zone");
  expect((await getProfileById(db, person.id))?.timeZone).toBeNull();
  await rememberTimeZone(db, person.id, "America/New_York");
  await rememberTimeZone(db, person.id, "Europe/Berlin");
  expect((await getProfileById(db, person.id))?.timeZone).toBe("America/New_York");
});

test("the host reschedules: followers and askers are told (not the host), and hear again before the new start", async () => {
  const { db } = database;
  const { host, spaceId, officeHoursId } = await scheduled();
  const asker = await makePerson(db);
  const watcher = await makePerson(db);
  const stranger = await makePerson(db);
  await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Can you cover roaming between floors?",
    now: minutes(5),
  });
  await follow(db, watcher.id, { type: "session", key: String(officeHoursId) });
  await notifyOfficeHoursStarting(db, minutes(56));
  const form = {
    title: "Ask me anything about Wi-Fi roaming",
    description: "Bring your dead zones, sticky clients and mesh questions.",
    spaceId,
    tags: "wi-fi",
    timeZone: "UTC",
  };

  expect(
    (
      await rejection(
        updateOfficeHours(db, {
          ...form,
          officeHoursId,
          actor: stranger,
          startsAtLocal: local(120),
          endsAtLocal: local(180),
          now: minutes(57),
        }),
      )
    ).status,
  ).toBe(403);
  expect(
    (
      await rejection(
        updateOfficeHours(db, {
          ...form,
          officeHoursId,
          actor: host,
          startsAtLocal: local(120),
          endsAtLocal: local(100),
          now: minutes(57),
        }),
      )
    ).fieldErrors.endsAt,
  ).toBe("The end must be after the start.");
  await updateOfficeHours(db, {
    ...form,
    officeHoursId,
    actor: host,
    startsAtLocal: local(120),
    endsAtLocal: local(180),
    now: minutes(57),
  });
  expect(await getOfficeHours(db, officeHoursId)).toMatchObject({
    startsAt: minutes(120),
    endsAt: minutes(180),
    tags: ["wi-fi"],
  });
  for (const person of [asker, watcher]) {
    const kinds = (await listNotifications(db, person.id)).items.map((n) => [n.kind, n.url, n.actorName]);
    expect(kinds).toEqual([["session_changed", `/sessions/${officeHoursId}`, "Host Hana"]]);
  }
  expect((await listNotifications(db, host.id)).items).toEqual([]);
  // The reminder comes again, before the new start (not at the old time).
  await notifyOfficeHoursStarting(db, minutes(60));
  expect((await listNotifications(db, watcher.id)).items.map((n) => n.kind)).toEqual(["session_changed"]);
  await notifyOfficeHoursStarting(db, minutes(116));
  expect((await listNotifications(db, watcher.id)).items.map((n) => n.kind)).toEqual([
    "session_starting",
    "session_changed",
  ]);

  // A second move is news again, even after the first was read.
  await db.execute(sql`update notifications set read_at = now() where user_id = ${watcher.id}`);
  await updateOfficeHours(db, {
    ...form,
    officeHoursId,
    actor: host,
    startsAtLocal: local(125),
    endsAtLocal: local(180),
    now: minutes(117),
  });
  expect((await listNotifications(db, watcher.id)).items.filter((n) => !n.isRead).map((n) => n.kind)).toEqual([
    "session_changed",
  ]);

  // Live: the start stays; the end can move.
  const live = await rejection(
    updateOfficeHours(db, {
      ...form,
      officeHoursId,
      actor: host,
      startsAtLocal: local(140),
      endsAtLocal: local(200),
      now: minutes(130),
    }),
  );
  expect(live.fieldErrors.startsAt).toContain("can't move");
  await updateOfficeHours(db, {
    ...form,
    officeHoursId,
    actor: host,
    startsAtLocal: local(125),
    endsAtLocal: local(200),
    now: minutes(130),
  });
  expect((await getOfficeHours(db, officeHoursId))?.endsAt).toEqual(minutes(200));
});

test("a start moved a little after followers heard it is starting is not announced again; one moved well later is", async () => {
  const { db } = database;
  const { host, spaceId, officeHoursId } = await scheduled();
  const followers = [await makePerson(db), await makePerson(db), await makePerson(db)];
  for (const person of followers) await follow(db, person.id, { type: "session", key: String(officeHoursId) });
  const moveStart = (start: number, now: number) =>
    updateOfficeHours(db, {
      title: "Ask me anything about Wi-Fi roaming",
      description: "Bring your dead zones, sticky clients and mesh questions.",
      spaceId,
      tags: "wi-fi, roaming",
      timeZone: "UTC",
      officeHoursId,
      actor: host,
      startsAtLocal: local(start),
      endsAtLocal: local(120),
      now: minutes(now),
    });
  const startingCount = async (userId: string) =>
    (await listNotifications(db, userId)).items.filter((n) => n.kind === "session_starting").length;

  // Starts at minute 60; told at 56. The host moves it to 59 at 57, then (a lead time of 5 minutes later) to 64.
  expect(await notifyOfficeHoursStarting(db, minutes(56))).toBe(3);
  await queueNotificationEmails({ db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) });
  await moveStart(59, 57);
  expect(await notifyOfficeHoursStarting(db, minutes(58))).toBe(0);
  await moveStart(64, 58);
  expect(await notifyOfficeHoursStarting(db, minutes(60))).toBe(0);
  await queueNotificationEmails({ db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) });
  for (const person of followers) {
    const subjects = (
      await db.select().from(emailOutbox).where(eq(emailOutbox.userId, person.id)).orderBy(emailOutbox.id)
    ).map((m) => m.subject);
    expect(subjects.filter((subject) => subject.endsWith("is starting"))).toEqual([
      "“Ask me anything about Wi-Fi roaming”, hosted by Host Hana, is starting",
    ]);
    expect(
      subjects.some((subject) => subject.startsWith("Host Hana moved “Ask me anything about Wi-Fi roaming” from")),
    ).toBe(true);
    expect(await startingCount(person.id)).toBe(1);
  }

  // Moved half an hour later, the notice already sent is wrong: they hear again before the new start, not before.
  await moveStart(94, 61);
  expect(await notifyOfficeHoursStarting(db, minutes(62))).toBe(0);
  expect(await notifyOfficeHoursStarting(db, minutes(90))).toBe(3);
  for (const person of followers) expect(await startingCount(person.id)).toBe(1);
});

test("an edit made on a version someone has replaced since is refused, naming who, and saved once made on the new one", async () => {
  const { db } = database;
  const { host, spaceId, officeHoursId } = await scheduled();
  const moderator = await makePerson(db, { role: "moderator", name: "Mod Mara" });
  const form = {
    description: "Bring your dead zones, sticky clients and mesh questions.",
    spaceId,
    tags: "wi-fi",
    timeZone: "UTC",
    startsAtLocal: local(60),
    endsAtLocal: local(120),
    now: minutes(5),
  };
  const opened = await getOfficeHoursForEdit(db, officeHoursId, "UTC");
  if (!opened) throw new Error("no session");
  const base = new Date(opened.updatedAt);

  // The moderator and the host opened the form on the same version; the moderator saves first.
  await updateOfficeHours(db, {
    ...form,
    title: "Wi-Fi roaming, with the network team",
    officeHoursId,
    actor: moderator,
    baseUpdatedAt: base,
  });
  const refused = await rejection(
    updateOfficeHours(db, {
      ...form,
      title: "Wi-Fi roaming: bring your floor plans",
      officeHoursId,
      actor: host,
      baseUpdatedAt: base,
    }),
  );
  expect(refused).toBeInstanceOf(OfficeHoursConflictError);
  expect(refused.status).toBe(409);
  expect(refused.message).toMatch(
    /^Mod Mara changed this session after you opened this form, so your changes are not saved yet/,
  );
  expect((await getOfficeHours(db, officeHoursId))?.title).toBe("Wi-Fi roaming, with the network team");

  // Saved knowing the moderator's version (the refused form now stands on it), it goes through.
  const current = (refused as OfficeHoursConflictError).currentUpdatedAt;
  expect(current.toISOString()).toBe((await getOfficeHoursForEdit(db, officeHoursId, "UTC"))?.updatedAt);
  await updateOfficeHours(db, {
    ...form,
    title: "Wi-Fi roaming: bring your floor plans",
    officeHoursId,
    actor: host,
    baseUpdatedAt: current,
    now: minutes(6),
  });
  expect((await getOfficeHours(db, officeHoursId))?.title).toBe("Wi-Fi roaming: bring your floor plans");

  // The host's own save from a second tab opened before it says so.
  const ownConflict = await rejection(
    updateOfficeHours(db, { ...form, title: "Another title", officeHoursId, actor: host, baseUpdatedAt: current }),
  );
  expect(ownConflict.message).toMatch(/^You changed this session in another tab or window after you opened this form/);
  // A form opened before versions were kept sends none, and saves as before.
  await updateOfficeHours(db, { ...form, title: "Wi-Fi roaming (no version)", officeHoursId, actor: host });
  expect((await getOfficeHours(db, officeHoursId))?.title).toBe("Wi-Fi roaming (no version)");
});

test("the host cancels: askers and followers are told, the session takes nothing more and leaves the upcoming list", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const asker = await makePerson(db);
  await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Is mesh Wi-Fi fine for a small office?",
    now: minutes(5),
  });
  expect((await rejection(cancelOfficeHours(db, { officeHoursId, actor: asker, now: minutes(10) }))).status).toBe(403);
  await cancelOfficeHours(db, { officeHoursId, actor: host, now: minutes(10) });
  const session = await getOfficeHours(db, officeHoursId);
  expect(officeHoursPhase(session!, minutes(11))).toBe("cancelled");
  expect((await listNotifications(db, asker.id)).items.map((n) => n.kind)).toEqual(["session_cancelled"]);
  expect(
    (
      await rejection(
        askInOfficeHours(db, { officeHoursId, actor: asker, body: "Still taking questions?", now: minutes(11) }),
      )
    ).status,
  ).toBe(409);
  const { current, past } = await listOfficeHours(db, minutes(11));
  expect(current.some((s) => s.id === officeHoursId)).toBe(false);
  expect(past.find((s) => s.id === officeHoursId)?.cancelledAt).toEqual(minutes(10));
  await notifyOfficeHoursStarting(db, minutes(56));
  expect((await listNotifications(db, asker.id)).items.map((n) => n.kind)).toEqual(["session_cancelled"]);
  expect((await listHostedOfficeHours(db, host.id, minutes(11))).some((s) => s.id === officeHoursId)).toBe(false);
});

test("the host ends a live session early, and the asker is told when their question is answered", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const asker = await makePerson(db);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "How do I find the noisiest channel?",
    now: minutes(5),
  });
  expect((await rejection(endOfficeHoursNow(db, { officeHoursId, actor: host, now: minutes(30) }))).status).toBe(409);
  await answerInOfficeHours(db, {
    questionId,
    actor: host,
    answer: "Use a Wi-Fi analyser app and look for overlap.",
    now: minutes(70),
  });
  const items = (await listNotifications(db, asker.id)).items;
  expect(items.map((n) => [n.kind, n.url, n.title])).toEqual([
    ["session_answered", `/sessions/${officeHoursId}#q-${questionId}`, "Ask me anything about Wi-Fi roaming"],
  ]);
  await endOfficeHoursNow(db, { officeHoursId, actor: host, now: minutes(75) });
  const session = await getOfficeHours(db, officeHoursId);
  expect(session?.endsAt).toEqual(minutes(75));
  expect(officeHoursPhase(session!, minutes(76))).toBe("ended");
  expect(
    (
      await rejection(
        askInOfficeHours(db, { officeHoursId, actor: asker, body: "One more after the end?", now: minutes(76) }),
      )
    ).status,
  ).toBe(409);
});

test("time zones: a date or time that doesn't exist is refused in plain words, never rolled over", () => {
  const problem = (local: string, zone = "UTC") => readZonedTime(local, zone).impossible;
  expect(zonedTimeToUtc("2027-02-31T10:00", "UTC")).toBeNull();
  expect(problem("2027-02-31T10:00")).toBe("There is no 31 February 2027. Please check the date.");
  expect(problem("2027-02-29T10:00")).toBe("There is no 29 February 2027. Please check the date.");
  expect(zonedTimeToUtc("2028-02-29T10:00", "UTC")?.toISOString()).toBe("2028-02-29T10:00:00.000Z");
  expect(problem("2027-13-01T10:00")).toBe("There is no month 13. Please check the date.");
  expect(problem("2027-02-10T25:00")).toContain("25:00 isn't a time of day");
  expect(problem("2027-02-10T10:61")).toContain("10:61 isn't a time of day");
  // Years below 100 are those years, not 19xx.
  expect(zonedTimeToUtc("0099-06-01T10:00", "UTC")?.getUTCFullYear()).toBe(99);
  // Not a date and time at all: no explanation, the form's own "choose when" message applies.
  expect(readZonedTime("tomorrow", "UTC")).toEqual({ instant: null, impossible: null });
  // Seconds (a field with a step, or a script) mean the same minute.
  for (const typed of ["2027-01-10T10:00:30", "2027-01-10T10:00:30.123", "2027-01-10 10:00"])
    expect(zonedTimeToUtc(typed, "UTC")?.toISOString(), typed).toBe("2027-01-10T10:00:00.000Z");
  expect(readZonedTime("2027-01-10T10:00:61", "UTC")).toEqual({ instant: null, impossible: null });
});

test("time zones: a time the clocks skip is refused naming the jump; one they repeat is its first occurrence", () => {
  expect(readZonedTime("2027-03-14T02:30", "America/New_York").impossible).toBe(
    "There is no 02:30 on 14 March 2027 in America/New_York: the clocks go forward from 02:00 to 03:00. Please choose another time.",
  );
  expect(readZonedTime("2027-03-28T02:00", "Europe/Berlin").impossible).toContain("from 02:00 to 03:00");
  // Half an hour on Lord Howe Island.
  expect(readZonedTime("2027-10-03T02:15", "Australia/Lord_Howe").impossible).toContain("from 02:00 to 02:30");
  // Either side of the gap is fine.
  expect(zonedTimeToUtc("2027-03-14T01:59", "America/New_York")?.toISOString()).toBe("2027-03-14T06:59:00.000Z");
  expect(zonedTimeToUtc("2027-03-14T03:00", "America/New_York")?.toISOString()).toBe("2027-03-14T07:00:00.000Z");
  // 01:30 happens twice when New York's clocks go back, 02:30 twice in Berlin: both zones take the first (summer time).
  expect(zonedTimeToUtc("2026-11-01T01:30", "America/New_York")?.toISOString()).toBe("2026-11-01T05:30:00.000Z");
  expect(zonedTimeToUtc("2026-10-25T02:30", "Europe/Berlin")?.toISOString()).toBe("2026-10-25T00:30:00.000Z");
});

test("scheduling and editing: a start more than 2 years ahead, or a time that doesn't exist, is a field error", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const base = {
    actor: mentor,
    title: "Office hours: far future planning",
    description: "Anything about planning a network refresh.",
    spaceId,
    now: T0,
  };
  // Year 9999 in a zone behind UTC ends in year 10000, which PostgreSQL can't store: refused before it gets there.
  const farFuture = await rejection(
    scheduleOfficeHours(db, {
      ...base,
      timeZone: "Etc/GMT+12",
      startsAtLocal: "9999-12-31T22:00",
      endsAtLocal: "9999-12-31T23:30",
    }),
  );
  expect(farFuture.status).toBe(400);
  expect(farFuture.fieldErrors.startsAt).toBe("A session must start within the next 2 years. Please check the year.");
  // T0 is 1 December 2026 15:00 UTC: the last start allowed is that moment two years on.
  const inUtc = { ...base, timeZone: "UTC" };
  expect(
    (
      await rejection(
        scheduleOfficeHours(db, { ...inUtc, startsAtLocal: "2028-12-01T15:01", endsAtLocal: "2028-12-01T16:00" }),
      )
    ).fieldErrors.startsAt,
  ).toContain("within the next 2 years");
  const { officeHoursId } = await scheduleOfficeHours(db, {
    ...inUtc,
    startsAtLocal: "2028-12-01T15:00",
    endsAtLocal: "2028-12-01T16:00",
  });
  expect((await getOfficeHours(db, officeHoursId))?.startsAt.toISOString()).toBe("2028-12-01T15:00:00.000Z");
  const moved = await rejection(
    updateOfficeHours(db, {
      ...inUtc,
      officeHoursId,
      startsAtLocal: "2031-01-01T10:00",
      endsAtLocal: "2031-01-01T11:00",
      now: minutes(1),
    }),
  );
  expect(moved.fieldErrors.startsAt).toContain("within the next 2 years");

  // 31 February is not 3 March, 25:00 not the next morning; the other fields' errors show at once.
  const impossible = await rejection(
    scheduleOfficeHours(db, {
      ...inUtc,
      title: "Hi",
      startsAtLocal: "2027-02-31T10:00",
      endsAtLocal: "2027-02-10T25:00",
    }),
  );
  expect(impossible.fieldErrors).toMatchObject({
    title: expect.stringContaining("at least 10"),
    startsAt: "There is no 31 February 2027. Please check the date.",
    endsAt: expect.stringContaining("25:00 isn't a time of day"),
  });
  const skipped = await rejection(
    scheduleOfficeHours(db, {
      ...base,
      timeZone: "America/New_York",
      startsAtLocal: "2027-03-14T02:30",
      endsAtLocal: "2027-03-14T04:00",
    }),
  );
  expect(skipped.fieldErrors.startsAt).toContain("the clocks go forward from 02:00 to 03:00");
  expect(
    (
      await rejection(
        updateOfficeHours(db, {
          ...inUtc,
          officeHoursId,
          startsAtLocal: "2027-06-01T10:00",
          endsAtLocal: "2027-06-01T10:61",
          now: minutes(1),
        }),
      )
    ).fieldErrors.endsAt,
  ).toContain("10:61 isn't a time of day");
});

test("a question moderation hides leaves the page, its counts, votes and search for all but its asker and staff, and comes back as it was", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const [asker, voter, bystander] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  const moderator = await makePerson(db, { role: "moderator" });
  const { seen, heardAll } = await listenTo(database, `session:${officeHoursId}`);
  const ask = async (body: string) =>
    (await askInOfficeHours(db, { officeHoursId, actor: asker, body, now: minutes(61) })).questionId;
  const spam = await ask("BUY CHEAP WATCHES at spam dot example, best prices here");
  const answered = await ask("Does band steering help with sticky clients?");
  const kept = await ask("Should guest Wi-Fi have its own VLAN?");
  await toggleOfficeHoursVote(db, { questionId: spam, actor: voter, now: minutes(62) });
  await answerInOfficeHours(db, { questionId: answered, actor: host, answer: "Mostly, yes.", now: minutes(63) });
  const flag = (id: number) =>
    flagContent(db, { actor: moderator, targetType: "session_question", targetId: String(id), reason: "spam" });
  // A moderator's flag weighs enough to hide at once: the open question and the answered one.
  expect((await flag(spam)).hidden).toBe(true);
  expect((await flag(answered)).hidden).toBe(true);

  const ids = async (viewer: { viewerId?: string; canSeeHidden?: boolean }, phase: "live" | "ended" = "live") =>
    (await getQueue(db, officeHoursId, { ...viewer, phase })).map((q) => [q.id, q.moderation]);
  expect(await ids({})).toEqual([[kept, null]]);
  expect(await ids({ viewerId: bystander.id })).toEqual([[kept, null]]);
  expect(await ids({ viewerId: host.id })).toEqual([[kept, null]]);
  // The asker sees theirs marked as waiting for review; staff see everything so marked.
  expect(await ids({ viewerId: asker.id })).toEqual([
    [spam, "held"],
    [kept, null],
    [answered, "held"],
  ]);
  expect(await ids({ canSeeHidden: true })).toEqual(await ids({ viewerId: asker.id }));
  expect(await ids({}, "ended")).toEqual([[kept, null]]);
  const listed = (await listOfficeHours(db, minutes(64))).current.find((s) => s.id === officeHoursId);
  expect(listed?.questionCount).toBe(1);
  // No votes or answers for what isn't there, and nothing more to flag.
  expect(
    (await rejection(toggleOfficeHoursVote(db, { questionId: spam, actor: bystander, now: minutes(64) }))).status,
  ).toBe(404);
  expect(
    (await rejection(answerInOfficeHours(db, { questionId: spam, actor: host, answer: "No.", now: minutes(64) })))
      .status,
  ).toBe(404);
  expect(
    (
      await rejection(
        flagContent(db, { actor: bystander, targetType: "session_question", targetId: String(spam), reason: "spam" }),
      )
    ).status,
  ).toBe(404);
  // The answered one leaves search while hidden.
  const answeredDocument = sessionDocumentId(answered);
  expect((await loadSearchDocuments(db, [answeredDocument])).missingOrHidden).toEqual([answeredDocument]);
  expect((await visibleDocumentIds(db, [answeredDocument])).has(answeredDocument)).toBe(false);
  await heardAll();
  expect(seen.filter((m) => m.type === "hidden").map((m) => m.questionId)).toEqual([spam, answered]);
  // Nothing the live page hears carries the text.
  expect(JSON.stringify(seen)).not.toContain("WATCHES");

  // Kept: back as it was, answered with its answer (and in search again), open with its vote.
  await decideReviewItem(db, {
    actor: moderator,
    ref: { type: "session_question", id: String(answered) },
    decision: "keep",
  });
  await decideReviewItem(db, {
    actor: moderator,
    ref: { type: "session_question", id: String(spam) },
    decision: "keep",
  });
  const back = await getQueue(db, officeHoursId, { phase: "live" });
  expect(back.map((q) => [q.id, q.state, q.votes, q.moderation])).toEqual([
    [spam, "open", 1, null],
    [kept, "open", 0, null],
    [answered, "answered", 0, null],
  ]);
  expect(back.find((q) => q.id === answered)?.answerHtml).toContain("Mostly, yes.");
  expect((await visibleDocumentIds(db, [answeredDocument])).has(answeredDocument)).toBe(true);
  expect((await loadSearchDocuments(db, [answeredDocument])).documents.map((d) => d.id)).toEqual([answeredDocument]);

  // Hidden for good: gone for everyone else, and marked as removed for its asker and staff.
  await flagContent(db, { actor: voter, targetType: "session_question", targetId: String(spam), reason: "spam" });
  await decideReviewItem(db, {
    actor: moderator,
    ref: { type: "session_question", id: String(spam) },
    decision: "hide",
  });
  expect(await ids({})).toEqual([
    [kept, null],
    [answered, null],
  ]);
  expect((await ids({ viewerId: asker.id }))[0]).toEqual([spam, "removed"]);
  await heardAll();
  expect(seen.filter((m) => m.type === "shown").map((m) => m.questionId)).toEqual([answered, spam]);
});

test("silencing a member holds their session questions with their posts, refuses new ones, and lifting it brings them back as they were", async () => {
  const { db } = database;
  const { host, spaceId, officeHoursId } = await scheduled();
  const [asker, bystander] = [await makePerson(db), await makePerson(db)];
  const moderator = await makePerson(db, { role: "moderator" });
  const ask = async (body: string, at: number) =>
    (await askInOfficeHours(db, { officeHoursId, actor: asker, body, now: minutes(at) })).questionId;
  const open = await ask("Is 802.11r worth turning on for old laptops?", 61);
  const answered = await ask("Why do phones stick to the far access point?", 62);
  await answerInOfficeHours(db, {
    questionId: answered,
    actor: host,
    answer: "Sticky clients; lower the power.",
    now: minutes(63),
  });
  const caught = await makeQuestion(db, asker, spaceId, { title: "Cheap watches for every member of the team" });

  await decideReviewItem(db, { actor: moderator, ref: { type: "post", id: String(caught) }, decision: "silence" });
  const sessionQuestion = (id: number) => ({ type: "session_question" as const, id: String(id) });
  expect((await getPendingHold(db, sessionQuestion(open)))?.reason).toBe("silenced_author");
  expect((await getPendingHold(db, sessionQuestion(answered)))?.reason).toBe("silenced_author");
  const ids = async (viewer: { viewerId?: string }) =>
    (await getQueue(db, officeHoursId, { ...viewer, phase: "live" })).map((q) => [q.id, q.moderation]);
  expect(await ids({ viewerId: bystander.id })).toEqual([]);
  expect(await ids({ viewerId: asker.id })).toEqual([
    [open, "held"],
    [answered, "held"],
  ]);

  // A new question is refused with the words a new post gets, and nothing of it is kept.
  const refused = await rejection(
    askInOfficeHours(db, { officeHoursId, actor: asker, body: "One more about roaming?", now: minutes(64) }),
  );
  expect(refused.status).toBe(403);
  expect(refused.message).toBe(
    "Your account is silenced while moderators review it, so you can't post, flag, thank or rate anything for now. You can still read everything.",
  );
  expect(await ids({ viewerId: asker.id })).toHaveLength(2);

  const [listed] = (await listSilencedMembers(db)).filter((member) => member.userId === asker.id);
  expect(listed?.heldSessionQuestions).toBe(2);
  const { released } = await liftSilenceFromReview(db, { actor: moderator, userId: asker.id });
  expect(released).toBe(2);
  const [notice] = await listNotices(db, asker.id);
  expect(notice?.message).toContain("you can post again, and 2 session questions held with it are published again.");
  const back = await getQueue(db, officeHoursId, { viewerId: bystander.id, phase: "live" });
  expect(back.map((q) => [q.id, q.state, q.moderation])).toEqual([
    [open, "open", null],
    [answered, "answered", null],
  ]);
  expect(await getPendingHold(db, sessionQuestion(open))).toBeNull();
});
