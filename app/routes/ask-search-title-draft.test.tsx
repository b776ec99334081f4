/**
 * "Ask this as a question" from a search opens /ask with the search's words as the title. On the real database, with
 * the ask page rendered from its own loader and autosave sending the form's fields as the browser would: that title,
 * left as it came, is no draft (an abandoned visit leaves nothing to "restore"); once the person writes something it
 * is kept with the rest.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import { eq } from "drizzle-orm";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { loadDraft } from "~/models/drafts.server";
import { action as draftsAction } from "~/routes/api.drafts";
import Ask, { loader as askLoader } from "~/routes/ask";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

const SEARCHED = "Outlook keeps asking for my password";
const DRAFT_KEY = "question:new";

let database: Database;
let services: TestServices;
let browser: Browser;
let userId: string;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  await makePerson(database.db, { role: "admin" });
  spaceId = await makeSpace(database.db);
  browser = new Browser(services, "10.63.0.21");
  await signUp(browser, { name: "Sid Search", email: "sid-search@example.com", password: "sid searches then asks" });
  const [user] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "sid-search@example.com"));
  if (!user) throw new Error("member not created");
  userId = user.id;
});
afterAll(() => database.close());

/** The ask page as Sid's browser gets it from `path`, rendered from the real loader's data. */
async function openAskPage(path: string): Promise<string> {
  const loaderData = payload<Record<string, unknown>>(await browser.load(askLoader, path)).data;
  const handler = createStaticHandler([{ id: "routes/ask", path: "/ask", loader: () => loaderData, Component: Ask }]);
  const context = await handler.query(new Request(`http://forum.test${path}`));
  if (context instanceof Response) throw new Error("unexpected response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

/** The ask form's fields as the autosave reads them (FormData of the form, less its idempotency key and intent). */
function autosavedFields(html: string): Record<string, string> {
  const [form] = DomUtils.findAll((el) => el.name === "form", parseDocument(html).children);
  if (!form) throw new Error("no form");
  const fields: Record<string, string> = {};
  for (const el of DomUtils.findAll((node) => typeof node.attribs.name === "string", form.children)) {
    const { name = "", type } = el.attribs;
    if (el.name === "button" || name === "idempotencyKey" || name === "intent") continue;
    if ((type === "radio" || type === "checkbox") && el.attribs.checked === undefined) continue;
    if (el.name === "textarea") fields[name] = DomUtils.textContent(el);
    else if (el.name === "select") {
      const chosen = DomUtils.findOne((option) => option.attribs.selected !== undefined, el.children);
      fields[name] = chosen?.attribs.value ?? "";
    } else fields[name] = el.attribs.value ?? (type === "checkbox" ? "on" : "");
  }
  return fields;
}

async function autosave(content: Record<string, string>): Promise<Record<string, unknown>> {
  const request = browser.request("/api/drafts", {
    method: "POST",
    body: JSON.stringify({ draftKey: DRAFT_KEY, content }),
    headers: { "content-type": "application/json" },
  });
  const response = (await draftsAction({ request, params: {}, context: browser.context() })) as Response;
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const askFromSearch = `/ask?title=${encodeURIComponent(SEARCHED)}`;

test("the title a search filled in is no draft on its own, even when a space is chosen", async () => {
  const opened = autosavedFields(await openAskPage(askFromSearch));
  expect(opened.title).toBe(SEARCHED);

  // Choosing a space is the change autosave hears; the title is still the search's.
  expect(await autosave({ ...opened, spaceId: String(spaceId) })).toEqual({ ok: true, discarded: true });
  expect(await loadDraft(database.db, { userId, draftKey: DRAFT_KEY })).toBeNull();

  // Coming back to /ask later finds no "question you started earlier".
  const later = payload<{ hasDraft: boolean; initial: { title: string } }>(await browser.load(askLoader, "/ask")).data;
  expect(later.hasDraft).toBe(false);
  expect(later.initial.title).toBe("");
});

test("once the person writes details, the search's title is kept in the draft with them", async () => {
  const opened = autosavedFields(await openAskPage(askFromSearch));
  const typed = { ...opened, body: "Since Monday Outlook asks again every morning." };
  expect(await autosave(typed)).toMatchObject({ ok: true, savedAt: expect.any(String) });
  expect((await loadDraft(database.db, { userId, draftKey: DRAFT_KEY }))?.content).toMatchObject({
    title: SEARCHED,
    body: typed.body,
  });

  // The draft comes back; clearing the details again leaves only the search's title: no draft any more.
  const restored = autosavedFields(await openAskPage("/ask"));
  expect(restored).toMatchObject({ title: SEARCHED, body: typed.body });
  expect(await autosave({ ...restored, body: "" })).toEqual({ ok: true, discarded: true });
  expect(await loadDraft(database.db, { userId, draftKey: DRAFT_KEY })).toBeNull();
});

test("a title the person rewrote is a draft of its own", async () => {
  const opened = autosavedFields(await openAskPage(askFromSearch));
  const title = "Outlook asks for my password every morning on Windows 11";
  expect(await autosave({ ...opened, title })).toMatchObject({ ok: true, savedAt: expect.any(String) });
  expect((await loadDraft(database.db, { userId, draftKey: DRAFT_KEY }))?.content).toMatchObject({ title });
});
