/**
 * Two writes on one post landing together: the same comment sent twice is saved once, and an answer deleted while the
 * asker accepts it never stays accepted. On PGlite transactions take turns; on PostgreSQL (CI's second pass) they run
 * on two connections at once, and the "while open" tests hold the first one open while the second arrives.
 */
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { comments, posts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const commentText = "Which version of the driver is installed on that laptop?";

/**
 * Runs `first` in a transaction that stays open while `second` starts on another connection (on PGlite it waits for
 * its turn), then commits; returns how `second` ended.
 */
async function whileOpen(db: Db, first: (tx: Db) => Promise<unknown>, second: () => Promise<unknown>) {
  let other: Promise<PromiseSettledResult<unknown>> = Promise.resolve({ status: "fulfilled", value: undefined });
  await db.transaction(async (tx) => {
    await first(tx);
    other = second().then(
      (value) => ({ status: "fulfilled", value }) as const,
      (reason: unknown) => ({ status: "rejected", reason }) as const,
    );
    await Promise.race([other, new Promise((r) => setTimeout(r, 400))]);
  });
  return other;
}

async function commentsBy(db: Db, postId: number, authorId: string) {
  return db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.postId, postId), eq(comments.authorId, authorId)));
}

async function acceptedOf(db: Db, questionId: number) {
  const [question] = await db
    .select({ acceptedAnswerId: posts.acceptedAnswerId })
    .from(posts)
    .where(eq(posts.id, questionId));
  return question?.acceptedAnswerId ?? null;
}

describe("the same comment sent twice at once", () => {
  test("is saved once, and both sends get that one comment", async () => {
    const { db } = database;
    const reader = await makePerson(db);
    for (let round = 0; round < 5; round++) {
      const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
      const sends = await Promise.all(
        [1, 2].map(() => addComment(db, { postId: questionId, actor: reader, body: commentText })),
      );
      const saved = await commentsBy(db, questionId, reader.id);
      expect(saved).toHaveLength(1);
      expect(sends.map((send) => send.commentId)).toEqual([saved[0]?.id, saved[0]?.id]);
      expect(sends.filter((send) => send.isRepeat)).toHaveLength(1);
    }
  });

  test("a second send arriving while the first is being saved finds it", async () => {
    const { db } = database;
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const reader = await makePerson(db);
    const second = await whileOpen(
      db,
      (tx) => addComment(tx, { postId: questionId, actor: reader, body: commentText }),
      () => addComment(db, { postId: questionId, actor: reader, body: commentText }),
    );
    expect(second).toMatchObject({ status: "fulfilled", value: { isRepeat: true } });
    expect(await commentsBy(db, questionId, reader.id)).toHaveLength(1);
  });
});

describe("accepting an answer a moderator deletes at the same moment", () => {
  test("an answer deleted while the asker accepts it is not accepted", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const answerId = await makeAnswer(db, await makePerson(db), questionId);
    const accept = await whileOpen(
      db,
      (tx) => deleteQuestionOrAnswer(tx, { postId: answerId, actor: moderator, reason: "Spam." }),
      () => acceptAnswer(db, { answerId, actor: asker }),
    );
    expect(accept.status === "rejected" && String(accept.reason)).toContain("doesn't exist or was deleted");
    expect(await acceptedOf(db, questionId)).toBeNull();
  });

  test("sent together, either order leaves no deleted answer accepted", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    for (let round = 0; round < 5; round++) {
      const questionId = await makeQuestion(db, asker, await makeSpace(db));
      const answerId = await makeAnswer(db, await makePerson(db), questionId);
      await Promise.allSettled([
        acceptAnswer(db, { answerId, actor: asker }),
        deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "Spam." }),
      ]);
      const [answer] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, answerId));
      expect(answer?.deletedAt).not.toBeNull();
      expect(await acceptedOf(db, questionId)).toBeNull();
    }
  });
});
