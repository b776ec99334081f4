/** Feedback rules on the real database: who rates what and when, thanks, what reaches helpers, and the 7-day reminder. */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { notifications } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { rejection } from "../../tests/fixtures/errors";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { getFeedbackPrompt, rateHelp, requestOverdueFeedback, thankAnswer, thanksFor } from "./feedback.server";
import { rateHowto } from "./howto-feedback.server";
import { getImpact, getImpactSummary } from "./impact.server";
import { listNotifications } from "./notifications.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

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

async function askedAndAnswered(options: { isPlainLanguage?: boolean } = {}) {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db, { name: "Helpful Hana" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId, {
    isPlainLanguage: options.isPlainLanguage ?? false,
    now: T0,
  });
  const answerId = await makeAnswer(db, helper, questionId, { now: later(0.1) });
  return { asker, helper, spaceId, questionId, answerId };
}

test("only the asker rates, only after accepting an answer or 7 days, once, and changes it only within 24 hours", async () => {
  const { db } = database;
  const { asker, helper, questionId, answerId } = await askedAndAnswered();
  const stranger = await makePerson(db);
  expect(await getFeedbackPrompt(db, questionId, helper, later(1))).toBeNull();
  expect(await getFeedbackPrompt(db, questionId, asker, later(1))).toMatchObject({ state: "later" });
  expect((await rejection(rateHelp(db, { questionId, actor: asker, rating: 5, now: later(1) }))).status).toBe(409);
  expect((await rejection(rateHelp(db, { questionId, actor: helper, rating: 5, now: later(1) }))).status).toBe(403);
  expect((await rejection(rateHelp(db, { questionId, actor: null, rating: 5, now: later(1) }))).status).toBe(401);

  await acceptAnswer(db, { answerId, actor: asker, now: later(1) });
  expect(await getFeedbackPrompt(db, questionId, asker, later(1))).toMatchObject({ state: "open", existing: null });
  expect((await rejection(rateHelp(db, { questionId, actor: stranger, rating: 5, now: later(1) }))).status).toBe(403);
  for (const bad of ["0", "6", "3.5", "", "five"]) {
    const error = await rejection(rateHelp(db, { questionId, actor: asker, rating: bad, now: later(1) }));
    expect(error.fieldErrors.rating).toBe("Choose how well you were helped, from 1 to 5.");
  }
  expect(
    (await rejection(rateHelp(db, { questionId, actor: asker, rating: 4, comment: "x".repeat(1001), now: later(1) })))
      .fieldErrors.comment,
  ).toContain("under 1,000");

  expect(
    await rateHelp(db, { questionId, actor: asker, rating: 3, comment: "Worked after a restart.", now: later(1) }),
  ).toEqual({ isNew: true });
  // A second rating changes the first (one per question), while the 24 hours last.
  expect(
    await rateHelp(db, {
      questionId,
      actor: asker,
      rating: 5,
      comment: "Worked after a restart, thanks!",
      now: later(1.9),
    }),
  ).toEqual({ isNew: false });
  const prompt = await getFeedbackPrompt(db, questionId, asker, later(1.95));
  expect(prompt).toMatchObject({
    state: "open",
    existing: { rating: 5, comment: "Worked after a restart, thanks!", isEditable: true },
  });
  expect((await rejection(rateHelp(db, { questionId, actor: asker, rating: 1, now: later(2.01) }))).status).toBe(409);
  expect(await getFeedbackPrompt(db, questionId, asker, later(2.01))).toMatchObject({
    state: "closed",
    existing: { rating: 5, isEditable: false },
  });
});

test("7 days without an accepted answer: the asker may rate, and is reminded once in the inbox", async () => {
  const { db } = database;
  const { asker, helper, questionId } = await askedAndAnswered();
  // A question nobody answered gets no reminder (there is no help to rate yet).
  const lonely = await makeQuestion(db, asker, await makeSpace(db), { now: T0 });
  expect(await getFeedbackPrompt(db, questionId, asker, later(6.9))).toMatchObject({ state: "later" });
  expect(await getFeedbackPrompt(db, questionId, asker, later(7))).toMatchObject({ state: "open" });
  await requestOverdueFeedback(db, later(6.9));
  const reminders = () =>
    db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, asker.id), eq(notifications.kind, "feedback_request")));
  expect(await reminders()).toEqual([]);
  await requestOverdueFeedback(db, later(7.1));
  await requestOverdueFeedback(db, later(7.2));
  const sent = await reminders();
  expect(sent.map((row) => row.postId)).toEqual([questionId]);
  expect(sent.map((row) => row.postId)).not.toContain(lonely);
  await rateHelp(db, {
    questionId,
    actor: asker,
    rating: 2,
    comment: "Still broken, but I learned where to look.",
    now: later(7.3),
  });
  // Without an accepted answer the rating reaches everyone who answered.
  const impact = await getImpact(db, helper.id, later(8));
  expect(impact).toMatchObject({ ratings: 1, ratingMedian: 2 });
  expect(impact.comments.map((comment) => comment.comment)).toEqual(["Still broken, but I learned where to look."]);
});

test("thanks: once per person per answer, never for your own; counted on the answer and for its author", async () => {
  const { db } = database;
  const { asker, helper, answerId } = await askedAndAnswered();
  const reader = await makePerson(db);
  expect(await thankAnswer(db, { answerId, actor: asker })).toEqual({ thanks: 1, isNew: true });
  expect(await thankAnswer(db, { answerId, actor: asker })).toEqual({ thanks: 1, isNew: false });
  expect(await thankAnswer(db, { answerId, actor: reader })).toEqual({ thanks: 2, isNew: true });
  const own = await rejection(thankAnswer(db, { answerId, actor: helper }));
  expect(own.status).toBe(403);
  expect(own.message).toBe("You can't thank yourself for your own answer.");
  expect((await rejection(thankAnswer(db, { answerId, actor: null }))).status).toBe(401);
  expect((await rejection(thankAnswer(db, { answerId: 999_999, actor: reader }))).status).toBe(404);
  expect((await thanksFor(db, [answerId], reader.id)).get(answerId)).toEqual({ count: 2, byViewer: true });
  expect((await thanksFor(db, [answerId], helper.id)).get(answerId)).toEqual({ count: 2, byViewer: false });
  expect(await getImpactSummary(db, helper.id)).toEqual({ peopleHelped: 2, acceptedAnswers: 0, thanksReceived: 2 });
  // The helper hears of it (once per answer, whoever thanks first), as they choose by email.
  const notes = (await listNotifications(db, helper.id)).items.filter((n) => n.kind === "thanks");
  expect(notes.map((n) => [n.kind, n.url.endsWith(`#answer-${answerId}`)])).toEqual([["thanks", true]]);
});

test("a rating reaches its helpers as a notification: the accepted answer's author, not the other answerers", async () => {
  const { db } = database;
  const { asker, helper, questionId, answerId } = await askedAndAnswered();
  const other = await makePerson(db);
  await makeAnswer(db, other, questionId, { now: later(0.2) });
  await acceptAnswer(db, { answerId, actor: asker, now: later(1) });
  await rateHelp(db, { questionId, actor: asker, rating: 5, now: later(1.1) });
  await rateHelp(db, { questionId, actor: asker, rating: 4, now: later(1.2) });
  const kinds = async (id: string) =>
    (await listNotifications(db, id)).items.filter((n) => n.kind === "rating").map((n) => n.actorName);
  expect(await kinds(helper.id)).toHaveLength(1);
  expect(await kinds(other.id)).toEqual([]);
});

test("My impact: ratings reach the accepted answer's author only; plain-language ratings, how-to helpfulness, a 12-week trend", async () => {
  const { db } = database;
  const { asker, helper, questionId, answerId } = await askedAndAnswered({ isPlainLanguage: true });
  const other = await makePerson(db);
  const otherAnswer = await makeAnswer(db, other, questionId, { now: later(0.2) });
  await acceptAnswer(db, { answerId, actor: asker, now: later(0.5) });
  await rateHelp(db, {
    questionId,
    actor: asker,
    rating: 4,
    easyToUnderstand: "yes",
    comment: "Clear steps, no jargon.",
    now: later(0.6),
  });
  await thankAnswer(db, { answerId: otherAnswer, actor: asker, now: later(0.7) });
  const howtoId = await makeHowto(db, helper, await makeSpace(db), {
    title: "Connect to the office Wi-Fi from a phone",
  });
  for (const [reader, isHelpful] of [
    [await makePerson(db), true],
    [await makePerson(db), true],
    [await makePerson(db), false],
  ] as const) {
    await rateHowto(db, {
      howtoId,
      actor: reader,
      isHelpful,
      comment: isHelpful ? "" : "Step 3 didn't match my phone.",
    });
  }

  const impact = await getImpact(db, helper.id, later(1));
  expect(impact).toMatchObject({
    peopleHelped: 1,
    acceptedAnswers: 1,
    thanksReceived: 0,
    ratings: 1,
    ratingMedian: 4,
    plainLanguageRated: 1,
    plainLanguageShare: 1,
    howtoVotes: 3,
  });
  expect(impact.howtoHelpfulShare).toBeCloseTo(2 / 3, 6);
  expect(impact.comments.map((comment) => [comment.kind, comment.comment])).toEqual(
    expect.arrayContaining([
      ["rating", "Clear steps, no jargon."],
      ["howto", "Step 3 didn't match my phone."],
    ]),
  );
  expect(impact.weeks).toHaveLength(12);
  expect(impact.weeks[11]).toMatchObject({ accepted: 1, ratings: 1, ratingAverage: 4 });
  expect(impact.weeks.slice(0, 11).every((week) => week.accepted === 0)).toBe(true);
  // The other answerer was thanked, but the rating went to the accepted answer only.
  const theirs = await getImpact(db, other.id, later(1));
  expect(theirs).toMatchObject({ ratings: 0, thanksReceived: 1, peopleHelped: 1 });
  // The asker's own view holds none of this: nobody is credited for their own question.
  expect(await getImpactSummary(db, asker.id)).toEqual({ peopleHelped: 0, acceptedAnswers: 0, thanksReceived: 0 });
});
