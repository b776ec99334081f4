/**
 * My impact read from impact_events (kept by the triggers of its migration) against the from-scratch computation from
 * the base tables, on the real database, after every kind of write that changes it: answers posted, accepted, taken
 * back, deleted and restored, thanks given and withdrawn, ratings given, changed and removed, questions deleted,
 * restored, made plain-language, answers moved to another question, accounts deleted.
 */
import { sql } from "drizzle-orm";
import { type Database, type Db, queryRows } from "#db/client.server";
import { seededRandom } from "~/lib/seeded-random";
import { createTestDatabase } from "../../tests/fixtures/db";
import { impactFromScratch, summaryFromScratch } from "../../tests/fixtures/impact-from-scratch";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { deleteAccount } from "./account-deletion.server";
import { acceptAnswer, unacceptAnswer } from "./answers.server";
import { rateHelp, thankAnswer } from "./feedback.server";
import { rateHowto } from "./howto-feedback.server";
import { getImpact, getImpactSummary } from "./impact.server";
import { PostingError } from "./post-errors.server";
import { restorePost, softDeletePost } from "./posts.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const DAY = 86_400_000;
const T0 = new Date("2026-06-01T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** getImpact must give exactly what the from-scratch computation gives, for everyone, seen from `now`. */
async function expectSameForEveryone(db: Db, people: { id: string }[], now: Date, step: string) {
  for (const person of people) {
    const fast = await getImpact(db, person.id, now);
    const slow = await impactFromScratch(db, person.id, now);
    expect(fast, `${step}: My impact of ${person.id}`).toEqual(slow);
    expect(await getImpactSummary(db, person.id), `${step}: profile of ${person.id}`).toEqual(
      await summaryFromScratch(db, person.id),
    );
  }
}

/** Refused writes (a rule said no) are part of the sequence; anything else is a failure. */
async function tolerated(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof PostingError)) throw error;
  }
}

test("every kind of write keeps My impact equal to the from-scratch computation", async () => {
  const { db } = database;
  const asker = await makePerson(db, { name: "Asking Ada" });
  const helper = await makePerson(db, { name: "Helpful Hana" });
  const other = await makePerson(db, { name: "Other Olu" });
  const reader = await makePerson(db, { name: "Reading Rui" });
  const moderator = await makePerson(db, { role: "moderator" });
  const people = [asker, helper, other, reader];
  const space = await makeSpace(db);
  const plainSpace = await makeSpace(db, { plain: true });
  const check = (step: string, now = at(30)) => expectSameForEveryone(db, people, now, step);

  const q1 = await makeQuestion(db, asker, plainSpace, { isPlainLanguage: true, now: at(0) });
  const a1 = await makeAnswer(db, helper, q1, { now: at(0.1) });
  const a2 = await makeAnswer(db, other, q1, { now: at(0.2) });
  await check("answered");
  await acceptAnswer(db, { answerId: a1, actor: asker, now: at(0.5) });
  await check("accepted");
  await rateHelp(db, {
    questionId: q1,
    actor: asker,
    rating: 4,
    easyToUnderstand: "yes",
    comment: "Clear.",
    now: at(1),
  });
  await check("rated");
  await rateHelp(db, { questionId: q1, actor: asker, rating: 2, easyToUnderstand: "no", comment: "", now: at(1.5) });
  await check("rating changed, comment removed");
  await thankAnswer(db, { answerId: a1, actor: reader, now: at(2) });
  await thankAnswer(db, { answerId: a2, actor: asker, now: at(2) });
  await check("thanked");
  // Nothing in the app takes thanks back today; a person's erased data or a moderator's clean-up does.
  await db.execute(sql`delete from answer_thanks where answer_id = ${a1} and user_id = ${reader.id}`);
  await check("thanks withdrawn");
  await acceptAnswer(db, { answerId: a2, actor: asker, now: at(3) });
  await check("another answer accepted: the rating moves with it");
  await unacceptAnswer(db, { questionId: q1, actor: asker });
  await check("acceptance taken back: the rating reaches everyone who answered");
  await softDeletePost(db, { postId: a2, by: moderator.id, isModeratorAction: true });
  await check("answer deleted");
  await restorePost(db, { postId: a2, by: moderator.id });
  await check("answer restored");
  await acceptAnswer(db, { answerId: a1, actor: asker, now: at(4) });
  await softDeletePost(db, { postId: a1, by: helper.id });
  await check("accepted answer deleted by its author");
  await restorePost(db, { postId: a1, by: moderator.id });
  await acceptAnswer(db, { answerId: a1, actor: asker, now: at(5) });
  await softDeletePost(db, { postId: q1, by: moderator.id, isModeratorAction: true });
  await check("question deleted: thanks stay, accepted and rating go");
  await restorePost(db, { postId: q1, by: moderator.id });
  await check("question restored");
  await db.execute(sql`update posts set is_plain_language = false where id = ${q1}`);
  await check("question no longer plain-language");
  await db.execute(
    sql`update help_ratings set comment = 'Changed my mind.', updated_at = ${at(6).toISOString()}::timestamptz where question_id = ${q1}`,
  );
  await check("rating comment changed");
  await db.execute(sql`delete from help_ratings where question_id = ${q1}`);
  await check("rating removed");

  // A second question: answers moved onto it (as merging a duplicate does), its own asker answering.
  const q2 = await makeQuestion(db, other, space, { now: at(7) });
  const a3 = await makeAnswer(db, other, q2, { now: at(7.1) });
  const a4 = await makeAnswer(db, helper, q2, { now: at(7.2) });
  // Rated while the helper's answer was accepted, then the asker accepts their own (rating your own is refused).
  await acceptAnswer(db, { answerId: a4, actor: other, now: at(7.3) });
  await rateHelp(db, { questionId: q2, actor: other, rating: 5, comment: "Solved it myself.", now: at(7.4) });
  await acceptAnswer(db, { answerId: a3, actor: other, now: at(7.5) });
  await check("own answer accepted after rating: nobody is credited");
  await db.execute(sql`update posts set parent_id = ${q2} where id = ${a2}`);
  await check("an answer moved to another question");
  await acceptAnswer(db, { answerId: a4, actor: other, now: at(9) });
  await thankAnswer(db, { answerId: a4, actor: asker, now: at(9) });
  await check("second question accepted elsewhere");
  // How-to feedback is read from its own tables; the comments list mixes both.
  const howto = await makeHowto(db, helper, space, { title: "Reset a password without calling IT" });
  await rateHowto(db, { howtoId: howto, actor: reader, isHelpful: false, comment: "Step 2 is unclear.", now: at(10) });
  await check("how-to feedback");
  // The week boundaries move with `now`: the same data seen from other moments.
  for (const days of [0, 1, 5.5, 7, 14, 60, 84, 85, 200]) await check(`seen from day ${days}`, at(days));
  await deleteAccount(db, { userId: asker.id, by: asker.id, deleteUnansweredQuestions: true });
  await check("the asker deleted their account");
});

test("writes on one question at the same moment (PostgreSQL: separate connections) leave its rows exact", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helpers = await Promise.all(Array.from({ length: 3 }, () => makePerson(db)));
  const thankers = await Promise.all(Array.from({ length: 6 }, () => makePerson(db)));
  const question = await makeQuestion(db, asker, await makeSpace(db), { now: at(0) });
  const answerIds: number[] = [];
  for (const helper of helpers) answerIds.push(await makeAnswer(db, helper, question, { now: at(0.1) }));
  const [first] = answerIds;
  if (first === undefined) throw new Error("no answer");
  await Promise.all([
    ...thankers.flatMap((thanker) =>
      answerIds.map((answerId) => thankAnswer(db, { answerId, actor: thanker, now: at(1) })),
    ),
    acceptAnswer(db, { answerId: first, actor: asker, now: at(1) }),
  ]);
  await expectSameForEveryone(db, [asker, ...helpers, ...thankers], at(2), "after concurrent writes");
  expect((await getImpact(db, helpers[1]?.id ?? "", at(2))).thanksReceived).toBe(thankers.length);
});

test("a long random sequence of writes by a small community keeps every figure exact", async () => {
  const { db } = database;
  const random = seededRandom(12);
  const people = await Promise.all(Array.from({ length: 6 }, () => makePerson(db)));
  const moderator = await makePerson(db, { role: "moderator" });
  const spaces = [await makeSpace(db), await makeSpace(db, { plain: true })];
  const questions: { id: number; asker: (typeof people)[number] }[] = [];
  const answers: number[] = [];
  let day = 0;
  for (let step = 0; step < 200; step++) {
    day += random.next() * 0.5;
    const now = at(day);
    const person = random.pick(people);
    const question = questions.length > 0 ? random.pick(questions) : null;
    const answer = answers.length > 0 ? random.pick(answers) : null;
    // Mostly the everyday writes; deletions, moves and withdrawals now and then.
    const action = questions.length < 3 ? 0 : random.pick([0, 1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 5, 5, 5, 6, 7, 8, 9]);
    if (action === 0) {
      const spaceId = random.pick(spaces);
      const id = await makeQuestion(db, person, spaceId, { isPlainLanguage: spaceId === spaces[1], now });
      questions.push({ id, asker: person });
    } else if (action === 1 && question) {
      await tolerated(makeAnswer(db, person, question.id, { now }).then((id) => answers.push(id)));
    } else if (action === 2 && answer !== null) {
      const [row] = await queryRows<{ author_id: string }>(
        db,
        sql`select q.author_id from posts a join posts q on q.id = a.parent_id where a.id = ${answer}`,
      );
      const asker = people.find((p) => p.id === row?.author_id);
      if (asker) await tolerated(acceptAnswer(db, { answerId: answer, actor: asker, now }));
    } else if (action === 3 && question) {
      await tolerated(unacceptAnswer(db, { questionId: question.id, actor: question.asker }));
    } else if (action === 4 && question) {
      await tolerated(
        rateHelp(db, {
          questionId: question.id,
          actor: question.asker,
          rating: 1 + random.int(5),
          easyToUnderstand: random.pick(["yes", "no", ""]),
          comment: random.chance(0.5) ? `Comment ${step}` : "",
          now: at(day + random.int(9)),
        }),
      );
    } else if (action === 5 && answer !== null) {
      await tolerated(thankAnswer(db, { answerId: answer, actor: person, now }));
    } else if (action === 6 && answer !== null) {
      await db.execute(sql`delete from answer_thanks where answer_id = ${answer} and user_id = ${person.id}`);
    } else if (action === 7) {
      const id = random.chance(0.5) && answer !== null ? answer : question?.id;
      if (id !== undefined) {
        const [row] = await queryRows<{ deleted_at: string | null }>(
          db,
          sql`select deleted_at from posts where id = ${id}`,
        );
        if (row?.deleted_at) await restorePost(db, { postId: id, by: moderator.id });
        else await softDeletePost(db, { postId: id, by: moderator.id, isModeratorAction: true });
      }
    } else if (action === 8 && question && answer !== null) {
      // As merging a duplicate does: the answer moves, and the question it left keeps no acceptance of it.
      await db.execute(sql`update posts set parent_id = ${question.id} where id = ${answer}`);
      await db.execute(
        sql`update posts set accepted_answer_id = null, accepted_at = null where accepted_answer_id = ${answer} and id <> ${question.id}`,
      );
    } else if (action === 9 && question) {
      await db.execute(sql`delete from help_ratings where question_id = ${question.id}`);
    }
    if (step % 10 === 9) await expectSameForEveryone(db, people, at(day + random.next() * 20), `step ${step}`);
  }
  await expectSameForEveryone(db, people, at(day), "the end");
  // The sequence reached every figure, so the comparisons above were not of zeros.
  const totals = await Promise.all(people.map((person) => impactFromScratch(db, person.id, at(day))));
  expect(totals.some((impact) => impact.acceptedAnswers > 0)).toBe(true);
  expect(totals.some((impact) => impact.thanksReceived > 0)).toBe(true);
  expect(totals.some((impact) => impact.ratings > 0)).toBe(true);
  // The migration's back-fill is the same refresh over every question: run again from nothing, it gives the same rows.
  const all = sql`select * from impact_events order by helper_id, question_id, kind, person_id, at`;
  const before = await queryRows(db, all);
  await db.execute(sql`delete from impact_events`);
  await db.execute(sql`select peerdesk_impact_refresh(array(select id from posts where kind = 'question'))`);
  expect(await queryRows(db, all)).toEqual(before);
});
