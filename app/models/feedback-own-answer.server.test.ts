/**
 * Rating your own help: once the asker accepts their own answer there is no one else's help to rate, so the rating is
 * not offered (the feedback page and the question page's card), refused in words if sent anyway, and a rating given
 * before (while someone else's answer was accepted) is not counted in the pulse while it stays so. On the real database.
 */
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { helpRatings, questionFacts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { getFeedbackPrompt, rateHelp } from "./feedback.server";
import { softDeletePost } from "./posts.server";
import { getServiceLevels } from "./pulse.server";
import { loadQuestionViewer } from "./question-viewer.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const DAY = 86_400_000;
const T0 = new Date("2026-09-01T10:00:00Z");
const later = (days: number) => new Date(T0.getTime() + days * DAY);

/** The asker's rating card as the question page's one-query viewer gives it. */
async function cardOnQuestionPage(questionId: number, actor: Awaited<ReturnType<typeof makePerson>>, now: Date) {
  return (await loadQuestionViewer(database.db, questionId, actor, { now }))?.feedback;
}

async function ratingsOnPulse(spaceId: number): Promise<{ ratings: number; ratingAverage: number | null }> {
  const { ratings, ratingAverage } = await getServiceLevels(
    database.db,
    { kind: "space", spaceId },
    { days: 30, now: later(3) },
  );
  return { ratings, ratingAverage };
}

test("Tom answers his own question and accepts it: no rating offered, one sent is refused in words, none counted", async () => {
  const { db } = database;
  const tom = await makePerson(db, { name: "Tom Asks" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, tom, spaceId, { now: T0 });
  const own = await makeAnswer(db, tom, questionId, { now: later(0.1) });
  await acceptAnswer(db, { answerId: own, actor: tom, now: later(0.2) });

  expect(await getFeedbackPrompt(db, questionId, tom, later(0.3))).toEqual({ state: "ownAnswer" });
  expect(await cardOnQuestionPage(questionId, tom, later(0.3))).toEqual({ state: "ownAnswer" });
  // Not after 7 days either: accepting his own answer is what rules it out.
  expect(await getFeedbackPrompt(db, questionId, tom, later(8))).toEqual({ state: "ownAnswer" });

  const refused = await rejection(
    rateHelp(db, { questionId, actor: tom, rating: 5, comment: "Sorted it myself.", now: later(0.3) }),
  );
  expect(refused.status).toBe(409);
  expect(refused.message).toBe(
    "You accepted your own answer, so there is no help from others to rate on this question. Nothing was saved.",
  );
  expect(await db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId))).toEqual([]);
  expect(await ratingsOnPulse(spaceId)).toEqual({ ratings: 0, ratingAverage: null });
});

test("a rating given while Priya's answer was accepted stops counting once Tom accepts his own, and counts again after", async () => {
  const { db } = database;
  const tom = await makePerson(db, { name: "Tom Asks" });
  const priya = await makePerson(db, { name: "Priya Helps" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, tom, spaceId, { now: T0 });
  const priyas = await makeAnswer(db, priya, questionId, { now: later(0.1) });
  const own = await makeAnswer(db, tom, questionId, { now: later(0.2) });

  await acceptAnswer(db, { answerId: priyas, actor: tom, now: later(0.3) });
  expect(await getFeedbackPrompt(db, questionId, tom, later(0.3))).toMatchObject({ state: "open", existing: null });
  await rateHelp(db, { questionId, actor: tom, rating: 5, now: later(0.4) });
  expect(await ratingsOnPulse(spaceId)).toEqual({ ratings: 1, ratingAverage: 5 });

  await acceptAnswer(db, { answerId: own, actor: tom, now: later(0.5) });
  expect(await getFeedbackPrompt(db, questionId, tom, later(0.6))).toEqual({ state: "ownAnswer" });
  expect(await cardOnQuestionPage(questionId, tom, later(0.6))).toEqual({ state: "ownAnswer" });
  expect((await rejection(rateHelp(db, { questionId, actor: tom, rating: 4, now: later(0.6) }))).status).toBe(409);
  expect(await ratingsOnPulse(spaceId)).toEqual({ ratings: 0, ratingAverage: null });

  await acceptAnswer(db, { answerId: priyas, actor: tom, now: later(0.7) });
  expect(await getFeedbackPrompt(db, questionId, tom, later(0.8))).toMatchObject({
    state: "open",
    existing: { rating: 5 },
  });
  expect(await ratingsOnPulse(spaceId)).toEqual({ ratings: 1, ratingAverage: 5 });
});

test("only his own answer, none accepted: after 7 days Tom may still say how well others helped, as with no answer", async () => {
  const { db } = database;
  const tom = await makePerson(db, { name: "Tom Asks" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, tom, spaceId, { now: T0 });
  await makeAnswer(db, tom, questionId, { now: later(0.1) });
  expect(await getFeedbackPrompt(db, questionId, tom, later(7))).toMatchObject({ state: "open" });
  await rateHelp(db, { questionId, actor: tom, rating: 1, now: later(7) });
  const { ratings } = await getServiceLevels(db, { kind: "space", spaceId }, { days: 30, now: later(8) });
  expect(ratings).toBe(1);
});

test("when Tom's own accepted answer is deleted, the rating he gave Priya's help counts again", async () => {
  const { db } = database;
  const tom = await makePerson(db, { name: "Tom Asks" });
  const priya = await makePerson(db, { name: "Priya Helps" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, tom, spaceId, { now: T0 });
  const priyas = await makeAnswer(db, priya, questionId, { now: later(0.1) });
  const own = await makeAnswer(db, tom, questionId, { now: later(0.2) });
  await acceptAnswer(db, { answerId: priyas, actor: tom, now: later(0.3) });
  await rateHelp(db, { questionId, actor: tom, rating: 4, now: later(0.4) });
  await acceptAnswer(db, { answerId: own, actor: tom, now: later(0.5) });
  expect(await ratingsOnPulse(spaceId)).toEqual({ ratings: 0, ratingAverage: null });

  await softDeletePost(db, { postId: own, by: tom.id });
  expect(await ratingsOnPulse(spaceId)).toEqual({ ratings: 1, ratingAverage: 4 });
});

test("the migration that records own accepted answers in the pulse's facts marks exactly those questions", async () => {
  const { db } = database;
  const tom = await makePerson(db, { name: "Tom Asks" });
  const priya = await makePerson(db, { name: "Priya Helps" });
  const spaceId = await makeSpace(db);
  const ownQuestion = await makeQuestion(db, tom, spaceId, { now: T0 });
  await acceptAnswer(db, { answerId: await makeAnswer(db, tom, ownQuestion, { now: later(0.1) }), actor: tom });
  const helpedQuestion = await makeQuestion(db, tom, spaceId, { now: T0 });
  await acceptAnswer(db, { answerId: await makeAnswer(db, priya, helpedQuestion, { now: later(0.1) }), actor: tom });
  const openQuestion = await makeQuestion(db, tom, spaceId, { now: T0 });
  const ids = [ownQuestion, helpedQuestion, openQuestion];
  const marked = async () =>
    new Map(
      (await db.select().from(questionFacts)).flatMap((row) =>
        ids.includes(row.questionId) ? [[row.questionId, row.acceptsOwnAnswer] as const] : [],
      ),
    );
  expect(await marked()).toEqual(
    new Map([
      [ownQuestion, true],
      [helpedQuestion, false],
      [openQuestion, false],
    ]),
  );

  // Facts rows written before the column existed hold its default; the migration's update fills it in.
  await db.update(questionFacts).set({ acceptsOwnAnswer: false });
  const migration = readFileSync(
    new URL("../../db/migrations/0052_question_facts_own_answer.sql", import.meta.url),
    "utf8",
  );
  const backfill =
    migration.split("--> statement-breakpoint").find((part) => part.includes('accepts_own_answer" = true')) ?? "";
  expect(backfill).toContain("UPDATE");
  await db.execute(sql.raw(backfill));
  expect(await marked()).toEqual(
    new Map([
      [ownQuestion, true],
      [helpedQuestion, false],
      [openQuestion, false],
    ]),
  );
});
