/**
 * Editing a post on the real database gets the spam checks new posts get: an author's edit that adds spam is saved but
 * held for review (hidden, its new mentions told nobody until a moderator publishes it); other people's edits are not
 * held against the author; an edit is not a new post (no daily limit, no first-question hold).
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { notifications, posts, spaces, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { acceptAnswer, editAnswer } from "./answers.server";
import { getPendingHold, silenceUser } from "./holds.server";
import { follow } from "./notifications.server";
import { decideSuggestion, suggestHowtoEdit } from "./howto-suggestions.server";
import { editHowto } from "./howto-writing.server";
import { castVote } from "./posts.server";
import { editQuestion } from "./questions.server";
import { decideReviewItem } from "./review-queue.server";
import { setTrustSetting } from "./trust-settings.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

/** The audit's edit: eleven outside links, one of them showing a Microsoft address but leading elsewhere. */
const elevenLinks = [
  "Sign in again here: [https://learn.microsoft.com/vpn](https://phish.example/login)",
  ...Array.from({ length: 10 }, (_, i) => `- <https://offers${i}.example/deal>`),
].join("\n");

async function stored(postId: number) {
  const [row] = await database.db
    .select({ bodyMd: posts.bodyMd, deletedAt: posts.deletedAt, revisionCount: posts.revisionCount })
    .from(posts)
    .where(eq(posts.id, postId));
  if (!row) throw new Error("post not found");
  return row;
}

async function handleOf(userId: string): Promise<string> {
  const [row] = await database.db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
  if (!row?.handle) throw new Error("person has no handle");
  return row.handle;
}

async function mentionsOf(userId: string, postId: number): Promise<number> {
  const rows = await database.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        eq(notifications.postId, postId),
        eq(notifications.kind, "mention"),
        isNull(notifications.commentId),
      ),
    );
  return rows.length;
}

let asked = 0;
/** A question of its own words: a new account repeating text posted today is held for that (repeated_text). */
const ownWords = () => ({ body: `${sampleBody} Seen first on laptop number ${++asked} of the finance team.` });

const questionEdit = (body: string) => ({ title: "VPN drops every morning at nine", body, tags: "vpn" });

test("a new account's edit that adds links to its published question, answer or how-to is saved but held for review", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const newcomer = await makePerson(db, { isNew: true });
  const questionId = await makeQuestion(db, newcomer, space, {
    title: "VPN drops every morning at nine",
    ...ownWords(),
  });
  const answerId = await makeAnswer(db, newcomer, await makeQuestion(db, await makePerson(db), space));
  const howtoId = await makeHowto(db, newcomer, space);
  for (const id of [questionId, answerId, howtoId]) expect(await getPendingHold(db, post(id))).toBeNull();

  const body = `${sampleBody}\n\n${elevenLinks}`;
  await editQuestion(db, { questionId, actor: newcomer, ...questionEdit(body), isPlainLanguage: false });
  await editAnswer(db, { answerId, actor: newcomer, body: `Try this instead.\n\n${elevenLinks}` });
  const steps = howtoFields().steps;
  await editHowto(db, {
    howtoId,
    actor: newcomer,
    ...howtoFields({ steps: [...steps, "Then see https://offers.example/deal for more."] }),
  });

  for (const id of [questionId, answerId, howtoId]) {
    const hold = await getPendingHold(db, post(id));
    expect(hold?.reason).toBe("new_account_links");
    expect(hold?.message).toContain("Your edit is saved and a moderator will look at it soon");
    // Off every public page until a moderator decides, and nothing typed was lost: the edit is the current version.
    const row = await stored(id);
    expect(row.deletedAt).not.toBeNull();
    expect(row.revisionCount).toBe(2);
  }
  expect((await stored(questionId)).bodyMd).toBe(body);
});

test("mentions an edit adds tell nobody while it is held, and are told once a moderator publishes it", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const newcomer = await makePerson(db, { isNew: true });
  const priya = await makePerson(db, { name: "Priya" });
  const marcus = await makePerson(db, { role: "moderator", name: "Marcus" });
  const questionId = await makeQuestion(db, newcomer, space, ownWords());

  const body = `${sampleBody} @${await handleOf(priya.id)} @${await handleOf(marcus.id)} see https://phish.example/login`;
  await editQuestion(db, { questionId, actor: newcomer, ...questionEdit(body), isPlainLanguage: false });
  expect((await getPendingHold(db, post(questionId)))?.reason).toBe("new_account_links");
  expect(await mentionsOf(priya.id, questionId)).toBe(0);
  expect(await mentionsOf(marcus.id, questionId)).toBe(0);

  await decideReviewItem(db, { actor: marcus, ref: post(questionId), decision: "keep" });
  expect((await stored(questionId)).deletedAt).toBeNull();
  expect(await mentionsOf(priya.id, questionId)).toBe(1);
});

test("a held edit withdraws only what the edit told; publishing it tells the new mention once, not the post again", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const newcomer = await makePerson(db, { isNew: true });
  const priya = await makePerson(db, { name: "Priya" });
  const dev = await makePerson(db, { name: "Dev" });
  const marcus = await makePerson(db, { role: "moderator", name: "Marcus" });
  await follow(db, marcus.id, { type: "space", key: String(space) });
  const questionId = await makeQuestion(db, newcomer, space, {
    ...ownWords(),
    body: `${ownWords().body} @${await handleOf(priya.id)}`,
  });
  const heardOfIt = async () =>
    (await db.select().from(notifications).where(eq(notifications.postId, questionId))).map((n) => [n.userId, n.kind]);
  const before = await heardOfIt();
  expect(before).toEqual(
    expect.arrayContaining([
      [priya.id, "mention"],
      [marcus.id, "new_post"],
    ]),
  );

  const body = `${ownWords().body} @${await handleOf(priya.id)} @${await handleOf(dev.id)} https://phish.example/login`;
  await editQuestion(db, { questionId, actor: newcomer, ...questionEdit(body), isPlainLanguage: false });
  expect((await getPendingHold(db, post(questionId)))?.reason).toBe("new_account_links");
  // What people heard of the question before the edit stays; the edit's mention of Dev is withdrawn.
  expect((await heardOfIt()).sort()).toEqual([...before].sort());

  await decideReviewItem(db, { actor: marcus, ref: post(questionId), decision: "keep" });
  expect(await mentionsOf(dev.id, questionId)).toBe(1);
  expect(await mentionsOf(priya.id, questionId)).toBe(1);
  const told = await heardOfIt();
  expect(told.filter(([id, kind]) => id === marcus.id && kind === "new_post")).toHaveLength(1);
  expect(told).toHaveLength(before.length + 1);
});

test("spam swapped into an accepted, upvoted answer is held; once published, an edit adding no links is not held again", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db);
  const answerer = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const answerId = await makeAnswer(db, answerer, await makeQuestion(db, asker, space));
  await castVote(db, { postId: answerId, userId: (await makePerson(db)).id, value: 1 });
  await acceptAnswer(db, { answerId, actor: asker });

  // An established member: not a new account, but more links than any post may carry unchecked (8).
  const spam = `Updated with the full list.\n\n${elevenLinks}`;
  await editAnswer(db, { answerId, actor: answerer, body: spam });
  expect((await getPendingHold(db, post(answerId)))?.reason).toBe("many_links");
  expect((await stored(answerId)).deletedAt).not.toBeNull();

  await decideReviewItem(db, { actor: moderator, ref: post(answerId), decision: "keep" });
  await editAnswer(db, { answerId, actor: answerer, body: spam.replace("full list", "complete list") });
  expect(await getPendingHold(db, post(answerId))).toBeNull();
  expect((await stored(answerId)).deletedAt).toBeNull();
});

test("someone else's edit is not held against the author; a silenced editor is refused", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const newcomer = await makePerson(db, { isNew: true });
  const moderator = await makePerson(db, { role: "moderator" });

  // A moderator adding links to a new account's question: the question stays published.
  const questionId = await makeQuestion(db, newcomer, space, ownWords());
  const body = `${sampleBody}\n\n${elevenLinks}`;
  await editQuestion(db, { questionId, actor: moderator, ...questionEdit(body), isPlainLanguage: false });
  expect(await getPendingHold(db, post(questionId))).toBeNull();
  expect((await stored(questionId)).deletedAt).toBeNull();

  // A suggested edit with a link, accepted by the how-to's new author: the suggester wrote it, the author checked it.
  const howtoId = await makeHowto(db, newcomer, space);
  const suggester = await makePerson(db);
  const { suggestionId } = await suggestHowtoEdit(db, {
    howtoId,
    actor: suggester,
    ...howtoFields({ summary: "Now also covered on https://passwords.example/help for every office." }),
  });
  await decideSuggestion(db, { suggestionId, actor: newcomer, decision: "accept" });
  expect(await getPendingHold(db, post(howtoId))).toBeNull();
  expect((await stored(howtoId)).deletedAt).toBeNull();

  // A silenced editor's edit is refused and nothing is changed.
  const silenced = await makePerson(db, { role: "moderator" });
  await db.transaction((tx) => silenceUser(tx, { userId: silenced.id, by: moderator.id, reason: "Under review." }));
  const before = await stored(questionId);
  const refused = await rejection(
    editQuestion(db, {
      questionId,
      actor: silenced,
      ...questionEdit(`${sampleBody} Edited again.`),
      isPlainLanguage: false,
    }),
  );
  expect(refused.status).toBe(403);
  expect(refused.message).toContain("silenced");
  expect(await stored(questionId)).toEqual(before);
});

test("an edit is not a new post: no daily limit and no first-question hold, but added links are still checked", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  await db.update(spaces).set({ holdFirstQuestions: true }).where(eq(spaces.id, space));
  const newcomer = await makePerson(db, { isNew: true });
  const moderator = await makePerson(db, { role: "moderator" });
  await setTrustSetting(db, { key: "newAccountDailyPosts", value: 1, by: null });
  try {
    const questionId = await makeQuestion(db, newcomer, space, ownWords());
    expect((await getPendingHold(db, post(questionId)))?.reason).toBe("first_question");
    await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" });

    // At the day's one post, and still their only question in a space that holds first questions.
    await editQuestion(db, {
      questionId,
      actor: newcomer,
      ...questionEdit(`${sampleBody} It started after the update.`),
      isPlainLanguage: false,
    });
    expect(await getPendingHold(db, post(questionId))).toBeNull();
    expect((await stored(questionId)).deletedAt).toBeNull();

    await editQuestion(db, {
      questionId,
      actor: newcomer,
      ...questionEdit(`${sampleBody} It started after the update: https://phish.example/login`),
      isPlainLanguage: false,
    });
    expect((await getPendingHold(db, post(questionId)))?.reason).toBe("new_account_links");
  } finally {
    await setTrustSetting(db, { key: "newAccountDailyPosts", value: null, by: null });
  }
});
