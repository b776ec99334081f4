/**
 * What people read about moderation decisions, on the real database: each notice of a decision in the inbox with its
 * own words, a held post's own date beside when it was hidden, and a public log that names what was decided without
 * leading visitors to pages they can't open.
 */
import { readFileSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { comments, contentHolds, moderationLog, notifications, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { addComment } from "./comments.server";
import { flagContent } from "./flags.server";
import { holdContent, listMyHolds, listNotices } from "./holds.server";
import { describeModerationAction, listModerationLog, moderationTargetLinks } from "./moderation.server";
import { listNotifications } from "./notifications.server";
import { decideReviewItem } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The words of a person's moderation notifications, newest first, as /notifications lists them. */
async function moderationInbox(userId: string): Promise<string[]> {
  const { items } = await listNotifications(database.db, userId);
  return items.filter((item) => item.kind === "moderation").map((item) => item.title);
}

async function noticeMessages(userId: string): Promise<string[]> {
  return (await listNotices(database.db, userId)).map((notice) => notice.message);
}

describe("a decision that sends one person two notices", () => {
  test("hiding a profile and warning its owner lists both notices, each with its own words", async () => {
    const { db } = database;
    const tom = await makePerson(db, { name: "Tom" });
    await db.update(users).set({ bio: "Cheap licences at example.test" }).where(eq(users.id, tom.id));
    const grace = await makePerson(db, { name: "Grace" });
    const marcus = await makePerson(db, { role: "moderator", name: "Marcus" });
    await flagContent(db, { actor: grace, targetType: "user", targetId: tom.id, reason: "spam" });
    await decideReviewItem(db, {
      actor: marcus,
      ref: { type: "user", id: tom.id },
      decision: "warn",
      note: "Bio test",
    });

    const notices = await noticeMessages(tom.id);
    expect(notices).toHaveLength(2);
    expect(notices.some((message) => message.startsWith("A moderator hid your profile"))).toBe(true);
    expect(notices.some((message) => message.startsWith("A moderator warned you about your profile"))).toBe(true);
    expect(await moderationInbox(tom.id)).toEqual(notices);
  });

  test("removing a post and warning its author lists the removal and the warning", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const marcus = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, author, await makeSpace(db), { title: "Where is the printer queue" });
    await decideReviewItem(db, {
      actor: marcus,
      ref: { type: "post", id: String(questionId) },
      decision: "warn",
      note: "Post test",
    });
    const inbox = await moderationInbox(author.id);
    expect(inbox).toEqual(await noticeMessages(author.id));
    expect(new Set(inbox).size).toBe(2);
    expect(inbox.some((title) => title.startsWith("A moderator removed your question"))).toBe(true);
    expect(inbox.some((title) => title.startsWith("A moderator warned you about your question"))).toBe(true);
  });

  test("notifications from before notices were linked find theirs again when the database is upgraded", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const marcus = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, author, await makeSpace(db));
    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(questionId) }, decision: "silence" });
    const expected = await moderationInbox(author.id);
    expect(new Set(expected).size).toBe(2);

    // As written before the upgrade: no link. Such a row still reads as a plain sentence, never blank.
    await db.update(notifications).set({ noticeId: null }).where(eq(notifications.userId, author.id));
    expect(await moderationInbox(author.id)).toEqual([
      "A moderator reviewed something you flagged or posted.",
      "A moderator reviewed something you flagged or posted.",
    ]);
    // The migration's own backfill pairs each one with its notice again.
    const migration = readFileSync(
      new URL("../../db/migrations/0047_notification_notice.sql", import.meta.url),
      "utf8",
    );
    const backfill = migration
      .split("--> statement-breakpoint")
      .find((statement) => statement.includes(`UPDATE "notifications"`));
    expect(backfill).toBeDefined();
    await db.execute(sql.raw(backfill ?? ""));
    expect(await moderationInbox(author.id)).toEqual(expected);
  });
});

describe("waiting for review", () => {
  test("a held post or comment shows when it was written, apart from when it was hidden", async () => {
    const { db } = database;
    const tom = await makePerson(db);
    const asked = new Date("2026-12-02T10:00:00Z");
    const written = new Date("2026-12-03T10:00:00Z");
    const questionId = await makeQuestion(db, tom, await makeSpace(db), { now: asked });
    const { commentId } = await addComment(db, { postId: questionId, actor: tom, body: "Also the VPN drops at noon." });
    await db.update(comments).set({ createdAt: written }).where(eq(comments.id, commentId));
    await db.transaction(async (tx) => {
      const message = "Held while a moderator looks at it.";
      await holdContent(tx, {
        ref: { type: "comment", id: String(commentId) },
        authorId: tom.id,
        reason: "flags",
        message,
      });
      await holdContent(tx, {
        ref: { type: "post", id: String(questionId) },
        authorId: tom.id,
        reason: "flags",
        message,
      });
    });

    const holds = await listMyHolds(db, tom.id);
    const byTarget = new Map(holds.map((hold) => [`${hold.targetType}:${hold.targetId}`, hold]));
    expect(byTarget.get(`post:${questionId}`)?.postedAt).toEqual(asked);
    expect(byTarget.get(`comment:${commentId}`)?.postedAt).toEqual(written);
    const [held] = await db
      .select()
      .from(contentHolds)
      .where(eq(contentHolds.targetId, String(questionId)));
    expect(byTarget.get(`post:${questionId}`)?.createdAt).toEqual(held?.createdAt);
    expect(held?.createdAt.getTime()).toBeGreaterThan(asked.getTime());
  });
});

describe("the public moderation log", () => {
  test("review decisions say what kind of thing they were about", () => {
    expect(describeModerationAction("review.hide", "question")).toBe("hid flagged or held content: a question");
    expect(describeModerationAction("review.keep", "comment")).toBe("kept flagged or held content: a comment");
    expect(describeModerationAction("review.warn", "answer")).toBe("hid content and warned its author: an answer");
    expect(describeModerationAction("review.silence", "profile")).toBe(
      "hid content and silenced its author: a profile",
    );
    expect(describeModerationAction("review.close", "question")).toBe("settled flags by closing the question");
    // A target type the log doesn't know keeps the general words.
    expect(describeModerationAction("review.hide", "planet")).toBe("hid flagged or held content");
  });

  test("hidden content is linked for moderators only; what can be seen is linked for everyone", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const marcus = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, author, await makeSpace(db), { title: "Shared drive is read only" });
    const answerId = await makeAnswer(db, await makePerson(db), questionId);
    const { commentId } = await addComment(db, { postId: questionId, actor: author, body: "Still read only today." });
    await flagContent(db, {
      actor: await makePerson(db),
      targetType: "post",
      targetId: String(answerId),
      reason: "rude",
    });
    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(answerId) }, decision: "hide" });
    await flagContent(db, {
      actor: await makePerson(db),
      targetType: "comment",
      targetId: String(commentId),
      reason: "rude",
    });
    await decideReviewItem(db, { actor: marcus, ref: { type: "comment", id: String(commentId) }, decision: "keep" });

    const entries = await listModerationLog(db, { limit: 100 });
    const entryOf = (action: string, targetId: number) => {
      const entry = entries.find((e) => e.action === action && e.targetId === String(targetId));
      if (!entry) throw new Error(`no ${action} entry for ${targetId}`);
      return entry;
    };
    const hidAnswer = entryOf("review.hide", answerId);
    const keptComment = entryOf("review.keep", commentId);
    expect(describeModerationAction(hidAnswer.action, hidAnswer.targetType)).toBe(
      "hid flagged or held content: an answer",
    );
    expect(describeModerationAction(keptComment.action, keptComment.targetType)).toBe(
      "kept flagged or held content: a comment",
    );

    const forVisitors = await moderationTargetLinks(db, entries, { canSeeHidden: false });
    expect(forVisitors.has(hidAnswer.id)).toBe(false);
    expect(forVisitors.get(keptComment.id)).toBe(`/q/${questionId}#comment-${commentId}`);
    const forModerators = await moderationTargetLinks(db, entries, { canSeeHidden: true });
    expect(forModerators.get(hidAnswer.id)).toBe(`/q/${questionId}#answer-${answerId}`);

    // A hidden question: staff only, with ?stay=1 as closing's links have.
    await decideReviewItem(db, { actor: marcus, ref: { type: "post", id: String(questionId) }, decision: "hide" });
    const [hidQuestion] = await db
      .select()
      .from(moderationLog)
      .where(eq(moderationLog.targetId, String(questionId)));
    expect(hidQuestion?.targetType).toBe("question");
    const latest = await listModerationLog(db, { limit: 100 });
    const visitorLinks = await moderationTargetLinks(db, latest, { canSeeHidden: false });
    const staffLinks = await moderationTargetLinks(db, latest, { canSeeHidden: true });
    expect(visitorLinks.has(hidQuestion?.id ?? 0)).toBe(false);
    // The comment's question is hidden now, so the comment is no longer linked for visitors either.
    expect(visitorLinks.has(keptComment.id)).toBe(false);
    expect(staffLinks.get(hidQuestion?.id ?? 0)).toBe(`/q/${questionId}?stay=1`);
  });
});
