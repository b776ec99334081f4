/**
 * Adding a glossary term twice (a double tap, a retried request) on the real database: the person who just added it
 * gets the same entry back instead of "already in the glossary", while anyone else, a different entry under the same
 * term, or the same one long after, is still refused.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { glossaryTerms, moderationLog } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { GlossaryError, createGlossaryEntry } from "./glossary.server";
import type { Actor } from "./permissions.server";

let database: Database;
let mentor: Actor;
let moderator: Actor;
beforeAll(async () => {
  database = await createTestDatabase();
  mentor = { id: await makeUser(database.db, { role: "mentor" }), role: "mentor", banned: false };
  moderator = { id: await makeUser(database.db, { role: "moderator" }), role: "moderator", banned: false };
});
afterAll(() => database.close());

const entry = (term: string, explanation = "A made-up term added twice by one tap too many, to see what happens.") => ({
  term,
  expansion: "Double Tap Term",
  explanation,
  synonyms: `${term.toLowerCase()} twice`,
});

const copies = async (term: string) =>
  (await database.db.select({ id: glossaryTerms.id }).from(glossaryTerms).where(eq(glossaryTerms.term, term))).length;

const additionsLogged = async (id: number) =>
  (
    await database.db
      .select({ id: moderationLog.id })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "glossary.create"), eq(moderationLog.targetId, String(id))))
  ).length;

const refusedAsTaken = (term: string) => (error: unknown) =>
  error instanceof GlossaryError &&
  error.status === 409 &&
  error.field === "term" &&
  error.message === `“${term}” is already in the glossary.`;

test("a double-tapped Add to the glossary adds the term once, and both taps get the entry", async () => {
  const [first, second] = await Promise.all([
    createGlossaryEntry(database.db, { actor: mentor, entry: entry("DBLTAP") }),
    createGlossaryEntry(database.db, { actor: mentor, entry: entry("DBLTAP") }),
  ]);
  expect(first?.id).toBeDefined();
  expect(second?.id).toBe(first?.id);
  expect(second?.slug).toBe("dbltap");
  expect(await copies("DBLTAP")).toBe(1);
  expect(await additionsLogged(first.id)).toBe(1);
});

test("sent again right after by the same person it is the same success; by someone else, changed, or long after, it is refused", async () => {
  const added = await createGlossaryEntry(database.db, { actor: mentor, entry: entry("RETRYTERM") });
  const again = await createGlossaryEntry(database.db, { actor: mentor, entry: entry("RETRYTERM") });
  expect(again.id).toBe(added.id);
  expect(await additionsLogged(added.id)).toBe(1);

  await expect(createGlossaryEntry(database.db, { actor: moderator, entry: entry("RETRYTERM") })).rejects.toSatisfy(
    refusedAsTaken("RETRYTERM"),
  );
  await expect(
    createGlossaryEntry(database.db, {
      actor: mentor,
      entry: entry("RETRYTERM", "Another explanation of the same term, which would be lost if taken as a repeat."),
    }),
  ).rejects.toSatisfy(refusedAsTaken("RETRYTERM"));

  await database.db
    .update(moderationLog)
    .set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) })
    .where(and(eq(moderationLog.action, "glossary.create"), eq(moderationLog.targetId, String(added.id))));
  await expect(createGlossaryEntry(database.db, { actor: mentor, entry: entry("RETRYTERM") })).rejects.toSatisfy(
    refusedAsTaken("RETRYTERM"),
  );
  expect(await copies("RETRYTERM")).toBe(1);
});
