import { count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { insertPosts } from "../../scripts/seed/demo";
import { posts, revisions, searchOutbox } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { FORM_EXPIRED_MESSAGE, once } from "./idempotency.server";
import { PostRuleError, castVote, restorePost, softDeletePost } from "./posts.server";
import { RateLimitedError, WRITE_RULES, consumeWriteLimit, formatWait } from "./rate-limits.server";
import { diffWords, listRevisions, recordRevision } from "./revisions.server";
import { makeSpace, makeUser } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

describe("write rate limits", () => {
  test("the write after the limit is refused with the time to wait, and the window resets", async () => {
    const userId = await makeUser(database.db);
    const start = new Date("2026-03-01T10:00:00Z");
    for (let i = 0; i < WRITE_RULES.comment.max; i++)
      await consumeWriteLimit(database.db, { userId, kind: "comment", now: start });
    const later = new Date(start.getTime() + 60_000);
    const refused = await consumeWriteLimit(database.db, { userId, kind: "comment", now: later }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(WRITE_RULES.comment.windowSeconds - 60);
    expect((refused as RateLimitedError).message).toMatch(/Please wait 9 minutes/);
    // Other kinds and other people are counted separately.
    await consumeWriteLimit(database.db, { userId, kind: "vote", now: later });
    await consumeWriteLimit(database.db, { userId: await makeUser(database.db), kind: "comment", now: later });
    const afterWindow = new Date(start.getTime() + WRITE_RULES.comment.windowSeconds * 1000 + 1000);
    await expect(
      consumeWriteLimit(database.db, { userId, kind: "comment", now: afterWindow }),
    ).resolves.toBeUndefined();
  });
});

describe("idempotent submits", () => {
  test("the same key twice runs the work once and returns the first result", async () => {
    const userId = await makeUser(database.db);
    let runs = 0;
    const first = await once(database.db, { userId, scope: "question", key: "key-abcdef12" }, async () => ({
      postId: ++runs,
    }));
    const second = await once(database.db, { userId, scope: "question", key: "key-abcdef12" }, async () => ({
      postId: ++runs,
    }));
    expect(first).toEqual({ result: { postId: 1 }, isRepeat: false });
    expect(second).toEqual({ result: { postId: 1 }, isRepeat: true });
    expect(runs).toBe(1);
  });

  test("a key sent again with another form is a new submission there, not the first form's result", async () => {
    const userId = await makeUser(database.db);
    const first = await once(database.db, { userId, scope: "question", key: "key-reused01" }, async () => ({
      questionId: 7,
    }));
    const other = await once(database.db, { userId, scope: "answer:7", key: "key-reused01" }, async () => ({
      answerId: 8,
    }));
    expect(first).toEqual({ result: { questionId: 7 }, isRepeat: false });
    expect(other).toEqual({ result: { answerId: 8 }, isRepeat: false });
  });

  test("a failed attempt leaves the key free for a retry", async () => {
    const userId = await makeUser(database.db);
    await expect(
      once(database.db, { userId, scope: "question", key: "key-failing1" }, async () =>
        Promise.reject(new Error("boom")),
      ),
    ).rejects.toThrow("boom");
    expect(
      (await once(database.db, { userId, scope: "question", key: "key-failing1" }, async () => ({ ok: true })))
        .isRepeat,
    ).toBe(false);
  });

  test("malformed keys are refused in words, as a form to send again (a 400, not a 500)", async () => {
    const userId = await makeUser(database.db);
    const refused = await rejection(once(database.db, { userId, scope: "question", key: "x" }, async () => ({})));
    expect(refused).toMatchObject({ status: 400, message: FORM_EXPIRED_MESSAGE });
  });
});

describe("votes, soft delete and revisions", () => {
  test("one changeable vote per person, never on your own post, with the score kept", async () => {
    const spaceId = await makeSpace(database.db);
    const [asker, voter, other] = [
      await makeUser(database.db),
      await makeUser(database.db),
      await makeUser(database.db),
    ];
    const [questionId] = await insertPosts(database.db, [
      {
        kind: "question",
        spaceId,
        authorId: asker,
        title: "Why does DNS fail after VPN connects?",
        body: "Details here please",
      },
    ]);
    if (questionId === undefined) throw new Error("no post");
    expect(await castVote(database.db, { postId: questionId, userId: voter, value: 1 })).toEqual({
      score: 1,
      myVote: 1,
    });
    expect(await castVote(database.db, { postId: questionId, userId: voter, value: 1 })).toEqual({
      score: 1,
      myVote: 1,
    });
    expect(await castVote(database.db, { postId: questionId, userId: other, value: -1 })).toEqual({
      score: 0,
      myVote: -1,
    });
    expect(await castVote(database.db, { postId: questionId, userId: voter, value: -1 })).toEqual({
      score: -2,
      myVote: -1,
    });
    expect(await castVote(database.db, { postId: questionId, userId: voter, value: 0 })).toEqual({
      score: -1,
      myVote: 0,
    });
    await expect(castVote(database.db, { postId: questionId, userId: asker, value: 1 })).rejects.toBeInstanceOf(
      PostRuleError,
    );
    const [outbox] = await database.db
      .select({ n: count() })
      .from(searchOutbox)
      .where(eq(searchOutbox.postId, questionId));
    expect(outbox?.n).toBeGreaterThan(0);
  });

  test("deleting an accepted answer un-accepts it and updates the answer count; a moderator restores it", async () => {
    const spaceId = await makeSpace(database.db);
    const [asker, helper, moderator] = [
      await makeUser(database.db),
      await makeUser(database.db),
      await makeUser(database.db, { role: "moderator" }),
    ];
    const [questionId] = await insertPosts(database.db, [
      {
        kind: "question",
        spaceId,
        authorId: asker,
        title: "Printer offline every morning",
        body: "It says offline.",
      },
    ]);
    const [answerId] = await insertPosts(database.db, [
      { kind: "answer", spaceId, authorId: helper, parentId: questionId, body: "Disable SNMP status." },
    ]);
    if (questionId === undefined || answerId === undefined) throw new Error("no post");
    await database.db.update(posts).set({ acceptedAnswerId: answerId }).where(eq(posts.id, questionId));
    await softDeletePost(database.db, { postId: answerId, by: helper });
    const [afterDelete] = await database.db
      .select({ accepted: posts.acceptedAnswerId, answers: posts.answerCount })
      .from(posts)
      .where(eq(posts.id, questionId));
    expect(afterDelete).toEqual({ accepted: null, answers: 0 });
    await restorePost(database.db, { postId: answerId, by: moderator });
    const [afterRestore] = await database.db
      .select({ answers: posts.answerCount })
      .from(posts)
      .where(eq(posts.id, questionId));
    expect(afterRestore?.answers).toBe(1);
  });

  test("revisions are numbered in order with their content, and the diff marks words added and removed", async () => {
    const spaceId = await makeSpace(database.db);
    const author = await makeUser(database.db);
    const [postId] = await insertPosts(database.db, [
      { kind: "question", spaceId, authorId: author, title: "t", body: "b" },
    ]);
    if (postId === undefined) throw new Error("no post");
    await database.db.delete(revisions).where(eq(revisions.postId, postId));
    expect(
      await recordRevision(database.db, {
        postId,
        editorId: author,
        content: { title: "VPN drops", bodyMd: "It drops hourly", tags: ["vpn"] },
      }),
    ).toBe(1);
    expect(
      await recordRevision(database.db, {
        postId,
        editorId: author,
        content: { title: "VPN drops", bodyMd: "It drops every hour", tags: ["vpn"] },
        note: "clearer",
      }),
    ).toBe(2);
    const history = await listRevisions(database.db, postId);
    expect(history.map((r) => [r.number, r.note, r.content.bodyMd])).toEqual([
      [1, "", "It drops hourly"],
      [2, "clearer", "It drops every hour"],
    ]);
    expect(diffWords("It drops hourly", "It drops every hour")).toEqual([
      { op: "same", text: "It drops " },
      { op: "removed", text: "hourly" },
      { op: "added", text: "every hour" },
    ]);
    expect(diffWords("same text", "same text")).toEqual([{ op: "same", text: "same text" }]);
  });
});

test("a wait reads right for one second and for many, in seconds under 90 and in minutes after", () => {
  expect(formatWait(1)).toBe("1 second");
  expect(formatWait(45)).toBe("45 seconds");
  expect(formatWait(90)).toBe("2 minutes");
  expect(formatWait(512)).toBe("9 minutes");
});
