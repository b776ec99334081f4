/**
 * The question pages kept in memory (question-page-memo.server.ts) on a real database: a signed-in reader sees every
 * write at once (a new answer, an edit, a vote, a comment, an accepted answer, a moderator's deletion), and a page
 * is read from memory only while nothing it shows has changed.
 */
import { eq } from "drizzle-orm";
import { users } from "#db/schema";
import { memoTestDatabase } from "../../tests/fixtures/memo";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer, editAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import { inviteMentor } from "./invitations.server";
import { followQuestionPageChanges, getQuestionInvitations, getQuestionPage } from "./question-page-memo.server";
import { toggleVote } from "./votes.server";

const memo = memoTestDatabase(followQuestionPageChanges);
const barrier = () => memo.barrier();

test("a signed-in reader sees every write to a thread at once, while unchanged pages come from memory", async () => {
  const db = memo.database.db;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  await db.update(users).set({ openToMentoring: true }).where(eq(users.id, helper.id));
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId);
  const otherId = await makeQuestion(db, asker, spaceId);
  await barrier();

  const first = await getQuestionPage(db, questionId);
  expect(first?.answers).toEqual([]);
  // Nothing changed: the very same data, from memory.
  expect(await getQuestionPage(db, questionId)).toBe(first);
  const other = await getQuestionPage(db, otherId);

  expect(await getQuestionInvitations(db, questionId)).toEqual([]);
  await inviteMentor(db, { actor: asker, questionId, inviteeId: helper.id });
  await barrier();
  expect((await getQuestionInvitations(db, questionId)).map((i) => [i.inviteeId, i.hasAnswered])).toEqual([
    [helper.id, false],
  ]);

  const answerId = await makeAnswer(db, helper, questionId, { body: "Check the IKE lifetime on both ends." });
  await barrier();
  expect((await getQuestionInvitations(db, questionId))[0]?.hasAnswered).toBe(true);
  const answered = await getQuestionPage(db, questionId);
  expect(answered?.answers.map((a) => a.id)).toEqual([answerId]);
  // A write elsewhere leaves other questions in memory.
  expect(await getQuestionPage(db, otherId)).toBe(other);

  await editAnswer(db, {
    answerId,
    actor: helper,
    body: "Check the IKE SA lifetime on both the office side and the laptop.",
  });
  await barrier();
  expect((await getQuestionPage(db, questionId))?.answers[0]?.bodyHtml).toContain("office side and the laptop");

  await toggleVote(db, { postId: answerId, actor: asker, direction: "up" });
  await barrier();
  expect((await getQuestionPage(db, questionId))?.answers[0]?.score).toBe(1);

  await addComment(db, { postId: answerId, actor: asker, body: "That was it, thank you very much." });
  await barrier();
  expect((await getQuestionPage(db, questionId))?.answers[0]?.comments.map((c) => c.bodyHtml).join("")).toContain(
    "That was it",
  );

  await acceptAnswer(db, { answerId, actor: asker });
  await barrier();
  expect((await getQuestionPage(db, questionId))?.answers[0]?.isAccepted).toBe(true);

  await deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "spam" });
  await barrier();
  expect((await getQuestionPage(db, questionId))?.answers).toEqual([]);
  // Moderators' pages are kept apart: they still see the deleted answer, marked.
  const staffPage = await getQuestionPage(db, questionId, { includeDeleted: true });
  expect(staffPage?.answers.map((a) => [a.id, a.deletedAt !== null])).toEqual([[answerId, true]]);
});

test("with PGlite, a write is seen by the next read in the same process even before any barrier", async () => {
  if (memo.database.kind !== "pglite") return;
  const db = memo.database.db;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId);
  expect((await getQuestionPage(db, questionId))?.answers).toEqual([]);
  const answerId = await makeAnswer(db, helper, questionId);
  expect((await getQuestionPage(db, questionId))?.answers.map((a) => a.id)).toEqual([answerId]);
});
