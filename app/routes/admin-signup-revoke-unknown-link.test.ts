/**
 * Revoking an invitation link by an id that names no link (made up, or mistyped in a hand-made request) says there is
 * no such link and changes nothing, rather than claiming it was "already revoked"; a link that was revoked says when.
 * Through the real action on the real database, and the page rendered with the action's answer.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { signupInvitations } from "#db/schema";
import { fullDate } from "~/lib/time";
import { createInvitation, revokeInvitation } from "~/models/signup-policy.server";
import AdminSignup, { action, loader } from "~/routes/admin.signup";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Browser, type TestServices, payload, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let admin: Browser;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const services = { ...testServices(database), env: { PASSWORD_SIGNUP: true, ssoProviders: [] } } as TestServices;
  ({ browser: admin, id: adminId } = await signedInAdmin(services, "10.62.9.1"));
});
afterAll(() => database.close());

type Answer = { intent: string; message?: string; isRefusal?: boolean };

const revoke = (invitationId: string) =>
  admin.submit(action, "/admin/signup", { intent: "revoke", invitationId }).then((r) => payload<Answer>(r));

/** The alerts of the page as it was loaded, rendered with an action's answer. */
async function alertsWith(loaded: object, actionData: object): Promise<string[]> {
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
  const page = parseDocument(renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false })));
  return DomUtils.findAll((el) => el.attribs.role === "alert", page.children).map((el) => DomUtils.textContent(el));
}

async function revokedAtOf(id: string) {
  const [row] = await database.db.select().from(signupInvitations).where(eq(signupInvitations.id, id));
  return row?.revokedAt ?? null;
}

test("revoking a link id that names no link says there is no such link, and no link is changed", async () => {
  const { id: working } = await createInvitation(database.db, { by: adminId, maxUses: 5, days: 7, note: "Acme" });
  const page = payload<object>(await admin.load(loader, "/admin/signup")).data;

  const answer = await revoke("6f1c2b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f");
  expect(answer.status).toBe(404);
  expect(answer.data.message).toBe("There is no invitation link with that id; nothing was changed.");
  expect(answer.data.message).not.toMatch(/already/);
  expect(await alertsWith(page, answer.data)).toEqual([
    "There is no invitation link with that id; nothing was changed.",
  ]);
  expect(await revokedAtOf(working)).toBeNull();
});

test("revoking a link revoked before says it was already revoked, and when", async () => {
  const { id } = await createInvitation(database.db, { by: adminId, maxUses: 5, days: 7, note: "Contractors" });
  const revokedAt = new Date("2026-03-12T14:05:00Z");
  expect(await revokeInvitation(database.db, { id, now: revokedAt })).toBe(true);

  const answer = await revoke(id);
  expect(answer.status).toBe(409);
  expect(answer.data.message).toBe(`That link was already revoked on ${fullDate(revokedAt)}, so nothing was changed.`);
  expect(answer.data.message).toContain("12 Mar 2026, 14:05 UTC");
  expect(await revokedAtOf(id)).toEqual(revokedAt);
});
