/**
 * An edit that arrives while a moderator deletes or hides its post (a deletion, the author's ban or silence) waits for
 * that and is refused as if it had come after: the post keeps the text it had, and the editor is told in the edit
 * form's usual words. On PGlite transactions take turns, so the edit simply comes after; on PostgreSQL (CI's second
 * pass) it is saved on another connection while the moderator's transaction is still open, and waits for its row.
 */
import { eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { posts } from "#db/schema";
import { goneWhileEditing } from "~/routes/__post-editing.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { type Settled, whileOpen } from "../../tests/fixtures/while-open";
import { editAnswer } from "./answers.server";
import { silenceUser } from "./holds.server";
import { deleteHowto, editHowto } from "./howto-writing.server";
import { deleteQuestionOrAnswer } from "./post-deletion.server";
import { PostingError } from "./post-errors.server";
import { editQuestion } from "./questions.server";
import { banUser } from "./users.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const newBody = "Update the VPN client to 6.2.3 first: the reconnect loop is fixed there, then restart the laptop.";

/** The refusal an edit got: a PostingError's status and message (fails the test when the edit was saved). */
function refusal(other: Settled<unknown>) {
  if (other.status === "fulfilled") throw new Error("the edit was saved");
  if (!(other.reason instanceof PostingError)) throw other.reason;
  return { status: other.reason.status, message: other.reason.message };
}

async function bodyAndVersions(db: Db, postId: number) {
  const [post] = await db
    .select({ bodyMd: posts.bodyMd, revisionCount: posts.revisionCount })
    .from(posts)
    .where(eq(posts.id, postId));
  return post;
}

const questionEdit = (questionId: number, actor: Awaited<ReturnType<typeof makePerson>>) => ({
  questionId,
  actor,
  title: "The VPN drops every morning at nine",
  body: newBody,
  tags: "vpn",
  isPlainLanguage: false,
});

describe("a question edited while it is taken down", () => {
  test("its asker's edit sent while a moderator deletes the question is refused as deleted", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db));

    const { other } = await whileOpen(
      db,
      (tx) => deleteQuestionOrAnswer(tx, { postId: questionId, actor: moderator, reason: "Duplicate." }),
      () => editQuestion(db, questionEdit(questionId, asker)),
    );
    expect(refusal(other)).toEqual({ status: 404, message: "This question doesn't exist or was deleted." });
    expect(await bodyAndVersions(db, questionId)).toEqual({ bodyMd: sampleBody, revisionCount: 1 });
  });

  test("a moderator's edit sent while its asker is banned is refused, and they are told it was hidden by the ban", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const [admin, moderator] = [await makePerson(db, { role: "admin" }), await makePerson(db, { role: "moderator" })];
    const questionId = await makeQuestion(db, asker, await makeSpace(db));

    const { other } = await whileOpen(
      db,
      (tx) => banUser(tx, { userId: asker.id, reason: "spam", by: admin.id }),
      () => editQuestion(db, questionEdit(questionId, moderator)),
    );
    expect(refusal(other).status).toBe(404);
    expect(await bodyAndVersions(db, questionId)).toEqual({ bodyMd: sampleBody, revisionCount: 1 });
    // The edit form's refusal (refusedEdit turns a 404 into this page) says what happened, with the text to copy.
    const page = await goneWhileEditing(
      { db, noun: "question", postId: questionId, actor: moderator },
      { body: newBody },
    );
    expect(page.data.message).toBe(
      "While you were editing this question, it was hidden when its author was banned, so your changes could not be saved. What you typed is below, to copy.",
    );
  });
});

describe("an answer edited while it is taken down", () => {
  test("its author's edit sent while a moderator deletes its question is refused as deleted", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const author = await makePerson(db);
    const answerId = await makeAnswer(db, author, questionId);
    const before = await bodyAndVersions(db, answerId);

    const { other } = await whileOpen(
      db,
      (tx) => deleteQuestionOrAnswer(tx, { postId: questionId, actor: moderator, reason: "Off topic." }),
      () => editAnswer(db, { answerId, actor: author, body: newBody }),
    );
    expect(refusal(other)).toEqual({ status: 404, message: "This answer doesn't exist or was deleted." });
    expect(await bodyAndVersions(db, answerId)).toEqual(before);
  });

  test("a moderator's edit sent while its author is silenced is refused, and the hidden answer keeps its text", async () => {
    const { db } = database;
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
    const author = await makePerson(db);
    const answerId = await makeAnswer(db, author, questionId);
    const before = await bodyAndVersions(db, answerId);

    const { other } = await whileOpen(
      db,
      (tx) => silenceUser(tx, { userId: author.id, by: moderator.id, reason: "Spam." }),
      () => editAnswer(db, { answerId, actor: moderator, body: newBody }),
    );
    expect(refusal(other)).toEqual({ status: 404, message: "This answer doesn't exist or was deleted." });
    expect(await bodyAndVersions(db, answerId)).toEqual(before);
  });
});

describe("a how-to edited while it is taken down", () => {
  test("its author's edit sent while a moderator deletes the how-to is refused as deleted", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const howtoId = await makeHowto(db, author, await makeSpace(db));
    const before = await bodyAndVersions(db, howtoId);

    const { other } = await whileOpen(
      db,
      (tx) => deleteHowto(tx, { howtoId, actor: moderator, reason: "Outdated." }),
      () => editHowto(db, { howtoId, actor: author, ...howtoFields({ summary: newBody }) }),
    );
    expect(refusal(other)).toEqual({ status: 404, message: "This how-to doesn't exist or was deleted." });
    expect(await bodyAndVersions(db, howtoId)).toEqual(before);
  });

  test("a moderator's edit sent while its author is banned is refused, and the hidden how-to keeps its text", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const [admin, moderator] = [await makePerson(db, { role: "admin" }), await makePerson(db, { role: "moderator" })];
    const howtoId = await makeHowto(db, author, await makeSpace(db));
    const before = await bodyAndVersions(db, howtoId);

    const { other } = await whileOpen(
      db,
      (tx) => banUser(tx, { userId: author.id, reason: "spam", by: admin.id }),
      () => editHowto(db, { howtoId, actor: moderator, ...howtoFields({ summary: newBody }) }),
    );
    expect(refusal(other)).toEqual({ status: 404, message: "This how-to doesn't exist or was deleted." });
    expect(await bodyAndVersions(db, howtoId)).toEqual(before);
  });
});
