/**
 * International names through the places that use slugs and mentions: a question's old address (with a slug made before
 * letters were transliterated) still leads to it, a space named in Arabic gets a readable address, and the editor offers
 * mention suggestions after "@" and a letter of any script.
 */
import type { Database } from "#db/client.server";
import { mentionBeforeCaret } from "~/components/MarkdownEditor";
import { createSpace } from "~/models/spaces.server";
import { loader as questionLoader } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, testServices } from "../../tests/fixtures/routes";
import { questionPath } from "./qa";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

test("a question's address spells its title's letters, and the address made before still leads to it", async () => {
  const { db } = database;
  const title = "Drucker zeigt die falsche Größe an (yazıcı)";
  const id = await makeQuestion(db, await makePerson(db), await makeSpace(db), { title });
  expect(questionPath(id, title)).toBe(`/q/${id}/drucker-zeigt-die-falsche-grosse-an-yazici`);
  const reader = new Browser(testServices(database), "10.72.0.1");
  const old = (await reader.load(questionLoader, `/q/${id}/drucker-zeigt-die-falsche-gro-e-an-yaz-c-`, {
    id: String(id),
    slug: "drucker-zeigt-die-falsche-gro-e-an-yaz-c-",
  })) as Response;
  expect(old.status).toBe(301);
  expect(old.headers.get("location")).toBe(`/q/${id}/drucker-zeigt-die-falsche-grosse-an-yazici`);
});

test("a space named in Arabic gets an address from its name, not the fallback /s/space", async () => {
  const space = await createSpace(database.db, { name: "الشبكات", description: "الشبكات والأمن", by: null });
  expect(space.slug).toBe("alshbkat");
});

test("mention suggestions open after @ and a letter of any script, but not inside an email address", () => {
  expect(mentionBeforeCaret("Thanks @غريس", 12)).toEqual({ start: 7, query: "غريس" });
  expect(mentionBeforeCaret("cc @Fernández", 13)).toEqual({ start: 3, query: "fernández" });
  expect(mentionBeforeCaret("@pri", 4)).toEqual({ start: 0, query: "pri" });
  expect(mentionBeforeCaret("write to sofía@example", 22)).toBeNull();
  expect(mentionBeforeCaret("write to غريس@مثال", 18)).toBeNull();
  expect(mentionBeforeCaret("just @ ", 7)).toBeNull();
});
