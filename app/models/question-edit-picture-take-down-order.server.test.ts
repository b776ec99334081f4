/**
 * A picture taken down just as a question showing it is edited from a form that sends no version (an old page, a
 * script): the take-down locks the rows showing the picture (the question), then the picture; the edit must lock the
 * question before it looks the picture up, as it does with a version, or each waits for the other (a deadlock
 * PostgreSQL ends by failing one). The take-down is made to hold the question and wait for the picture (another
 * transaction reading the picture keeps it busy) at the moment the edit is saved. On PostgreSQL (CI's second pass)
 * these run on separate connections; on PGlite, whose one connection takes transactions in turn, they show only that
 * both finish and the picture is gone.
 */
import type { Database, Db } from "#db/client.server";
import { TAKEN_DOWN_PICTURE_NOTE } from "~/lib/markdown.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { storedPicture, storedPost } from "../../tests/fixtures/pictures";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { type Settled, settle } from "../../tests/fixtures/while-open";
import { picturesShownIn, removePostImage } from "./post-images.server";
import { editQuestion } from "./questions.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a picture taken down while a question showing it is edited without a version: both finish, and the edit shows the note", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const picture = await storedPicture(database.db, asker.id, "#3f6f6f");
  const questionId = await makeQuestion(db, asker, await makeSpace(db), {
    title: "The badge printer shows this screen every morning",
    body: `The badge printer shows this every morning: ![The screen](${picture.url}) What does it mean?`,
  });

  let takenDown: Promise<Settled<void>> | undefined;
  let edited: Promise<Settled<{ revision: number }>> | undefined;
  await db.transaction(async (reader: Db) => {
    await picturesShownIn(reader, [`![A reader](${picture.url})`]);
    // The take-down locks the question (it shows the picture), then waits for the picture (this reader has it) ...
    takenDown = settle(removePostImage(db, { actor: moderator, hash: picture.hash, reason: "Shows a password" }));
    await pause(300);
    // ... while the asker saves an edit sent without a version: it reaches its locks now ...
    edited = settle(
      editQuestion(db, {
        questionId,
        actor: asker,
        title: "The badge printer shows this screen every morning",
        body: `The badge printer shows this every morning, since the update: ![The screen](${picture.url}) What does it mean?`,
        tags: "printing",
        isPlainLanguage: false,
      }),
    );
    await pause(300);
    // ... and the reader lets go.
  });
  if (!takenDown || !edited) throw new Error("the writes did not start");

  // Neither was chosen as a deadlock's victim.
  expect(await takenDown).toEqual({ status: "fulfilled", value: undefined });
  expect(await edited).toMatchObject({ status: "fulfilled" });
  // The edit came second, saw the picture taken down, and is kept with the note in the picture's place.
  const question = await storedPost(database.db, questionId);
  expect(question.bodyMd).toContain("since the update");
  expect(question.bodyHtml).toContain("since the update");
  expect(question.bodyHtml).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
  expect(question.bodyHtml).not.toContain(picture.url);
});
