/**
 * The review queue and a question asked without a name, through its loader and action on the real database: the
 * queue's data never identifies the asker (on the question, or their own answers and comments in its thread), a named
 * author is still shown, and moderators can still decide on it; looking up who asked stays the logged reveal.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { action as reviewAction, loader as reviewLoader } from "~/routes/review._index";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { ANONYMOUS_NAME } from "./anonymity.server";
import { addComment } from "./comments.server";
import { flagContent } from "./flags.server";
import { listModerationLog } from "./moderation.server";
import { askQuestion } from "./questions.server";

let database: Database;
let moderator: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: the moderator signs up after, and is given the role.
  await makePerson(database.db, { role: "admin" });
  moderator = new Browser(testServices(database), "10.71.0.4");
  await signUp(moderator, { name: "Mona Moderator", email: "mona-reviews@example.com", password: "mona reads flags" });
  await database.db.update(users).set({ role: "moderator" }).where(eq(users.email, "mona-reviews@example.com"));
});
afterAll(() => database.close());

type QueueItem = {
  ref: { type: string; id: string };
  author: { isAnonymous: boolean; name: string; handle: string | null; questionId?: number };
};

async function reviewQueue() {
  const { data, status } = payload<{ items: QueueItem[] }>(await moderator.load(reviewLoader, "/review"));
  expect(status).toBe(200);
  return data.items;
}

test("the queue names no anonymous asker on their question, answers or comments, and still names everyone else", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db, { name: "Dev Patel" });
  const [askerRow] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, asker.id));
  const { questionId } = await askQuestion(db, {
    actor: asker,
    spaceId: space,
    title: "Is it normal that my manager reads my chat messages?",
    body: sampleBody,
    tags: "chat",
    isPlainLanguage: true,
    isAnonymous: true,
  });
  const ownAnswer = await makeAnswer(db, asker, questionId, { body: "Adding: this happens on my work laptop only." });
  const { commentId } = await addComment(db, { postId: questionId, actor: asker, body: "It is the Teams app." });
  const named = await makePerson(db, { name: "Rita Named" });
  const namedQuestion = await makeQuestion(db, named, space);
  const flagger = await makePerson(db);
  const flagged = [
    { targetType: "post", targetId: String(questionId) },
    { targetType: "post", targetId: String(ownAnswer) },
    { targetType: "comment", targetId: String(commentId) },
    { targetType: "post", targetId: String(namedQuestion) },
  ] as const;
  for (const target of flagged) await flagContent(db, { actor: flagger, ...target, reason: "rude" });

  const items = await reviewQueue();
  const anonymous = items.filter((item) => flagged.slice(0, 3).some((t) => t.targetId === item.ref.id));
  expect(anonymous).toHaveLength(3);
  for (const item of anonymous)
    expect(item.author).toEqual({ isAnonymous: true, name: ANONYMOUS_NAME, handle: null, questionId });
  // Nowhere in the page's data: not the name, the handle or the account id.
  const everything = JSON.stringify(anonymous);
  expect(everything).not.toContain("Dev Patel");
  expect(everything).not.toContain(asker.id);
  expect(everything).not.toContain(askerRow?.handle);

  const namedItem = items.find((item) => item.ref.id === String(namedQuestion));
  expect(namedItem?.author).toMatchObject({ isAnonymous: false, name: "Rita Named" });
  expect(JSON.stringify(namedItem)).toContain(named.id);
  // Looking at the queue is not a reveal: nothing is logged, because nothing was shown.
  expect((await listModerationLog(db)).map((entry) => entry.action)).not.toContain("question.revealAsker");
});

test("a moderator can still decide on an anonymous question from the queue, without its asker being named", async () => {
  const { db } = database;
  const asker = await makePerson(db, { name: "Quiet Quinn" });
  const { questionId } = await askQuestion(db, {
    actor: asker,
    spaceId: await makeSpace(db),
    title: "Can I ask for a standing desk without a doctor's note?",
    body: sampleBody,
    tags: "desk",
    isPlainLanguage: true,
    isAnonymous: true,
  });
  await flagContent(db, {
    actor: await makePerson(db),
    targetType: "post",
    targetId: String(questionId),
    reason: "rude",
  });
  expect((await reviewQueue()).map((item) => item.ref.id)).toContain(String(questionId));

  const decided = await moderator.submit(reviewAction, "/review", {
    intent: "decide",
    decision: "hide",
    targetType: "post",
    targetId: String(questionId),
    note: "",
  });
  expect(decided).toBeInstanceOf(Response);
  expect((decided as Response).status).toBe(303);
  expect((await reviewQueue()).map((item) => item.ref.id)).not.toContain(String(questionId));
  const log = await listModerationLog(db);
  expect(log.find((entry) => entry.targetId === String(questionId))?.action).toBe("review.hide");
  expect(JSON.stringify(log)).not.toContain("Quiet Quinn");
});

test("spam upheld on a new account's anonymous question hides it but does not silence the account, which the log would name", async () => {
  const { db } = database;
  const asker = await makePerson(db, { name: "Newcomer Nell", isNew: true });
  const { questionId } = await askQuestion(db, {
    actor: asker,
    spaceId: await makeSpace(db),
    title: "Is anyone else getting paid late this month?",
    // A body of its own: the same text as a post hidden above would be held as a repeat.
    body: "My salary arrived three days late and nobody in finance has said why. Did this happen to you too?",
    tags: "payroll",
    isPlainLanguage: true,
    isAnonymous: true,
  });
  await flagContent(db, {
    actor: await makePerson(db),
    targetType: "post",
    targetId: String(questionId),
    reason: "spam",
  });
  const decided = await moderator.submit(reviewAction, "/review", {
    intent: "decide",
    decision: "hide",
    targetType: "post",
    targetId: String(questionId),
    note: "",
  });
  expect((decided as Response).status).toBe(303);
  const log = await listModerationLog(db);
  expect(log.find((entry) => entry.targetId === String(questionId))?.action).toBe("review.hide");
  expect(log.some((entry) => entry.action === "user.silence" && entry.targetId === asker.id)).toBe(false);
  expect(JSON.stringify(log)).not.toContain("Newcomer Nell");
});
