/** Comments under questions and answers: length rules, inline Markdown only, double submits, deleting. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import {
  CommentedPostGoneError,
  addComment,
  deleteComment,
  listComments,
  renderCommentMarkdown,
} from "./comments.server";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "./post-deletion.server";
import { thankAnswer } from "./feedback.server";
import { toggleVote } from "./votes.server";
import { getQuestionPage, getViewerState } from "./question-thread.server";
import { RateLimitedError } from "./rate-limits.server";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function commentCount(postId: number) {
  const [row] = await database.db.select({ n: posts.commentCount }).from(posts).where(eq(posts.id, postId));
  return row?.n;
}

test("members comment under a question and under an answer; the page shows them oldest first and counts them", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const answerId = await makeAnswer(db, helper, questionId);
  const t0 = Date.now();
  await addComment(db, {
    postId: questionId,
    actor: helper,
    body: "Which **Windows** build is this?",
    now: new Date(t0),
  });
  await addComment(db, { postId: questionId, actor: asker, body: "23H2, build 22631.", now: new Date(t0 + 1000) });
  await addComment(db, { postId: answerId, actor: asker, body: "That fixed it, thanks!", now: new Date(t0 + 2000) });
  const page = await getQuestionPage(db, questionId);
  expect(page?.questionComments.map((c) => c.bodyHtml)).toEqual([
    "Which <strong>Windows</strong> build is this?",
    "23H2, build 22631.",
  ]);
  expect(page?.answers[0]?.comments.map((c) => c.authorName)).toEqual([asker.name]);
  expect(await commentCount(questionId)).toBe(2);
  expect(await commentCount(answerId)).toBe(1);
});

test("comments need 3 to 600 characters", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  expect((await rejection(addComment(db, { postId: questionId, actor: asker, body: " ok " }))).fieldErrors.body).toBe(
    "Comments need at least 3 characters.",
  );
  expect(
    (await rejection(addComment(db, { postId: questionId, actor: asker, body: "x".repeat(601) }))).fieldErrors.body,
  ).toContain("at most 600 characters (yours has 601)");
  await addComment(db, { postId: questionId, actor: asker, body: "x".repeat(600) });
});

test("comments keep inline Markdown only: no headings, lists, images or raw HTML", () => {
  expect(
    renderCommentMarkdown("# Big\n\n- item *one*\n\n`code` [link](https://example.com) <script>alert(1)</script>"),
  ).toBe(
    'Big item <em>one</em> <code>code</code> <a href="https://example.com" rel="nofollow ugc noopener" target="_blank">link</a> &lt;script&gt;alert(1)&lt;/script&gt;',
  );
  expect(renderCommentMarkdown("![x](https://example.com/a.png) [bad](javascript:alert(1))")).not.toMatch(
    /<img|href="javascript:/,
  );
});

test("a picture in a comment becomes a link to it named by its description, not nothing", () => {
  const local = "/images/0123456789abcdef0123.webp";
  expect(renderCommentMarkdown(`The code on ![the display](${local}) is E-204.`)).toBe(
    `The code on <a href="${local}">the display (image)</a> is E-204.`,
  );
  expect(renderCommentMarkdown(`See ![](${local})`)).toBe(`See <a href="${local}">Image</a>`);
  const outside = renderCommentMarkdown("![a chart](https://example.com/a.png)");
  expect(outside).toContain(">a chart (image)</a>");
  expect(outside).toMatch(/^<a [^>]*rel="nofollow ugc noopener"/);
});

test("the same comment submitted twice within a minute is kept once", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const first = await addComment(db, { postId: questionId, actor: asker, body: "Double-clicked comment" });
  const second = await addComment(db, { postId: questionId, actor: asker, body: "Double-clicked comment" });
  expect(second).toEqual({ commentId: first.commentId, isRepeat: true });
  expect(await commentCount(questionId)).toBe(1);
});

test("nobody comments on deleted posts; banned people and visitors can't comment", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  expect(
    (
      await rejection(
        addComment(db, { postId: questionId, actor: await makePerson(db, { banned: true }), body: "Banned comment" }),
      )
    ).status,
  ).toBe(403);
  expect((await rejection(addComment(db, { postId: questionId, actor: null, body: "Visitor comment" }))).status).toBe(
    401,
  );
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });
  expect(
    (await rejection(addComment(db, { postId: questionId, actor: asker, body: "Too late to comment" }))).status,
  ).toBe(404);
});

test("a comment on an answer or question deleted meanwhile is refused saying which it was, and nothing is saved", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const answerId = await makeAnswer(db, helper, questionId);
  await deleteQuestionOrAnswer(db, { postId: answerId, actor: helper });
  const onAnswer = await rejection(addComment(db, { postId: answerId, actor: asker, body: "Which IKE version?" }));
  expect(onAnswer).toBeInstanceOf(CommentedPostGoneError);
  expect(onAnswer instanceof CommentedPostGoneError && onAnswer.kind).toBe("answer");
  expect(onAnswer.status).toBe(404);
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });
  const onQuestion = await rejection(addComment(db, { postId: questionId, actor: helper, body: "Still broken?" }));
  expect(onQuestion instanceof CommentedPostGoneError && onQuestion.kind).toBe("question");
  expect((await listComments(db, [questionId, answerId], { includeDeleted: true })).size).toBe(0);
});

test("an answer whose question was deleted takes no comments, votes or thanks until the question is restored", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const reader = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const answerId = await makeAnswer(db, helper, questionId);
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });
  const comment = await rejection(addComment(db, { postId: answerId, actor: reader, body: "Did this fix it?" }));
  expect(comment instanceof CommentedPostGoneError && comment.kind).toBe("question");
  expect((await rejection(toggleVote(db, { postId: answerId, actor: reader, direction: "up" }))).status).toBe(404);
  expect((await rejection(thankAnswer(db, { answerId, actor: asker }))).status).toBe(404);
  expect((await listComments(db, [answerId], { includeDeleted: true })).size).toBe(0);

  const moderator = await makePerson(db, { role: "moderator" });
  await restoreQuestionOrAnswer(db, { postId: questionId, actor: moderator });
  await addComment(db, { postId: answerId, actor: reader, body: "Did this fix it?" });
  expect((await toggleVote(db, { postId: answerId, actor: reader, direction: "up" })).score).toBe(1);
});

test("the author or a moderator deletes a comment; others can't; moderators still see it", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const commenter = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const { commentId } = await addComment(db, { postId: questionId, actor: commenter, body: "A comment to remove" });
  const other = await addComment(db, { postId: questionId, actor: commenter, body: "A comment a moderator removes" });
  expect((await getViewerState(db, { questionId, actor: asker }))?.comments[commentId]?.canDelete).toBe(false);
  expect((await getViewerState(db, { questionId, actor: commenter }))?.comments[commentId]?.canDelete).toBe(true);
  expect((await rejection(deleteComment(db, { commentId, actor: asker }))).status).toBe(403);
  await deleteComment(db, { commentId, actor: commenter });
  await deleteComment(db, { commentId: other.commentId, actor: moderator });
  expect((await getQuestionPage(db, questionId))?.questionComments).toEqual([]);
  expect(await commentCount(questionId)).toBe(0);
  const staff = await listComments(db, [questionId], { includeDeleted: true });
  expect(staff.get(questionId)?.map((c) => c.deletedAt !== null)).toEqual([true, true]);
});

test("commenting is limited to 30 comments per 10 minutes", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const now = new Date("2032-05-01T10:00:00Z");
  for (let i = 0; i < 30; i++)
    await addComment(db, { postId: questionId, actor: asker, body: `Comment number ${i}`, now });
  await expect(
    addComment(db, { postId: questionId, actor: asker, body: "Comment number 31", now }),
  ).rejects.toBeInstanceOf(RateLimitedError);
});
