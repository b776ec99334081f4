/**
 * "Saved for later" on the real database: questions and how-tos only, once each, most recently saved first, private to
 * the person; a deleted post leaves the list while it is deleted and comes back when restored.
 */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { SaveError, listSaved, savePost, unsavePost } from "./saved-posts.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

test("a person saves questions and how-tos, sees them newest first, and removes them; nobody else sees the list", async () => {
  const author = await makePerson(database.db);
  const reader = await makePerson(database.db);
  const other = await makePerson(database.db);
  const spaceId = await makeSpace(database.db);
  const question = await makeQuestion(database.db, author, spaceId, { title: "Teams call drops after ten minutes" });
  const answer = await makeAnswer(database.db, author, question);
  const howto = await makeHowto(database.db, author, spaceId, { title: "Share a calendar with a colleague" });

  await savePost(database.db, reader.id, question);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await savePost(database.db, reader.id, howto);
  await savePost(database.db, reader.id, question);
  const { items, total } = await listSaved(database.db, reader.id);
  expect(total).toBe(2);
  expect(items.map((item) => [item.kind, item.title])).toEqual([
    ["howto", "Share a calendar with a colleague"],
    ["question", "Teams call drops after ten minutes"],
  ]);
  expect(items[1]).toMatchObject({ path: `/q/${question}/teams-call-drops-after-ten-minutes`, answerCount: 1 });
  expect(items[0]?.path).toBe(`/howtos/${howto}`);
  expect((await listSaved(database.db, other.id)).total).toBe(0);

  // Answers are saved through their question; something gone can't be saved.
  await expect(savePost(database.db, reader.id, answer)).rejects.toBeInstanceOf(SaveError);
  await expect(savePost(database.db, reader.id, 999_999)).rejects.toBeInstanceOf(SaveError);

  // Deleted: off the list (and not savable) until a moderator restores it.
  await database.db.execute(sql`update posts set deleted_at = now() where id = ${question}`);
  expect((await listSaved(database.db, reader.id)).items.map((item) => item.postId)).toEqual([howto]);
  await expect(savePost(database.db, other.id, question)).rejects.toBeInstanceOf(SaveError);
  await database.db.execute(sql`update posts set deleted_at = null where id = ${question}`);
  expect((await listSaved(database.db, reader.id)).total).toBe(2);

  await unsavePost(database.db, reader.id, howto);
  await unsavePost(database.db, reader.id, howto);
  expect((await listSaved(database.db, reader.id)).items.map((item) => item.postId)).toEqual([question]);
});
