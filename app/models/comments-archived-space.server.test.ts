/**
 * An archived space takes no new posts: no comments under its questions and answers (as no answers), said in words,
 * while reading signals (votes, saves) go on.
 */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { postAnswer } from "./answers.server";
import { addComment, listComments } from "./comments.server";
import { PostingError } from "./post-errors.server";
import { listSaved, savePost } from "./saved-posts.server";
import { setSpaceArchived } from "./spaces.server";
import { toggleVote } from "./votes.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A question with an answer in a space an admin then archived. */
async function archivedThread() {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const spaceId = await makeSpace(db, { name: "Old intranet" });
  const questionId = await makeQuestion(db, asker, spaceId);
  const answerId = await makeAnswer(db, helper, questionId);
  await setSpaceArchived(db, { spaceId, archived: true, by: admin.id });
  return { asker, helper, questionId, answerId };
}

test("a comment under a question or an answer in an archived space is refused in words, and nothing is saved", async () => {
  const { db } = database;
  const { asker, helper, questionId, answerId } = await archivedThread();
  for (const [postId, actor] of [
    [questionId, helper],
    [answerId, asker],
  ] as const) {
    const refused = await rejection(addComment(db, { postId, actor, body: "Is this still the way to do it?" }));
    expect(refused).toBeInstanceOf(PostingError);
    expect(refused.message).toBe("This space is archived, so it takes no new comments.");
    expect(refused.status).toBe(403);
  }
  expect((await listComments(db, [questionId, answerId], { includeDeleted: true })).size).toBe(0);
});

test("an answer in an archived space is refused with the same words the answer form shows", async () => {
  const { db } = database;
  const { helper, questionId } = await archivedThread();
  const refused = await rejection(postAnswer(db, { questionId, actor: helper, body: "Another way: clear the cache." }));
  expect(refused.message).toBe("This space is archived, so it takes no new answers.");
  expect(refused.status).toBe(403);
});

test("in an archived space members still vote and save posts for later", async () => {
  const { db } = database;
  const { asker, questionId, answerId } = await archivedThread();
  const reader = await makePerson(db);
  expect((await toggleVote(db, { postId: answerId, actor: asker, direction: "up" })).score).toBe(1);
  await savePost(db, reader.id, questionId);
  expect((await listSaved(db, reader.id)).items.map((saved) => saved.postId)).toEqual([questionId]);
});
