/** Related questions leave out questions closed as duplicates; the original takes the place (once, not the page). */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { closeQuestion } from "./close.server";
import { relatedToQuestion } from "./related-cache.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function setting() {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const spaceId = await makeSpace(db);
  const ask = (title: string, tags: string) => makeQuestion(db, moderator, spaceId, { title, tags });
  // The original shares no tag with the page's question, so it is only listed in its duplicate's place.
  const originalId = await ask("Outlook keeps asking for my password", "outlook");
  const pageId = await ask("Teams asks for my password every morning", "passwords, teams");
  const duplicateId = await ask("Password prompt loops in Teams", "passwords, teams");
  const otherId = await ask("Teams password expired: where to change it", "passwords");
  return { db, moderator, spaceId, originalId, pageId, duplicateId, otherId };
}

const idsOf = (related: { id: number }[]) => related.map((row) => row.id);

describe("related questions", () => {
  test("a question closed as a duplicate drops out; its original takes its place", async () => {
    const { db, moderator, spaceId, originalId, pageId, duplicateId, otherId } = await setting();
    // Listed while open (from another page, so this page's list is computed after the closing).
    expect(idsOf((await relatedToQuestion(db, { id: otherId, spaceId })).related)).toContain(duplicateId);
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "duplicate",
      duplicateOf: String(originalId),
    });
    const after = await relatedToQuestion(db, { id: pageId, spaceId });
    expect(idsOf(after.related)).toEqual([originalId, otherId]);
  });

  test("the original is not added when it is the page's own question or listed already", async () => {
    const { db, moderator, spaceId, pageId, duplicateId, otherId } = await setting();
    await closeQuestion(db, {
      actor: moderator,
      questionId: duplicateId,
      reason: "duplicate",
      duplicateOf: String(pageId),
    });
    expect(idsOf((await relatedToQuestion(db, { id: pageId, spaceId })).related)).toEqual([otherId]);
    // From another question's page, the duplicate leads to the page's question, listed there once.
    const fromOther = await relatedToQuestion(db, { id: otherId, spaceId });
    expect(idsOf(fromOther.related)).toEqual([pageId]);
  });
});
