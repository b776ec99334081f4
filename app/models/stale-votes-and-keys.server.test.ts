/**
 * Writes sent from a page that is out of date, or sent twice: a vote asks for the state wanted (so a second tab or a
 * double click never takes it back), and a form key no page made is refused in words, never a server error.
 */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { postAnswer } from "./answers.server";
import { FORM_EXPIRED_MESSAGE, once } from "./idempotency.server";
import { askInOfficeHours, getQueue, toggleOfficeHoursVote } from "./office-hours-queue.server";
import { getQuestionPage } from "./question-thread.server";
import { toggleVote } from "./votes.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("voting up twice (a second tab, a double click) keeps one up vote; only 'none' takes it back", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const voter = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "up" })).toEqual({ score: 1, myVote: 1 });
  expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "up" })).toEqual({ score: 1, myVote: 1 });
  expect((await getQuestionPage(db, questionId))?.question.score).toBe(1);
  expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "down" })).toEqual({
    score: -1,
    myVote: -1,
  });
  expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "down" })).toEqual({
    score: -1,
    myVote: -1,
  });
  expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "none" })).toEqual({
    score: 0,
    myVote: 0,
  });
  expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "none" })).toEqual({
    score: 0,
    myVote: 0,
  });
  expect((await getQuestionPage(db, questionId))?.question.score).toBe(0);
});

test("a session upvote sent twice stays one vote; the pressed button's 'remove' takes it back, once", async () => {
  const { db } = database;
  const { officeHoursId } = await scheduled(db);
  const asker = await makePerson(db);
  const voter = await makePerson(db);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "How do I stop laptops clinging to the far access point?",
    now: minutes(61),
  });
  const vote = (vote?: "up" | "remove") =>
    toggleOfficeHoursVote(db, { questionId, actor: voter, vote, now: minutes(62) });
  expect(await vote()).toEqual({ votes: 1, hasMyVote: true });
  expect(await vote("up")).toEqual({ votes: 1, hasMyVote: true });
  const queue = await getQueue(db, officeHoursId, { viewerId: voter.id, phase: "live" });
  expect(queue.find((q) => q.id === questionId)).toMatchObject({ votes: 1, hasMyVote: true });
  expect(await vote("remove")).toEqual({ votes: 0, hasMyVote: false });
  expect(await vote("remove")).toEqual({ votes: 0, hasMyVote: false });
});

test("a form key no page made (too short, too long) is refused with a 400 in words, and nothing is posted", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  for (const idempotencyKey of ["x", "k".repeat(65)]) {
    const error = await rejection(
      postAnswer(db, {
        questionId,
        actor: helper,
        body: "Restart the print spooler service, then send the job again.",
        idempotencyKey,
      }),
    );
    expect(error).toMatchObject({ status: 400, message: FORM_EXPIRED_MESSAGE });
  }
  expect((await getQuestionPage(db, questionId))?.answers).toEqual([]);
  const direct = await rejection(once(db, { userId: helper.id, scope: "test", key: "bad key!" }, async () => ({})));
  expect(direct.status).toBe(400);
});
