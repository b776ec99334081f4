/**
 * Held content and the people it concerns, on the real database: a post held as it was written is announced when a
 * moderator keeps it (once), and a moderation notice never goes to a deleted account.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, moderationNotices, notifications, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { deleteAccount } from "./account-deletion.server";
import { addComment } from "./comments.server";
import { queueNotificationEmails } from "./email.server";
import { flagContent } from "./flags.server";
import { getPendingHold, sendNotice } from "./holds.server";
import { follow } from "./notifications.server";
import { decideReviewItem } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const mail = { baseURL: "https://peerdesk.example", secret: "test-secret-test-secret-test-secret-0123" };

async function handleOf(userId: string): Promise<string> {
  const [row] = await database.db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
  if (!row?.handle) throw new Error("person has no handle");
  return row.handle;
}

/** What each person was told about this post (or comment), as [person, kind] pairs. */
async function toldAbout(where: { postId: number } | { commentId: number }) {
  const rows = await database.db
    .select({ userId: notifications.userId, kind: notifications.kind })
    .from(notifications)
    .where(
      "postId" in where
        ? and(eq(notifications.postId, where.postId), isNull(notifications.commentId))
        : eq(notifications.commentId, where.commentId),
    );
  return rows.map((row) => [row.userId, row.kind]);
}

describe("held content a moderator keeps is announced then", () => {
  test("a new account's answer with a link and a mention: the asker, the question's followers and the mentioned person are told once, by notification and email", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const grace = await makePerson(db, { name: "Grace" });
    const priya = await makePerson(db, { name: "Priya" });
    const follower = await makePerson(db, { name: "Follower" });
    const marcus = await makePerson(db, { role: "moderator", name: "Marcus" });
    const newcomer = await makePerson(db, { isNew: true, name: "Newcomer" });
    const questionId = await makeQuestion(db, grace, space);
    await follow(db, follower.id, { type: "question", key: String(questionId) });

    const answerId = await makeAnswer(db, newcomer, questionId, {
      body: `See https://vpn-help.example/ike for the lifetime settings; @${await handleOf(priya.id)} knows this setup.`,
    });
    expect((await getPendingHold(db, { type: "post", id: String(answerId) }))?.reason).toBe("new_account_links");
    expect(await toldAbout({ postId: answerId })).toEqual([]);

    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(answerId) }, decision: "keep" });
    expect(await toldAbout({ postId: answerId })).toEqual(
      expect.arrayContaining([
        [grace.id, "answer"],
        [follower.id, "answer"],
        [priya.id, "mention"],
      ]),
    );
    expect(await toldAbout({ postId: answerId })).toHaveLength(3);

    await queueNotificationEmails({ db, ...mail, now: new Date(Date.now() + 1000) });
    const mailed = await db.select({ userId: emailOutbox.userId, subject: emailOutbox.subject }).from(emailOutbox);
    expect(mailed).toEqual(
      expect.arrayContaining([
        { userId: grace.id, subject: expect.stringContaining("answered") },
        { userId: priya.id, subject: expect.stringContaining("mentioned you") },
      ]),
    );

    // Kept once: the same decision sent again (a double tap) is done already, and nobody hears of it twice.
    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(answerId) }, decision: "keep" });
    expect(await toldAbout({ postId: answerId })).toHaveLength(3);
  });

  test("a held comment tells the post's author, the thread's followers and the people it mentions", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const mentioned = await makePerson(db);
    const marcus = await makePerson(db, { role: "moderator" });
    const newcomer = await makePerson(db, { isNew: true });
    const questionId = await makeQuestion(db, asker, space);
    const answerId = await makeAnswer(db, helper, questionId);
    const { commentId } = await addComment(db, {
      postId: answerId,
      actor: newcomer,
      body: `This worked for me too: https://vpn-help.example/ike, thanks @${await handleOf(mentioned.id)}.`,
    });
    expect(await getPendingHold(db, { type: "comment", id: String(commentId) })).not.toBeNull();
    expect(await toldAbout({ commentId })).toEqual([]);

    await decideReviewItem(db, { actor: marcus, ref: { type: "comment", id: String(commentId) }, decision: "keep" });
    expect(await toldAbout({ commentId })).toEqual(
      expect.arrayContaining([
        [helper.id, "comment"],
        [asker.id, "comment"],
        [mentioned.id, "mention"],
      ]),
    );
    expect(await toldAbout({ commentId })).toHaveLength(3);
  });

  test("a held question is announced to the space's followers when kept, not when it is removed", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const reader = await makePerson(db);
    const marcus = await makePerson(db, { role: "moderator" });
    await follow(db, reader.id, { type: "space", key: String(space) });
    const body = "The installer from https://vpn-help.example/client stops at 90% on every laptop in the office.";
    const kept = await makeQuestion(db, await makePerson(db, { isNew: true }), space, { body });
    const removed = await makeQuestion(db, await makePerson(db, { isNew: true }), space, { body });

    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(kept) }, decision: "keep" });
    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(removed) }, decision: "hide" });
    expect(await toldAbout({ postId: kept })).toEqual([[reader.id, "new_post"]]);
    expect(await toldAbout({ postId: removed })).toEqual([]);
  });

  test("an answer hidden by a flag and then kept is not announced a second time", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const grace = await makePerson(db);
    const marcus = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, grace, space);
    const answerId = await makeAnswer(db, await makePerson(db), questionId);
    expect(await toldAbout({ postId: answerId })).toEqual([[grace.id, "answer"]]);

    await flagContent(db, { actor: marcus, targetType: "post", targetId: String(answerId), reason: "rude" });
    await decideReviewItem(db, {
      actor: await makePerson(db, { role: "admin" }),
      ref: { type: "post", id: String(answerId) },
      decision: "keep",
    });
    // Grace heard of it when it was posted: the flag's hold does not make it news again.
    expect(await toldAbout({ postId: answerId })).toEqual([]);
  });
});

describe("moderation notices", () => {
  test("a deleted account's held question, kept by a moderator: no notice, notification or email for the deleted account", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const marcus = await makePerson(db, { role: "moderator" });
    const newcomer = await makePerson(db, { isNew: true });
    const questionId = await makeQuestion(db, newcomer, space, {
      body: "Is the download at https://vpn-help.example/client the right one for the office laptops we use?",
    });
    expect(await getPendingHold(db, { type: "post", id: String(questionId) })).not.toBeNull();
    await deleteAccount(db, { userId: newcomer.id, by: newcomer.id, deleteUnansweredQuestions: false });

    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(questionId) }, decision: "keep" });
    expect(await db.select().from(moderationNotices).where(eq(moderationNotices.userId, newcomer.id))).toEqual([]);
    expect(await db.select().from(notifications).where(eq(notifications.userId, newcomer.id))).toEqual([]);
    await queueNotificationEmails({ db, ...mail, now: new Date(Date.now() + 1000) });
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.userId, newcomer.id))).toEqual([]);
  });

  test("a banned person keeps the notice on their moderation page but gets no notification", async () => {
    const { db } = database;
    const banned = await makePerson(db, { banned: true });
    await sendNotice(db, { userId: banned.id, kind: "removed", message: "A moderator removed your answer." });
    const notices = await db.select().from(moderationNotices).where(eq(moderationNotices.userId, banned.id));
    expect(notices.map((notice) => notice.message)).toEqual(["A moderator removed your answer."]);
    expect(await db.select().from(notifications).where(eq(notifications.userId, banned.id))).toEqual([]);
  });
});
