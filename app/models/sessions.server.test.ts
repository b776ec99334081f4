/** Hosted Q&A sessions on the real database: scheduling rules, time windows, the queue order, votes, caps and the archive. */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/qa";
import { createRealtimeHub, type RealtimeMessage } from "~/lib/realtime.server";
import { listNotifications, follow } from "./notifications.server";
import { answerInSession, askInSession, getQueue, getSession, listHostedSessions, listSessions, notifySessionsStarting, scheduleSession, sessionIcs, sessionPhase, toggleSessionVote, zonedTimeToUtc } from "./sessions.server";
import { rejection } from "../../tests/fixtures/errors";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const T0 = new Date("2026-12-01T15:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
/** "2026-12-01T16:30" for T0 + n minutes, as a datetime-local field in UTC sends it. */
const local = (n: number) => minutes(n).toISOString().slice(0, 16);


async function scheduled(options: { cap?: number } = {}) {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Host Hana" });
  const spaceId = await makeSpace(db);
  const { sessionId } = await scheduleSession(db, {
    actor: host,
    title: "Ask me anything about Wi-Fi roaming",
    description: "Bring your dead zones, sticky clients and mesh questions.",
    spaceId,
    tags: "wi-fi, roaming",
    startsAtLocal: local(60),
    endsAtLocal: local(120),
    timeZone: "UTC",
    maxQuestionsPerPerson: options.cap ?? "",
    now: T0,
  });
  return { host, spaceId, sessionId };
}

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
  const base = { title: "Office hours: Intune enrolment", description: "Anything about enrolling Windows laptops in Intune.", spaceId, startsAtLocal: local(60), endsAtLocal: local(120), timeZone: "UTC", now: T0 };
  expect((await rejection(scheduleSession(db, { ...base, actor: member }))).status).toBe(403);
  const bad = await rejection(scheduleSession(db, { ...base, actor: mentor, title: "Hi", endsAtLocal: local(30), maxQuestionsPerPerson: "0" }));
  expect(bad.fieldErrors).toMatchObject({ title: expect.stringContaining("at least 10"), endsAt: "The end must be after the start.", maxQuestionsPerPerson: expect.stringContaining("At least 1") });
  expect((await rejection(scheduleSession(db, { ...base, actor: mentor, endsAtLocal: local(60 + 9 * 60) }))).fieldErrors.endsAt).toContain("at most 8 hours");
  expect((await rejection(scheduleSession(db, { ...base, actor: mentor, startsAtLocal: local(-30) }))).fieldErrors.startsAt).toContain("in the past");
  expect((await rejection(scheduleSession(db, { ...base, actor: mentor, startsAtLocal: "tomorrow" }))).fieldErrors.startsAt).toBeTruthy();
  const { sessionId } = await scheduleSession(db, { ...base, actor: mentor });
  const session = await getSession(db, sessionId);
  expect(session).toMatchObject({ title: "Office hours: Intune enrolment", startsAt: minutes(60), endsAt: minutes(120), maxQuestionsPerPerson: null });
  expect(sessionPhase(session!, minutes(59))).toBe("upcoming");
  expect(sessionPhase(session!, minutes(60))).toBe("live");
  expect(sessionPhase(session!, minutes(120))).toBe("ended");
});

test("the queue: questions before and during, ordered by votes then age; votes once, not on your own, not after the end", async () => {
  const { db } = database;
  const { host, sessionId } = await scheduled();
  const [ann, ben, cat] = [await makePerson(db, { name: "Ann" }), await makePerson(db, { name: "Ben" }), await makePerson(db, { name: "Cat" })];
  const q1 = (await askInSession(db, { sessionId, actor: ann, body: "How many access points per floor?", now: minutes(10) })).questionId;
  const q2 = (await askInSession(db, { sessionId, actor: ben, body: "Why do iPhones stick to the far access point?", now: minutes(20) })).questionId;
  const q3 = (await askInSession(db, { sessionId, actor: cat, body: "Is 6 GHz worth it for an office of 40?", now: minutes(70) })).questionId;
  expect((await rejection(askInSession(db, { sessionId, actor: ann, body: "short", now: minutes(70) }))).fieldErrors.body).toContain("at least 10");

  await toggleSessionVote(db, { questionId: q3, actor: ann, now: minutes(71) });
  await toggleSessionVote(db, { questionId: q3, actor: ben, now: minutes(71) });
  await toggleSessionVote(db, { questionId: q2, actor: ann, now: minutes(71) });
  // Voting twice takes the vote back.
  expect(await toggleSessionVote(db, { questionId: q1, actor: cat, now: minutes(72) })).toEqual({ votes: 1, hasMyVote: true });
  expect(await toggleSessionVote(db, { questionId: q1, actor: cat, now: minutes(72) })).toEqual({ votes: 0, hasMyVote: false });
  expect((await rejection(toggleSessionVote(db, { questionId: q1, actor: ann, now: minutes(72) }))).status).toBe(403);

  const queue = await getQueue(db, sessionId, { viewerId: ann.id, phase: "live" });
  expect(queue.map((q) => [q.id, q.votes])).toEqual([
    [q3, 2],
    [q2, 1],
    [q1, 0],
  ]);
  expect(queue.map((q) => q.hasMyVote)).toEqual([true, true, false]);

  // Answers only while live, only by the host (or staff).
  expect((await rejection(answerInSession(db, { questionId: q3, actor: ann, answer: "Yes", now: minutes(80) }))).status).toBe(403);
  await answerInSession(db, { questionId: q3, actor: host, answer: "Yes, if your **laptops** support it.", now: minutes(80) });
  await answerInSession(db, { questionId: q1, actor: host, skip: true, now: minutes(81) });
  expect((await rejection(toggleSessionVote(db, { questionId: q3, actor: ben, now: minutes(82) }))).message).toContain("already been taken up");
  const live = await getQueue(db, sessionId, { phase: "live" });
  expect(live.map((q) => [q.id, q.state])).toEqual([
    [q2, "open"],
    [q3, "answered"],
    [q1, "skipped"],
  ]);
  expect(live.find((q) => q.id === q3)?.answerHtml).toContain("<strong>laptops</strong>");

  // After the end: read-only, answered first.
  expect((await rejection(askInSession(db, { sessionId, actor: cat, body: "Too late for this one?", now: minutes(121) }))).status).toBe(409);
  expect((await rejection(toggleSessionVote(db, { questionId: q2, actor: cat, now: minutes(121) }))).status).toBe(409);
  expect((await rejection(answerInSession(db, { questionId: q2, actor: host, answer: "Late", now: minutes(121) }))).status).toBe(409);
  const archive = await getQueue(db, sessionId, { phase: "ended" });
  expect(archive.map((q) => q.id)).toEqual([q3, q2, q1]);
});

test("answers cannot come before the start; a per-person cap is enforced with a clear message", async () => {
  const { db } = database;
  const { host, sessionId } = await scheduled({ cap: 1 });
  const ann = await makePerson(db);
  const { questionId } = await askInSession(db, { sessionId, actor: ann, body: "Can we run two SSIDs on one band?", now: minutes(5) });
  expect((await rejection(answerInSession(db, { questionId, actor: host, answer: "Yes", now: minutes(30) }))).message).toContain("hasn't started");
  const capped = await rejection(askInSession(db, { sessionId, actor: ann, body: "And what about guest isolation?", now: minutes(6) }));
  expect(capped.status).toBe(409);
  expect(capped.message).toContain("1 question");
});

test("every change is announced on the session's topic", async () => {
  const { db } = database;
  const { host, sessionId } = await scheduled();
  const hub = createRealtimeHub(database);
  const seen: RealtimeMessage[] = [];
  await hub.subscribe(`session:${sessionId}`, (message) => seen.push(message));
  const ann = await makePerson(db);
  const ben = await makePerson(db);
  const { questionId } = await askInSession(db, { sessionId, actor: ann, body: "Which channel width for a dense office?", now: minutes(61) });
  await toggleSessionVote(db, { questionId, actor: ben, now: minutes(62) });
  await answerInSession(db, { questionId, actor: host, answer: "20 MHz on 2.4 GHz, 40 on 5 GHz.", now: minutes(63) });
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(seen.map((m) => m.type)).toEqual(["question", "vote", "answer"]);
});

test("lists: live and upcoming soonest first, past most recent first; an .ics event in UTC", async () => {
  const { db } = database;
  const { sessionId } = await scheduled();
  const { current, past } = await listSessions(db, minutes(30));
  expect(current.some((s) => s.id === sessionId)).toBe(true);
  expect(past.some((s) => s.id === sessionId)).toBe(false);
  expect((await listSessions(db, minutes(200))).past[0]?.id).toBe(sessionId);
  const session = await getSession(db, sessionId);
  const ics = sessionIcs(session!, `https://peerdesk.example/sessions/${sessionId}`, T0);
  expect(ics).toContain("BEGIN:VEVENT\r\n");
  expect(ics).toContain("DTSTART:20261201T160000Z\r\n");
  expect(ics).toContain("DTEND:20261201T170000Z\r\n");
  expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
});

test("followers (and everyone who asked) hear once, a few minutes before the start; the host does not", async () => {
  const { db } = database;
  const { host, sessionId } = await scheduled();
  const asker = await makePerson(db);
  const watcher = await makePerson(db);
  await askInSession(db, { sessionId, actor: asker, body: "Will the recording be shared afterwards?", now: minutes(10) });
  await follow(db, watcher.id, { type: "session", key: String(sessionId) });
  await follow(db, host.id, { type: "session", key: String(sessionId) });
  // Starts at T0 + 60 min: nothing 10 minutes before, then once within the last five minutes.
  expect(await notifySessionsStarting(db, minutes(50))).toBe(0);
  expect(await notifySessionsStarting(db, minutes(56))).toBeGreaterThanOrEqual(1);
  expect(await notifySessionsStarting(db, minutes(57))).toBe(0);
  for (const person of [asker, watcher]) {
    const items = (await listNotifications(db, person.id)).items;
    expect(items.map((n) => [n.kind, n.title, n.url, n.actorName])).toEqual([["session_starting", "Ask me anything about Wi-Fi roaming", `/sessions/${sessionId}`, "Host Hana"]]);
  }
  expect((await listNotifications(db, host.id)).items).toEqual([]);
});

test("a host's sessions: upcoming first (soonest), then past (most recent)", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor" });
  const spaceId = await makeSpace(db);
  const make = async (title: string, startMinutes: number) =>
    (await scheduleSession(db, { actor: host, title, description: "A session for the ordering test, with enough words.", spaceId, startsAtLocal: local(startMinutes), endsAtLocal: local(startMinutes + 30), timeZone: "UTC", now: minutes(startMinutes - 10) })).sessionId;
  await make("Past one, older than the other", 0);
  await make("Past two, the more recent one", 100);
  await make("Upcoming later in the week", 5000);
  await make("Upcoming soonest of them all", 1000);
  const sessions = await listHostedSessions(db, host.id, minutes(500));
  expect(sessions.map((s) => [s.title, s.isPast])).toEqual([
    ["Upcoming soonest of them all", false],
    ["Upcoming later in the week", false],
    ["Past two, the more recent one", true],
    ["Past one, older than the other", true],
  ]);
});
