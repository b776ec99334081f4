/** Holding new members' first questions per space, on the real database: who is held, where, and how it is published. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts, spaces } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { getPendingHold, listMyHolds } from "./holds.server";
import { decideReviewItem, listReviewQueue } from "./review-queue.server";
import { listSpaces, updateSpace } from "./spaces.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

let asked = 0;
/** Each question in its own words: a new account repeating a body is held as repeated text, not as a first question. */
async function ask(person: Awaited<ReturnType<typeof makePerson>>, spaceId: number) {
  asked += 1;
  return makeQuestion(database.db, person, spaceId, {
    body: `Question ${asked}: the shared drive asks me to sign in again every time I open folder ${asked}.`,
  });
}

async function isVisible(postId: number) {
  const [row] = await database.db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return row?.deletedAt === null;
}

/** A space whose first questions wait for a moderator, switched on the way an admin does it. */
async function holdingSpace(name: string) {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const spaceId = await makeSpace(db, { name });
  await updateSpace(db, {
    spaceId,
    name,
    description: "",
    isPlainLanguage: false,
    holdFirstQuestions: true,
    by: admin.id,
  });
  return spaceId;
}

test("an admin's space edit turns the setting on and off, and leaving it out keeps it as it was", async () => {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const spaceId = await holdingSpace("Setting space");
  const setting = async () => (await listSpaces(db)).find((space) => space.id === spaceId)?.holdFirstQuestions;
  expect(await setting()).toBe(true);
  await updateSpace(db, {
    spaceId,
    name: "Setting space",
    description: "New words",
    isPlainLanguage: false,
    by: admin.id,
  });
  expect(await setting()).toBe(true);
  await updateSpace(db, {
    spaceId,
    name: "Setting space",
    description: "",
    isPlainLanguage: false,
    holdFirstQuestions: false,
    by: admin.id,
  });
  expect(await setting()).toBe(false);
  // New spaces start without it.
  expect(
    (
      await db
        .select()
        .from(spaces)
        .where(eq(spaces.id, await makeSpace(db)))
    )[0]?.holdFirstQuestions,
  ).toBe(false);
});

test("a new member's first question in a holding space waits for a moderator, who publishes it by keeping it", async () => {
  const { db } = database;
  const spaceId = await holdingSpace("Holding space");
  const newcomer = await makePerson(db, { isNew: true });
  const questionId = await ask(newcomer, spaceId);
  const hold = await getPendingHold(db, post(questionId));
  expect(hold?.reason).toBe("first_question");
  expect(hold?.message).toContain("first question in this space");
  expect(await isVisible(questionId)).toBe(false);
  // The author sees why; moderators see it in /review's held list.
  expect((await listMyHolds(db, newcomer.id)).map((row) => row.targetId)).toContain(String(questionId));
  const item = (await listReviewQueue(db)).find((entry) => entry.ref.id === String(questionId));
  expect(item?.hold?.message).toContain("first question in this space");

  // A second question while the first still waits is held too: only published questions count.
  const second = await ask(newcomer, spaceId);
  expect((await getPendingHold(db, post(second)))?.reason).toBe("first_question");

  const moderator = await makePerson(db, { role: "moderator" });
  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" });
  expect(await isVisible(questionId)).toBe(true);
  expect(await getPendingHold(db, post(questionId))).toBeNull();
  // Once one question is published, the next one goes straight up.
  const third = await ask(newcomer, spaceId);
  expect(await getPendingHold(db, post(third))).toBeNull();
  expect(await isVisible(third)).toBe(true);
});

test("nobody is held in a space with the setting off, even a new member's first question there", async () => {
  const { db } = database;
  await holdingSpace("Another holding space");
  const openSpace = await makeSpace(db);
  const questionId = await ask(await makePerson(db, { isNew: true }), openSpace);
  expect(await getPendingHold(db, post(questionId))).toBeNull();
  expect(await isVisible(questionId)).toBe(true);
});

test("established members, mentors and staff are never held for a first question", async () => {
  const { db } = database;
  const spaceId = await holdingSpace("Busy holding space");
  for (const person of [
    await makePerson(db),
    await makePerson(db, { role: "mentor", isNew: true }),
    await makePerson(db, { role: "moderator", isNew: true }),
  ]) {
    const questionId = await ask(person, spaceId);
    expect(await getPendingHold(db, post(questionId))).toBeNull();
  }
});

test("a new member who already has a published question in the space is not held when the setting comes on", async () => {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const spaceId = await makeSpace(db, { name: "Late holding space" });
  const newcomer = await makePerson(db, { isNew: true });
  const before = await ask(newcomer, spaceId);
  expect(await isVisible(before)).toBe(true);
  await updateSpace(db, {
    spaceId,
    name: "Late holding space",
    description: "",
    isPlainLanguage: false,
    holdFirstQuestions: true,
    by: admin.id,
  });
  const after = await ask(newcomer, spaceId);
  expect(await getPendingHold(db, post(after))).toBeNull();
  // That question belongs to this space only: their first question in another holding space still waits.
  const elsewhere = await ask(newcomer, await holdingSpace("Second holding space"));
  expect((await getPendingHold(db, post(elsewhere)))?.reason).toBe("first_question");
});

test("a held first question in a holding space does not hold the same newcomer's first question in a space without the setting", async () => {
  const { db } = database;
  const newcomer = await makePerson(db, { isNew: true });
  const held = await ask(newcomer, await holdingSpace("Third holding space"));
  expect((await getPendingHold(db, post(held)))?.reason).toBe("first_question");
  const open = await ask(newcomer, await makeSpace(db));
  expect(await getPendingHold(db, post(open))).toBeNull();
  expect(await isVisible(open)).toBe(true);
});
