/** Closing and reopening questions on the real database: moderators at once, trusted members by vote, duplicates and merging. */
import { listNotices } from "./holds.server";
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, posts, questionClosures, userTrust } from "#db/schema";
import { loadSearchDocuments } from "~/search/documents.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { postAnswer } from "./answers.server";
import { setCloseVotesNeeded } from "./close-settings.server";
import { closeQuestion, getCloseViewer, reopenQuestion } from "./close.server";
import { getClosure, parseQuestionRef } from "./closure.server";
import { mergeDuplicateAnswers } from "./duplicate-merge.server";
import { editQuestion } from "./questions.server";
import { getQuestionPage } from "./question-thread.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A member whose stored trust level is `level` (as if earned: the stored row is what getTrustLevel reads). */
async function makeTrusted(level: number) {
  const { db } = database;
  const person = await makePerson(db);
  await db.insert(userTrust).values({ userId: person.id, level });
  return person;
}

async function setting() {
  const { db } = database;
  const asker = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const originalId = await makeQuestion(db, asker, spaceId, { title: "How do I reset my VPN password at home?" });
  const duplicateId = await makeQuestion(db, await makePerson(db), spaceId, {
    title: "VPN password reset from home: how?",
  });
  return { asker, moderator, spaceId, originalId, duplicateId };
}

describe("question references", () => {
  test("a number or a path to a question (full links go through questionRefOnSite, which checks their host)", () => {
    expect(parseQuestionRef("42")).toBe(42);
    expect(parseQuestionRef("#42")).toBe(42);
    expect(parseQuestionRef("/q/42/some-slug")).toBe(42);
    expect(parseQuestionRef("https://peerdesk.example/q/42?x=1")).toBeNull();
    expect(parseQuestionRef("//evil.example/q/42")).toBeNull();
    expect(parseQuestionRef("/howtos/42")).toBeNull();
    expect(parseQuestionRef("nope")).toBeNull();
  });
});

describe("moderators close at once", () => {
  test("as a duplicate: the banner names the original, search drops the duplicate, the log records it", async () => {
    const { db } = database;
    const { moderator, originalId, duplicateId } = await setting();
    const answerId = await makeAnswer(db, await makePerson(db), duplicateId);
    const outcome = await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "duplicate",
      duplicateOf: `/q/${originalId}/how-do-i`,
    });
    expect(outcome.isClosed).toBe(true);
    const closure = await getClosure(db, duplicateId);
    expect(closure?.reason).toBe("duplicate");
    expect(closure?.original?.id).toBe(originalId);
    expect(closure?.byVote).toBe(false);
    const { documents, missingOrHidden } = await loadSearchDocuments(db, [duplicateId, answerId, originalId]);
    expect(documents.map((d) => d.id)).toEqual([originalId]);
    expect(missingOrHidden.sort()).toEqual([duplicateId, answerId].sort());
    const [entry] = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.close"), eq(moderationLog.targetId, String(duplicateId))));
    expect(entry?.actorId).toBe(moderator.id);
    expect(entry?.details).toMatchObject({ closeReason: "duplicate", duplicateOf: originalId });
  });

  test("a closed question takes no new answers, with a message saying why", async () => {
    const { db } = database;
    const { moderator, duplicateId } = await setting();
    await closeQuestion(db, { actor: moderator, questionId: duplicateId, reason: "off_topic" });
    const error = await rejection(
      postAnswer(db, {
        actor: await makePerson(db),
        questionId: duplicateId,
        body: "Here is an answer that is long enough to pass validation.",
      }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toContain("closed as off-topic");
  });

  test("needing details says what is missing; a bad close is refused with field messages", async () => {
    const { db } = database;
    const { moderator, duplicateId } = await setting();
    const missing = await rejection(
      closeQuestion(db, { actor: moderator, questionId: duplicateId, reason: "needs_details" }),
    );
    expect(missing.fieldErrors.details).toMatch(/what is missing/);
    const self = await rejection(
      closeQuestion(db, {
        actor: moderator,
        questionId: duplicateId,
        reason: "duplicate",
        duplicateOf: String(duplicateId),
      }),
    );
    expect(self.fieldErrors.duplicateOf).toMatch(/itself/);
    const nowhere = await rejection(
      closeQuestion(db, { actor: moderator, questionId: duplicateId, reason: "duplicate", duplicateOf: "999999" }),
    );
    expect(nowhere.fieldErrors.duplicateOf).toMatch(/no question/);
    const bogus = await rejection(closeQuestion(db, { actor: moderator, questionId: duplicateId, reason: "because" }));
    expect(bogus.fieldErrors.reason).toBeTruthy();
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "needs_details",
      details: "Which laptop and which version of the VPN app?",
    });
    expect((await getClosure(db, duplicateId))?.details).toBe("Which laptop and which version of the VPN app?");
  });

  test("a duplicate of a closed duplicate points at the original (chains stay short)", async () => {
    const { db } = database;
    const { moderator, originalId, duplicateId, spaceId } = await setting();
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "duplicate",
      duplicateOf: String(originalId),
    });
    const third = await makeQuestion(db, await makePerson(db), spaceId);
    await closeQuestion(db, {
      actor: moderator,
      questionId: third,
      reason: "duplicate",
      duplicateOf: String(duplicateId),
    });
    const [row] = await db.select().from(questionClosures).where(eq(questionClosures.questionId, third));
    expect(row?.duplicateOfId).toBe(originalId);
    // The original can't be closed as a duplicate of its own duplicate: the message says so, once.
    const circle = await rejection(
      closeQuestion(db, { actor: moderator, questionId: originalId, reason: "duplicate", duplicateOf: String(third) }),
    );
    expect(circle.fieldErrors.duplicateOf).toBe(
      "That question was closed as a duplicate of this one, so it can't be its original: link the question both repeat.",
    );
    expect(circle.message).not.toBe(circle.fieldErrors.duplicateOf);
  });
});

describe("trusted members vote", () => {
  test("members below trust level 2 can't vote; three votes close it with the reason most named", async () => {
    const { db } = database;
    const { originalId, duplicateId } = await setting();
    const newcomer = await makeTrusted(1);
    const refused = await rejection(
      closeQuestion(db, { actor: newcomer, questionId: duplicateId, reason: "off_topic" }),
    );
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/after you've taken part for a while.*flag it and a moderator will look/);
    expect(refused.message).not.toMatch(/trust level \d/);

    const [a, b, c] = [await makeTrusted(2), await makeTrusted(3), await makeTrusted(2)];
    if (!a || !b || !c) throw new Error("people missing");
    const duplicate = { reason: "duplicate", duplicateOf: String(originalId) };
    expect(await closeQuestion(db, { actor: a, questionId: duplicateId, ...duplicate })).toEqual({
      isClosed: false,
      votes: 1,
      needed: 3,
    });
    // Voting twice changes the vote, it doesn't count twice.
    expect((await closeQuestion(db, { actor: a, questionId: duplicateId, ...duplicate })).votes).toBe(1);
    const viewer = await getCloseViewer(db, duplicateId, b);
    expect(viewer).toMatchObject({ canVoteClose: true, canClose: false, closeVotes: 1, needed: 3, myVote: null });
    await closeQuestion(db, { actor: b, questionId: duplicateId, reason: "off_topic" });
    const last = await closeQuestion(db, { actor: c, questionId: duplicateId, ...duplicate });
    expect(last).toEqual({ isClosed: true, votes: 3, needed: 3 });
    const closure = await getClosure(db, duplicateId);
    expect(closure).toMatchObject({ reason: "duplicate", byVote: true, original: { id: originalId } });
    const [entry] = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.close"), eq(moderationLog.targetId, String(duplicateId))));
    expect(entry?.actorId).toBeNull();
    expect(entry?.details).toMatchObject({ votes: 3 });
  });

  test("the number of votes is a setting admins change", async () => {
    const { db } = database;
    const { duplicateId } = await setting();
    const admin = await makePerson(db, { role: "admin" });
    const refused = await rejection(setCloseVotesNeeded(db, { actor: await makeTrusted(4), value: 1 }));
    expect(refused.status).toBe(403);
    await setCloseVotesNeeded(db, { actor: admin, value: 1 });
    const outcome = await closeQuestion(db, {
      actor: await makeTrusted(2),
      questionId: duplicateId,
      reason: "off_topic",
    });
    expect(outcome).toEqual({ isClosed: true, votes: 1, needed: 1 });
    await setCloseVotesNeeded(db, { actor: admin, value: 3 });
  });

  test("reopening by vote needs an edit since closing; moderators reopen at once", async () => {
    const { db } = database;
    const { moderator, duplicateId } = await setting();
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "needs_details",
      details: "Which VPN app do you use?",
    });
    const voters = [await makeTrusted(2), await makeTrusted(2), await makeTrusted(2)];
    const early = await rejection(reopenQuestion(db, { actor: voters[0] ?? null, questionId: duplicateId }));
    expect(early.message).toMatch(/edited/);
    expect((await getCloseViewer(db, duplicateId, voters[0] ?? null)).canVoteReopen).toBe(false);

    const [question] = await db.select().from(posts).where(eq(posts.id, duplicateId));
    const asker = { id: question?.authorId ?? "", role: "member" as const, banned: false };
    await editQuestion(db, {
      questionId: duplicateId,
      actor: asker,
      title: question?.title ?? "",
      body: `${question?.bodyMd ?? ""}\n\nI use the GlobalProtect app, version 6.`,
      tags: "vpn",
      isPlainLanguage: false,
    });
    expect((await getClosure(db, duplicateId))?.isEditedSinceClose).toBe(true);
    expect((await getCloseViewer(db, duplicateId, voters[0] ?? null)).canVoteReopen).toBe(true);
    for (const [i, voter] of voters.entries()) {
      const outcome = await reopenQuestion(db, { actor: voter, questionId: duplicateId });
      expect(outcome.isClosed).toBe(i < 2);
    }
    expect(await getClosure(db, duplicateId)).toBeNull();
    // The asker was told both times, in their own words' terms; the voters' reopening names nobody.
    const told = await listNotices(db, asker.id);
    expect(told.map((notice) => notice.kind)).toEqual(["question_reopened", "question_closed"]);
    expect(told[1]?.message).toMatch(
      /was closed until it has more details\. The note says: “Which VPN app do you use\?”\. Edit it to add them/,
    );
    expect(told[0]?.message).toMatch(/was reopened: it takes answers again/);

    await closeQuestion(db, { actor: moderator, questionId: duplicateId, reason: "off_topic" });
    await reopenQuestion(db, { actor: moderator, questionId: duplicateId });
    expect(await getClosure(db, duplicateId)).toBeNull();
    const reopens = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.reopen"), eq(moderationLog.targetId, String(duplicateId))));
    expect(reopens.map((r) => r.actorId)).toEqual([null, moderator.id]);
  });
});

describe("merging a duplicate's answers", () => {
  test("moderators move the answers to the original; counts follow; members may not", async () => {
    const { db } = database;
    const { moderator, originalId, duplicateId } = await setting();
    const helper = await makePerson(db);
    const answerId = await makeAnswer(db, helper, duplicateId);
    await makeAnswer(db, await makePerson(db), originalId);
    const notYet = await rejection(mergeDuplicateAnswers(db, { actor: moderator, questionId: duplicateId }));
    expect(notYet.status).toBe(409);
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "duplicate",
      duplicateOf: String(originalId),
    });
    const member = await rejection(mergeDuplicateAnswers(db, { actor: await makeTrusted(4), questionId: duplicateId }));
    expect(member.status).toBe(403);
    expect(await mergeDuplicateAnswers(db, { actor: moderator, questionId: duplicateId })).toEqual({
      originalId,
      moved: 1,
    });
    const original = await getQuestionPage(db, originalId);
    expect(original?.answers.map((a) => a.id)).toContain(answerId);
    expect(original?.question.answerCount).toBe(2);
    expect((await getQuestionPage(db, duplicateId))?.question.answerCount).toBe(0);
    const { documents } = await loadSearchDocuments(db, [answerId]);
    expect(documents[0]?.title).toBe("How do I reset my VPN password at home?");
    const [entry] = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "question.mergeAnswers"), eq(moderationLog.targetId, String(duplicateId))));
    expect(entry?.details).toEqual({ into: originalId, answers: 1 });
  });
});
