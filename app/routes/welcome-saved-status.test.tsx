/**
 * The welcome step after a first single sign-on says its choice was saved: on the real database, the action stores the
 * choice and answers with it (not a silent redirect), and the page it renders, as it does without JavaScript, has a
 * status saying what was saved and a way on to where the person was going (on this site only).
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import Welcome, { action as welcomeAction } from "~/routes/welcome";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let browser: Browser;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  browser = new Browser(services, "10.63.0.31");
  await signUp(browser, { name: "Sam Sso", email: "sam-welcome@example.com", password: "sam chooses once only" });
  const [user] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "sam-welcome@example.com"));
  if (!user) throw new Error("member not created");
  userId = user.id;
});
afterAll(() => database.close());

type Result = Record<string, unknown>;

/** The welcome page as it comes back after sending `fields` (the action's own answer rendered into the page). */
async function sendWelcome(fields: Record<string, string>): Promise<{ status: number; result: Result; html: string }> {
  const { data: result, status } = payload<Result>(await browser.submit(welcomeAction, "/welcome", fields));
  const handler = createStaticHandler([
    {
      id: "routes/welcome",
      path: "/welcome",
      loader: () => ({ name: "Sam Sso" }),
      action: () => result,
      Component: Welcome,
    },
  ]);
  const context = await handler.query(new Request("http://forum.test/welcome", { method: "POST", body: "" }));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return { status, result, html };
}

function statusTexts(html: string): string[] {
  return DomUtils.findAll((el) => el.attribs.role === "status", parseDocument(html).children).map((el) =>
    DomUtils.textContent(el),
  );
}

function linkNamed(html: string, name: string): string | undefined {
  const link = DomUtils.findOne(
    (el) => el.name === "a" && DomUtils.textContent(el).trim() === name,
    parseDocument(html).children,
  );
  return link?.attribs.href;
}

async function savedAudience(): Promise<string | undefined> {
  const [row] = await database.db.select({ audience: users.audience }).from(users).where(eq(users.id, userId));
  return row?.audience;
}

test("a business colleague who saves the welcome step is told it was saved, then goes on where they were going", async () => {
  const { status, html } = await sendWelcome({ audience: "business", redirectTo: "/questions" });
  expect(status).toBe(200);
  expect(await savedAudience()).toBe("business");
  const [said, ...more] = statusTexts(html);
  expect(more).toEqual([]);
  expect(said).toContain("Saved: you're a business colleague.");
  expect(said).toContain("plain language");
  expect(linkNamed(html, "Continue")).toBe("/questions");
  expect(linkNamed(html, "your profile")).toBe("/settings/profile");
});

test("someone in IT is told their choice was saved; a way on to another site leads home instead", async () => {
  const { html } = await sendWelcome({ audience: "it", redirectTo: "//evil.example/phish" });
  expect(await savedAudience()).toBe("it");
  expect(statusTexts(html).join(" ")).toContain("Saved: you work in IT.");
  expect(linkNamed(html, "Continue")).toBe("/");
});

test("sent without a choice, the step asks for one and says nothing was saved", async () => {
  const { status, html } = await sendWelcome({ redirectTo: "/questions" });
  expect(status).toBe(400);
  expect(statusTexts(html)).toEqual([]);
  expect(html).toContain("Please choose the option that describes you best.");
  expect(await savedAudience()).toBe("it");
});
