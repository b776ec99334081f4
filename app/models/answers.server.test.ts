/** Answers, votes, accepting, deleting and restoring: the rules of a question's thread. */
import { and, count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, posts, searchOutbox } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer, editAnswer, postAnswer, unacceptAnswer } from "./answers.server";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "./post-deletion.server";
import { listNotices } from "./holds.server";
import { getQuestionPage, getViewerState } from "./question-thread.server";
import { getRevisionHistory } from "./question-history.server";
import { listQuestions } from "./question-lists.server";
import { toggleVote } from "./votes.server";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function thread() {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId);
  return { asker, helper, spaceId, questionId };
}

describe("answering", () => {
  test("a member answers: the question's answer count and activity change, revision #1 and outbox rows are written", async () => {
    const { db } = database;
    const { helper, questionId } = await thread();
    const later = new Date(Date.now() + 60_000);
    const { answerId } = await postAnswer(db, {
      actor: helper,
      questionId,
      body: "Set the SA lifetime explicitly:\n\n```bash\necho rekey\n```",
      now: later,
    });
    const page = await getQuestionPage(db, questionId);
    expect(page?.answers.map((a) => a.id)).toEqual([answerId]);
    expect(page?.answers[0]?.bodyHtml).toContain("language-bash");
    const [question] = await db
      .select({ answerCount: posts.answerCount, lastActivityAt: posts.lastActivityAt })
      .from(posts)
      .where(eq(posts.id, questionId));
    expect(question?.answerCount).toBe(1);
    expect(question?.lastActivityAt.getTime()).toBe(later.getTime());
    expect((await getRevisionHistory(db, answerId))?.revisions.map((r) => r.number)).toEqual([1]);
    const outbox = await db
      .select({ postId: searchOutbox.postId })
      .from(searchOutbox)
      .where(eq(searchOutbox.postId, answerId));
    expect(outbox).toHaveLength(1);
  });

  test("answers need 20 to 30,000 characters, a visible question and an open space", async () => {
    const { db } = database;
    const { asker, helper, questionId } = await thread();
    const short = (await rejection(postAnswer(db, { actor: helper, questionId, body: "Reboot it." }))).fieldErrors.body;
    expect(short).toContain("at least 20 characters");
    // Spoken to the person answering, not as if they were the one asking.
    expect(short).toContain("so the asker can follow it");
    expect(short).not.toContain("help you");
    expect(
      (await rejection(postAnswer(db, { actor: helper, questionId, body: "z".repeat(30_001) }))).fieldErrors.body,
    ).toContain("at most 30,000");
    expect(
      (
        await rejection(
          postAnswer(db, { actor: helper, questionId: 987_654, body: "A long enough answer for nothing." }),
        )
      ).status,
    ).toBe(404);
    await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });
    expect(
      (
        await rejection(
          postAnswer(db, { actor: helper, questionId, body: "A long enough answer for a deleted question." }),
        )
      ).status,
    ).toBe(404);
  });

  test("a double-submitted answer (same idempotency key) is posted once", async () => {
    const { db } = database;
    const { helper, questionId } = await thread();
    const input = {
      actor: helper,
      questionId,
      body: "This answer was submitted twice by a double click.",
      idempotencyKey: "answer-key-0001",
    };
    const results = await Promise.all([postAnswer(db, input), postAnswer(db, input)]);
    expect(results[0].answerId).toBe(results[1].answerId);
    const [row] = await db
      .select({ n: count() })
      .from(posts)
      .where(and(eq(posts.parentId, questionId)));
    expect(row?.n).toBe(1);
  });

  test("a key the helper already sent with another answer form (another question's) posts this answer too", async () => {
    const { db } = database;
    const { asker, helper, spaceId, questionId } = await thread();
    const otherQuestionId = await makeQuestion(db, asker, spaceId);
    const key = "answer-key-reused";
    const first = await postAnswer(db, {
      actor: helper,
      questionId,
      body: "The first answer, to the first question.",
      idempotencyKey: key,
    });
    const second = await postAnswer(db, {
      actor: helper,
      questionId: otherQuestionId,
      body: "The second answer, to another question.",
      idempotencyKey: key,
    });
    expect(second.isRepeat).toBe(false);
    expect(second.answerId).not.toBe(first.answerId);
    expect((await getQuestionPage(db, otherQuestionId))?.answers.map((a) => a.id)).toEqual([second.answerId]);
  });

  test("banned people can't answer", async () => {
    const { db } = database;
    const { questionId } = await thread();
    const banned = await makePerson(db, { banned: true });
    expect(
      (
        await rejection(
          postAnswer(db, { actor: banned, questionId, body: "A long enough answer from a banned person." }),
        )
      ).status,
    ).toBe(403);
  });

  test("the author edits an answer; others can't, moderators can; each edit adds a revision with its note", async () => {
    const { db } = database;
    const { asker, helper, questionId } = await thread();
    const moderator = await makePerson(db, { role: "moderator" });
    const answerId = await makeAnswer(db, helper, questionId, { body: "Restart the print spooler service first." });
    expect(
      (await rejection(editAnswer(db, { answerId, actor: asker, body: "The asker rewrites someone else's answer." })))
        .status,
    ).toBe(403);
    expect(
      (
        await editAnswer(db, {
          answerId,
          actor: helper,
          body: "Restart the print spooler service first, then clear the queue.",
          note: "Added step",
        })
      ).revision,
    ).toBe(2);
    expect(
      (
        await editAnswer(db, {
          answerId,
          actor: moderator,
          body: "Restart the Print Spooler service first, then clear the queue.",
        })
      ).revision,
    ).toBe(3);
    const history = await getRevisionHistory(db, answerId);
    expect(history?.revisions.map((r) => [r.number, r.note])).toEqual([
      [3, ""],
      [2, "Added step"],
      [1, ""],
    ]);
    expect(history?.revisions[1]?.bodyDiff.filter((p) => p.op === "added")).toEqual([
      { op: "added", text: "first, then clear the queue." },
    ]);
  });
});

describe("voting", () => {
  test("one vote per person: up, change to down, take it back with none; the score follows", async () => {
    const { db } = database;
    const { helper, questionId } = await thread();
    const voter = await makePerson(db);
    expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "up" })).toEqual({
      score: 1,
      myVote: 1,
    });
    expect(await toggleVote(db, { postId: questionId, actor: helper, direction: "up" })).toEqual({
      score: 2,
      myVote: 1,
    });
    expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "down" })).toEqual({
      score: 0,
      myVote: -1,
    });
    expect(await toggleVote(db, { postId: questionId, actor: voter, direction: "none" })).toEqual({
      score: 1,
      myVote: 0,
    });
    const viewer = await getViewerState(db, { questionId, actor: helper });
    expect(viewer?.posts[questionId]?.myVote).toBe(1);
    expect((await getQuestionPage(db, questionId))?.question.score).toBe(1);
  });

  test("nobody votes on their own post, and the page explains why the buttons are off", async () => {
    const { db } = database;
    const { asker, questionId } = await thread();
    const error = await rejection(toggleVote(db, { postId: questionId, actor: asker, direction: "up" }));
    expect(error.message).toBe("You can't vote on your own post.");
    const viewer = await getViewerState(db, { questionId, actor: asker });
    expect(viewer?.posts[questionId]).toMatchObject({ canVote: false, voteHint: "You can't vote on your own post." });
  });

  test("banned people and visitors can't vote; deleted posts take no votes", async () => {
    const { db } = database;
    const { helper, questionId } = await thread();
    const banned = await makePerson(db, { banned: true });
    expect((await rejection(toggleVote(db, { postId: questionId, actor: banned, direction: "up" }))).status).toBe(403);
    expect((await rejection(toggleVote(db, { postId: questionId, actor: null, direction: "up" }))).status).toBe(401);
    const answerId = await makeAnswer(db, helper, questionId);
    await deleteQuestionOrAnswer(db, { postId: answerId, actor: helper });
    const voter = await makePerson(db);
    expect((await rejection(toggleVote(db, { postId: answerId, actor: voter, direction: "up" }))).status).toBe(404);
  });
});

describe("accepting an answer", () => {
  test("only the asker accepts; accepting another answer moves the mark; unaccepting clears it", async () => {
    const { db } = database;
    const { asker, helper, questionId } = await thread();
    const other = await makePerson(db);
    const first = await makeAnswer(db, helper, questionId);
    const second = await makeAnswer(db, other, questionId);
    expect((await rejection(acceptAnswer(db, { answerId: first, actor: helper }))).message).toBe(
      "Only the person who asked can accept an answer.",
    );
    const moderator = await makePerson(db, { role: "moderator" });
    expect((await rejection(acceptAnswer(db, { answerId: first, actor: moderator }))).status).toBe(403);

    await acceptAnswer(db, { answerId: first, actor: asker });
    expect((await getQuestionPage(db, questionId))?.question.acceptedAnswerId).toBe(first);
    await acceptAnswer(db, { answerId: second, actor: asker });
    const page = await getQuestionPage(db, questionId);
    expect(page?.question.acceptedAnswerId).toBe(second);
    expect(page?.answers.filter((a) => a.isAccepted).map((a) => a.id)).toEqual([second]);
    await unacceptAnswer(db, { questionId, actor: asker });
    expect((await getQuestionPage(db, questionId))?.question.acceptedAnswerId).toBeNull();
  });

  test("answers are shown accepted first, then by score, then oldest first", async () => {
    const { db } = database;
    const { asker, questionId } = await thread();
    const people = await Promise.all([makePerson(db), makePerson(db), makePerson(db), makePerson(db)]);
    const [a, b, c, d] = people;
    if (!a || !b || !c || !d) throw new Error("people");
    const t0 = Date.now();
    const oldLow = await makeAnswer(db, a, questionId, { now: new Date(t0 + 1000) });
    const newHigh = await makeAnswer(db, b, questionId, { now: new Date(t0 + 2000) });
    const oldHigh = await makeAnswer(db, c, questionId, { now: new Date(t0 + 500) });
    const accepted = await makeAnswer(db, d, questionId, { now: new Date(t0 + 3000) });
    await toggleVote(db, { postId: newHigh, actor: a, direction: "up" });
    await toggleVote(db, { postId: oldHigh, actor: a, direction: "up" });
    await acceptAnswer(db, { answerId: accepted, actor: asker });
    expect((await getQuestionPage(db, questionId))?.answers.map((x) => x.id)).toEqual([
      accepted,
      oldHigh,
      newHigh,
      oldLow,
    ]);
  });

  test("deleting the accepted answer un-accepts it and the question counts one answer fewer", async () => {
    const { db } = database;
    const { asker, helper, questionId } = await thread();
    const answerId = await makeAnswer(db, helper, questionId);
    await makeAnswer(db, await makePerson(db), questionId);
    await acceptAnswer(db, { answerId, actor: asker });
    await deleteQuestionOrAnswer(db, { postId: answerId, actor: helper });
    const page = await getQuestionPage(db, questionId);
    expect(page?.question.acceptedAnswerId).toBeNull();
    expect(page?.question.answerCount).toBe(1);
    expect(page?.answers.map((a) => a.id)).not.toContain(answerId);
  });
});

describe("deleting and restoring", () => {
  test("a moderator deleting someone's post tells its author, with the reason; an author deleting their own is told nothing", async () => {
    const { db } = database;
    const { asker, helper, questionId } = await thread();
    const moderator = await makePerson(db, { role: "moderator" });
    const answerId = await makeAnswer(db, helper, questionId);
    const ownAnswer = await makeAnswer(db, asker, questionId);
    const [question] = await db.select({ title: posts.title }).from(posts).where(eq(posts.id, questionId));
    const tooLong = await rejection(
      deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "x".repeat(501) }),
    );
    expect([tooLong.status, tooLong.message]).toEqual([400, "Please keep the reason to 500 characters (it has 501)."]);
    expect((await getQuestionPage(db, questionId))?.answers.map((a) => a.id)).toContain(answerId);

    await deleteQuestionOrAnswer(db, {
      postId: answerId,
      actor: moderator,
      reason: "  A copy of the accepted answer.\u0007 ",
    });
    expect((await listNotices(db, helper.id)).map((n) => [n.kind, n.message])).toEqual([
      ["removed", `A moderator removed your answer in “${question?.title}”. Note: A copy of the accepted answer.`],
    ]);
    await deleteQuestionOrAnswer(db, { postId: ownAnswer, actor: asker });
    await deleteQuestionOrAnswer(db, { postId: questionId, actor: moderator });
    // The asker hears of the question (its own title), not of the answer they deleted themselves.
    expect((await listNotices(db, asker.id)).map((n) => n.message)).toEqual([
      `A moderator removed your question “${question?.title}”.`,
    ]);
  });

  test("a deleted question disappears from lists and its page; moderators still see it, marked, and can restore it", async () => {
    const { db } = database;
    const { asker, questionId, spaceId } = await thread();
    const member = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    expect((await rejection(deleteQuestionOrAnswer(db, { postId: questionId, actor: member }))).status).toBe(403);
    await deleteQuestionOrAnswer(db, { postId: questionId, actor: asker });

    expect((await listQuestions(db, { spaceId })).questions).toEqual([]);
    expect((await listQuestions(db, { spaceId, sort: "unanswered" })).questions).toEqual([]);
    expect(await getQuestionPage(db, questionId)).toBeNull();
    const staffView = await getQuestionPage(db, questionId, { includeDeleted: true });
    expect(staffView?.question.deletedAt).toBeInstanceOf(Date);
    expect((await getViewerState(db, { questionId, actor: moderator }))?.posts[questionId]?.canRestore).toBe(true);
    expect(await getViewerState(db, { questionId, actor: asker })).toBeNull();

    expect((await rejection(restoreQuestionOrAnswer(db, { postId: questionId, actor: asker }))).status).toBe(403);
    await restoreQuestionOrAnswer(db, { postId: questionId, actor: moderator });
    expect((await listQuestions(db, { spaceId })).questions.map((q) => q.id)).toEqual([questionId]);
    const [logged] = await db
      .select({ n: count() })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "post.restore"), eq(moderationLog.targetId, String(questionId))));
    expect(logged?.n).toBe(1);
  });

  test("a moderator deleting someone's answer leaves a moderation record; restoring brings the count back", async () => {
    const { db } = database;
    const { helper, questionId } = await thread();
    const moderator = await makePerson(db, { role: "moderator" });
    const answerId = await makeAnswer(db, helper, questionId);
    await deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "spam" });
    expect((await getQuestionPage(db, questionId))?.question.answerCount).toBe(0);
    const staffView = await getQuestionPage(db, questionId, { includeDeleted: true });
    expect(staffView?.answers.map((a) => [a.id, a.deletedAt !== null])).toEqual([[answerId, true]]);
    const [logged] = await db
      .select({ reason: moderationLog.reason })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "post.delete"), eq(moderationLog.targetId, String(answerId))));
    expect(logged?.reason).toBe("spam");
    await restoreQuestionOrAnswer(db, { postId: answerId, actor: moderator });
    expect((await getQuestionPage(db, questionId))?.question.answerCount).toBe(1);
  });
});

describe("what the viewer may do", () => {
  test("a visitor, the asker, another member and a moderator each get the right buttons", async () => {
    const { db } = database;
    const { asker, helper, questionId } = await thread();
    const answerId = await makeAnswer(db, helper, questionId);
    const moderator = await makePerson(db, { role: "moderator" });
    const visitor = await getViewerState(db, { questionId, actor: null });
    expect(visitor).toMatchObject({ isSignedIn: false, canAnswer: false, canAccept: false });
    expect(visitor?.posts[answerId]).toMatchObject({ canVote: false, voteHint: "Sign in to vote.", canEdit: false });
    const owner = await getViewerState(db, { questionId, actor: asker });
    expect(owner).toMatchObject({ canAccept: true, canAnswer: true });
    expect(owner?.posts[questionId]).toMatchObject({ canEdit: true, canDelete: true, canVote: false });
    expect(owner?.posts[answerId]).toMatchObject({ canEdit: false, canDelete: false, canVote: true });
    const staff = await getViewerState(db, { questionId, actor: moderator });
    expect(staff).toMatchObject({ canAccept: false });
    expect(staff?.posts[answerId]).toMatchObject({ canEdit: true, canDelete: true, canVote: true });
  });
});
