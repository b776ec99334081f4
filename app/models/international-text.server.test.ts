/**
 * Text in any language and script on the real database: lengths count the characters a person sees, text typed with
 * separate accents is stored composed (NFC) so search finds it, and review excerpts never cut an emoji in half.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { comments, posts } from "#db/schema";
import { QA_LIMITS } from "~/lib/qa";
import { reindexAll, searchPosts } from "~/search/engine.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { parseSearchInput } from "~/search/query";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion, sampleBody } from "../../tests/fixtures/qa";
import { addComment } from "./comments.server";
import { describeContent } from "./holds.server";
import { commentBodyField, questionBodyField, titleField } from "./post-fields.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** The message a field gives for this text, or null when it is accepted. */
function refusal(field: typeof titleField | typeof questionBodyField | typeof commentBodyField, text: string) {
  const result = field.safeParse(text);
  return result.success ? null : (result.error.issues[0]?.message ?? "");
}

describe("lengths count the characters a person sees", () => {
  test("a title with an emoji is counted as a person counts it", () => {
    // "Yazıcı 👩🏽‍💼" is 8 characters, though 14 UTF-16 code units.
    expect(refusal(titleField, "Yazıcı 👩🏽‍💼")).toBe(
      `Titles need at least ${QA_LIMITS.titleMin} characters (yours has 8). Say what goes wrong, and where.`,
    );
    const longest = `Yazıcı 👩🏽‍💼 ${"ç".repeat(QA_LIMITS.titleMax - 9)}`;
    expect(refusal(titleField, longest)).toBeNull();
    // One more is one too many, and the message counts it the same way.
    expect(refusal(titleField, `${longest}👍🏽`)).toBe(
      `Please keep the title to ${QA_LIMITS.titleMax} characters (yours has ${QA_LIMITS.titleMax + 1}); details belong in the body.`,
    );
  });

  test("the server never refuses what the form's maxlength let through (browsers count code units)", () => {
    const body = "Der Drucker 🖨️ im zweiten Stock druckt nur leere Seiten 👩🏽‍💼. ";
    const atLimit = body.repeat(Math.floor(QA_LIMITS.bodyMax / body.length));
    expect(atLimit.length).toBeLessThanOrEqual(QA_LIMITS.bodyMax);
    expect(refusal(questionBodyField, atLimit)).toBeNull();
    const title = "Drucker 🖨️ ".repeat(QA_LIMITS.titleMax / 10).slice(0, QA_LIMITS.titleMax);
    expect(refusal(titleField, title)).toBeNull();
  });

  test("bodies and comments count their minimum and maximum in characters too", () => {
    expect(refusal(questionBodyField, "👩🏽‍💼👩🏽‍💼👩🏽‍💼 help")).toMatch(/needs at least 20 characters \(it has 8\)/);
    expect(refusal(commentBodyField, "👍🏽")).toBe(`Comments need at least ${QA_LIMITS.commentMin} characters.`);
    expect(refusal(commentBodyField, "👍🏽".repeat(QA_LIMITS.commentMax))).toBeNull();
    expect(refusal(commentBodyField, "👍🏽".repeat(QA_LIMITS.commentMax + 1))).toBe(
      `Comments can be at most ${QA_LIMITS.commentMax} characters (yours has ${QA_LIMITS.commentMax + 1}). Longer thoughts make a good answer.`,
    );
  });
});

test("a title, body and comment typed with separate accents (as on a Mac) are stored composed, and search finds them", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db);
  const decomposed = (text: string) => text.normalize("NFD");
  const title = "Café printer drops every job at noon";
  const body = `Le pilote de l'imprimante du café se réinitialise. ${sampleBody}`;
  expect(decomposed(title)).not.toBe(title);
  const questionId = await makeQuestion(db, asker, space, { title: decomposed(title), body: decomposed(body) });
  const [stored] = await db
    .select({ title: posts.title, bodyMd: posts.bodyMd })
    .from(posts)
    .where(eq(posts.id, questionId));
  expect(stored).toEqual({ title, bodyMd: body });

  const { commentId } = await addComment(db, {
    postId: questionId,
    actor: asker,
    body: decomposed("Même problème ici."),
  });
  const [comment] = await db.select({ bodyMd: comments.bodyMd }).from(comments).where(eq(comments.id, commentId));
  expect(comment?.bodyMd).toBe("Même problème ici.");

  const engine = createPostgresSearch(db);
  await reindexAll(db, engine);
  const found = await searchPosts({ db, search: engine }, parseSearchInput("Café").query);
  expect(found.hits.map((hit) => hit.id)).toContain(questionId);
});

test("the review queue's excerpt of a long post ends on a whole emoji, never half of one", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db);
  const lead = "The printer on floor two jams every morning. ".repeat(14).slice(0, 599);
  const questionId = await makeQuestion(db, asker, space, { body: `${lead}👩🏽‍💼 and the rest of the story.` });
  const snapshot = await describeContent(db, { type: "post", id: String(questionId) });
  expect(snapshot?.excerpt).toBe(`${lead}👩🏽‍💼`);
});
