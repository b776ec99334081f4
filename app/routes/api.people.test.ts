/**
 * @mention suggestions find members by the start of their handle or of any word of their name, in any script, with
 * letter case and accents not counting; what is inserted after "@" is still the handle. Through the route's loader,
 * signed in, on the real database.
 */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";
import { loader } from "./api.people";

let database: Database;
let member: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  member = new Browser(testServices(database), "10.71.0.1");
  await signUp(member, {
    name: "Mention Tester",
    email: "mention-tester@example.test",
    password: "a long test password 42",
  });
  await makeUser(database.db, { name: "غريس منصور", handle: "grace-mansour" });
  await makeUser(database.db, { name: "Sofía Fernández-López", handle: "sofia-fl" });
  await makeUser(database.db, { name: "Łukasz Wiśniewski", handle: "lukasz-w" });
  await makeUser(database.db, { name: "Иван Петров", handle: "ivan-petrov" });
});
afterAll(async () => {
  await database?.close();
});

async function handlesFor(query: string): Promise<string[]> {
  const response = (await member.load(loader, `/api/people?q=${encodeURIComponent(query)}`)) as Response;
  expect(response.status).toBe(200);
  const body = (await response.json()) as { people: { handle: string; name: string }[] };
  return body.people.map((person) => person.handle);
}

test("a name in another script is found by its first letters", async () => {
  expect(await handlesFor("غريس")).toEqual(["grace-mansour"]);
  expect(await handlesFor("منص")).toEqual(["grace-mansour"]);
  expect(await handlesFor("пет")).toEqual(["ivan-petrov"]);
  expect(await handlesFor("ИВАН")).toEqual(["ivan-petrov"]);
});

test("accents and letter case don't count, on either side", async () => {
  expect(await handlesFor("fernandez")).toEqual(["sofia-fl"]);
  expect(await handlesFor("Fernández")).toEqual(["sofia-fl"]);
  // Typed with a separate accent mark (NFD), as some keyboards send it.
  expect(await handlesFor("ferna\u0301ndez")).toEqual(["sofia-fl"]);
  expect(await handlesFor("lopez")).toEqual(["sofia-fl"]);
  expect(await handlesFor("sofia")).toEqual(["sofia-fl"]);
  expect(await handlesFor("lukasz wis")).toEqual(["lukasz-w"]);
});

test("handles are still found and returned as they are", async () => {
  expect(await handlesFor("grace")).toEqual(["grace-mansour"]);
  const response = (await member.load(loader, "/api/people?q=sof")) as Response;
  expect(await response.json()).toEqual({ people: [{ handle: "sofia-fl", name: "Sofía Fernández-López" }] });
});

test("text that can't start a name finds no one, and never fails", async () => {
  for (const query of ["", " ", "%", "_", "-sofia", "'; drop table users; --", "😀", "f".repeat(500)]) {
    expect(await handlesFor(query), query).toEqual([]);
  }
});
