/**
 * Edits and comments on questions and answers: people newly mentioned in an edit hear of it once, an answer whose
 * question was deleted can't be edited, a comment that renders to nothing is refused, and a question page deletes only
 * its own comments.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { comments, notifications, posts, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { editAnswer } from "./answers.server";
import { addComment, deleteComment } from "./comments.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import { editQuestion } from "./questions.server";
import { editHowto } from "./howto-writing.server";
import { decideSuggestion, suggestHowtoEdit } from "./howto-suggestions.server";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function handleOf(userId: string): Promise<string> {
  const [row] = await database.db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
  return row?.handle ?? "";
}

/** The mention notifications a person has about a post. */
async function mentionsOf(userId: string, postId: number): Promise<number> {
  const rows = await database.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.postId, postId), eq(notifications.kind, "mention")));
  return rows.length;
}

describe("mentions added by an edit", () => {
  test("someone newly mentioned when an answer is edited is told once; those mentioned before are not told again", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const sofia = await makePerson(db);
    const grace = await makePerson(db);
    const dev = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const answerId = await makeAnswer(db, sofia, questionId, {
      body: `Check the IKE SA lifetime on both ends, as @${await handleOf(dev.id)} said.`,
    });
    expect(await mentionsOf(dev.id, answerId)).toBe(1);
    const edited = `Check the IKE SA lifetime on both ends, as @${await handleOf(dev.id)} said; @${await handleOf(grace.id)} saw it too.`;
    await editAnswer(db, { answerId, actor: sofia, body: edited });
    expect(await mentionsOf(grace.id, answerId)).toBe(1);
    expect(await mentionsOf(dev.id, answerId)).toBe(1);
    // Saved again with the same mentions (another change): nobody hears twice.
    await editAnswer(db, { answerId, actor: sofia, body: `${edited} Then restart the tunnel.` });
    expect(await mentionsOf(grace.id, answerId)).toBe(1);
  });

  test("someone newly mentioned when a question is edited is told once", async () => {
    const { db } = database;
    const marcus = await makePerson(db);
    const dev = await makePerson(db);
    const questionId = await makeQuestion(db, marcus, await makeSpace(db), { title: "The VPN drops every morning" });
    await editQuestion(db, {
      questionId,
      actor: marcus,
      title: "The VPN drops every morning",
      body: `${sampleBody} Maybe @${await handleOf(dev.id)} knows?`,
      tags: "vpn",
      isPlainLanguage: false,
    });
    expect(await mentionsOf(dev.id, questionId)).toBe(1);
    expect(await mentionsOf(marcus.id, questionId)).toBe(0);
  });

  test("someone newly mentioned in a how-to's edit, or in a suggested edit once accepted, is told once", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const suggester = await makePerson(db);
    const dev = await makePerson(db);
    const grace = await makePerson(db);
    const howtoId = await makeHowto(db, author, await makeSpace(db));
    const fields = howtoFields();
    await editHowto(db, {
      ...fields,
      howtoId,
      actor: author,
      steps: [...fields.steps, `If it still fails, ask @${await handleOf(dev.id)}.`],
    });
    expect(await mentionsOf(dev.id, howtoId)).toBe(1);

    const { suggestionId } = await suggestHowtoEdit(db, {
      ...fields,
      howtoId,
      actor: suggester,
      steps: [...fields.steps, `If it still fails, ask @${await handleOf(dev.id)} or @${await handleOf(grace.id)}.`],
    });
    // A suggestion tells nobody it mentions until the author takes it.
    expect(await mentionsOf(grace.id, howtoId)).toBe(0);
    await decideSuggestion(db, { suggestionId, actor: author, decision: "accept" });
    expect(await mentionsOf(grace.id, howtoId)).toBe(1);
    expect(await mentionsOf(dev.id, howtoId)).toBe(1);
  });
});

test("an answer whose question was deleted can't be edited: the save is refused as for a deleted answer", async () => {
  const { db } = database;
  const tom = await makePerson(db);
  const sofia = await makePerson(db);
  const questionId = await makeQuestion(db, tom, await makeSpace(db));
  const answerId = await makeAnswer(db, sofia, questionId, { body: "Check the IKE SA lifetime on both ends first." });
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: tom });
  const error = await rejection(
    editAnswer(db, { answerId, actor: sofia, body: "Check the IKE SA lifetime on both ends, then restart." }),
  );
  expect(error.status).toBe(404);
  const [answer] = await db.select({ bodyMd: posts.bodyMd }).from(posts).where(eq(posts.id, answerId));
  expect(answer?.bodyMd).toBe("Check the IKE SA lifetime on both ends first.");
});

test.each(["-----", "***", "  ___  ", "### ", "> ---"])(
  "a comment with no words once rendered (%j) is refused with a clear message",
  async (body) => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const error = await rejection(addComment(db, { postId: questionId, actor: asker, body }));
    expect(error.status).toBe(400);
    expect(error.fieldErrors.body).toMatch(/^Your comment has no words in it/);
    const rows = await db.select({ id: comments.id }).from(comments).where(eq(comments.postId, questionId));
    expect(rows).toEqual([]);
  },
);

test("a comment of a link or a picture alone still has words, and is posted", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  await addComment(db, { postId: questionId, actor: asker, body: "https://example.com/vpn-guide" });
  await addComment(db, { postId: questionId, actor: asker, body: "![](https://example.com/screen.png)" });
  const rows = await db.select({ id: comments.id }).from(comments).where(eq(comments.postId, questionId));
  expect(rows).toHaveLength(2);
});

test("a question page deletes only comments on that question or its answers", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const spaceId = await makeSpace(db);
  const thisQuestion = await makeQuestion(db, author, spaceId);
  const thisAnswer = await makeAnswer(db, author, thisQuestion);
  const otherQuestion = await makeQuestion(db, author, spaceId);
  const otherAnswer = await makeAnswer(db, author, otherQuestion);
  const onOther = await addComment(db, { postId: otherQuestion, actor: author, body: "Which build is this on?" });
  const onOtherAnswer = await addComment(db, { postId: otherAnswer, actor: author, body: "That fixed it, thanks." });
  for (const { commentId } of [onOther, onOtherAnswer]) {
    const error = await rejection(deleteComment(db, { commentId, actor: author, questionId: thisQuestion }));
    expect(error.status).toBe(404);
    expect(error.message).toBe("That comment isn't on this question, so nothing was deleted.");
  }
  const stillThere = await db
    .select({ deletedAt: comments.deletedAt })
    .from(comments)
    .where(eq(comments.postId, otherQuestion));
  expect(stillThere).toEqual([{ deletedAt: null }]);
  const onThis = await addComment(db, { postId: thisQuestion, actor: author, body: "Which build is this on?" });
  const onThisAnswer = await addComment(db, { postId: thisAnswer, actor: author, body: "That fixed it, thanks." });
  expect(await deleteComment(db, { commentId: onThis.commentId, actor: author, questionId: thisQuestion })).toEqual({
    postId: thisQuestion,
  });
  expect(
    await deleteComment(db, { commentId: onThisAnswer.commentId, actor: author, questionId: thisQuestion }),
  ).toEqual({ postId: thisAnswer });
});
