/**
 * Drafts stay bounded, on the real database: a person keeps at most DRAFTS_KEPT_PER_PERSON drafts (a new one drops
 * the one they touched longest ago, never what they are writing now, and two saves at once can't pass the cap),
 * drafts nobody touched for 90 days are swept, and only the keys the forms really use are accepted.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { drafts } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { DRAFTS_KEPT_PER_PERSON, DraftError, loadDraft, saveDraft, sweepUntouchedDrafts } from "./drafts.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const START = new Date("2025-03-03T09:00:00Z");
const minutesAfterStart = (minutes: number) => new Date(START.getTime() + minutes * 60 * 1000);
const daysBefore = (when: Date, days: number) => new Date(when.getTime() - days * 24 * 60 * 60 * 1000);
const body = (text: string) => ({ body: text });

async function keysOf(userId: string): Promise<string[]> {
  const rows = await database.db.select({ key: drafts.draftKey }).from(drafts).where(eq(drafts.userId, userId));
  return rows.map((row) => row.key).sort();
}

/** Answer drafts for questions 1..count, each saved a minute after the one before. */
async function saveAnswerDrafts(userId: string, count: number) {
  for (let question = 1; question <= count; question++) {
    await saveDraft(database.db, {
      userId,
      draftKey: `answer:${question}`,
      content: body(`Answer ${question}`),
      now: minutesAfterStart(question),
    });
  }
}

test("a new draft beyond the cap drops the one touched longest ago, never the one being written", async () => {
  const { db } = database;
  const writer = await makeUser(db);
  const neighbour = await makeUser(db);
  await saveDraft(db, { userId: neighbour, draftKey: "question:new", content: body("Mine"), now: START });
  await saveAnswerDrafts(writer, DRAFTS_KEPT_PER_PERSON);
  // The oldest answer is typed in again today: it is now among the freshest.
  await saveDraft(db, {
    userId: writer,
    draftKey: "answer:1",
    content: body("Still on it"),
    now: minutesAfterStart(100),
  });
  expect(await keysOf(writer)).toHaveLength(DRAFTS_KEPT_PER_PERSON);

  await saveDraft(db, {
    userId: writer,
    draftKey: "question:new",
    content: body("Printer jams"),
    now: minutesAfterStart(101),
  });

  const kept = await keysOf(writer);
  expect(kept).toHaveLength(DRAFTS_KEPT_PER_PERSON);
  expect(kept).toContain("question:new");
  expect(kept).toContain("answer:1");
  expect(kept).not.toContain("answer:2");
  expect((await loadDraft(db, { userId: writer, draftKey: "answer:1" }))?.content).toEqual(body("Still on it"));
  // Someone else's drafts are theirs to keep.
  expect(await keysOf(neighbour)).toEqual(["question:new"]);
});

test("saving a draft already kept again drops nothing", async () => {
  const { db } = database;
  const writer = await makeUser(db);
  await saveAnswerDrafts(writer, DRAFTS_KEPT_PER_PERSON);
  await saveDraft(db, { userId: writer, draftKey: "answer:7", content: body("More"), now: minutesAfterStart(200) });
  expect(await keysOf(writer)).toHaveLength(DRAFTS_KEPT_PER_PERSON);
});

test("two new drafts saved at once still leave no more than the cap", async () => {
  const { db } = database;
  const writer = await makeUser(db);
  await saveAnswerDrafts(writer, DRAFTS_KEPT_PER_PERSON - 1);
  await Promise.all([
    saveDraft(db, { userId: writer, draftKey: "question:new", content: body("A"), now: minutesAfterStart(300) }),
    saveDraft(db, { userId: writer, draftKey: "howto:new", content: body("B"), now: minutesAfterStart(300) }),
  ]);
  const kept = await keysOf(writer);
  expect(kept).toHaveLength(DRAFTS_KEPT_PER_PERSON);
  expect(kept).toEqual(expect.arrayContaining(["question:new", "howto:new"]));
});

test("the sweep removes drafts nobody touched for 90 days and keeps the rest", async () => {
  const { db } = database;
  // Before the other tests' drafts were 90 days old, so only this test's drafts are in question.
  const now = new Date("2025-05-01T12:00:00Z");
  const writer = await makeUser(db);
  const other = await makeUser(db);
  await saveDraft(db, { userId: writer, draftKey: "answer:11", content: body("Old"), now: daysBefore(now, 91) });
  await saveDraft(db, { userId: writer, draftKey: "answer:12", content: body("Recent"), now: daysBefore(now, 89) });
  await saveDraft(db, { userId: other, draftKey: "howto:edit:3", content: body("Old too"), now: daysBefore(now, 200) });

  expect(await sweepUntouchedDrafts(db, { now })).toEqual({ deleted: 2 });

  expect(await keysOf(writer)).toEqual(["answer:12"]);
  expect(await keysOf(other)).toEqual([]);
  // Nothing more to remove: running it again is harmless.
  expect(await sweepUntouchedDrafts(db, { now })).toEqual({ deleted: 0 });
});

test.each(["question:new", "howto:new", "answer:42", "howto:edit:17"])("the forms' draft %s is kept", async (key) => {
  const writer = await makeUser(database.db);
  expect(await saveDraft(database.db, { userId: writer, draftKey: key, content: body("x") })).toEqual({ isKept: true });
});

test.each(["question:a1", "answer:new", "answer:0", "comment:5", "howto:edit:", "answer:12345678901"])(
  "a draft key no form uses (%s) is refused",
  async (key) => {
    const writer = await makeUser(database.db);
    await expect(saveDraft(database.db, { userId: writer, draftKey: key, content: body("x") })).rejects.toThrow(
      DraftError,
    );
  },
);
