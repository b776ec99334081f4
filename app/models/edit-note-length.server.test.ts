/**
 * An edit's note is limited in the characters a person sees, as titles are: on the real database, a note of exactly the
 * limit in emoji or accented letters (two code units each) is saved with the edit, and one more is refused with a
 * count that matches what was typed.
 */
import { desc, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { revisions } from "#db/schema";
import { HOWTO_LIMITS } from "~/lib/howtos";
import { QA_LIMITS } from "~/lib/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { editAnswer } from "./answers.server";
import { editHowto } from "./howto-writing.server";
import { editQuestion } from "./questions.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** An emoji: one character on screen, two UTF-16 code units. */
const EMOJI = "🙂";
/** "é" typed as a letter and a separate accent (as some keyboards do): one character on screen, two code units. */
const ACCENTED = "e\u0301";

async function latestNote(postId: number): Promise<string | undefined> {
  const [row] = await database.db
    .select({ note: revisions.note })
    .from(revisions)
    .where(eq(revisions.postId, postId))
    .orderBy(desc(revisions.number))
    .limit(1);
  return row?.note;
}

test("an answer's edit note of 300 emoji is saved; 301 is refused, counted as 301", async () => {
  const { db } = database;
  const sofia = await makePerson(db);
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const answerId = await makeAnswer(db, sofia, questionId, { body: "Check the IKE SA lifetime on both ends first." });

  const tooLong = await rejection(
    editAnswer(db, {
      answerId,
      actor: sofia,
      body: "Check the IKE SA lifetime on both ends, then restart.",
      note: EMOJI.repeat(QA_LIMITS.noteMax + 1),
    }),
  );
  expect(tooLong.fieldErrors.note).toBe(
    `Keep the edit note to ${QA_LIMITS.noteMax} characters (yours has ${QA_LIMITS.noteMax + 1}).`,
  );

  const note = EMOJI.repeat(QA_LIMITS.noteMax);
  await editAnswer(db, { answerId, actor: sofia, body: "Check the IKE SA lifetime on both ends, then restart.", note });
  expect(await latestNote(answerId)).toBe(note);
});

test("a question's edit note of 300 accented letters is saved", async () => {
  const { db } = database;
  const marcus = await makePerson(db);
  const questionId = await makeQuestion(db, marcus, await makeSpace(db), { title: "The VPN drops every morning" });
  await editQuestion(db, {
    questionId,
    actor: marcus,
    title: "The VPN drops every morning at nine",
    body: sampleBody,
    tags: "vpn",
    isPlainLanguage: false,
    note: ACCENTED.repeat(QA_LIMITS.noteMax),
  });
  expect(await latestNote(questionId)).toBe("é".repeat(QA_LIMITS.noteMax));
});

test("a how-to's edit note of 300 emoji is saved; 301 is refused, counted as 301", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  const fields = howtoFields();
  const edited = { ...fields, howtoId, actor: author, steps: [...fields.steps, "Restart the laptop once more."] };

  const tooLong = await rejection(editHowto(db, { ...edited, note: EMOJI.repeat(HOWTO_LIMITS.noteMax + 1) }));
  expect(tooLong.fieldErrors.note).toBe(
    `Keep the note to ${HOWTO_LIMITS.noteMax} characters (it has ${HOWTO_LIMITS.noteMax + 1}).`,
  );

  const note = EMOJI.repeat(HOWTO_LIMITS.noteMax);
  await editHowto(db, { ...edited, note });
  expect(await latestNote(howtoId)).toBe(note);
});
