/** The one-query question page and viewer: the same thread, order, comments and permissions as the step-by-step reads. */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { addComment, deleteComment } from "./comments.server";
import { closeQuestion, getCloseViewer } from "./close.server";
import { getClosure } from "./closure.server";
import { getFeedbackPrompt, rateHelp, thankAnswer } from "./feedback.server";
import { loadQuestionPage } from "./question-page.server";
import { loadQuestionViewer } from "./question-viewer.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import { getQuestionPage, getViewerState } from "./question-thread.server";
import { toggleVote } from "./votes.server";
import { savePost } from "./saved-posts.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A question with three answers (one accepted, one deleted), votes, thanks and comments (one deleted). */
async function busyThread() {
  const { db } = database;
  const asker = await makePerson(db);
  const helpers = [await makePerson(db), await makePerson(db), await makePerson(db)];
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId, {
    body: "Our VPN drops every morning since the MFA change; the laptop reconnects after a minute.",
    tags: ["vpn", "mfa"],
  });
  const answerIds: number[] = [];
  for (const [i, helper] of helpers.entries())
    answerIds.push(
      await makeAnswer(db, helper, questionId, {
        body: `Answer ${i}: renew the VPN certificate and check the MFA prompt on the laptop first.`,
      }),
    );
  const [first, second, third] = answerIds as [number, number, number];
  await toggleVote(db, { postId: second, actor: asker, direction: "up" });
  await acceptAnswer(db, { answerId: third, actor: asker });
  await thankAnswer(db, { answerId: first, actor: asker });
  await addComment(db, { postId: questionId, actor: helpers[0] ?? asker, body: "Which VPN client is it?" });
  const { commentId } = await addComment(db, { postId: first, actor: asker, body: "That fixed it for one laptop." });
  await addComment(db, { postId: first, actor: helpers[1] ?? asker, body: "Same here, thanks." });
  await deleteComment(db, { commentId, actor: asker });
  await deleteQuestionOrAnswer(db, { postId: second, actor: helpers[1] ?? asker });
  return { asker, helpers, moderator, questionId, answerIds };
}

/** The parts both reads share, without the glossary marking (which only the one-query page adds). */
function comparable(page: NonNullable<Awaited<ReturnType<typeof getQuestionPage>>>) {
  const { question, answers, questionComments } = page;
  const { bodyHtml: _question, ...questionFields } = question;
  return {
    question: questionFields,
    answers: answers.map(({ bodyHtml: _answer, ...answer }) => answer),
    questionComments,
  };
}

test("the one-query page shows the same thread as the step-by-step read, for readers and for staff", async () => {
  const { db } = database;
  const { questionId, answerIds } = await busyThread();
  for (const includeDeleted of [false, true]) {
    const expected = await getQuestionPage(db, questionId, { includeDeleted });
    const page = await loadQuestionPage(db, questionId, { includeDeleted });
    if (!expected || !page) throw new Error("question missing");
    expect(comparable(page)).toEqual(comparable(expected));
    expect(page.answers.length).toBe(includeDeleted ? 3 : 2);
  }
  const page = await loadQuestionPage(db, questionId);
  // Accepted first; thanks counted; the deleted comment hidden from readers.
  expect(page?.answers.map((a) => [a.id, a.isAccepted, a.thanks])).toEqual([
    [answerIds[2], true, 0],
    [answerIds[0], false, 1],
  ]);
  expect(page?.answers[1]?.comments.map((c) => c.bodyHtml)).toEqual(["Same here, thanks."]);
  expect(page?.question.tags).toEqual(["mfa", "vpn"]);
  expect(page?.provenance).toEqual({ sources: {}, duplicateOf: [] });
});

test("glossary terms open one explanation per page, however many posts use them", async () => {
  const { db } = database;
  const { questionId } = await busyThread();
  const page = await loadQuestionPage(db, questionId);
  if (!page) throw new Error("question missing");
  for (const post of [page.question, ...page.answers])
    expect(post.bodyHtml).toContain('<button type="button" class="glossary-term" popovertarget="g-vpn">VPN</button>');
  // No post carries an explanation; the page has each term's once.
  expect([page.question, ...page.answers].some((post) => post.bodyHtml.includes("glossary-note"))).toBe(false);
  expect(page.glossaryNotesHtml.match(/id="g-vpn" popover class="glossary-note"/g)).toHaveLength(1);
  expect(page.glossaryNotesHtml.match(/id="g-mfa" popover class="glossary-note"/g)).toHaveLength(1);
  expect(page.glossaryNotesHtml).toContain("A secure tunnel from your laptop");
  // A second read (marked HTML remembered) gives the same page.
  expect(await loadQuestionPage(db, questionId)).toEqual(page);
});

test("a missing or deleted question has no page for readers; staff still see a deleted one", async () => {
  const { db } = database;
  const { asker, questionId } = await busyThread();
  expect(await loadQuestionPage(db, 999_999_999)).toBeNull();
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });
  expect(await loadQuestionPage(db, questionId)).toBeNull();
  expect((await loadQuestionPage(db, questionId, { includeDeleted: true }))?.question.deletedAt).not.toBeNull();
});

test("the one-query viewer gives each person the same permissions and votes as getViewerState, plus thanks and follow", async () => {
  const { db } = database;
  const { asker, helpers, moderator, questionId, answerIds } = await busyThread();
  for (const actor of [null, asker, ...helpers, moderator]) {
    const viewer = await loadQuestionViewer(db, questionId, actor);
    const state = await getViewerState(db, { questionId, actor });
    if (!viewer || !state) throw new Error("viewer missing");
    const { answerDraft, isFollowing, isSaved, mentor, feedback, thanks, closing, ...rest } = viewer;
    expect(rest).toEqual(state);
    expect(answerDraft).toBeNull();
    expect(isSaved).toBe(false);
    if (actor === null) expect(closing).toBeNull();
    if (actor === null) expect(mentor).toBeNull();
  }
  const askerView = await loadQuestionViewer(db, questionId, asker);
  expect(askerView?.posts[answerIds[1] ?? 0]).toBeUndefined();
  expect(askerView?.thanks[answerIds[0] ?? 0]).toEqual({ canThank: true, hasThanked: true });
  expect(askerView?.thanks[answerIds[2] ?? 0]).toEqual({ canThank: true, hasThanked: false });
  expect(askerView?.isFollowing).toBe(true);
  // Saved for later comes from the same statement.
  await savePost(db, asker.id, questionId);
  expect((await loadQuestionViewer(db, questionId, asker))?.isSaved).toBe(true);
  expect(askerView?.mentor?.canInvite).toBe(true);
  expect(askerView?.feedback).not.toBeNull();
  // Answering follows the question; only the asker gets the rating card.
  const helperView = await loadQuestionViewer(db, questionId, helpers[0] ?? null);
  expect(helperView?.isFollowing).toBe(true);
  expect(helperView?.feedback).toBeNull();
  expect((await loadQuestionViewer(db, questionId, moderator))?.posts[answerIds[1] ?? 0]?.canRestore).toBe(true);
});

test("the viewer's closing tools and the asker's rating card, read in its one query, match getCloseViewer and getFeedbackPrompt", async () => {
  const { db } = database;
  const { asker, helpers, moderator, questionId } = await busyThread();
  const [voter = asker] = helpers;
  const matches = async () => {
    for (const actor of [asker, ...helpers, moderator]) {
      const viewer = await loadQuestionViewer(db, questionId, actor);
      expect(viewer?.closing).toEqual(await getCloseViewer(db, questionId, actor));
      expect(viewer?.feedback).toEqual(actor.id === asker.id ? await getFeedbackPrompt(db, questionId, actor) : null);
    }
  };
  await matches();
  // A trusted member's close vote (counted, and "my vote" for them) and the asker's rating.
  await closeQuestion(db, { questionId, actor: { ...voter, trustLevel: 2 }, reason: "off_topic" });
  await rateHelp(db, { questionId, actor: asker, rating: 4, comment: "Quick and clear." });
  await matches();
  expect((await loadQuestionViewer(db, questionId, voter))?.closing?.myVote).toBe("close");
  expect((await loadQuestionViewer(db, questionId, asker))?.feedback).toMatchObject({ state: "open" });
  // Closed by a moderator: the closure the page keeps gives the same tools as reading it again.
  await closeQuestion(db, { questionId, actor: moderator, reason: "needs_details", details: "Which client version?" });
  await matches();
  const closure = await getClosure(db, questionId);
  expect((await loadQuestionViewer(db, questionId, moderator, { closure }))?.closing).toEqual(
    await getCloseViewer(db, questionId, moderator),
  );
});
