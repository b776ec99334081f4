/**
 * Restoring a deleted question or answer twice (a double tap, a retried request, two moderators), through the model
 * and the question page's action on the real database: the moderator who just restored it gets the same success
 * again, and anyone else (or the same moderator long after) is told it is already back, as a conflict, not "not found".
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { moderationLog, posts, users } from "#db/schema";
import { action as questionAction } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { makeHowto } from "../../tests/fixtures/howtos";
import { deleteHowto, restoreHowto } from "./howto-writing.server";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "./post-deletion.server";
import type { SignedInActor } from "./post-errors.server";

let database: Database;
let spaceId: number;
let marcus: { browser: Browser; actor: SignedInActor };

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: the moderator signs up after, and is given the role.
  await makePerson(database.db, { role: "admin" });
  const browser = new Browser(testServices(database), "10.73.0.1");
  await signUp(browser, {
    name: "Marcus Restorer",
    email: "marcus-restores@example.com",
    password: "marcus brings back",
  });
  const [row] = await database.db
    .update(users)
    .set({ role: "moderator" })
    .where(eq(users.email, "marcus-restores@example.com"))
    .returning({ id: users.id });
  if (!row) throw new Error("no moderator");
  marcus = { browser, actor: { id: row.id, role: "moderator", banned: false } };
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

/** A question with an answer its author deleted: their ids. */
async function deletedAnswer() {
  const questionId = await makeQuestion(database.db, await makePerson(database.db), spaceId);
  const author = await makePerson(database.db);
  const answerId = await makeAnswer(database.db, author, questionId);
  await deleteQuestionOrAnswer(database.db, { postId: answerId, actor: author });
  return { questionId, answerId };
}

const isShown = async (postId: number) =>
  (await database.db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId)))[0]?.deletedAt ===
  null;

const restoresLogged = async (postId: number) =>
  (
    await database.db
      .select({ id: moderationLog.id })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "post.restore"), eq(moderationLog.targetId, String(postId))))
  ).length;

test("a moderator's double-tapped Restore brings the answer back once, and both taps land on it restored", async () => {
  const { questionId, answerId } = await deletedAnswer();
  const tap = () =>
    marcus.browser.submit(
      questionAction,
      `/q/${questionId}`,
      { intent: "restore", postId: String(answerId) },
      { id: String(questionId) },
    );
  const taps = await Promise.all([tap(), tap()]);
  expect(taps.map((answer) => (answer instanceof Response ? answer.status : payload(answer).status))).toEqual([
    303, 303,
  ]);
  for (const answer of taps)
    expect(answer instanceof Response && answer.headers.get("location")).toMatch(new RegExp(`#post-${answerId}$`));
  expect(await isShown(answerId)).toBe(true);
  expect(await restoresLogged(answerId)).toBe(1);
  // Sent once more right after (a retried request): the same success, nothing logged twice.
  expect((await tap()) instanceof Response).toBe(true);
  expect(await restoresLogged(answerId)).toBe(1);
});

test("a restore of a post that is back already is a conflict saying who restored it, not a 404", async () => {
  const { answerId } = await deletedAnswer();
  await restoreQuestionOrAnswer(database.db, { postId: answerId, actor: marcus.actor });
  const other = await makePerson(database.db, { role: "moderator", name: "Mina Second" });
  const late = await rejection(restoreQuestionOrAnswer(database.db, { postId: answerId, actor: other }));
  expect([late.status, late.message]).toEqual([
    409,
    "This answer is already back: Marcus Restorer restored it. Reload the page to see it.",
  ]);

  // The one who restored it, long after (a stale tab): told it is back, by them.
  await database.db
    .update(moderationLog)
    .set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) })
    .where(and(eq(moderationLog.action, "post.restore"), eq(moderationLog.targetId, String(answerId))));
  const stale = await rejection(restoreQuestionOrAnswer(database.db, { postId: answerId, actor: marcus.actor }));
  expect([stale.status, stale.message]).toEqual([
    409,
    "This answer is already back: you restored it. Reload the page to see it.",
  ]);
});

test("a restore of a question that was never deleted says there is nothing to restore, as a conflict", async () => {
  const questionId = await makeQuestion(database.db, await makePerson(database.db), spaceId);
  const refused = await rejection(restoreQuestionOrAnswer(database.db, { postId: questionId, actor: marcus.actor }));
  expect([refused.status, refused.message]).toEqual([
    409,
    "This question isn't deleted, so there is nothing to restore. Reload the page to see it.",
  ]);
  const missing = await rejection(restoreQuestionOrAnswer(database.db, { postId: 999_999, actor: marcus.actor }));
  expect([missing.status, missing.message]).toEqual([404, "This post doesn't exist."]);
});

test("a how-to restored twice is the same success for the moderator who just did it, and a conflict for anyone else", async () => {
  const howtoId = await makeHowto(database.db, await makePerson(database.db), spaceId);
  await deleteHowto(database.db, { howtoId, actor: marcus.actor });
  await Promise.all([
    restoreHowto(database.db, { howtoId, actor: marcus.actor }),
    restoreHowto(database.db, { howtoId, actor: marcus.actor }),
  ]);
  const [row] = await database.db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, howtoId));
  expect(row?.deletedAt).toBeNull();
  const otherModerator = await makePerson(database.db, { role: "moderator" });
  const refused = await rejection(restoreHowto(database.db, { howtoId, actor: otherModerator }));
  expect([refused.status, refused.message]).toEqual([
    409,
    "This how-to is already back: Marcus Restorer restored it. Reload the page to see it.",
  ]);
  const missing = await rejection(restoreHowto(database.db, { howtoId: 999_999, actor: marcus.actor }));
  expect([missing.status, missing.message]).toEqual([404, "This how-to doesn't exist."]);
});
