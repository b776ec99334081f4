/**
 * Two saves from the same version of a post (two tabs, or the author and a moderator): the later one is refused with
 * who saved first, nothing of it is written, and a save from the newer version goes through. Without a base version (a
 * script, an old form) edits go ahead as before.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts, revisions } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { editAnswer } from "./answers.server";
import { decideSuggestion, suggestHowtoEdit } from "./howto-suggestions.server";
import { editHowto } from "./howto-writing.server";
import { EditConflictError } from "./post-errors.server";
import { editQuestion } from "./questions.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function stored(postId: number) {
  const [post] = await database.db
    .select({ bodyMd: posts.bodyMd, revisionCount: posts.revisionCount })
    .from(posts)
    .where(eq(posts.id, postId));
  const numbers = await database.db
    .select({ number: revisions.number })
    .from(revisions)
    .where(eq(revisions.postId, postId));
  return { ...post, revisions: numbers.length };
}

describe("edit conflicts", () => {
  test("a question: the moderator's save from the version the asker already replaced is refused, naming the asker", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Ana Asker" });
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db), { tags: "printers" });
    const edit = (actor: typeof asker, body: string, baseRevision?: number) =>
      editQuestion(db, {
        questionId,
        actor,
        title: "Printer prints blank pages after lunch",
        body,
        tags: "printers",
        isPlainLanguage: false,
        baseRevision,
      });
    const askersBody = "The office printer prints blank pages after lunch, every weekday since Monday.";
    expect((await edit(asker, askersBody, 1)).revision).toBe(2);

    const error = await rejection(
      edit(moderator, "The moderator's wording of the printer problem, from version one.", 1),
    );
    expect(error).toBeInstanceOf(EditConflictError);
    expect(error.status).toBe(409);
    expect((error as EditConflictError).currentRevision).toBe(2);
    expect(error.message).toMatch(
      /^Ana Asker saved a newer version of this question after you opened this form, so your changes are not saved yet\. .*version 2 in the history/,
    );
    expect(await stored(questionId)).toMatchObject({ bodyMd: askersBody, revisionCount: 2, revisions: 2 });

    // Saving again from the version the refusal named replaces it, knowingly.
    const moderatorsBody = "The moderator's wording of the printer problem, after reading version two.";
    expect((await edit(moderator, moderatorsBody, 2)).revision).toBe(3);
    expect(await stored(questionId)).toMatchObject({ bodyMd: moderatorsBody, revisionCount: 3, revisions: 3 });
  });

  test("an answer in two tabs of one person: the second tab's save is refused as the person's own newer version", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const answerId = await makeAnswer(db, helper, questionId);
    const first = "First tab: check the IKE SA lifetime on both ends, then the clock.";
    await editAnswer(db, { answerId, actor: helper, body: first, baseRevision: 1 });
    const error = await rejection(
      editAnswer(db, { answerId, actor: helper, body: "Second tab: something else entirely.", baseRevision: 1 }),
    );
    expect(error.message).toMatch(
      /^You saved a newer version of this answer \(in another tab or window\) after you opened/,
    );
    expect(await stored(answerId)).toMatchObject({ bodyMd: first, revisionCount: 2, revisions: 2 });
    // No base version (a script, a form from before this rule): the edit goes ahead as before.
    await editAnswer(db, { answerId, actor: helper, body: "Third: no base version given." });
    expect(await stored(answerId)).toMatchObject({ revisionCount: 3 });
  });

  test("a how-to: an edit from an older version is refused and writes nothing", async () => {
    const { db } = database;
    const author = await makePerson(db);
    const howtoId = await makeHowto(db, author, await makeSpace(db));
    const fields = howtoFields();
    await editHowto(db, {
      howtoId,
      actor: author,
      ...fields,
      title: "Reset a forgotten VPN password yourself",
      baseRevision: 1,
    });
    const before = await stored(howtoId);
    const error = await rejection(
      editHowto(db, {
        howtoId,
        actor: author,
        ...fields,
        title: "Reset your VPN password from a phone",
        baseRevision: 1,
      }),
    );
    expect(error).toBeInstanceOf(EditConflictError);
    expect(error.message).toContain("newer version of this how-to");
    expect(await stored(howtoId)).toEqual(before);
    await editHowto(db, {
      howtoId,
      actor: author,
      ...fields,
      title: "Reset your VPN password from a phone",
      baseRevision: 2,
    });
    expect(await stored(howtoId)).toMatchObject({ revisionCount: 3 });
  });

  test("a how-to after an accepted suggestion: the refusal names who accepted it, not the suggester credited for it", async () => {
    const { db } = database;
    const author = await makePerson(db, { name: "Dev Patel" });
    const suggester = await makePerson(db, { name: "Sofia Alvarez" });
    const moderator = await makePerson(db, { name: "Mia Moderator", role: "moderator" });
    const fields = howtoFields();
    const howtoId = await makeHowto(db, author, await makeSpace(db), fields);
    const accept = async (actor: typeof author, step: string) => {
      const { suggestionId } = await suggestHowtoEdit(db, {
        actor: suggester,
        howtoId,
        ...fields,
        steps: [...fields.steps, step],
      });
      await decideSuggestion(db, { suggestionId, actor, decision: "accept" });
    };
    const save = (baseRevision: number) =>
      editHowto(db, { howtoId, actor: author, ...fields, title: "Reset your VPN password yourself", baseRevision });

    // The author's form opened on version 1; in another tab the author accepted Sofia's suggestion (version 2).
    await accept(author, "Sign in to the VPN with the new password.");
    expect((await rejection(save(1))).message).toMatch(
      /^You accepted Sofia Alvarez's suggested edit to this how-to \(in another tab or window\) after you opened this form/,
    );
    // A moderator accepting it is named as the one who saved it.
    await accept(moderator, "Check the VPN icon turns green.");
    expect((await rejection(save(2))).message).toMatch(
      /^Mia Moderator accepted Sofia Alvarez's suggested edit to this how-to after you opened this form/,
    );
    expect(await stored(howtoId)).toMatchObject({ revisionCount: 3, revisions: 3 });
  });

  test("two saves from the same version at the same moment: exactly one is written", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    const answerId = await makeAnswer(db, helper, await makeQuestion(db, asker, await makeSpace(db)));
    const results = await Promise.allSettled(
      ["Tab A: restart the VPN client and sign in again.", "Tab B: reinstall the VPN profile from the portal."].map(
        (body) => editAnswer(db, { answerId, actor: helper, body, baseRevision: 1 }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(EditConflictError);
    expect(await stored(answerId)).toMatchObject({ revisionCount: 2, revisions: 2 });
  });
});
