/** Trust levels on the real database: earned from account age, posts, upvotes and accepted answers; stored, and recomputed on change. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { userTrust, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { toggleVote } from "./votes.server";
import { flagContent } from "./flags.server";
import { decideReviewItem } from "./review-queue.server";
import {
  getTrustLevel,
  getTrustSummary,
  isNewAccount,
  levelFor,
  trustRequirements,
  withTrustLevel,
} from "./trust-levels.server";
import { setTrustSetting } from "./trust-settings.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const DAY = 86_400_000;

async function agedPerson(days: number) {
  const { db } = database;
  const person = await makePerson(db);
  await db
    .update(users)
    .set({ createdAt: new Date(Date.now() - days * DAY) })
    .where(eq(users.id, person.id));
  return person;
}

const NO_FLAGS = { flagsUpheld: 0, flaggedAgainst: 0 };

describe("what each level asks for", () => {
  const none = { accountAgeDays: 0, postsWritten: 0, upvotesReceived: 0, acceptedAnswers: 0, ...NO_FLAGS };
  test("every requirement of a level must be met, and levels come in order", () => {
    expect(levelFor(none)).toBe(0);
    expect(levelFor({ ...none, accountAgeDays: 400 })).toBe(0);
    expect(levelFor({ ...none, accountAgeDays: 1, postsWritten: 1 })).toBe(1);
    expect(levelFor({ accountAgeDays: 7, postsWritten: 5, upvotesReceived: 3, acceptedAnswers: 0, ...NO_FLAGS })).toBe(
      2,
    );
    expect(
      levelFor({ accountAgeDays: 6, postsWritten: 500, upvotesReceived: 300, acceptedAnswers: 90, ...NO_FLAGS }),
    ).toBe(1);
    expect(
      levelFor({ accountAgeDays: 30, postsWritten: 20, upvotesReceived: 15, acceptedAnswers: 3, ...NO_FLAGS }),
    ).toBe(3);
    expect(
      levelFor({ accountAgeDays: 30, postsWritten: 20, upvotesReceived: 15, acceptedAnswers: 2, ...NO_FLAGS }),
    ).toBe(2);
    expect(
      levelFor({ accountAgeDays: 90, postsWritten: 50, upvotesReceived: 50, acceptedAnswers: 10, ...NO_FLAGS }),
    ).toBe(3);
  });

  test("flags count: leaders have had flags upheld, and posts taken down on flags hold people back", () => {
    const leader = { accountAgeDays: 90, postsWritten: 50, upvotesReceived: 50, acceptedAnswers: 10, flagsUpheld: 3 };
    expect(levelFor({ ...leader, flaggedAgainst: 0 })).toBe(4);
    expect(levelFor({ ...leader, flagsUpheld: 2, flaggedAgainst: 0 })).toBe(3);
    expect(levelFor({ ...leader, flaggedAgainst: 1 })).toBe(3);
    expect(levelFor({ ...leader, flaggedAgainst: 2 })).toBe(2);
    expect(levelFor({ ...leader, flaggedAgainst: 3 })).toBe(1);
    expect(levelFor({ ...leader, flaggedAgainst: 40 })).toBe(1);
  });

  test("level 1 waits for the new-account period the admins set", () => {
    const requirements = trustRequirements({ newAccountDays: 3 });
    expect(requirements[1].accountAgeDays).toBe(3);
    expect(requirements[2].accountAgeDays).toBe(7);
    expect(trustRequirements({ newAccountDays: 10 })[2].accountAgeDays).toBe(10);
    const twoDaysIn = { accountAgeDays: 2, postsWritten: 1, upvotesReceived: 0, acceptedAnswers: 0, ...NO_FLAGS };
    expect(levelFor(twoDaysIn, requirements)).toBe(0);
    expect(levelFor(twoDaysIn)).toBe(1);
  });
});

describe("levels earned here", () => {
  test("a brand-new account is level 0 (a new account), even after posting", async () => {
    const { db } = database;
    const person = await makePerson(db, { isNew: true });
    expect(await getTrustLevel(db, person.id)).toBe(0);
    expect(await isNewAccount(db, person.id)).toBe(true);
    await makeQuestion(db, person, await makeSpace(db));
    expect(await getTrustLevel(db, person.id)).toBe(0);
  });

  test("a day-old account that wrote something is level 1; an old one that wrote nothing stays 0", async () => {
    const { db } = database;
    const silent = await agedPerson(40);
    expect(await getTrustLevel(db, silent.id)).toBe(0);
    const writer = await agedPerson(2);
    await makeQuestion(db, writer, await makeSpace(db));
    expect(await getTrustLevel(db, writer.id)).toBe(1);
    expect(await isNewAccount(db, writer.id)).toBe(false);
  });

  test("upvotes from others and posts raise the level; the stored level is dropped when a vote arrives", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const helper = await agedPerson(10);
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, spaceId);
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push(await makeAnswer(db, helper, questionId));
    await addComment(db, { actor: helper, postId: questionId, body: "Which VPN client version is this?" });
    expect(await getTrustLevel(db, helper.id)).toBe(1);
    for (const answerId of answers.slice(0, 2))
      await toggleVote(db, { actor: await makePerson(db), postId: answerId, direction: "up" });
    expect(await getTrustLevel(db, helper.id)).toBe(1);
    const [stored] = await db.select().from(userTrust).where(eq(userTrust.userId, helper.id));
    expect(stored?.upvotesReceived).toBe(2);
    await toggleVote(db, { actor: await makePerson(db), postId: answers[2] ?? 0, direction: "up" });
    // The vote's trigger dropped the stored row: the next read recomputes.
    expect(await db.select().from(userTrust).where(eq(userTrust.userId, helper.id))).toEqual([]);
    expect(await getTrustLevel(db, helper.id)).toBe(2);
    const summary = await getTrustSummary(db, helper.id);
    expect(summary).toMatchObject({ level: 2, name: "Member", counts: { postsWritten: 5, upvotesReceived: 3 } });
    expect(summary.next).toMatchObject({ acceptedAnswers: 3 });
  });

  test("accepted answers count (not one's own question's); accepting drops the stored level", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const helper = await agedPerson(3);
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, spaceId);
    const answerId = await makeAnswer(db, helper, questionId);
    expect((await getTrustSummary(db, helper.id)).counts?.acceptedAnswers).toBe(0);
    await acceptAnswer(db, { answerId, actor: asker });
    expect(await db.select().from(userTrust).where(eq(userTrust.userId, helper.id))).toEqual([]);
    expect((await getTrustSummary(db, helper.id)).counts?.acceptedAnswers).toBe(1);
    const ownQuestion = await makeQuestion(db, helper, spaceId);
    const ownAnswer = await makeAnswer(db, helper, ownQuestion);
    await acceptAnswer(db, { answerId: ownAnswer, actor: helper });
    expect((await getTrustSummary(db, helper.id)).counts?.acceptedAnswers).toBe(1);
  });

  test("a stored level is read as is while fresh, and recomputed once an hour old", async () => {
    const { db } = database;
    const person = await makePerson(db);
    await db.insert(userTrust).values({ userId: person.id, level: 3 });
    expect(await getTrustLevel(db, person.id)).toBe(3);
    expect((await withTrustLevel(db, person))?.trustLevel).toBe(3);
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    expect(await getTrustLevel(db, person.id, later)).toBe(0);
  });

  test("unknown people are level 0, and visitors stay visitors", async () => {
    const { db } = database;
    expect(await getTrustLevel(db, "nobody-by-this-id")).toBe(0);
    expect(await withTrustLevel(db, null)).toBeNull();
  });
});

describe("the one rule for a new account", () => {
  test("a member is new for the days the admins set (a day by default); mentors and staff never are", async () => {
    const { db } = database;
    const twoDaysOld = await agedPerson(2);
    expect(await isNewAccount(db, twoDaysOld.id)).toBe(false);
    await setTrustSetting(db, { key: "newAccountDays", value: 3, by: null });
    try {
      expect(await isNewAccount(db, twoDaysOld.id)).toBe(true);
      await makeQuestion(db, twoDaysOld, await makeSpace(db));
      // Still new, so still level 0 whatever it wrote.
      expect(await getTrustLevel(db, twoDaysOld.id)).toBe(0);
      const mentor = await makePerson(db, { isNew: true });
      await db.update(users).set({ role: "mentor" }).where(eq(users.id, mentor.id));
      expect(await isNewAccount(db, mentor.id)).toBe(false);
    } finally {
      await setTrustSetting(db, { key: "newAccountDays", value: null, by: null });
    }
    expect(await isNewAccount(db, "nobody-by-this-id")).toBe(false);
  });
});

describe("flags in the level", () => {
  test("a flag a moderator upholds counts for the flagger and against the author, and drops both stored levels", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const flagger = await agedPerson(5);
    const author = await agedPerson(5);
    const moderator = await makePerson(db, { role: "moderator" });
    await makeQuestion(db, flagger, spaceId);
    const first = await makeQuestion(db, author, spaceId);
    const second = await makeQuestion(db, author, spaceId);
    expect(await getTrustLevel(db, author.id)).toBe(1);
    expect(await getTrustLevel(db, flagger.id)).toBe(1);
    for (const postId of [first, second]) {
      await flagContent(db, { actor: flagger, targetType: "post", targetId: String(postId), reason: "rude" });
      await decideReviewItem(db, { actor: moderator, ref: { type: "post", id: String(postId) }, decision: "hide" });
    }
    // Deciding the flags dropped both stored rows: the next read recomputes.
    expect(await db.select().from(userTrust).where(eq(userTrust.userId, author.id))).toEqual([]);
    expect(await db.select().from(userTrust).where(eq(userTrust.userId, flagger.id))).toEqual([]);
    expect((await getTrustSummary(db, flagger.id)).counts).toMatchObject({ flagsUpheld: 2, flaggedAgainst: 0 });
    expect((await getTrustSummary(db, author.id)).counts).toMatchObject({ flagsUpheld: 0, flaggedAgainst: 2 });
  });

  test("a dismissed flag counts for nobody", async () => {
    const { db } = database;
    const flagger = await agedPerson(5);
    const author = await agedPerson(5);
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, author, await makeSpace(db));
    await flagContent(db, { actor: flagger, targetType: "post", targetId: String(questionId), reason: "rude" });
    await decideReviewItem(db, { actor: moderator, ref: { type: "post", id: String(questionId) }, decision: "keep" });
    expect((await getTrustSummary(db, flagger.id)).counts).toMatchObject({ flagsUpheld: 0, flaggedAgainst: 0 });
    expect((await getTrustSummary(db, author.id)).counts).toMatchObject({ flagsUpheld: 0, flaggedAgainst: 0 });
  });
});
