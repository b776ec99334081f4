/** The flag form never names a deleted thread: an answer or comment in it is as gone as a deleted post. */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { addComment } from "./comments.server";
import { describeFlagTarget, flagContent } from "./flags.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function expectGoneForFlagging(type: "post" | "comment", id: number) {
  const { db } = database;
  const ref = { type, id: String(id) };
  expect(await describeFlagTarget(db, ref)).toBeNull();
  const member = await makePerson(db);
  const error = await rejection(flagContent(db, { actor: member, targetType: type, targetId: ref.id, reason: "rude" }));
  expect([error.status, error.message]).toEqual([404, "This is no longer there to flag."]);
}

test("after a question is deleted, its answers, its comments and its answers' comments can't be flagged, nor its title read", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const title = "Secret merger plans leak through the VPN";
  const questionId = await makeQuestion(db, asker, await makeSpace(db), { title });
  const answerId = await makeAnswer(db, helper, questionId);
  const onQuestion = await addComment(db, { actor: helper, postId: questionId, body: "Which client version is it?" });
  const onAnswer = await addComment(db, { actor: asker, postId: answerId, body: "Thanks, that did not help." });
  // While the question shows, the form names it.
  expect((await describeFlagTarget(db, { type: "comment", id: String(onQuestion.commentId) }))?.phrase).toBe(
    `a comment on “${title}”`,
  );
  expect((await describeFlagTarget(db, { type: "post", id: String(answerId) }))?.phrase).toBe(
    `an answer to “${title}”`,
  );

  await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });

  await expectGoneForFlagging("post", questionId);
  await expectGoneForFlagging("post", answerId);
  await expectGoneForFlagging("comment", onQuestion.commentId);
  await expectGoneForFlagging("comment", onAnswer.commentId);
});

test("a comment on a deleted answer is gone with it, while the question and its other comments can still be flagged", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const title = "Printer queue stalls after the update";
  const questionId = await makeQuestion(db, asker, await makeSpace(db), { title });
  const answerId = await makeAnswer(db, helper, questionId);
  const onAnswer = await addComment(db, { actor: asker, postId: answerId, body: "Did you restart the spooler?" });
  const onQuestion = await addComment(db, { actor: helper, postId: questionId, body: "Which printer model is it?" });

  await deleteQuestionOrAnswer(db, { postId: answerId, actor: helper });

  await expectGoneForFlagging("comment", onAnswer.commentId);
  expect((await describeFlagTarget(db, { type: "comment", id: String(onQuestion.commentId) }))?.phrase).toBe(
    `a comment on “${title}”`,
  );
  expect((await describeFlagTarget(db, { type: "post", id: String(questionId) }))?.phrase).toBe(
    `the question “${title}”`,
  );
});
