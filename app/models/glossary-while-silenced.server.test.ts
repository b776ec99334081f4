/**
 * A mentor silenced by a moderator can't change the public glossary: adding, editing and removing a term are refused
 * with the words every other write of a silenced account gets, and nothing changes. Lifting the silence lets them
 * again. On the real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { glossaryTerms } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson } from "../../tests/fixtures/people";
import { createGlossaryEntry, deleteGlossaryEntry, getGlossaryEntry, updateGlossaryEntry } from "./glossary.server";
import { liftSilence, silenceUser } from "./holds.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const SILENCED =
  "Your account is silenced while moderators review it, so you can't post, flag, thank or rate anything for now. You can still read everything.";

const entry = (term: string) => ({
  term,
  expansion: "",
  explanation: "A word a silenced mentor tries to explain to everyone, which must not reach the site.",
  synonyms: "",
});

test("a silenced mentor can't add, edit or remove a glossary term, and can again once the silence is lifted", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor" });
  const moderator = await makePerson(db, { role: "moderator" });
  const existing = await createGlossaryEntry(db, { actor: mentor, entry: entry("SILENTTERM") });
  await db.transaction((tx) => silenceUser(tx, { userId: mentor.id, by: moderator.id, reason: "Spam links" }));

  const added = await rejection(createGlossaryEntry(db, { actor: mentor, entry: entry("SPAMTERM") }));
  expect([added.status, added.message]).toEqual([403, SILENCED]);
  expect(await db.select().from(glossaryTerms).where(eq(glossaryTerms.term, "SPAMTERM"))).toEqual([]);

  const edited = await rejection(
    updateGlossaryEntry(db, {
      actor: mentor,
      id: existing.id,
      entry: { ...entry("SILENTTERM"), explanation: "Visit my shop for the cheapest printer ink anywhere." },
    }),
  );
  expect([edited.status, edited.message]).toEqual([403, SILENCED]);
  const removed = await rejection(deleteGlossaryEntry(db, { actor: mentor, id: existing.id }));
  expect([removed.status, removed.message]).toEqual([403, SILENCED]);
  expect(await getGlossaryEntry(db, existing.id)).toEqual(existing);

  await db.transaction((tx) => liftSilence(tx, mentor.id));
  expect((await createGlossaryEntry(db, { actor: mentor, entry: entry("SPAMTERM") })).term).toBe("SPAMTERM");
});
