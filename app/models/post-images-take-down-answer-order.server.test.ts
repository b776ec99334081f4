/**
 * A picture taken down just as an answer showing it is posted or edited under a question that shows it too: the
 * take-down locks the rows showing the picture (the question), then the picture; the answer's write must lock the
 * question before it looks the picture up, or each waits for the other (a deadlock PostgreSQL ends by failing one).
 * The take-down is made to hold the question and wait for the picture (another transaction reading the picture keeps
 * it busy) at the moment the answer is written. On PostgreSQL (CI's second pass) these run on separate connections; on
 * PGlite, whose one connection takes transactions in turn, they show only that both finish and the picture is gone.
 */
import { eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { posts } from "#db/schema";
import { TAKEN_DOWN_PICTURE_NOTE } from "~/lib/markdown.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { storedPicture, storedPost } from "../../tests/fixtures/pictures";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { type Settled, settle } from "../../tests/fixtures/while-open";
import { editAnswer, postAnswer } from "./answers.server";
import { picturesShownIn, removePostImage } from "./post-images.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `write` while a take-down of the picture holds the rows showing it and waits for the picture: another reader
 * of the picture (an open transaction) keeps the take-down waiting until `write` has started, then commits.
 */
async function writeDuringTakeDown<T>(
  db: Db,
  picture: { url: string; hash: string },
  takeDown: () => Promise<void>,
  write: () => Promise<T>,
) {
  let takenDown: Promise<Settled<void>> | undefined;
  let written: Promise<Settled<T>> | undefined;
  await db.transaction(async (reader: Db) => {
    await picturesShownIn(reader, [`![A reader](${picture.url})`]);
    // The take-down locks the rows showing the picture, then waits for the picture (this reader has it) ...
    takenDown = settle(takeDown());
    await pause(300);
    // ... while the answer is written: it reaches its locks now ...
    written = settle(write());
    await pause(300);
    // ... and the reader lets go.
  });
  if (!takenDown || !written) throw new Error("the writes did not start");
  return { takeDown: await takenDown, write: await written };
}

test("a picture taken down while an answer showing it is posted under a question showing it: both finish", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const helper = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const picture = await storedPicture(database.db, author.id, "#2f6f3f");
  const questionId = await makeQuestion(db, author, await makeSpace(db), {
    body: `The printer shows this error every morning: ![The error](${picture.url}) What does it mean?`,
  });

  const { takeDown, write } = await writeDuringTakeDown(
    db,
    picture,
    () => removePostImage(db, { actor: moderator, hash: picture.hash, reason: "Shows a password" }),
    () =>
      postAnswer(db, {
        questionId,
        actor: helper,
        body: `I get the same one: ![The error](${picture.url}) It means the fuser is worn out.`,
      }),
  );

  // Neither was chosen as a deadlock's victim.
  expect(takeDown).toEqual({ status: "fulfilled", value: undefined });
  expect(write).toMatchObject({ status: "fulfilled" });
  if (write.status !== "fulfilled") return;
  // The answer came second and saw the picture taken down; the question was rewritten by the take-down.
  for (const postId of [questionId, write.value.answerId]) {
    const html = (await storedPost(database.db, postId)).bodyHtml;
    expect(html).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    expect(html).not.toContain(picture.url);
  }
  expect((await storedPost(database.db, write.value.answerId)).bodyHtml).toContain("the fuser is worn out");
});

test("a picture taken down while an answer is edited to show it, under a question showing it: both finish", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const helper = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const picture = await storedPicture(database.db, author.id, "#6f2f5f");
  const questionId = await makeQuestion(db, author, await makeSpace(db), {
    body: `The scanner shows this screen after the update: ![The screen](${picture.url}) How do I get past it?`,
  });
  const answerId = await makeAnswer(db, helper, questionId, { body: "Hold the power button for ten seconds." });
  const [{ revisionCount } = { revisionCount: 0 }] = await db
    .select({ revisionCount: posts.revisionCount })
    .from(posts)
    .where(eq(posts.id, answerId));

  const { takeDown, write } = await writeDuringTakeDown(
    db,
    picture,
    () => removePostImage(db, { actor: moderator, hash: picture.hash, reason: "Shows a password" }),
    () =>
      editAnswer(db, {
        answerId,
        actor: helper,
        baseRevision: revisionCount,
        body: `Hold the power button for ten seconds, until this goes: ![The screen](${picture.url})`,
      }),
  );

  expect(takeDown).toEqual({ status: "fulfilled", value: undefined });
  expect(write).toMatchObject({ status: "fulfilled" });
  for (const postId of [questionId, answerId]) {
    const html = (await storedPost(database.db, postId)).bodyHtml;
    expect(html).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    expect(html).not.toContain(picture.url);
  }
  expect((await storedPost(database.db, answerId)).bodyHtml).toContain("until this goes");
});
