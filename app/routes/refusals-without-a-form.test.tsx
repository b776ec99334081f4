/**
 * A refused post to a page that shows no form for it still says why, near the top of the page: the backups page of a
 * site whose database is in memory or PostgreSQL (no "Make a backup" button), and a profile seen by someone who is not a
 * moderator (no moderation panel). The pages are rendered from their real loaders and actions on the real database, as
 * they reach a browser without JavaScript.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import * as backupsRoute from "~/routes/admin.backups";
import * as profileRoute from "~/routes/u.$handle";
import { getProfileHiding } from "~/models/profile-hiding.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeUser } from "../../tests/fixtures/people";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, type TestServices, payload, signUp, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices & { database: Database };

beforeAll(async () => {
  database = await createTestDatabase();
  // The services the server gives the pages: the database itself beside the usual ones, and no backup folder (the
  // database is in memory).
  services = { ...testServices(database), database };
});
afterAll(() => database.close());

/** The page's words, as a reader sees them. */
function textOf(html: string): string {
  return DomUtils.textContent(parseDocument(html));
}

/** The texts of the page's alerts. */
function alertsOf(html: string): string[] {
  return DomUtils.findAll((el) => el.attribs.role === "alert", parseDocument(html).children).map((el) =>
    DomUtils.textContent(el),
  );
}

test("the backups page without a backup button shows why a post was refused", async () => {
  const { browser: admin } = await signedInAdmin(services, "10.60.3.1");
  const refused = "That isn't something this page can do, so no backup was made. Reload the page and try again.";
  const notEmbedded = "This site's database is not the embedded one: back it up as the page says.";
  for (const [fields, message] of [
    [{}, refused],
    [{ intent: "bogus" }, refused],
    [{ intent: "make-backup" }, notEmbedded],
  ] as [Record<string, string>, string][]) {
    const { data, status } = payload<{ ok: boolean; message?: string }>(
      await admin.submit(backupsRoute.action, "/admin/backups", fields),
    );
    expect(status, JSON.stringify(fields)).toBe(400);
    expect(data.message).toBe(message);
    const page = await renderRoute(admin, backupsRoute, { path: "/admin/backups", actionData: data });
    // The test database: PGlite in memory, or the PostgreSQL server of a DATABASE_URL run.
    expect(textOf(page)).toContain(
      database.kind === "pglite" ? "This site's database is in memory" : "This site keeps its data in PostgreSQL",
    );
    expect(alertsOf(page)).toEqual([message]);
  }
  // The same on a site whose database is PostgreSQL: the page names it, and the refusal shows above.
  // (The page reads only which kind of database the server runs on.)
  services.database = { ...database, kind: "postgres" };
  let page: string;
  try {
    page = await renderRoute(admin, backupsRoute, {
      path: "/admin/backups",
      actionData: { ok: false, message: refused },
    });
  } finally {
    services.database = database;
  }
  expect(textOf(page)).toContain("This site keeps its data in PostgreSQL");
  expect(alertsOf(page)).toEqual([refused]);
});

test("a member's refused post to a profile shows its words on the profile, which stays shown", async () => {
  const member = new Browser(services, "10.60.3.2");
  await signUp(member, { name: "Mia Member", email: "mia-profile@example.com", password: "mia reads every profile" });
  const tomId = await makeUser(database.db, { name: "Tom Becker", handle: "tom-profile" });
  const path = "/u/tom-profile";
  const params = { handle: "tom-profile" };
  for (const fields of [{ reason: "spam" }, { intent: "bogus" }, { intent: "hide", reason: "spam" }] as Record<
    string,
    string
  >[]) {
    const { data, status } = payload<{ ok: boolean; message: string }>(
      await member.submit(profileRoute.action, path, fields, params),
    );
    expect(status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
    expect(data.message).not.toBe("");
    const page = await renderRoute(member, profileRoute, { path, pattern: "/u/:handle", params, actionData: data });
    // No moderation panel for a member: the words are in the one alert near the top.
    expect(page).not.toContain("profile-moderation-heading");
    expect(alertsOf(page)).toEqual([data.message]);
    expect(await getProfileHiding(database.db, tomId)).toBeNull();
  }
  // A page without a refusal shows no alert.
  expect(alertsOf(await renderRoute(member, profileRoute, { path, pattern: "/u/:handle", params }))).toEqual([]);
});
