/**
 * Two admins change the same person's role from pages that both showed their old role: the first change lands, the
 * second is refused with a 409 that names the role the person has now, and its form shows that role. The same press
 * twice is one change; a form from an older page (no `baseRole`) is answered in words. Through the real action and
 * loader on the real database.
 */
import type { Document } from "domhandler";
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { moderationLog, users } from "#db/schema";
import AdminUsers, { action, loader } from "~/routes/admin.users";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let ada: Browser;
let ben: Browser;

type Answer = { ok: boolean; message: string; userId?: string; currentRole?: string };

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  ({ browser: ada } = await signedInAdmin(services, "10.61.5.1"));
  ben = new Browser(services, "10.61.5.2");
  await signUp(ben, { name: "Ben Admin", email: "ben-admin@example.com", password: "ben approves some requests" });
  await database.db.update(users).set({ role: "admin" }).where(eq(users.email, "ben-admin@example.com"));
});
afterAll(() => database.close());

async function roleOf(id: string) {
  const [row] = await database.db.select({ role: users.role }).from(users).where(eq(users.id, id));
  return row?.role;
}

async function roleChangesOf(id: string) {
  const rows = await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, id));
  return rows.filter((row) => row.action === "user.role").map((row) => row.details);
}

/** The people page rendered from `loaded` (the list as it was loaded) with an action's answer. */
async function renderWith(loaded: object, actionData: object) {
  const handler = createStaticHandler([
    {
      id: "routes/admin.users",
      path: "/admin/users",
      loader: () => loaded,
      action: () => actionData,
      Component: AdminUsers,
    },
  ]);
  const context = await handler.query(new Request("http://forum.test/admin/users", { method: "POST", body: "" }));
  if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return parseDocument(renderToString(createElement(StaticRouterProvider, { router, context, hydrate: false })));
}

function alertsOf(page: Document): string[] {
  return DomUtils.findAll((el) => el.attribs.role === "alert", page.children).map((el) => DomUtils.textContent(el));
}

/** The role the person's form shows as chosen, and the role it says the page showed. */
function roleFormOf(page: Document, userId: string) {
  const select = DomUtils.findOne((el) => el.attribs.id === `role-${userId}`, page.children);
  const form = DomUtils.findOne(
    (el) => el.name === "form" && DomUtils.findOne((e) => e === select, el.children) !== null,
    page.children,
  );
  const selected =
    select && DomUtils.findOne((el) => el.name === "option" && "selected" in el.attribs, select.children);
  const base = form && DomUtils.findOne((el) => el.attribs.name === "baseRole", form.children);
  return { selected: selected?.attribs.value, baseRole: base?.attribs.value };
}

const saveRole = (browser: Browser, userId: string, role: string, baseRole?: string) =>
  browser
    .submit(action, "/admin/users", { intent: "role", userId, role, ...(baseRole ? { baseRole } : {}) })
    .then((result) => payload<Answer>(result));

test("two admins' changes at the same moment: one lands, the other is refused naming the role now", async () => {
  const alex = await makePerson(database.db, { name: "Alex Kim" });
  // Both pages show Alex as a member; both admins press "Save role" at the same moment.
  const [fromAda, fromBen] = await Promise.all([
    saveRole(ada, alex.id, "mentor", "member"),
    saveRole(ben, alex.id, "moderator", "member"),
  ]);
  const [landed, refused] = fromAda.status === 200 ? [fromAda, fromBen] : [fromBen, fromAda];
  const now = landed === fromAda ? "mentor" : "moderator";
  expect(landed).toEqual({ status: 200, data: { ok: true, message: `Role changed to ${now}.`, userId: alex.id } });
  expect(refused).toEqual({
    status: 409,
    data: {
      ok: false,
      message: `Alex Kim is now a ${now} (changed by someone else after you opened this page). Nothing was changed: choose again.`,
      userId: alex.id,
      currentRole: now,
    },
  });
  expect(await roleOf(alex.id)).toBe(now);
  expect(await roleChangesOf(alex.id)).toEqual([{ from: "member", to: now }]);
  // The list (as reloaded) shows the role as it is now.
  const list = payload<{ users: { id: string; role: string }[] }>(await ada.load(loader, "/admin/users?q=Alex"));
  expect(list.data.users.find((u) => u.id === alex.id)?.role).toBe(now);
});

test("a stale page's change to a role someone else just changed is refused; from the page as it is now it lands", async () => {
  const sam = await makePerson(database.db, { name: "Sam Lee" });
  const stalePage = payload<object>(await ada.load(loader, "/admin/users?q=Sam")).data;
  expect((await saveRole(ben, sam.id, "moderator", "member")).status).toBe(200);
  const stale = await saveRole(ada, sam.id, "mentor", "member");
  expect(stale.status).toBe(409);
  expect(stale.data.message).toMatch(/^Sam Lee is now a moderator .*Nothing was changed: choose again\.$/);
  expect(stale.data.currentRole).toBe("moderator");
  expect(await roleOf(sam.id)).toBe("moderator");
  // The page isn't reloaded after a refusal (with JavaScript): its form for Sam shows, and is based on, "moderator".
  const page = await renderWith(stalePage, stale.data);
  expect(alertsOf(page)).toEqual([stale.data.message]);
  expect(roleFormOf(page, sam.id)).toEqual({ selected: "moderator", baseRole: "moderator" });
  // Ada chooses again on the form, which now says "moderator", and presses twice: the same success, written once.
  const chosen = await saveRole(ada, sam.id, "mentor", "moderator");
  expect(chosen).toEqual({ status: 200, data: { ok: true, message: "Role changed to mentor.", userId: sam.id } });
  expect(await saveRole(ada, sam.id, "mentor", "moderator")).toEqual(chosen);
  expect(await roleOf(sam.id)).toBe("mentor");
  expect(await roleChangesOf(sam.id)).toEqual([
    { from: "member", to: "moderator" },
    { from: "moderator", to: "mentor" },
  ]);
});

test("a role form from an older page, without the role it showed, changes nothing and says so", async () => {
  const kai = await makePerson(database.db, { name: "Kai Berg" });
  const old = await saveRole(ada, kai.id, "moderator");
  expect(old).toEqual({
    status: 400,
    data: {
      ok: false,
      message:
        "This form is from an older version of the page and doesn't say which role you saw, so nothing was changed. Reload the page, check the role, and choose again.",
      userId: kai.id,
    },
  });
  expect(await roleOf(kai.id)).toBe("member");
  expect(await roleChangesOf(kai.id)).toEqual([]);
});
