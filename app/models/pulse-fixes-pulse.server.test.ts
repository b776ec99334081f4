/**
 * The pulse on the real database: trend buckets are calendar days in UTC (the last one today so far) and labelled with
 * the days they cover; closed questions are out of the unanswered backlog and list (back when reopened); "easy to
 * understand" is neither asked, kept nor counted for a question nobody answered.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { helpRatings } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { closeQuestion, reopenQuestion } from "./close.server";
import { getFeedbackPrompt, rateHelp } from "./feedback.server";
import {
  getServiceLevels,
  getServiceLevelsBySpace,
  getServiceLevelsByTag,
  getServiceTrend,
  listUnansweredOldestFirst,
  refreshQuestionFacts,
  trendBucketLabel,
  trendBuckets,
} from "./pulse.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const at = (iso: string) => new Date(iso);

test("trend days are calendar days in UTC from the period's start (part of a day) to today so far, each labelled with its own date", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const spaceId = await makeSpace(db);
  // 09:00 UTC: before noon, when a day's bucket used to be named after the day before.
  const now = at("2026-06-30T09:00:00Z");
  await makeQuestion(db, asker, spaceId, {
    title: "Badge reader at the side door blinks red",
    now: at("2026-06-30T01:00:00Z"),
  });
  await makeQuestion(db, asker, spaceId, {
    title: "Laptop fan is loud after the update",
    now: at("2026-06-29T20:00:00Z"),
  });
  await makeQuestion(db, asker, spaceId, {
    title: "Teams status stuck on away all day",
    now: at("2026-06-24T00:00:00Z"),
  });
  const scope = { kind: "space", spaceId } as const;

  const buckets = trendBuckets({ days: 7, now });
  // The headline's 7 × 24 hours: from 09:00 on Jun 23 (part of a day) to now.
  expect(buckets.map((bucket) => bucket.start.toISOString())).toEqual([
    "2026-06-23T09:00:00.000Z",
    "2026-06-24T00:00:00.000Z",
    "2026-06-25T00:00:00.000Z",
    "2026-06-26T00:00:00.000Z",
    "2026-06-27T00:00:00.000Z",
    "2026-06-28T00:00:00.000Z",
    "2026-06-29T00:00:00.000Z",
    "2026-06-30T00:00:00.000Z",
  ]);
  expect(buckets[6]?.end.toISOString()).toBe("2026-06-30T00:00:00.000Z");
  expect(buckets[7]?.end.toISOString()).toBe(now.toISOString());
  expect(buckets.map(trendBucketLabel)).toEqual([
    "Jun 23",
    "Jun 24",
    "Jun 25",
    "Jun 26",
    "Jun 27",
    "Jun 28",
    "Jun 29",
    "Jun 30",
  ]);
  const trend = await getServiceTrend(db, scope, { days: 7, now });
  expect(trend.map((bucket) => bucket.asked)).toEqual([0, 1, 0, 0, 0, 0, 1, 1]);

  // 90 days: 13 weeks of 7 calendar days, the last one ending today.
  const weeks = trendBuckets({ days: 90, now });
  expect(weeks).toHaveLength(13);
  // Intl puts thin spaces around the dash.
  const labels = weeks.map((week) => trendBucketLabel(week).replace(/\s/g, " "));
  expect(labels.slice(-3)).toEqual(["Jun 10 – 16", "Jun 17 – 23", "Jun 24 – 30"]);
  expect(labels[0]).toBe("Apr 1 – 7");
  const weekly = await getServiceTrend(db, scope, { days: 90, now });
  expect(weekly.at(-1)?.asked).toBe(3);
  expect(weekly.at(-2)?.asked).toBe(0);
});

test("a closed question leaves the unanswered backlog and list, and comes back when reopened", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const waiting = await makeQuestion(db, asker, spaceId, {
    title: "Shared drive asks for my password every morning",
    tags: "backlog-check",
    now: at("2026-06-20T10:00:00Z"),
  });
  const offTopic = await makeQuestion(db, asker, spaceId, {
    title: "Which pizza place delivers to the office fastest",
    tags: "backlog-check",
    now: at("2026-06-19T10:00:00Z"),
  });
  const now = at("2026-06-30T12:00:00Z");
  const window = { days: 30, now } as const;
  const tag = async () =>
    (await getServiceLevelsByTag(db, window, 100)).find((row) => row.slug === "backlog-check")?.unansweredBacklog;
  const space = async () => (await getServiceLevelsBySpace(db, window)).find((row) => row.spaceId === spaceId);

  expect((await getServiceLevels(db, { kind: "space", spaceId }, window)).unansweredBacklog).toBe(2);
  await closeQuestion(db, { actor: moderator, questionId: offTopic, reason: "off_topic" });

  expect((await getServiceLevels(db, { kind: "space", spaceId }, window)).unansweredBacklog).toBe(1);
  expect((await listUnansweredOldestFirst(db, spaceId, { now })).map((question) => question.id)).toEqual([waiting]);
  expect(await space()).toMatchObject({ unansweredBacklog: 1, oldestUnansweredAt: at("2026-06-20T10:00:00Z") });
  expect(await tag()).toBe(1);
  const site = (await getServiceLevels(db, { kind: "site" }, window)).unansweredBacklog;
  // Still asked in the period: closing takes it off the backlog only.
  expect((await getServiceLevels(db, { kind: "space", spaceId }, window)).asked).toBe(2);

  await reopenQuestion(db, { actor: moderator, questionId: offTopic });
  expect((await listUnansweredOldestFirst(db, spaceId, { now })).map((question) => question.id)).toEqual([
    offTopic,
    waiting,
  ]);
  expect((await space())?.unansweredBacklog).toBe(2);
  expect(await tag()).toBe(2);
  expect((await getServiceLevels(db, { kind: "site" }, window)).unansweredBacklog).toBe(site + 1);
});

test("a question nobody answered can be rated, but 'easy to understand' is not asked, kept or counted", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const spaceId = await makeSpace(db);
  const askedAt = at("2026-06-01T10:00:00Z");
  const unanswered = await makeQuestion(db, asker, spaceId, {
    title: "Printer in the hall never wakes up",
    isPlainLanguage: true,
    now: askedAt,
  });
  const now = at("2026-06-10T10:00:00Z");
  expect(await getFeedbackPrompt(db, unanswered, asker, now)).toMatchObject({
    state: "open",
    asksEasyToUnderstand: false,
  });
  await rateHelp(db, { questionId: unanswered, actor: asker, rating: 2, easyToUnderstand: "yes", now });
  const [stored] = await db.select().from(helpRatings).where(eq(helpRatings.questionId, unanswered));
  expect(stored).toMatchObject({ rating: 2, easyToUnderstand: null });
  expect(await getFeedbackPrompt(db, unanswered, asker, now)).toMatchObject({
    existing: { rating: 2, easyToUnderstand: null },
  });

  // A rating stored before this rule said it of a question nobody answered: neither shown nor counted.
  await db.update(helpRatings).set({ easyToUnderstand: true }).where(eq(helpRatings.questionId, unanswered));
  await refreshQuestionFacts(db, [unanswered]);
  expect(await getFeedbackPrompt(db, unanswered, asker, now)).toMatchObject({
    existing: { rating: 2, easyToUnderstand: null },
  });
  const levels = await getServiceLevels(db, { kind: "space", spaceId }, { days: 30, now });
  expect(levels).toMatchObject({ ratings: 1, plainLanguageRated: 0, plainLanguageShare: null });

  // Answered, the question is asked and counted again.
  const answered = await makeQuestion(db, asker, spaceId, {
    title: "Monitor flickers when the blinds are open",
    isPlainLanguage: true,
    now: askedAt,
  });
  await makeAnswer(db, helper, answered, { now: at("2026-06-01T12:00:00Z") });
  expect(await getFeedbackPrompt(db, answered, asker, now)).toMatchObject({ asksEasyToUnderstand: true });
  await rateHelp(db, { questionId: answered, actor: asker, rating: 5, easyToUnderstand: "yes", now });
  expect(await getServiceLevels(db, { kind: "space", spaceId }, { days: 30, now })).toMatchObject({
    ratings: 2,
    plainLanguageRated: 1,
    plainLanguageShare: 1,
  });
});
