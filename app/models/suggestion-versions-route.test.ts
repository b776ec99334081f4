/**
 * /howtos/:id/suggestions on the real database, as a browser without JavaScript sends its forms: each decision carries
 * the versions the page showed, and one made on a suggestion changed since is refused, publishing nothing, with the
 * page showing the new version.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { action, loader, shouldRevalidate } from "~/routes/howtos.$id.suggestions";
import { createTestDatabase } from "../../tests/fixtures/db";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { getHowtoForEditing } from "./howto-writing.server";
import { suggestHowtoEdit } from "./howto-suggestions.server";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

type Page = { revision: number; suggestions: { id: number; createdAt: Date; diff: unknown[] }[] };
type Refusal = { message: string; suggestionId: number | null };

/** Dev, signed in in their own browser, with a published how-to Tom has suggested an edit to. */
async function setUp() {
  const { db } = database;
  const browser = new Browser(services, "10.62.0.7");
  await signUp(browser, { name: "Dev Patel", email: "dev-versions@example.com", password: "dev reviews every edit" });
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, "dev-versions@example.com"));
  if (!user) throw new Error("dev not created");
  await db.update(users).set({ createdAt: ESTABLISHED_SINCE }).where(eq(users.id, user.id));
  const dev = { id: user.id, role: "member" as const, banned: false };
  const tom = await makePerson(db, { name: "Tom Reyes" });
  const fields = howtoFields();
  const howtoId = await makeHowto(db, dev, await makeSpace(db), fields);
  const suggest = (step2: string, now: Date) =>
    suggestHowtoEdit(db, { actor: tom, howtoId, ...fields, steps: fields.steps.with(1, step2), now });
  return { browser, howtoId, fields, suggest };
}

test("accepting a suggestion Tom changed after the page loaded is refused, nothing is published, the new version shows", async () => {
  const { browser, howtoId, fields, suggest } = await setUp();
  const path = `/howtos/${howtoId}/suggestions`;
  const params = { id: String(howtoId) };
  await suggest(
    "Remove the printer, add it again, and print a test page from Settings.",
    new Date("2025-03-01T10:00Z"),
  );
  const page = payload<Page>(await browser.load(loader, path, params)).data;
  const [shown] = page.suggestions;
  if (!shown) throw new Error("no suggestion listed");
  // What the Accept button on that page sends.
  const accept = {
    suggestionId: String(shown.id),
    decision: "accept",
    suggestedAt: new Date(shown.createdAt).toISOString(),
    howtoRevision: String(page.revision),
  };

  await suggest(
    "SECOND VERSION: delete everything in C:\\Windows\\System32\\spool\\PRINTERS.",
    new Date("2025-03-01T10:05Z"),
  );
  const refused = payload<Refusal>(await browser.submit(action, path, accept, params));
  expect(refused).toEqual({
    status: 409,
    data: {
      message:
        "Tom Reyes changed this suggestion after you opened the page. Here is the new version; look it over before you decide.",
      suggestionId: shown.id,
    },
  });
  expect((await getHowtoForEditing(database.db, howtoId))?.content.steps).toEqual(fields.steps);
  // The page shown again (a browser without JavaScript gets it with the refusal; with it, the list is loaded again).
  const url = new URL(`http://forum.test${path}`);
  const submission = { currentUrl: url, currentParams: params, nextUrl: url, nextParams: params };
  expect(
    shouldRevalidate({ ...submission, formMethod: "POST", actionStatus: 409, defaultShouldRevalidate: false }),
  ).toBe(true);
  const again = payload<Page>(await browser.load(loader, path, params)).data;
  expect(again.suggestions.map((s) => s.id)).toEqual([shown.id]);
  expect(JSON.stringify(again.suggestions[0]?.diff)).toContain("SECOND VERSION");

  // A decision without the versions it was made on (an old page, a script) is refused too, publishing nothing.
  const bare = payload<Refusal>(
    await browser.submit(action, path, { suggestionId: String(shown.id), decision: "accept" }, params),
  );
  expect(bare.status).toBe(400);
  expect(bare.data.message).toBe("That request didn't look right. Please reload the page and try again.");
  expect((await getHowtoForEditing(database.db, howtoId))?.revisionCount).toBe(1);

  // Accepted as the page shows it now, it goes through.
  const current = again.suggestions[0];
  const done = await browser.submit(
    action,
    path,
    { ...accept, suggestedAt: new Date(current?.createdAt ?? 0).toISOString(), howtoRevision: String(again.revision) },
    params,
  );
  expect(done).toBeInstanceOf(Response);
  expect((done as Response).headers.get("location")).toBe(`${path}?decided=accepted`);
  expect((await getHowtoForEditing(database.db, howtoId))?.content.steps?.[1]).toContain("SECOND VERSION");
});
