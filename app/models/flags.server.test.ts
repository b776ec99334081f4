/** Trust and safety on the real database: flag weights and thresholds, holds, silencing, spam heuristics, notices. */
import { CONFIRM_EMAIL_MESSAGE } from "./permissions.server";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { comments, flags, moderationLog, notifications, posts, searchOutbox, userTrust } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { addComment } from "./comments.server";
import { flagContent, flagWeight, flaggerHistory } from "./flags.server";
import { getPendingHold, isSilenced, listMyHolds, listNotices } from "./holds.server";
import { askQuestion } from "./questions.server";
import { getQuestionPage } from "./question-thread.server";
import { listQuestions } from "./question-lists.server";
import { countPendingReview, decideReviewItem, listReviewQueue } from "./review-queue.server";
import { isNewAccount } from "./trust-levels.server";
import { setTrustSetting } from "./trust-settings.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
// After the modules above: votes.server first would load posts.server before post-errors.server can extend it.
import { toggleVote } from "./votes.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

async function isVisible(postId: number) {
  const [row] = await database.db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return row?.deletedAt === null;
}

test("a flagger's weight starts at 1 and follows their accuracy: upheld flags add, dismissed ones take away", () => {
  expect(flagWeight({ upheld: 0, dismissed: 0 })).toBe(1);
  expect(flagWeight({ upheld: 3, dismissed: 1 })).toBeCloseTo(4 / 3);
  expect(flagWeight({ upheld: 0, dismissed: 4 })).toBeCloseTo(1 / 3);
  expect(flagWeight({ upheld: 98, dismissed: 0 })).toBeCloseTo(1.98);
});

test("higher trust levels' flags weigh more: regulars half again, leaders double; levels 0–2 by accuracy alone", async () => {
  expect(flagWeight({ upheld: 0, dismissed: 0 }, 2)).toBe(1);
  expect(flagWeight({ upheld: 0, dismissed: 0 }, 3)).toBe(1.5);
  expect(flagWeight({ upheld: 3, dismissed: 1 }, 4)).toBeCloseTo(8 / 3);
  const { db } = database;
  const regular = await makePerson(db);
  // The stored level is what getTrustLevel reads while fresh (as close.server.test.ts does).
  await db.insert(userTrust).values({ userId: regular.id, level: 3 });
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const { flagId } = await flagContent(db, {
    actor: regular,
    targetType: "post",
    targetId: String(questionId),
    reason: "rude",
  });
  const [row] = await db.select({ weight: flags.weight }).from(flags).where(eq(flags.id, flagId));
  expect(row?.weight).toBe(1.5);
});

test("a person flags a post once; flags below the threshold leave it visible, the third hides it and tells its author", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, author, space, { title: "The printer prints blank pages after an update" });
  const [first, second, third] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  if (!first || !second || !third) throw new Error("people");
  const one = await flagContent(db, { actor: first, targetType: "post", targetId: String(questionId), reason: "rude" });
  const again = await flagContent(db, {
    actor: first,
    targetType: "post",
    targetId: String(questionId),
    reason: "spam",
  });
  expect(again).toEqual({ flagId: one.flagId, isRepeat: true, hidden: false });
  await flagContent(db, { actor: second, targetType: "post", targetId: String(questionId), reason: "rude" });
  expect(await isVisible(questionId)).toBe(true);
  const last = await flagContent(db, {
    actor: third,
    targetType: "post",
    targetId: String(questionId),
    reason: "rude",
  });
  expect(last.hidden).toBe(true);
  expect(await isVisible(questionId)).toBe(false);
  expect((await getPendingHold(db, post(questionId)))?.reason).toBe("flags");
  // Gone from lists and search at once (the outbox holds its removal), and the author is told.
  const list = await listQuestions(db, { spaceId: space });
  expect(list.questions.map((q) => q.id)).not.toContain(questionId);
  const outbox = await db.select().from(searchOutbox).where(eq(searchOutbox.postId, questionId));
  expect(outbox.some((row) => row.op === "delete")).toBe(true);
  expect((await listNotices(db, author.id)).map((n) => n.kind)).toEqual(["held"]);
  // The words hold whoever flagged: a moderator's one flag weighs the whole threshold, so never "several members";
  // and they name the post, as the removal notices do.
  expect((await listNotices(db, author.id))[0]?.message).toBe(
    "Your question “The printer prints blank pages after an update” was flagged and is hidden until a moderator " +
      "reviews it. You'll be told the outcome.",
  );
});

test("the author's notice names what was hidden: an answer by its question, a comment by its thread", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const asker = await makePerson(db);
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "Teams drops calls on the VPN" });
  const answerId = await makeAnswer(db, author, questionId);
  const comment = await addComment(db, {
    actor: author,
    postId: questionId,
    body: "Does it happen on the office Wi-Fi as well?",
  });
  // A moderator's one flag hides at once.
  await flagContent(db, { actor: moderator, targetType: "post", targetId: String(answerId), reason: "rude" });
  await flagContent(db, {
    actor: moderator,
    targetType: "comment",
    targetId: String(comment.commentId),
    reason: "rude",
  });
  const messages = (await listNotices(db, author.id)).map((notice) => notice.message).sort();
  expect(messages).toEqual([
    "Your answer to “Teams drops calls on the VPN” was flagged and is hidden until a moderator reviews it. You'll be told the outcome.",
    "Your comment on “Teams drops calls on the VPN” was flagged and is hidden until a moderator reviews it. You'll be told the outcome.",
  ]);
});

test("a duplicate flag names another question of this site: not itself, not another site's, not a deleted one", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const flagger = await makePerson(db);
  const space = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, space);
  const original = await makeQuestion(db, asker, space);
  const site = "http://localhost:3102";
  const attempt = (duplicateOf: string) =>
    flagContent(db, {
      actor: flagger,
      targetType: "post",
      targetId: String(questionId),
      reason: "duplicate",
      duplicateOf,
      siteUrl: site,
    });
  for (const itself of [`${site}/q/${questionId}`, `/q/${questionId}/its-title`, String(questionId)])
    expect((await rejection(attempt(itself))).fieldErrors.duplicateOf, itself).toBe(
      "That's this same question. Paste the link to the earlier question it repeats.",
    );
  for (const elsewhere of [`https://evil.example/q/${original}`, `evil.example/q/${original}`])
    expect((await rejection(attempt(elsewhere))).fieldErrors.duplicateOf, elsewhere).toBe(
      "That link goes to another site. Paste a link to a question on this site, or its number.",
    );
  expect((await rejection(attempt(`${site}/q/99999999`))).fieldErrors.duplicateOf).toMatch(/no question at that link/);
  const deleted = await makeQuestion(db, asker, space);
  await db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
  expect((await rejection(attempt(String(deleted)))).fieldErrors.duplicateOf).toMatch(/no question at that link/);
  // A link to the original on this site is taken, and so is one written without its scheme.
  const { flagId } = await attempt(`localhost:3102/q/${original}/a-title`);
  const [row] = await db.select({ duplicateOfId: flags.duplicateOfId }).from(flags).where(eq(flags.id, flagId));
  expect(row?.duplicateOfId).toBe(original);
});

test("nobody flags their own post, a visitor can't flag, 'other' needs words and 'duplicate' needs the original", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const other = await makePerson(db);
  const questionId = await makeQuestion(db, author, await makeSpace(db));
  const target = { targetType: "post", targetId: String(questionId) };
  expect((await rejection(flagContent(db, { actor: author, ...target, reason: "spam" }))).status).toBe(403);
  expect((await rejection(flagContent(db, { actor: null, ...target, reason: "spam" }))).status).toBe(401);
  // A sign-up that has not confirmed its address can't flag (throwaway accounts could hide anyone's post), nor vote.
  const unconfirmed = { ...(await makePerson(db)), emailVerified: false };
  const waits = await rejection(flagContent(db, { actor: unconfirmed, ...target, reason: "spam" }));
  expect([waits.status, waits.message]).toEqual([403, CONFIRM_EMAIL_MESSAGE]);
  const vote = await rejection(toggleVote(db, { postId: questionId, actor: unconfirmed, direction: "up" }));
  expect([vote.status, vote.message]).toEqual([403, CONFIRM_EMAIL_MESSAGE]);
  const vague = await rejection(flagContent(db, { actor: other, ...target, reason: "other", details: "" }));
  expect(vague.fieldErrors.details).toMatch(/few words/);
  const noLink = await rejection(flagContent(db, { actor: other, ...target, reason: "duplicate", duplicateOf: "x" }));
  expect(noLink.fieldErrors.duplicateOf).toMatch(/link/);
  const original = await makeQuestion(db, other, await makeSpace(db));
  const ok = await flagContent(db, {
    actor: other,
    ...target,
    reason: "duplicate",
    duplicateOf: `/q/${original}/a-title`,
  });
  expect(ok.isRepeat).toBe(false);
  expect(
    (await rejection(flagContent(db, { actor: other, targetType: "post", targetId: "999999", reason: "spam" }))).status,
  ).toBe(404);
});

test("accurate flaggers weigh more: two flags from people whose flags were upheld hide a post", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const space = await makeSpace(db);
  const [a, b] = [await makePerson(db), await makePerson(db)];
  if (!a || !b) throw new Error("people");
  // Each earns a record of two upheld flags (weight 2 × 3/4 = 1.5).
  for (let i = 0; i < 2; i++) {
    const author = await makePerson(db);
    const q = await makeQuestion(db, author, space);
    await flagContent(db, { actor: a, targetType: "post", targetId: String(q), reason: "rude" });
    await flagContent(db, { actor: b, targetType: "post", targetId: String(q), reason: "rude" });
    await decideReviewItem(db, { actor: moderator, ref: post(q), decision: "hide" });
  }
  expect(await flaggerHistory(db, a.id)).toEqual({ upheld: 2, dismissed: 0, pending: 0 });
  const target = await makeQuestion(db, await makePerson(db), space);
  await flagContent(db, { actor: a, targetType: "post", targetId: String(target), reason: "rude" });
  const second = await flagContent(db, { actor: b, targetType: "post", targetId: String(target), reason: "rude" });
  expect(second.hidden).toBe(true);
});

test("the hide threshold is a setting", async () => {
  const { db } = database;
  await setTrustSetting(db, { key: "hideThreshold", value: 1, by: null });
  try {
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const result = await flagContent(db, {
      actor: await makePerson(db),
      targetType: "post",
      targetId: String(questionId),
      reason: "spam",
    });
    expect(result.hidden).toBe(true);
  } finally {
    await setTrustSetting(db, { key: "hideThreshold", value: null, by: null });
  }
});

test("keeping a flagged, hidden post shows it again, dismisses the flags, tells flaggers and logs it without names", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, author, await makeSpace(db));
  const flaggers = [await makePerson(db), await makePerson(db), await makePerson(db)];
  for (const flagger of flaggers)
    await flagContent(db, { actor: flagger, targetType: "post", targetId: String(questionId), reason: "rude" });
  expect(await isVisible(questionId)).toBe(false);
  const queue = await listReviewQueue(db);
  const item = queue.find((i) => i.ref.id === String(questionId));
  expect(item?.flags.map((f) => f.reasonLabel)).toEqual(["Rude or abusive", "Rude or abusive", "Rude or abusive"]);
  expect(item?.hold?.reason).toBe("flags");
  const before = await countPendingReview(db);
  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep", note: "Blunt, not rude." });
  expect(await isVisible(questionId)).toBe(true);
  expect(await countPendingReview(db)).toBe(before - 1);
  for (const flagger of flaggers) {
    expect((await listNotices(db, flagger.id)).map((n) => n.kind)).toEqual(["flag_dismissed"]);
    const [unread] = await db.select().from(notifications).where(eq(notifications.userId, flagger.id));
    expect(unread?.kind).toBe("moderation");
  }
  expect((await listNotices(db, author.id)).map((n) => n.kind)).toEqual(["released", "held"]);
  const [entry] = await db
    .select()
    .from(moderationLog)
    .where(eq(moderationLog.targetId, String(questionId)));
  expect(entry?.action).toBe("review.keep");
  const logged = JSON.stringify(entry);
  for (const flagger of flaggers) expect(logged).not.toContain(flagger.id);
});

test("a new account's post with a link is held: saved, hidden from others, listed as waiting for review", async () => {
  const { db } = database;
  const newcomer = await makePerson(db, { isNew: true });
  expect(await isNewAccount(db, newcomer.id)).toBe(true);
  expect(await isNewAccount(db, (await makePerson(db)).id)).toBe(false);
  const space = await makeSpace(db);
  const { questionId } = await askQuestion(db, {
    actor: newcomer,
    spaceId: space,
    title: "Cheap licences for every office suite",
    body: "Buy them here today: https://cheap-licences.example/deal and save a lot of money on everything.",
    tags: "licensing",
    isPlainLanguage: false,
  });
  expect(await isVisible(questionId)).toBe(false);
  expect(await getQuestionPage(db, questionId)).toBeNull();
  const [hold] = await listMyHolds(db, newcomer.id);
  expect(hold?.reason).toBe("new_account_links");
  expect(hold?.message).toMatch(/saved/);
  // Followers of the space were never told.
  const told = await db.select().from(notifications).where(eq(notifications.postId, questionId));
  expect(told).toEqual([]);
  // A member's post with a link is published.
  const member = await makePerson(db);
  const { questionId: fine } = await askQuestion(db, {
    actor: member,
    spaceId: space,
    title: "Where is the VPN guide for Windows?",
    body: "I read https://intranet.example/vpn but the steps for Windows 11 seem to be missing there.",
    tags: "vpn",
    isPlainLanguage: false,
  });
  expect(await isVisible(fine)).toBe(true);
});

test("a spam flag upheld on a new account's post silences the account and holds its other posts", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const spammer = await makePerson(db, { isNew: true });
  const space = await makeSpace(db);
  const first = await makeQuestion(db, spammer, space, {
    title: "A perfectly normal question about printers",
    body: "Our printers keep asking for a driver update that never finishes installing properly.",
  });
  const questionByOther = await makeQuestion(db, await makePerson(db), space);
  const answer = await makeAnswer(db, spammer, questionByOther, {
    body: "Try the vendor tool, it fixed mine last week.",
  });
  const flagger = await makePerson(db);
  await flagContent(db, { actor: flagger, targetType: "post", targetId: String(first), reason: "spam" });
  expect(await isVisible(first)).toBe(true);
  const { silenced } = await decideReviewItem(db, { actor: moderator, ref: post(first), decision: "hide" });
  expect(silenced).toBe(true);
  expect(await isSilenced(db, spammer.id)).toBe(true);
  expect(await isVisible(first)).toBe(false);
  expect(await isVisible(answer)).toBe(false);
  expect((await getPendingHold(db, post(answer)))?.reason).toBe("silenced_author");
  expect((await listNotices(db, flagger.id)).map((n) => n.kind)).toEqual(["flag_upheld"]);
  // A silenced account can't post.
  const refused = await rejection(makeQuestion(db, spammer, space));
  expect(refused.status).toBe(403);
  expect(refused.message).toMatch(/silenced/);
  const actions = (await db.select().from(moderationLog)).map((row) => row.action);
  expect(actions).toContain("user.silence");
});

test("new accounts: a daily limit, the same text again is held, and links to a domain flagged as spam are held for anyone", async () => {
  const { db } = database;
  await setTrustSetting(db, { key: "newAccountDailyPosts", value: 3, by: null });
  try {
    const newcomer = await makePerson(db, { isNew: true });
    const space = await makeSpace(db);
    const questionId = await makeQuestion(db, await makePerson(db), space);
    const text = "Has anyone else seen the printer on floor three eat every second page?";
    await addComment(db, { postId: questionId, actor: newcomer, body: text });
    const second = await addComment(db, {
      postId: questionId,
      actor: await makePerson(db, { isNew: true }),
      body: text,
    });
    const [held] = await db.select().from(comments).where(eq(comments.id, second.commentId));
    expect(held?.deletedAt).not.toBeNull();
    expect((await getPendingHold(db, { type: "comment", id: String(second.commentId) }))?.reason).toBe("repeated_text");
    await addComment(db, { postId: questionId, actor: newcomer, body: "Second distinct comment here." });
    await addComment(db, { postId: questionId, actor: newcomer, body: "Third distinct comment here." });
    const over = await rejection(addComment(db, { postId: questionId, actor: newcomer, body: "A fourth one today." }));
    expect(over.status).toBe(429);
    expect(over.message).toMatch(/3 times a day/);
  } finally {
    await setTrustSetting(db, { key: "newAccountDailyPosts", value: null, by: null });
  }
  // A moderator upholds a spam flag on a post linking to a domain; a member's later link to it is held.
  const moderator = await makePerson(db, { role: "moderator" });
  const space = await makeSpace(db);
  const member = await makePerson(db);
  const spam = await makeQuestion(db, member, space, {
    body: "Great deals at https://spam-deals.example/offer for all your software needs today.",
  });
  await flagContent(db, { actor: await makePerson(db), targetType: "post", targetId: String(spam), reason: "spam" });
  await decideReviewItem(db, { actor: moderator, ref: post(spam), decision: "hide" });
  const later = await makeQuestion(db, await makePerson(db), space, {
    body: "Is https://www.spam-deals.example/other a safe place to buy licences for our team?",
  });
  expect((await getPendingHold(db, post(later)))?.reason).toBe("flagged_domain");
});

test("only staff decide, and a decided item can't be decided twice (its decider's repeat is the same decision)", async () => {
  const { db } = database;
  const member = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const otherModerator = await makePerson(db, { role: "moderator" });
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  await flagContent(db, { actor: member, targetType: "post", targetId: String(questionId), reason: "needs_detail" });
  expect(
    (await rejection(decideReviewItem(db, { actor: member, ref: post(questionId), decision: "keep" }))).status,
  ).toBe(403);
  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" });
  // A double tap: the same moderator, the same decision, is what they already did, not a second decision.
  await expect(
    decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" }),
  ).resolves.toBeDefined();
  expect(
    (await rejection(decideReviewItem(db, { actor: otherModerator, ref: post(questionId), decision: "keep" }))).status,
  ).toBe(409);
  expect(
    (await rejection(decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "hide" }))).status,
  ).toBe(409);
});
