/**
 * A space archived at the moment an answer or a comment is being saved in it: the answer or comment is refused in words
 * (as one sent after the archiving is), never saved into the archived space. On PostgreSQL (CI's second pass) the
 * archiving really runs while the answer starts, and the answer waits for it; on PGlite, whose transactions take turns,
 * the archiving is made to land between the write's first look at the space and its transaction.
 */
import { eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { comments, posts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { whileOpen } from "../../tests/fixtures/while-open";
import { postAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { newIdempotencyKey } from "./idempotency.server";
import { PostingError } from "./post-errors.server";
import { setSpaceArchived } from "./spaces.server";

let database: Database;
let adminId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  adminId = (await makePerson(database.db, { role: "admin" })).id;
});
afterAll(() => database.close());

const answerText = "Turn off the power saving of the network card; it drops the link when the screen locks.";
const commentText = "Is it the same when the laptop is docked?";

async function answersTo(questionId: number) {
  return database.db.select({ id: posts.id }).from(posts).where(eq(posts.parentId, questionId));
}

async function commentsOn(postId: number) {
  return database.db.select({ id: comments.id }).from(comments).where(eq(comments.postId, postId));
}

function refusalOf(settled: { status: "fulfilled" } | { status: "rejected"; reason: unknown }) {
  const reason = settled.status === "rejected" ? settled.reason : null;
  return reason instanceof PostingError ? [reason.status, reason.message] : settled;
}

/**
 * The database with the space archived just before the next transaction begins: after the write has looked at the
 * space (still open), before it saves anything, as an admin's click at that moment would land on one connection.
 */
function archivedOnTheWay(db: Db, spaceId: number): Db {
  let isArchived = false;
  const transaction: Db["transaction"] = async (work, config) => {
    if (!isArchived) {
      isArchived = true;
      await setSpaceArchived(db, { spaceId, archived: true, by: adminId });
    }
    return db.transaction(work, config);
  };
  return new Proxy(db, {
    get: (target, key, receiver) => (key === "transaction" ? transaction : Reflect.get(target, key, receiver)),
  });
}

describe("a space archived just as an answer or a comment is saved", () => {
  test("the answer is refused in words and not saved", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, await makePerson(db), spaceId);
    const answering = postAnswer(archivedOnTheWay(db, spaceId), {
      questionId,
      actor: await makePerson(db),
      body: answerText,
      idempotencyKey: newIdempotencyKey(),
    });
    await expect(answering).rejects.toThrow("This space is archived, so it takes no new answers.");
    await expect(answering).rejects.toMatchObject({ status: 403 });
    expect(await answersTo(questionId)).toEqual([]);
  });

  test("a comment on the question or on an answer is refused in words and not saved", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, await makePerson(db), spaceId);
    const answerId = await makeAnswer(db, await makePerson(db), questionId);
    const commenter = await makePerson(db);
    const onQuestion = addComment(archivedOnTheWay(db, spaceId), {
      postId: questionId,
      actor: commenter,
      body: commentText,
    });
    await expect(onQuestion).rejects.toThrow("This space is archived, so it takes no new comments.");
    await setSpaceArchived(db, { spaceId, archived: false, by: adminId });
    const onAnswer = addComment(archivedOnTheWay(db, spaceId), {
      postId: answerId,
      actor: commenter,
      body: commentText,
    });
    await expect(onAnswer).rejects.toMatchObject({ status: 403 });
    expect([...(await commentsOn(questionId)), ...(await commentsOn(answerId))]).toEqual([]);
  });
});

describe("an admin archiving the space while an answer or a comment is sent", () => {
  test("the answer waits for the archiving and is refused, never saved into the archived space", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, await makePerson(db), spaceId);
    const helper = await makePerson(db);
    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => setSpaceArchived(tx, { spaceId, archived: true, by: adminId }),
      () => postAnswer(db, { questionId, actor: helper, body: answerText, idempotencyKey: newIdempotencyKey() }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(refusalOf(other)).toEqual([403, "This space is archived, so it takes no new answers."]);
    expect(await answersTo(questionId)).toEqual([]);
  });

  test("the comment waits for the archiving and is refused, never saved into the archived space", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, await makePerson(db), spaceId);
    const commenter = await makePerson(db);
    const { finishedWhileOpen, other } = await whileOpen(
      db,
      (tx) => setSpaceArchived(tx, { spaceId, archived: true, by: adminId }),
      () => addComment(db, { postId: questionId, actor: commenter, body: commentText }),
    );
    expect(finishedWhileOpen).toBe(false);
    expect(refusalOf(other)).toEqual([403, "This space is archived, so it takes no new comments."]);
    expect(await commentsOn(questionId)).toEqual([]);
  });
});
