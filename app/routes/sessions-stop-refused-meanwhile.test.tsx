/**
 * "End the session now" or "Cancel this session" pressed on a page older than the session's end or cancel (another tab,
 * a moderator, or the clock got there first): the session's page says what happened, by whom and when, with a 409, and
 * nothing is done twice (nobody is told of the cancel again). The stop forms post to the session's page, so the refusal
 * is said there, without JavaScript as here, and with it (the page's action data; see its shouldRevalidate). The real
 * routes (loader, action and page) on the real database, posted as a browser without JavaScript posts them.
 */
import { and, eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { notifications, officeHours } from "#db/schema";
import { utcTimeText } from "~/components/LocalTime";
import { follow } from "~/models/notifications.server";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import * as editRoute from "~/routes/sessions.$id.edit";
import * as sessionRoute from "~/routes/sessions.$id._index";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { type Browser, payload, testServices, signedUpAs } from "../../tests/fixtures/routes";

let database: Database;
let host: { browser: Browser; id: string };
let moderator: { browser: Browser; id: string };
let spaceId: number;

const signedIn = (name: string, email: string, role: "mentor" | "moderator", ip: string) =>
  signedUpAs(testServices(database), { name, email, role, ip });

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: one exists already.
  await makePerson(database.db, { role: "admin" });
  host = await signedIn("Hana Host", "hana-stops@example.com", "mentor", "10.62.9.1");
  moderator = await signedIn("Moe Moderator", "moe-stops@example.com", "moderator", "10.62.9.2");
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

/** "2026-12-07T16:30" for `at` + `minutes`, as a datetime-local field in UTC sends it. */
const local = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 16);

/** A session of the host's running from `startsIn` to `endsIn` minutes from now (scheduled before, when in the past). */
async function scheduleSession(startsIn: number, endsIn: number) {
  const now = new Date();
  const scheduledAt = new Date(now.getTime() + Math.min(0, startsIn) * 60_000);
  const { officeHoursId } = await scheduleOfficeHours(database.db, {
    actor: { id: host.id, role: "mentor", banned: false },
    title: "Ask me anything about the new expense tool",
    description: "Receipts, mileage, and what finance wants in the notes field.",
    spaceId,
    tags: "expenses",
    startsAtLocal: local(now, startsIn),
    endsAtLocal: local(now, endsIn),
    timeZone: "UTC",
    now: scheduledAt,
  });
  // Someone following it, told when it is cancelled.
  await follow(database.db, (await makePerson(database.db)).id, { type: "session", key: String(officeHoursId) });
  return officeHoursId;
}

/** The page at `path` as the server sends it to `who`: after posting `fields` when given, else as opened. */
async function page(who: { browser: Browser }, path: string, fields?: Record<string, string>) {
  const context = who.browser.context();
  const handler = createStaticHandler([
    {
      id: "routes/sessions.$id._index",
      path: "/sessions/:id",
      loader: (args) => sessionRoute.loader({ ...args, context }),
      action: (args) => sessionRoute.action({ ...args, context }),
      Component: sessionRoute.default,
      ErrorBoundary: sessionRoute.ErrorBoundary,
    },
    {
      id: "routes/sessions.$id.edit",
      path: "/sessions/:id/edit",
      loader: (args) => editRoute.loader({ ...args, context }),
      action: (args) => editRoute.action({ ...args, context }),
      Component: editRoute.default,
      ErrorBoundary: editRoute.ErrorBoundary,
    },
  ]);
  const request = fields
    ? who.browser.request(path, {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
    : who.browser.request(path);
  const result = await handler.query(request);
  if (result instanceof Response)
    return { status: result.status, location: result.headers.get("location"), text: "", forms: [] };
  const router = createStaticRouter(handler.dataRoutes, result);
  const html = renderToString(<StaticRouterProvider router={router} context={result} hydrate={false} />);
  const document = parseDocument(html);
  const forms = DomUtils.findAll((el) => el.name === "form", document.children).map((form) => ({
    method: form.attribs.method ?? "",
    action: form.attribs.action ?? "",
    intent:
      DomUtils.findOne((el) => el.name === "input" && el.attribs.name === "intent", form.children)?.attribs.value ?? "",
  }));
  return {
    status: result.statusCode,
    location: null,
    text: DomUtils.textContent(document).replace(/\s+/g, " "),
    forms,
  };
}

const confirmed = (intent: "end" | "cancel") => ({ intent, confirm: "yes" });

async function stored(id: number) {
  const [row] = await database.db
    .select({ cancelledAt: officeHours.cancelledAt, endsAt: officeHours.endsAt })
    .from(officeHours)
    .where(eq(officeHours.id, id));
  if (!row) throw new Error(`no session ${id}`);
  return row;
}

async function toldOfCancel(id: number) {
  const rows = await database.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.officeHoursId, id), eq(notifications.kind, "session_cancelled")));
  return rows.length;
}

test("“End the session now” from a page older than a moderator's cancel says who cancelled it and when, and does nothing", async () => {
  const id = await scheduleSession(-10, 50);
  const path = `/sessions/${id}`;
  expect((await page(host, path)).text).toContain("End the session now");
  // A moderator cancels it meanwhile, from the session's page.
  expect(await page(moderator, path, confirmed("cancel"))).toMatchObject({ status: 303, location: path });
  const { cancelledAt, endsAt } = await stored(id);
  if (!cancelledAt) throw new Error("not cancelled");
  expect(await toldOfCancel(id)).toBe(1);

  const refused = await page(host, path, confirmed("end"));
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(
    `This session was already cancelled by Moe Moderator (a moderator) at ${utcTimeText(cancelledAt)}, so it can't be ended.`,
  );
  // The page under it shows the session as it is now.
  expect(refused.text).toContain("This session was cancelled.");
  expect(await stored(id)).toEqual({ cancelledAt, endsAt });
  expect(await toldOfCancel(id)).toBe(1);
});

test("“Cancel this session” from an edit page left open after the host cancelled it in another tab says so, telling nobody again", async () => {
  const id = await scheduleSession(24 * 60, 25 * 60);
  const path = `/sessions/${id}`;
  const asked = await page(host, `${path}/edit?cancel=confirm`);
  // The edit page's confirmed cancel posts to the session's page.
  expect(asked.forms).toContainEqual({ method: "post", action: path, intent: "cancel" });
  expect(await page(host, path, confirmed("cancel"))).toMatchObject({ status: 303, location: path });
  const { cancelledAt } = await stored(id);
  if (!cancelledAt) throw new Error("not cancelled");

  const refused = await page(host, path, confirmed("cancel"));
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(
    `This session was already cancelled by you (in another tab or window) at ${utcTimeText(cancelledAt)}, so there was nothing left to cancel.`,
  );
  expect((await stored(id)).cancelledAt).toEqual(cancelledAt);
  expect(await toldOfCancel(id)).toBe(1);
});

test("a moderator's stale cancel names the host who cancelled it", async () => {
  const id = await scheduleSession(24 * 60, 25 * 60);
  const path = `/sessions/${id}`;
  await page(host, path, confirmed("cancel"));
  const { cancelledAt } = await stored(id);
  if (!cancelledAt) throw new Error("not cancelled");
  const refused = await page(moderator, path, confirmed("cancel"));
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(
    `This session was already cancelled by Hana Host (its host) at ${utcTimeText(cancelledAt)}, so there was nothing left to cancel.`,
  );
});

test("ending a session already ended in another tab says when it ended, and ends nothing again", async () => {
  const id = await scheduleSession(-10, 50);
  const path = `/sessions/${id}`;
  expect(await page(host, path, confirmed("end"))).toMatchObject({ status: 303, location: path });
  const { endsAt } = await stored(id);

  const refused = await page(host, path, confirmed("end"));
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(
    `This session already ended at ${utcTimeText(endsAt)}, so there was nothing left to end.`,
  );
  expect(refused.text).toContain("This session has ended");
  expect((await stored(id)).endsAt).toEqual(endsAt);
});

test("cancelling a session that ended at its time says it ended, and cancels nothing", async () => {
  const id = await scheduleSession(-120, -60);
  const path = `/sessions/${id}`;
  const { endsAt } = await stored(id);
  const refused = await page(host, path, confirmed("cancel"));
  expect(refused.status).toBe(409);
  expect(refused.text).toContain(`This session already ended at ${utcTimeText(endsAt)}, so it can't be cancelled now.`);
  expect(await stored(id)).toEqual({ cancelledAt: null, endsAt });
  expect(await toldOfCancel(id)).toBe(0);
});

test("a live session's confirmed end from the form on its page ends it; an unconfirmed post is asked first", async () => {
  const id = await scheduleSession(-10, 50);
  const path = `/sessions/${id}`;
  const asked = await page(host, `${path}/edit?end=confirm`);
  expect(asked.forms).toContainEqual({ method: "post", action: path, intent: "end" });
  expect(await page(host, path, { intent: "end" })).toMatchObject({
    status: 303,
    location: `${path}/edit?end=confirm#end-session`,
  });
  expect((await stored(id)).endsAt.getTime()).toBeGreaterThan(Date.now());
  expect(await page(host, path, confirmed("end"))).toMatchObject({ status: 303, location: path });
  expect((await stored(id)).endsAt.getTime()).toBeLessThanOrEqual(Date.now());
});

test("someone who isn't the host or a moderator can't stop the session from its page", async () => {
  const id = await scheduleSession(-10, 50);
  const path = `/sessions/${id}`;
  const other = await signedIn("Otto Other", "otto-stops@example.com", "mentor", "10.62.9.3");
  const refused = await page(other, path, confirmed("end"));
  expect(refused.status).toBe(403);
  expect(refused.text).toContain("Only the host (or a moderator) can change this session.");
  expect((await stored(id)).endsAt.getTime()).toBeGreaterThan(Date.now());
});

test("with JavaScript, the page loads again after a refused stop, whatever the router would do by default", async () => {
  const id = await scheduleSession(-120, -60);
  const refused = await sessionRoute.action({
    request: host.browser.request(`/sessions/${id}`, {
      method: "POST",
      body: new URLSearchParams(confirmed("end")).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    params: { id: String(id) },
    context: host.browser.context(),
  });
  const stopped = payload<object>(refused);
  expect(stopped.status).toBe(409);
  type Args = Parameters<typeof sessionRoute.shouldRevalidate>[0];
  const after = (actionResult: object, defaultShouldRevalidate: boolean) =>
    sessionRoute.shouldRevalidate({ actionStatus: 409, actionResult, defaultShouldRevalidate } as Args);
  expect(after(stopped.data, false)).toBe(true);
  expect(after({ intent: "ask", questionId: null, ok: false, message: "This session has ended." }, false)).toBe(false);
});
