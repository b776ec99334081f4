/**
 * /admin/signup opened in two tabs (or by two admins): a domains save made on a list changed since is refused with a
 * 409 naming the list now, keeps what was typed and is based on the list now; the same save twice is fine. Revoking an
 * invitation link twice is shown as a refusal (an alert), not as a success. Through the real action and loader on the
 * real database, and the page rendered with the action's answer.
 */
import type { Document } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { signupInvitations } from "#db/schema";
import { fullDate } from "~/lib/time";
import { createInvitation, getAllowedDomains } from "~/models/signup-policy.server";
import AdminSignup, { action, loader } from "~/routes/admin.signup";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Browser, type TestServices, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let admin: Browser;
let adminId: string;

type Answer = {
  intent: string;
  message?: string;
  values?: Record<string, string>;
  currentDomains?: string[];
  isRefusal?: boolean;
};
type Page = { domains: string[]; invitations: { id: string; state: string }[] };

beforeAll(async () => {
  database = await createTestDatabase();
  // The page says how people sign up, from the site's settings.
  const services = { ...testServices(database), env: { PASSWORD_SIGNUP: true, ssoProviders: [] } } as TestServices;
  ({ browser: admin, id: adminId } = await signedInAdmin(services, "10.62.7.1"));
});
afterAll(() => database.close());

/** The page rendered from `loaded` (as it was loaded) with an action's answer. */
async function renderWith(loaded: object, actionData: object): Promise<Document> {
  const handler = createStaticHandler([
    {
      id: "routes/admin.signup",
      path: "/admin/signup",
      loader: () => loaded,
      action: () => actionData,
      Component: AdminSignup,
    },
  ]);
  const context = await handler.query(new Request("http://forum.test/admin/signup", { method: "POST", body: "" }));
  if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return parseDocument(renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false })));
}

const byRole = (page: Document, role: string) =>
  DomUtils.findAll((el) => el.attribs.role === role, page.children).map((el) => DomUtils.textContent(el));

/** The domains form: what its box holds and the list it says the page showed. */
function domainsForm(page: Document) {
  const box = DomUtils.findOne((el) => el.name === "textarea" && el.attribs.name === "domains", page.children);
  const base = DomUtils.findOne((el) => el.name === "input" && el.attribs.name === "baseDomains", page.children);
  return { typed: box ? DomUtils.textContent(box) : undefined, base: base?.attribs.value };
}

const saveDomains = (domains: string, baseDomains?: string) =>
  admin
    .submit(action, "/admin/signup", {
      intent: "domains",
      domains,
      ...(baseDomains === undefined ? {} : { baseDomains }),
    })
    .then((result) => payload<Answer>(result));

test("a domains save from a tab that showed an older list is refused, keeps what was typed, and can be saved again", async () => {
  const staleTab = payload<Page>(await admin.load(loader, "/admin/signup")).data;
  expect(staleTab.domains).toEqual([]);
  expect(domainsForm(await renderWith(staleTab, {})).base).toBe("");

  // The other tab saves acme.example.
  const first = await saveDomains("acme.example", "");
  expect(first.status).toBe(200);
  expect(first.data.message).toBe("Only acme.example may sign up now.");

  // The stale tab sends beta.example, on the empty list it showed.
  const stale = await saveDomains("beta.example", "");
  expect(stale.status).toBe(409);
  expect(stale.data.message).toBe(
    "You changed the allowed domains to acme.example in another tab or window after you opened this page. Nothing was saved: check the list below and save again.",
  );
  expect(stale.data.currentDomains).toEqual(["acme.example"]);
  expect(await getAllowedDomains(database.db)).toEqual(["acme.example"]);

  // The stale page shows the refusal as an alert (not a success), keeps beta.example typed, and is now based on acme.
  const page = await renderWith(staleTab, stale.data);
  expect(byRole(page, "alert")).toEqual([stale.data.message]);
  expect(byRole(page, "status")).toEqual([]);
  expect(domainsForm(page)).toEqual({ typed: "beta.example", base: "acme.example" });

  // Saved from that form (both domains now), twice: the same success each time.
  const again = await saveDomains("acme.example\nbeta.example", "acme.example");
  expect(again).toEqual({
    status: 200,
    data: { intent: "domains", fieldErrors: {}, message: "Only acme.example, beta.example may sign up now." },
  });
  expect(await saveDomains("acme.example\nbeta.example", "acme.example")).toEqual(again);
  expect(await getAllowedDomains(database.db)).toEqual(["acme.example", "beta.example"]);
});

test("a domains form from an older page, without the list it showed, saves nothing and says so", async () => {
  const before = await getAllowedDomains(database.db);
  const old = await saveDomains("gamma.example");
  expect(old.status).toBe(400);
  expect(old.data.message).toBe(
    "This form is from an older version of the page and doesn't say which list you saw, so nothing was saved. Reload the page, check the list, and save again.",
  );
  expect(old.data.values?.domains).toBe("gamma.example");
  expect(await getAllowedDomains(database.db)).toEqual(before);
});

test("revoking a link that was already revoked is shown as a refusal, not a success", async () => {
  const { id } = await createInvitation(database.db, { by: adminId, maxUses: 3, days: 7, note: "contractors" });
  const page = payload<Page>(await admin.load(loader, "/admin/signup")).data;
  const revoke = () =>
    admin.submit(action, "/admin/signup", { intent: "revoke", invitationId: id }).then((r) => payload<Answer>(r));

  const done = await revoke();
  expect(done.status).toBe(200);
  const donePage = await renderWith(page, done.data);
  expect(byRole(donePage, "status")).toEqual(["The link no longer works."]);
  expect(byRole(donePage, "alert")).toEqual([]);

  // The other tab's Revoke, pressed after: refused, saying when the link was revoked.
  const twice = await revoke();
  expect(twice.status).toBe(409);
  const [link] = await database.db.select().from(signupInvitations).where(eq(signupInvitations.id, id));
  const refusedPage = await renderWith(page, twice.data);
  expect(byRole(refusedPage, "alert")).toEqual([
    `That link was already revoked on ${fullDate(link?.revokedAt ?? 0)}, so nothing was changed.`,
  ]);
  expect(byRole(refusedPage, "status")).toEqual([]);
});
