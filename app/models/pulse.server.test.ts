/**
 * Service levels on the real database, from a hand-made timeline whose medians and percentiles are worked out below
 * by hand: responses by others only (self-answers and the asker's comments don't count), deleted answers and questions
 * left out, a question moved between spaces counting for its new space, times written in several UTC offsets.
 */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { questionFacts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { rateHelp } from "./feedback.server";
import { softDeletePost } from "./posts.server";
import {
  getServiceLevels,
  getServiceLevelsBySpace,
  getServiceLevelsByTag,
  getServiceTrend,
  listUnansweredOldestFirst,
  rebuildQuestionFacts,
  trendBuckets,
} from "./pulse.server";
import { moveQuestion } from "./questions.server";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
const NOW = new Date("2026-06-30T12:00:00Z");
const at = (iso: string) => new Date(iso);
const hoursAfter = (date: Date, hours: number) => new Date(date.getTime() + hours * 3_600_000);
const ids: Record<string, number> = {};
let spaceA = 0;
let spaceB = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  spaceA = await makeSpace(db);
  spaceB = await makeSpace(db);
  const h1 = await makePerson(db, { name: "Helper One" });
  const h2 = await makePerson(db, { name: "Helper Two" });
  const moderator = await makePerson(db, { role: "moderator" });
  const asker = async () => makePerson(db);

  // Q1: asked 09:00 at UTC+2 (07:00Z, 10 days before NOW); answered 2 h later, written at UTC-5; accepted after 5 h;
  // plain language, rated 4 and "easy to understand".
  const a1 = await asker();
  const q1At = at("2026-06-20T09:00:00+02:00");
  ids.q1 = await makeQuestion(db, a1, spaceA, {
    title: "The printer on floor two prints blank pages",
    tags: "printing",
    isPlainLanguage: true,
    now: q1At,
  });
  const q1Answer = await makeAnswer(db, h1, ids.q1, { now: at("2026-06-20T04:00:00-05:00") });
  await acceptAnswer(db, { answerId: q1Answer, actor: a1, now: hoursAfter(q1At, 5) });
  await rateHelp(db, { questionId: ids.q1, actor: a1, rating: 4, easyToUnderstand: "yes", now: hoursAfter(q1At, 6) });

  // Q2: the asker's own comment (no response), a helper's comment after 1 h (first response), an answer after 30 h.
  const a2 = await asker();
  const q2At = at("2026-06-21T12:00:00Z");
  ids.q2 = await makeQuestion(db, a2, spaceA, {
    title: "Scanner sends every page twice to the mail",
    tags: "printing",
    now: q2At,
  });
  await addComment(db, {
    postId: ids.q2,
    actor: a2,
    body: "Forgot to say: it is the Ricoh on floor one.",
    now: hoursAfter(q2At, 0.5),
  });
  await addComment(db, {
    postId: ids.q2,
    actor: h2,
    body: "Which firmware does the scanner run?",
    now: hoursAfter(q2At, 1),
  });
  await makeAnswer(db, h1, ids.q2, { now: hoursAfter(q2At, 30) });

  // Q3: the asker answers it themselves after 1 h and accepts that after 6 h; a helper's answer after 4 h was accepted
  // and rated 2 after 5 h, then deleted: the rating, of help the asker no longer counts as the answer, is left out.
  const a3 = await asker();
  const q3At = at("2026-06-22T12:00:00Z");
  ids.q3 = await makeQuestion(db, a3, spaceA, {
    title: "Teams meeting room panel stuck on updating",
    tags: "vpn",
    now: q3At,
  });
  const own = await makeAnswer(db, a3, ids.q3, { now: hoursAfter(q3At, 1) });
  const deleted = await makeAnswer(db, h2, ids.q3, { now: hoursAfter(q3At, 4) });
  await acceptAnswer(db, { answerId: deleted, actor: a3, now: hoursAfter(q3At, 4.5) });
  await rateHelp(db, { questionId: ids.q3, actor: a3, rating: 2, now: hoursAfter(q3At, 5) });
  await softDeletePost(db, { postId: deleted, by: h2.id });
  await acceptAnswer(db, { answerId: own, actor: a3, now: hoursAfter(q3At, 6) });

  // Q4: exactly 7 days before NOW, never answered (the backlog).
  ids.q4 = await makeQuestion(db, await asker(), spaceA, {
    title: "Shared mailbox does not show in Outlook",
    tags: "vpn",
    now: at("2026-06-23T12:00:00Z"),
  });

  // Q5: asked in A 6 days ago, answered after 3 h, then moved to B: it counts for B.
  const q5At = at("2026-06-24T12:00:00Z");
  ids.q5 = await makeQuestion(db, await asker(), spaceA, {
    title: "Laptop docking station loses both screens",
    tags: "vpn",
    now: q5At,
  });
  await makeAnswer(db, h2, ids.q5, { now: hoursAfter(q5At, 3) });
  await moveQuestion(db, { questionId: ids.q5, spaceId: spaceB, actor: moderator });

  // Q6: asked 12 h ago, answered after 1 h: a response, but too young for the 24-hour share.
  const q6At = at("2026-06-30T00:00:00Z");
  ids.q6 = await makeQuestion(db, await asker(), spaceA, {
    title: "Password reset email never arrives today",
    tags: "vpn",
    now: q6At,
  });
  await makeAnswer(db, h1, ids.q6, { now: hoursAfter(q6At, 1) });

  // Q7: 40 days ago (in 90 days, not in 30), answered after 10 h.
  const q7At = at("2026-05-21T12:00:00Z");
  ids.q7 = await makeQuestion(db, await asker(), spaceA, {
    title: "Calendar invites arrive an hour late",
    tags: "vpn",
    now: q7At,
  });
  await makeAnswer(db, h2, ids.q7, { now: hoursAfter(q7At, 10) });

  // Q8: answered, then the question was deleted: it counts nowhere.
  const q8At = at("2026-06-25T12:00:00Z");
  ids.q8 = await makeQuestion(db, await asker(), spaceA, {
    title: "A question that was removed as spam",
    tags: "vpn",
    now: q8At,
  });
  await makeAnswer(db, h1, ids.q8, { now: hoursAfter(q8At, 1) });
  await softDeletePost(db, { postId: ids.q8, by: moderator.id });
});

afterAll(async () => {
  await database?.close();
});

test("space A, 30 days: medians and the 90th percentile over others' responses; 24-hour share over old-enough questions", async () => {
  const levels = await getServiceLevels(database.db, { kind: "space", spaceId: spaceA }, { days: 30, now: NOW });
  // Asked: Q1, Q2, Q3, Q4, Q6. Responses: Q2 1 h (comment), Q6 1 h, Q1 2 h; Q3 none (own answer, deleted answer), Q4 none.
  expect(levels.asked).toBe(5);
  expect(levels.responded).toBe(3);
  expect(levels.firstResponseMedianHours).toBeCloseTo(1, 6);
  // percentile_cont(0.9) of [1, 1, 2]: position 0.9 × 2 = 1.8, so 1 + 0.8 × (2 − 1) = 1.8.
  expect(levels.firstResponseP90Hours).toBeCloseTo(1.8, 6);
  // Accepted: Q1 after 5 h, Q3 after 6 h.
  expect(levels.acceptedMedianHours).toBeCloseTo(5.5, 6);
  // At least 24 h old: Q1–Q4; answered by someone else within 24 h: Q1 only (Q2 after 30 h).
  expect(levels.answeredWithin24hShare).toBeCloseTo(0.25, 6);
  expect(levels.solved).toBe(2);
  expect(levels.solvedShare).toBeCloseTo(0.4, 6);
  // Rated: Q1 (4); Q3's 2 is left out, its accepted answer being the asker's own.
  expect(levels.ratings).toBe(1);
  expect(levels.ratingAverage).toBeCloseTo(4, 6);
  expect(levels.plainLanguageRated).toBe(1);
  expect(levels.plainLanguageShare).toBe(1);
  // Q4 only: Q3 is solved, Q8 deleted, the rest have an answer from someone else.
  expect(levels.unansweredBacklog).toBe(1);
});

test("a moved question counts for its new space; site-wide sums both; periods of 7 and 90 days", async () => {
  const { db } = database;
  const b = await getServiceLevels(db, { kind: "space", spaceId: spaceB }, { days: 30, now: NOW });
  expect(b).toMatchObject({ asked: 1, responded: 1, solved: 0 });
  expect(b.firstResponseMedianHours).toBeCloseTo(3, 6);
  expect(b.answeredWithin24hShare).toBe(1);

  const site30 = await getServiceLevels(db, { kind: "site" }, { days: 30, now: NOW });
  expect(site30.asked).toBe(6);
  // [1, 1, 2, 3]: median 1.5; p90 position 2.7 → 2 + 0.7 × 1 = 2.7.
  expect(site30.firstResponseMedianHours).toBeCloseTo(1.5, 6);
  expect(site30.firstResponseP90Hours).toBeCloseTo(2.7, 6);

  const site90 = await getServiceLevels(db, { kind: "site" }, { days: 90, now: NOW });
  expect(site90.asked).toBe(7);
  // [1, 1, 2, 3, 10]: median 2; p90 position 3.6 → 3 + 0.6 × 7 = 7.2.
  expect(site90.firstResponseMedianHours).toBeCloseTo(2, 6);
  expect(site90.firstResponseP90Hours).toBeCloseTo(7.2, 6);

  // 7 days: Q4 (exactly 7 days ago, included), Q5, Q6; responses 3 h and 1 h.
  const site7 = await getServiceLevels(db, { kind: "site" }, { days: 7, now: NOW });
  expect(site7.asked).toBe(3);
  expect(site7.firstResponseMedianHours).toBeCloseTo(2, 6);

  const spaces = await getServiceLevelsBySpace(db, { days: 30, now: NOW });
  const bySpace = new Map(spaces.map((space) => [space.spaceId, space]));
  expect(bySpace.get(spaceA)).toMatchObject({ asked: 5, unansweredBacklog: 1 });
  expect(bySpace.get(spaceA)?.oldestUnansweredAt?.toISOString()).toBe("2026-06-23T12:00:00.000Z");
  expect(bySpace.get(spaceB)).toMatchObject({ asked: 1, unansweredBacklog: 0, oldestUnansweredAt: null });
});

test("per tag: the questions carrying it", async () => {
  const tags = await getServiceLevelsByTag(database.db, { days: 30, now: NOW });
  const printing = tags.find((tag) => tag.slug === "printing");
  // Q1 (2 h) and Q2 (1 h).
  expect(printing).toMatchObject({ asked: 2, responded: 2, solved: 1 });
  expect(printing?.firstResponseMedianHours).toBeCloseTo(1.5, 6);
  const levels = await getServiceLevels(database.db, { kind: "tag", tagId: printing!.tagId }, { days: 30, now: NOW });
  expect(levels.asked).toBe(2);
  expect(tags[0]?.slug).toBe("vpn");
  // The table's unanswered count is the tag page's.
  for (const tag of tags) {
    const page = await getServiceLevels(database.db, { kind: "tag", tagId: tag.tagId }, { days: 30, now: NOW });
    expect([tag.slug, tag.unansweredBacklog]).toEqual([tag.slug, page.unansweredBacklog]);
  }
  expect(tags.some((tag) => tag.unansweredBacklog > 0)).toBe(true);
});

test("trend: calendar days (UTC) over the headline's own 7 × 24 hours: the first day from 7 days ago, the last today so far", async () => {
  const buckets = trendBuckets({ days: 7, now: NOW });
  // Jun 23 from 12:00 (part of a day), Jun 24 to 29 whole, Jun 30 until now.
  expect(buckets).toHaveLength(8);
  expect(buckets[0]?.start.toISOString()).toBe("2026-06-23T12:00:00.000Z");
  expect(buckets[0]?.end.toISOString()).toBe("2026-06-24T00:00:00.000Z");
  expect(buckets[1]?.start.toISOString()).toBe("2026-06-24T00:00:00.000Z");
  expect(buckets[7]?.start.toISOString()).toBe("2026-06-30T00:00:00.000Z");
  expect(buckets[7]?.end.toISOString()).toBe(NOW.toISOString());
  const trend = await getServiceTrend(database.db, { kind: "site" }, { days: 7, now: NOW });
  // Jun 23: Q4 (exactly 7 days ago, never answered); Jun 24: Q5 (answered after 3 h); Jun 25: Q8, deleted; Jun 30: Q6 (after 1 h).
  expect(trend.map((bucket) => bucket.asked)).toEqual([1, 1, 0, 0, 0, 0, 0, 1]);
  expect(trend.map((bucket) => bucket.firstResponseMedianHours)).toEqual([null, 3, null, null, null, null, null, 1]);
  expect(trend[1]?.answeredWithin24hShare).toBe(1);
  // The chart counts the questions the headline counts.
  const headline = await getServiceLevels(database.db, { kind: "site" }, { days: 7, now: NOW });
  expect(trend.reduce((sum, bucket) => sum + bucket.asked, 0)).toBe(headline.asked);
  // 90 days: 13 weeks, the first starting 90 days ago (part of a week); exactly at a midnight, 7 whole days.
  const weeks = trendBuckets({ days: 90, now: NOW });
  expect(weeks).toHaveLength(13);
  expect(weeks[0]?.start.toISOString()).toBe("2026-04-01T12:00:00.000Z");
  const atMidnight = trendBuckets({ days: 7, now: new Date("2026-06-30T00:00:00Z") });
  expect(atMidnight.map((bucket) => bucket.end.getTime() - bucket.start.getTime())).toEqual(Array(7).fill(86_400_000));
});

test("unanswered, oldest first, per space", async () => {
  const list = await listUnansweredOldestFirst(database.db, spaceA, { now: NOW });
  expect(list.map((question) => question.id)).toEqual([ids.q4]);
  expect(await listUnansweredOldestFirst(database.db, spaceB, { now: NOW })).toEqual([]);
});

test("only moderators move questions, to another open space", async () => {
  const { db } = database;
  const member = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  expect((await rejection(moveQuestion(db, { questionId: ids.q4!, spaceId: spaceB, actor: member }))).status).toBe(403);
  expect(
    (await rejection(moveQuestion(db, { questionId: ids.q4!, spaceId: spaceA, actor: moderator }))).fieldErrors.spaceId,
  ).toBe("Choose a different space.");
  const archived = await makeSpace(db, { archived: true });
  expect(
    (await rejection(moveQuestion(db, { questionId: ids.q4!, spaceId: archived, actor: moderator }))).fieldErrors
      .spaceId,
  ).toContain("archived");
  expect((await rejection(moveQuestion(db, { questionId: ids.q8!, spaceId: spaceB, actor: moderator }))).status).toBe(
    404,
  );
});

test("the facts kept in step by each write equal a rebuild from scratch", async () => {
  const { db } = database;
  const kept = await db.select().from(questionFacts).orderBy(questionFacts.questionId);
  expect(kept).toHaveLength(8);
  await db.execute(sql`delete from question_facts`);
  expect(await rebuildQuestionFacts(db)).toBe(8);
  const rebuilt = await db.select().from(questionFacts).orderBy(questionFacts.questionId);
  expect(rebuilt).toEqual(kept);
});
