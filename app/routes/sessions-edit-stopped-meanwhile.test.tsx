/**
 * A session's edit form left open in a tab while the session was cancelled, or ended, in another: saving it says so in
 * plain words and hands back what was typed, with the way to the session, instead of landing on the session's page with
 * the changes silently gone. Opening the edit page of such a session still leads to the session. The page is the real
 * route (loader, action and error page) on the real database, posted as a browser without JavaScript posts it: the
 * action, then the page's loaders as the server runs them.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { officeHours, users } from "#db/schema";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import * as editRoute from "~/routes/sessions.$id.edit";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let host: Browser;
let hostId: string;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: one exists already, so the host signs up as a member, made a mentor.
  await makePerson(database.db, { role: "admin" });
  host = new Browser(testServices(database), "10.61.5.1");
  await signUp(host, { name: "Hana Host", email: "hana-sessions@example.com", password: "hana hosts sessions" });
  const [row] = await database.db
    .update(users)
    .set({ role: "mentor", createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "hana-sessions@example.com"))
    .returning({ id: users.id });
  if (!row) throw new Error("no host");
  hostId = row.id;
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

/** "2026-12-07T16:30" for now + `minutes`, as a datetime-local field in UTC sends it. */
const local = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);

async function scheduleSession(startsIn: number) {
  const { officeHoursId } = await scheduleOfficeHours(database.db, {
    actor: { id: hostId, role: "mentor", banned: false },
    title: "Ask me anything about the new expense tool",
    description: "Receipts, mileage, and what finance wants in the notes field.",
    spaceId,
    tags: "expenses",
    startsAtLocal: local(startsIn),
    endsAtLocal: local(startsIn + 60),
    timeZone: "UTC",
  });
  return officeHoursId;
}

/** The edit page for session `id` as the server sends it: after posting `fields` when given, else as opened. */
async function editPage(id: number, fields?: Record<string, string>) {
  const handler = createStaticHandler([
    {
      id: "routes/sessions.$id.edit",
      path: "/sessions/:id/edit",
      loader: (args) => editRoute.loader({ ...args, context: host.context() }),
      action: (args) => editRoute.action({ ...args, context: host.context() }),
      Component: editRoute.default,
      ErrorBoundary: editRoute.ErrorBoundary,
    },
  ]);
  const path = `/sessions/${id}/edit`;
  const request = fields
    ? host.request(path, {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
    : host.request(path);
  const context = await handler.query(request);
  if (context instanceof Response)
    return {
      status: context.status,
      location: context.headers.get("location"),
      text: "",
      kept: [],
      links: [],
      baseUpdatedAt: "",
    };
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  const document = parseDocument(html);
  const hidden = (name: string) =>
    DomUtils.findOne((el) => el.name === "input" && el.attribs.name === name, document.children)?.attribs.value ?? "";
  return {
    status: context.statusCode,
    location: null,
    text: DomUtils.textContent(document).replace(/\s+/g, " "),
    kept: DomUtils.findAll((el) => el.name === "textarea" && el.attribs.readonly !== undefined, document.children).map(
      (el) => DomUtils.textContent(el),
    ),
    links: DomUtils.findAll((el) => el.name === "a", document.children).map((el) => el.attribs.href ?? ""),
    baseUpdatedAt: hidden("baseUpdatedAt"),
  };
}

const typedTitle = "Expense tool Q&A: receipts and mileage";
const typedDescription = "Bring photos of the receipts the tool refused; we'll go through mileage claims last.";

/** The form as the stale tab sends it, with the host's changes. */
function staleSave(baseUpdatedAt: string, startsIn: number) {
  return {
    intent: "update",
    baseUpdatedAt,
    title: typedTitle,
    description: typedDescription,
    spaceId: String(spaceId),
    tags: "expenses, travel",
    startsAt: local(startsIn),
    endsAt: local(startsIn + 90),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
  };
}

async function storedTitle(id: number) {
  const [row] = await database.db.select({ title: officeHours.title }).from(officeHours).where(eq(officeHours.id, id));
  return row?.title;
}

test("saving the edit form of a session cancelled in another tab says so and keeps the title and description to copy", async () => {
  const id = await scheduleSession(24 * 60);
  const opened = await editPage(id);
  expect(opened.status).toBe(200);
  expect(opened.baseUpdatedAt).not.toBe("");
  // Another tab cancels it.
  expect(await editPage(id, { intent: "cancel", confirm: "yes" })).toMatchObject({
    status: 303,
    location: `/sessions/${id}`,
  });

  const saved = await editPage(id, staleSave(opened.baseUpdatedAt, 24 * 60));
  expect(saved.status).toBe(409);
  expect(saved.text).toContain("What you wrote wasn't saved");
  expect(saved.text).toContain(
    "This session was cancelled after you opened this form, so your changes were not saved. What you typed is below, to copy.",
  );
  expect(saved.kept).toEqual([
    `Title:\n${typedTitle}\n\nWhat people can ask about:\n${typedDescription}\n\nTags:\nexpenses, travel`,
  ]);
  expect(saved.links).toContain(`/sessions/${id}`);
  expect(await storedTitle(id)).toBe("Ask me anything about the new expense tool");
  // Opening the edit page now still leads to the session.
  expect(await editPage(id)).toMatchObject({ status: 303, location: `/sessions/${id}` });
});

test("saving the edit form of a session ended in another tab says it ended, and keeps what was typed", async () => {
  const id = await scheduleSession(0);
  const opened = await editPage(id);
  expect(opened.status).toBe(200);
  expect(opened.text).toContain("End the session now");
  expect(await editPage(id, { intent: "end", confirm: "yes" })).toMatchObject({ status: 303 });

  const saved = await editPage(id, staleSave(opened.baseUpdatedAt, 0));
  expect(saved.status).toBe(409);
  expect(saved.text).toContain(
    "This session ended after you opened this form, so your changes were not saved. What you typed is below, to copy.",
  );
  expect(saved.kept[0]).toContain(`Title:\n${typedTitle}`);
  expect(saved.kept[0]).toContain(typedDescription);
  expect(saved.links).toContain(`/sessions/${id}`);
  expect(await storedTitle(id)).toBe("Ask me anything about the new expense tool");
  expect(await editPage(id)).toMatchObject({ status: 303, location: `/sessions/${id}` });
});

test("a session still upcoming keeps its usual answers: a bad time is shown on the form, a good save goes through", async () => {
  const id = await scheduleSession(24 * 60);
  const opened = await editPage(id);
  const bad = await editPage(id, { ...staleSave(opened.baseUpdatedAt, 24 * 60), endsAt: local(24 * 60 - 30) });
  expect(bad.status).toBe(400);
  expect(bad.text).toContain("Edit Q&A session");
  expect(bad.kept).toEqual([]);
  expect(await editPage(id, staleSave(opened.baseUpdatedAt, 24 * 60))).toMatchObject({
    status: 303,
    location: `/sessions/${id}`,
  });
  expect(await storedTitle(id)).toBe(typedTitle);
});
