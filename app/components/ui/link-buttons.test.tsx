/**
 * Links that do a button's job ("Ask in this space", "Download my data") look exactly like the Button of their kind:
 * each page is rendered from its real loader on the real database, and the link's classes are the Button's classes
 * (plus only the spacing the page puts around it).
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import type { Database } from "#db/client.server";
import { spaces, users } from "#db/schema";
import { Button, type ButtonVariant } from "~/components/ui/Button";
import * as glossaryRoute from "~/routes/glossary._index";
import * as howtosRoute from "~/routes/howtos._index";
import * as questionsRoute from "~/routes/questions";
import * as sessionsRoute from "~/routes/sessions._index";
import * as spacePageRoute from "~/routes/s.$slug";
import * as dataRoute from "~/routes/settings.data";
import * as securityRoute from "~/routes/settings.security";
import * as welcomeRoute from "~/routes/welcome";
import { createTestDatabase } from "../../../tests/fixtures/db";
import { makeSpace } from "../../../tests/fixtures/people";
import { renderRoute } from "../../../tests/fixtures/render-route";
import { Browser, type TestServices, payload, signUp, testServices } from "../../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let visitor: Browser;
let mentor: Browser;
let spaceSlug: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  visitor = new Browser(services, "10.65.0.1");
  mentor = new Browser(services, "10.65.0.2");
  await signUp(mentor, { name: "Mia Mentor", email: "mia-buttons@example.com", password: "mia hosts the sessions" });
  await database.db.update(users).set({ role: "mentor" }).where(eq(users.email, "mia-buttons@example.com"));
  const spaceId = await makeSpace(database.db, { name: "Printers" });
  const [space] = await database.db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, spaceId));
  spaceSlug = space?.slug ?? "";
}, 120_000);
afterAll(() => database.close());

const classesOf = (className: string | undefined) => new Set((className ?? "").split(/\s+/).filter(Boolean));

function buttonClasses(variant: ButtonVariant): Set<string> {
  const html = renderToString(<Button variant={variant}>Go</Button>);
  return classesOf(/class="([^"]*)"/.exec(html)?.[1]);
}

/** The classes of the one link named `name` on the page. */
function linkClasses(html: string, name: string): Set<string> {
  const links = DomUtils.findAll(
    (el) => el.name === "a" && DomUtils.textContent(el).trim() === name,
    parseDocument(html).children,
  );
  expect(links, `one link named "${name}"`).toHaveLength(1);
  return classesOf(links[0]?.attribs.class);
}

/** The link's classes are the Button's, with only `spacing` (classes about where it sits) besides. */
function expectLooksLikeButton(html: string, name: string, variant: ButtonVariant, spacing: string[] = []) {
  expect([...linkClasses(html, name)].sort()).toEqual([...buttonClasses(variant), ...spacing].sort());
}

test("the main links of the space, question, how-to, glossary and session pages are primary buttons", async () => {
  const spacePage = await renderRoute(visitor, spacePageRoute, {
    path: `/s/${spaceSlug}`,
    pattern: "/s/:slug",
    params: { slug: spaceSlug },
  });
  expectLooksLikeButton(spacePage, "Ask in this space", "primary");
  expectLooksLikeButton(
    await renderRoute(visitor, questionsRoute, { path: "/questions" }),
    "Ask a question",
    "primary",
  );
  expectLooksLikeButton(await renderRoute(visitor, howtosRoute, { path: "/howtos" }), "Write a how-to", "primary");
  expectLooksLikeButton(await renderRoute(mentor, glossaryRoute, { path: "/glossary" }), "Add a term", "primary");
  expectLooksLikeButton(
    await renderRoute(mentor, sessionsRoute, { path: "/sessions" }),
    "Schedule a session",
    "primary",
  );
});

test("downloading your data: the JSON link is a primary button and the zip link a secondary one", async () => {
  const html = await renderRoute(mentor, dataRoute, { path: "/settings/data" });
  expectLooksLikeButton(html, "Download my data", "primary", ["mt-3"]);
  expectLooksLikeButton(html, "Download my data and pictures (zip file)", "secondary", ["mt-3", "ml-2"]);
});

test("the backup codes' download and the welcome step's Continue are primary buttons", async () => {
  // What the security page's action answers when new backup codes are made (two-step sign-in set up beforehand).
  const madeCodes = {
    intent: "backup-codes",
    ok: true,
    message: "New backup codes are ready. Your old ones no longer work.",
    fieldErrors: {},
    backupCodes: { codes: ["1234-5678", "2345-6789"], file: "PeerDesk backup codes\n1234-5678\n2345-6789\n" },
  };
  const security = await renderRoute(mentor, securityRoute, { path: "/settings/security", actionData: madeCodes });
  expectLooksLikeButton(security, "Download the codes (text file)", "primary");

  const saved = payload<{ saved: string; next: string }>(
    await mentor.submit(welcomeRoute.action, "/welcome", { audience: "it", redirectTo: "/questions" }),
  ).data;
  const welcome = await renderRoute(mentor, welcomeRoute, { path: "/welcome", actionData: saved });
  expectLooksLikeButton(welcome, "Continue", "primary", ["w-full"]);
});
