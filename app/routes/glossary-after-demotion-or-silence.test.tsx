/**
 * The glossary's add and edit forms sent from a page opened before the account changed: demoted to a member in
 * another tab, the save is refused in words that say the role changed and what was typed comes back on the error
 * page to copy (the form's page now refuses them); silenced, the form comes back with its text and the silence's
 * words. Nothing is saved either way, and opening the pages afresh still gets the plain 403. Real loaders and actions,
 * real database.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { glossaryTerms, users } from "#db/schema";
import { createGlossaryEntry, getGlossaryEntry } from "~/models/glossary.server";
import { silenceUser } from "~/models/holds.server";
import { setUserRole } from "~/models/users.server";
import * as editRoute from "~/routes/glossary.$id.edit";
import * as newRoute from "~/routes/glossary.new";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson } from "../../tests/fixtures/people";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first sign-up becomes the admin: somebody else is first.
  adminId = (await makePerson(database.db, { role: "admin" })).id;
});
afterAll(() => database.close());

let people = 0;

/** A mentor signed up through the real form, in their own browser, and a glossary entry to edit. */
async function mentorWithEntry() {
  const { db } = database;
  people += 1;
  const email = `mentor-glossary-${people}@example.com`;
  const browser = new Browser(testServices(database), `10.66.0.${people}`);
  await signUp(browser, { name: "Priya Mentor", email, password: "Priya explains jargon well" });
  const [me] = await db
    .update(users)
    .set({ role: "mentor", emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!me) throw new Error("mentor not created");
  const entry = await createGlossaryEntry(db, {
    actor: { id: me.id, role: "mentor", banned: false },
    entry: { term: `Proxy ${people}`, expansion: "", explanation: "A computer that fetches web pages for you." },
  });
  return { browser, userId: me.id, entry };
}

const explanation =
  "A go-between computer: your browser asks it for a web page and it fetches the page for you, so the company can filter what comes in.";

const editForm = (term: string, baseUpdatedAt: Date) => ({
  intent: "save",
  term,
  expansion: "",
  explanation,
  synonyms: "web proxy",
  baseUpdatedAt: baseUpdatedAt.toISOString(),
});

/** What an action answered: the error page's data when it threw, else what it returned. */
async function sent(browser: Browser, action: Parameters<Browser["submit"]>[0], path: string, fields: object) {
  const params = { id: path.split("/")[2] ?? "" };
  try {
    const answer = await browser.submit(action, path, fields as Record<string, string>, params);
    if (answer instanceof Response) return { status: answer.status, data: { message: await answer.text() } };
    return payload<{ message?: string; kept?: string; values?: Record<string, string> }>(answer);
  } catch (thrown) {
    return payload<{ message?: string; kept?: string; values?: Record<string, string> }>(thrown);
  }
}

/** The page a route shows when its action throws `thrown` (its error boundary), as the server renders it. */
function errorPageOf(
  route: typeof editRoute | typeof newRoute,
  path: string,
  thrown: { status: number; data: object },
) {
  const handler = createStaticHandler([
    {
      id: "routes/page",
      path,
      loader: () => null,
      action: () => {
        throw new Response(JSON.stringify(thrown.data), {
          status: thrown.status,
          headers: { "content-type": "application/json" },
        });
      },
      Component: route.default,
      ErrorBoundary: route.ErrorBoundary,
    },
  ]);
  return handler.query(new Request(`http://forum.test${path}`, { method: "POST", body: "" })).then((context) => {
    if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
    const router = createStaticRouter(handler.dataRoutes, context);
    return parseDocument(renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />));
  });
}

const demotedMessage =
  "Only mentors, moderators and admins can edit the glossary, and your account is no longer a mentor (it is a member account now), so this wasn't saved. What you typed is below, to copy.";

test("a mentor demoted meanwhile who saves an edit is told the role changed, and gets what they typed back", async () => {
  const { db } = database;
  const { browser, userId, entry } = await mentorWithEntry();
  const path = `/glossary/${entry.id}/edit`;
  // An admin makes them a member in another tab; then they press "Save changes".
  await setUserRole(db, { userId, role: "member", by: adminId });
  const refused = await sent(browser, editRoute.action, path, editForm(entry.term, entry.updatedAt));

  expect(refused.status).toBe(403);
  expect(refused.data.message).toBe(demotedMessage);
  expect(refused.data.kept).toBe(
    `Term:\n${entry.term}\n\nPlain-language explanation:\n${explanation}\n\nSynonyms:\nweb proxy`,
  );
  expect(await getGlossaryEntry(db, entry.id)).toEqual(entry);

  const page = await errorPageOf(editRoute, path, refused);
  expect(DomUtils.textContent(page)).toContain(demotedMessage);
  const kept = DomUtils.findOne((el) => el.attribs.id === "kept-text", page.children);
  expect(kept && DomUtils.textContent(kept)).toContain(explanation);
  // Opened afresh, the edit page is still not theirs.
  const reopened = await browser.load(editRoute.loader, path, { id: String(entry.id) });
  expect(reopened instanceof Response && reopened.status).toBe(403);
});

test("a mentor demoted meanwhile who adds a term is told the role changed, the term is not added and the text is kept", async () => {
  const { db } = database;
  const { browser, userId } = await mentorWithEntry();
  await setUserRole(db, { userId, role: "member", by: adminId });
  const refused = await sent(browser, newRoute.action, "/glossary/new", {
    intent: "save",
    term: "Reverse proxy",
    expansion: "",
    explanation,
    synonyms: "",
  });
  expect([refused.status, refused.data.message]).toEqual([403, demotedMessage]);
  expect(refused.data.kept).toBe(`Term:\nReverse proxy\n\nPlain-language explanation:\n${explanation}`);
  expect(await db.select().from(glossaryTerms).where(eq(glossaryTerms.term, "Reverse proxy"))).toEqual([]);
  const page = await errorPageOf(newRoute, "/glossary/new", refused);
  expect(DomUtils.textContent(page)).toContain(demotedMessage);
});

test("a silenced mentor's add and edit come back with their text and the silence's words, and nothing is saved", async () => {
  const { db } = database;
  const { browser, userId, entry } = await mentorWithEntry();
  const moderator = await makePerson(db, { role: "moderator" });
  await db.transaction((tx) => silenceUser(tx, { userId, by: moderator.id, reason: "Spam links" }));
  const silenced =
    "Your account is silenced while moderators review it, so you can't post, flag, thank or rate anything for now. You can still read everything.";

  const added = await sent(browser, newRoute.action, "/glossary/new", {
    intent: "save",
    term: "Cheap ink",
    expansion: "",
    explanation: "Visit my shop for the cheapest printer ink you will ever find anywhere.",
    synonyms: "",
  });
  expect([added.status, added.data.message, added.data.values?.term]).toEqual([403, silenced, "Cheap ink"]);
  expect(await db.select().from(glossaryTerms).where(eq(glossaryTerms.term, "Cheap ink"))).toEqual([]);

  const path = `/glossary/${entry.id}/edit`;
  const edited = await sent(browser, editRoute.action, path, editForm(entry.term, entry.updatedAt));
  expect([edited.status, edited.data.message, edited.data.values?.explanation]).toEqual([403, silenced, explanation]);
  expect(await getGlossaryEntry(db, entry.id)).toEqual(entry);
  // The edit page shows the words above the form, with the text as it was sent.
  const html = await renderRoute(browser, editRoute, {
    path,
    pattern: "/glossary/:id/edit",
    params: { id: String(entry.id) },
    actionData: edited.data,
  });
  const page = parseDocument(html);
  const alerts = DomUtils.findAll((el) => el.attribs.role === "alert", page.children).map((el) =>
    DomUtils.textContent(el),
  );
  expect(alerts).toEqual([silenced]);
  const field = DomUtils.findOne((el) => el.name === "textarea" && el.attribs.name === "explanation", page.children);
  expect(field && DomUtils.textContent(field)).toBe(explanation);
});
