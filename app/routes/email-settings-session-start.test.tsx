/**
 * "A Q&A session is starting" is news for its hour only: the email settings offer it right away or never, never in a
 * daily digest (which would bring it after the session). On the real database, through the route, signed in.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { getEmailPreferences, setEmailPreference } from "~/models/email-preferences.server";
import EmailSettings, { action, loader } from "~/routes/settings.notifications";
import { createTestDatabase } from "../../tests/fixtures/db";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { users } from "#db/schema";

let database: Database;
let services: TestServices;
let member: Browser;
let memberId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  member = new Browser(services, "10.60.0.1");
  await signUp(member, {
    name: "Sam Starter",
    email: "sam.starter@example.com",
    password: "Sam keeps the printers running",
  });
  const [row] = await database.db.select().from(users).where(eq(users.email, "sam.starter@example.com"));
  if (!row) throw new Error("not signed up");
  memberId = row.id;
});
afterAll(() => database.close());

/** The choices the page offers for one kind: the values of its radio buttons, and the one checked. */
function choicesOf(html: string, kind: string) {
  const inputs = [...html.matchAll(new RegExp(`<input[^>]*name="${kind}"[^>]*>`, "g"))].map((match) => match[0]);
  return {
    offered: inputs.map((input) => /value="(\w+)"/.exec(input)?.[1]),
    checked: inputs.filter((input) => input.includes("checked")).map((input) => /value="(\w+)"/.exec(input)?.[1]),
  };
}

test("a session starting is offered right away or never, while other kinds keep the daily digest", async () => {
  const html = await renderRoute(member, { loader, default: EmailSettings }, { path: "/settings/notifications" });
  expect(choicesOf(html, "session_starting")).toEqual({ offered: ["immediate", "never"], checked: ["immediate"] });
  expect(choicesOf(html, "comment").offered).toEqual(["immediate", "digest", "never"]);
});

test("a digest sent for a session starting is refused with words, saving nothing and keeping what was picked", async () => {
  const before = await getEmailPreferences(database.db, memberId);
  const refused = payload<{ ok: boolean; message: string; chosen: Record<string, string> }>(
    await member.submit(action, "/settings/notifications", {
      intent: "save-email-settings",
      session_starting: "digest",
      comment: "never",
    }),
  );
  expect(refused.status).toBe(400);
  expect(refused.data.message).toBe(
    "The choice for “Q&A sessions you follow are starting” isn't one of the options, so nothing was saved. Please pick again.",
  );
  expect(refused.data.chosen).toEqual({ comment: "never" });
  expect(await getEmailPreferences(database.db, memberId)).toEqual(before);

  const saved = payload<{ ok: boolean }>(
    await member.submit(action, "/settings/notifications", {
      intent: "save-email-settings",
      session_starting: "never",
    }),
  );
  expect(saved.data.ok).toBe(true);
  expect((await getEmailPreferences(database.db, memberId)).session_starting).toBe("never");
});

test("a digest chosen for a session starting before shows as Never, which is what it now does", async () => {
  await setEmailPreference(database.db, memberId, "session_starting", "digest");
  const html = await renderRoute(member, { loader, default: EmailSettings }, { path: "/settings/notifications" });
  expect(choicesOf(html, "session_starting").checked).toEqual(["never"]);
});
