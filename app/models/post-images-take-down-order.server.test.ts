/**
 * A picture taken down while a post showing it is being saved: the take-down locks the rows showing the picture first,
 * then the picture, the order an edit takes them in (its post, then the pictures its text shows), so the two wait for
 * each other instead of deadlocking, and whichever comes second sees the first. On PostgreSQL (CI's second pass) the
 * take-down really starts on another connection while the edit holds its post; on PGlite, whose one connection takes
 * transactions in turn, it waits for the edit to commit, so there these tests show only that both finish and the
 * picture ends up taken down everywhere.
 */
import { eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { posts } from "#db/schema";
import { TAKEN_DOWN_PICTURE_NOTE } from "~/lib/markdown.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { storedPicture, storedPost } from "../../tests/fixtures/pictures";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { type Settled, settle, whileOpen } from "../../tests/fixtures/while-open";
import { editAnswer, postAnswer } from "./answers.server";
import { removePostImage } from "./post-images.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("a picture taken down while an answer showing it is being edited: both finish, and the edited answer shows the note", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const picture = await storedPicture(database.db, author.id, "#7f3f1f");
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const answerId = await makeAnswer(db, author, questionId, {
    body: `The display showed this: ![The display](${picture.url}) and it was the fuser.`,
  });
  const { revisionCount } = await storedPost(database.db, answerId);

  let takeDown: Promise<Settled<void>> | undefined;
  const edit = await settle(
    db.transaction(async (tx: Db) => {
      // The edit's first lock on the answer (assertEditingLatest takes it, as any edit from the page does) ...
      await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, answerId)).for("update");
      // ... while the moderator takes the picture down (on PostgreSQL it waits for the answer's row now) ...
      takeDown = settle(removePostImage(db, { actor: moderator, hash: picture.hash, reason: "Shows a password" }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // ... then the edit looks up the pictures its text shows, and saves.
      return editAnswer(tx, {
        answerId,
        actor: author,
        baseRevision: revisionCount,
        body: `The display showed this: ![The display](${picture.url}) and it was the fuser, replaced last week.`,
      });
    }),
  );
  if (!takeDown) throw new Error("the take-down did not start");

  // Neither was chosen as a deadlock's victim: both are saved.
  expect(edit).toMatchObject({ status: "fulfilled" });
  expect(await takeDown).toEqual({ status: "fulfilled", value: undefined });
  const answer = await storedPost(database.db, answerId);
  // The edit is kept, with the note where the picture was (the take-down came second and rewrote it).
  expect(answer.bodyMd).toContain("replaced last week");
  expect(answer.bodyHtml).toContain("replaced last week");
  expect(answer.bodyHtml).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
  expect(answer.bodyHtml).not.toContain(picture.url);
});

test("an answer showing the picture saved while the take-down waits for the picture is taken down too", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const picture = await storedPicture(database.db, author.id, "#1f3f7f");
  const spaceId = await makeSpace(db);
  const firstQuestion = await makeQuestion(db, await makePerson(db), spaceId);
  const shownBefore = await makeAnswer(db, author, firstQuestion, {
    body: `Same here: ![The display](${picture.url}) after the update.`,
  });
  const questionId = await makeQuestion(db, await makePerson(db), spaceId);

  // The new answer holds the picture (looked up, not yet committed) when the take-down starts: the take-down finds
  // it only once it has the picture, and takes its locks again with the new answer's row first.
  const { result, other } = await whileOpen(
    db,
    (tx) =>
      postAnswer(tx, {
        questionId,
        actor: author,
        body: `Mine too: ![The display](${picture.url}) and it was the fuser.`,
      }),
    () => removePostImage(db, { actor: moderator, hash: picture.hash, reason: "Shows a password" }),
  );

  expect(other.status).toBe("fulfilled");
  for (const postId of [shownBefore, result.answerId]) {
    const { bodyHtml } = await storedPost(database.db, postId);
    expect(bodyHtml).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    expect(bodyHtml).not.toContain(picture.url);
  }
});
