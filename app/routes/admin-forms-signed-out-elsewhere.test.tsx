/**
 * Staff signed out elsewhere (their session ended from another device) who then send a form on a staff page without
 * JavaScript get their typed text back on the error page (401), as everyone else does: a ban reason, a space's name and
 * description, the allowed domains, an invitation's note. These pages used to read the form before the sign-in check,
 * which left nothing to hand back ("nothing was changed"). Nothing is changed either way. On the real database with
 * real better-auth sessions, through the real routes (action, loader, error page) rendered as HTML.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { signupInvitations, spaces, users } from "#db/schema";
import { ErrorPage } from "~/components/ErrorPage";
import { markFormSubmission } from "~/lib/form-submission.server";
import { getAllowedDomains } from "~/models/signup-policy.server";
import * as signupPolicyRoute from "~/routes/admin.signup";
import * as spacesRoute from "~/routes/admin.spaces";
import * as usersRoute from "~/routes/admin.users";
import { action as devicesAction } from "~/routes/settings.devices";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { BASE, Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

const SIGNED_OUT = "You're signed out (you signed out in another tab, or your session was ended from another device),";
const PASSWORD = "staff keep the admin pages open all day";

let people = 0;
/** An admin signed up (so signed in) on their work laptop: their id, email and that laptop. */
async function admin(name: string) {
  people += 1;
  const email = `staff-signed-out-${people}@example.com`;
  const laptop = new Browser(services, `10.63.0.${people}`);
  await signUp(laptop, { name, email, password: PASSWORD });
  const [row] = await database.db
    .update(users)
    .set({ role: "admin" })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!row) throw new Error("admin not created");
  return { id: row.id, email, laptop };
}

/** Signs the admin in on their phone and, there, signs out every other device (settings → devices). */
async function endOtherSessionsFromPhone(email: string) {
  const phone = new Browser(services, `10.63.1.${people}`);
  const signedIn = await services.auth.handler(
    phone.request("/api/auth/sign-in/email", {
      method: "POST",
      body: JSON.stringify({ email, password: PASSWORD }),
      headers: { "content-type": "application/json" },
    }),
  );
  expect(signedIn.status).toBe(200);
  phone.take(signedIn);
  const ended = payload<{ ok: boolean }>(
    await phone.submit(devicesAction, "/settings/devices", { intent: "sign-out-others" }),
  );
  expect(ended.data.ok).toBe(true);
}

type RouteModule = {
  loader: (args: LoaderFunctionArgs) => unknown;
  action: (args: ActionFunctionArgs) => unknown;
  default: ComponentType;
  ErrorBoundary?: ComponentType;
};

/**
 * Sends `fields` from `browser` to a staff page as a form POST without JavaScript (the whole page comes back; the
 * server marks such a request, see isFormSubmission), with the app's error page as the root's error boundary.
 */
async function sendForm(browser: Browser, route: RouteModule, path: string, fields: Record<string, string>) {
  const context = browser.context();
  markFormSubmission(context);
  const handler = createStaticHandler([
    {
      id: "root",
      path: "/",
      Component: Outlet,
      ErrorBoundary: ErrorPage,
      children: [
        {
          id: "page",
          path: path.slice(1),
          loader: async (args) => (await route.loader({ ...args, context })) ?? null,
          action: async (args) => (await route.action({ ...args, context })) ?? null,
          Component: route.default,
          ErrorBoundary: route.ErrorBoundary,
        },
      ],
    },
  ]);
  const request = browser.request(path, {
    method: "POST",
    body: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", referer: `${BASE}${path}` },
  });
  const result = await handler.query(request);
  if (result instanceof Response) throw new Error(`expected a page, got a ${result.status} response`);
  const router = createStaticRouter(handler.dataRoutes, result);
  const html = renderToString(<StaticRouterProvider router={router} context={result} hydrate={false} />);
  return { status: result.statusCode, html };
}

/** What a page shows: its heading, its words, the text boxes' contents and the links. */
function read(html: string) {
  const document = parseDocument(html);
  const all = (name: string) => DomUtils.findAll((el) => el.name === name, document.children);
  return {
    heading: all("h1").map((el) => DomUtils.textContent(el)),
    text: DomUtils.textContent(document).replace(/\s+/g, " "),
    boxes: all("textarea").map((el) => ({ text: DomUtils.textContent(el), isReadOnly: "readonly" in el.attribs })),
    links: all("a").map((el) => ({ text: DomUtils.textContent(el), href: el.attribs.href })),
  };
}

/** The error page said the text wasn't saved, with a way to sign in back to `path`; the boxes' text is returned. */
function handedBack(sent: { status: number; html: string }, path: string): string {
  expect(sent.status).toBe(401);
  const shown = read(sent.html);
  expect(shown.heading).toEqual(["What you wrote wasn't saved"]);
  expect(shown.text).toContain(`${SIGNED_OUT} so this wasn't saved. What you typed is below, to copy.`);
  expect(shown.links).toContainEqual({ text: "Sign in", href: `/signin?redirectTo=${encodeURIComponent(path)}` });
  expect(shown.boxes).toHaveLength(1);
  expect(shown.boxes[0]?.isReadOnly).toBe(true);
  return shown.boxes[0]?.text ?? "";
}

test("a ban confirmed without JavaScript by an admin signed out elsewhere hands back the ban reason, and nobody is banned", async () => {
  const ada = await admin("Ada Lovelace");
  const spammer = await makePerson(database.db, { name: "Sam Spammer" });
  await endOtherSessionsFromPhone(ada.email);
  const reason = "Posted links to a fake payroll login page in three spaces";

  const sent = await sendForm(ada.laptop, usersRoute, "/admin/users", {
    intent: "ban",
    userId: spammer.id,
    confirm: "yes",
    reason,
    hideOffered: "yes",
    hidePosts: "on",
  });

  expect(handedBack(sent, "/admin/users")).toBe(reason);
  expect(sent.html).not.toContain(spammer.id);
  const [row] = await database.db.select({ banned: users.banned }).from(users).where(eq(users.id, spammer.id));
  expect(row?.banned).toBe(false);
});

test("a new space sent without JavaScript by an admin signed out elsewhere hands back its name and description, and no space is made", async () => {
  const grace = await admin("Grace Hopper");
  await endOtherSessionsFromPhone(grace.email);
  const description = "Questions about expense claims, mileage and the travel booking tool.";

  const sent = await sendForm(grace.laptop, spacesRoute, "/admin/spaces", {
    intent: "create",
    name: "Travel & expenses",
    description,
  });

  const kept = handedBack(sent, "/admin/spaces");
  expect(kept).toContain("Name:\nTravel & expenses");
  expect(kept).toContain(`Description:\n${description}`);
  const made = await database.db.select().from(spaces).where(eq(spaces.name, "Travel & expenses"));
  expect(made).toEqual([]);
});

test("allowed email domains saved without JavaScript by an admin signed out elsewhere come back to copy, and the list is unchanged", async () => {
  const linus = await admin("Linus Domains");
  await endOtherSessionsFromPhone(linus.email);
  const before = await getAllowedDomains(database.db);

  const sent = await sendForm(linus.laptop, signupPolicyRoute, "/admin/signup", {
    intent: "domains",
    baseDomains: before.join("\n"),
    domains: "example.org\nsubsidiary.example.com",
  });

  expect(handedBack(sent, "/admin/signup")).toBe("example.org\nsubsidiary.example.com");
  expect(await getAllowedDomains(database.db)).toEqual(before);
});

test("an invitation link asked for without JavaScript by an admin signed out elsewhere hands back its note, and no link is made", async () => {
  const margaret = await admin("Margaret Invites");
  await endOtherSessionsFromPhone(margaret.email);
  const note = "For the auditors from the external firm, spring review";

  const sent = await sendForm(margaret.laptop, signupPolicyRoute, "/admin/signup", {
    intent: "invite",
    maxUses: "3",
    days: "14",
    note,
  });

  expect(handedBack(sent, "/admin/signup")).toBe(note);
  expect(await database.db.select().from(signupInvitations)).toEqual([]);
});
