/**
 * "Did this help?" answered without a comment, from a how-to page opened before the how-to left every page: the
 * refusal says whether it was hidden (in words a member may read: not the ban) or deleted, and that the rating wasn't
 * saved, with or without JavaScript, never "removed". The how-to's page and its history, opened afresh, say hidden too
 * (staff still see the history). The real action and loaders, on the real database.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { howtoFeedback, users } from "#db/schema";
import { holdContent } from "~/models/holds.server";
import { deleteHowto } from "~/models/howto-writing.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { banUser } from "~/models/users.server";
import * as howtoRoute from "~/routes/howtos.$id._index";
import * as revisionsRoute from "~/routes/howtos.$id.revisions";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  adminId = (await makePerson(database.db, { role: "admin" })).id;
});
afterAll(() => database.close());

let people = 0;

/** Someone signed up through the real form, in their own browser, with a role. */
async function signedIn(role: "member" | "moderator"): Promise<{ browser: Browser; actor: SignedInActor }> {
  people += 1;
  const email = `rating-${people}@example.com`;
  const browser = new Browser(services, `10.62.9.${people}`);
  await signUp(browser, { name: `Reader ${people}`, email, password: "reads every how-to twice" });
  const [user] = await database.db
    .update(users)
    .set({ role, emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!user) throw new Error("not signed up");
  return { browser, actor: { id: user.id, role, banned: false } };
}

type Answered = { status: number; message: string };

/** What the action answered: its data's message, or the text of the error page's response it threw. */
async function answered(result: unknown): Promise<Answered> {
  if (result instanceof Response) return { status: result.status, message: await result.text() };
  const { status, data } = payload<{ message?: string }>(result);
  return { status, message: data.message ?? "" };
}

const rate = (browser: Browser, howtoId: number, fields: Record<string, string>) =>
  browser.submit(howtoRoute.action, `/howtos/${howtoId}`, fields, { id: String(howtoId) });

async function howtoOfBannedAuthor() {
  const { db } = database;
  const author = await makePerson(db, { name: "Sam Spammer" });
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  await banUser(db, { userId: author.id, reason: "Phishing links", by: adminId });
  return howtoId;
}

/** The how-to page's error page for a response its action threw, as the server renders it. */
async function errorPageText(path: string, thrown: Answered) {
  const handler = createStaticHandler([
    {
      id: "routes/page",
      path,
      loader: () => null,
      action: () => {
        throw new Response(thrown.message, { status: thrown.status });
      },
      Component: howtoRoute.default,
      ErrorBoundary: howtoRoute.ErrorBoundary,
    },
  ]);
  const context = await handler.query(new Request(`http://forum.test${path}`, { method: "POST", body: "" }));
  if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return DomUtils.textContent(parseDocument(html.replaceAll("<!-- -->", "")));
}

test("without JavaScript, a bare rating on a how-to hidden by its author's ban says the moderators hid it and the rating wasn't saved", async () => {
  const reader = await signedIn("member");
  const howtoId = await howtoOfBannedAuthor();

  const refused = await answered(
    await rate(reader.browser, howtoId, { intent: "feedback", answer: "yes", comment: "" }),
  );
  const words = "This how-to was hidden by the moderators, so your rating wasn't saved.";
  expect(refused).toEqual({ status: 404, message: words });
  expect(refused.message).not.toMatch(/removed|banned/);
  expect(await errorPageText(`/howtos/${howtoId}`, refused)).toContain(words);
  expect(await database.db.select().from(howtoFeedback).where(eq(howtoFeedback.postId, howtoId))).toEqual([]);

  // Opened afresh, the page and its history say it was hidden, not removed.
  const page = await reader.browser.load(howtoRoute.loader, `/howtos/${howtoId}`, { id: String(howtoId) });
  expect(page instanceof Response && [page.status, await page.text()]).toEqual([
    404,
    "This how-to was hidden by the moderators.",
  ]);
  const history = await reader.browser.load(revisionsRoute.loader, `/howtos/${howtoId}/revisions`, {
    id: String(howtoId),
  });
  expect(history instanceof Response && [history.status, await history.text()]).toEqual([
    404,
    "This how-to was hidden by the moderators.",
  ]);
});

test("with JavaScript, a bare rating on a how-to held for review says so in the form, and staff still see its history", async () => {
  const { db } = database;
  const reader = await signedIn("member");
  const author = await makePerson(db);
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  await holdContent(db, {
    ref: { type: "post", id: String(howtoId) },
    authorId: author.id,
    reason: "flags",
    message: "Flagged by members",
  });

  const refused = await answered(
    await rate(reader.browser, howtoId, { intent: "feedback", answer: "no", comment: "  ", js: "1" }),
  );
  expect(refused).toEqual({
    status: 404,
    message: "This how-to was hidden for a moderator's review, so your rating wasn't saved.",
  });

  const history = await reader.browser.load(revisionsRoute.loader, `/howtos/${howtoId}/revisions`, {
    id: String(howtoId),
  });
  expect(history instanceof Response && [history.status, await history.text()]).toEqual([
    404,
    "This how-to was hidden for a moderator's review.",
  ]);
  const moderator = await signedIn("moderator");
  const staffHistory = await moderator.browser.load(revisionsRoute.loader, `/howtos/${howtoId}/revisions`, {
    id: String(howtoId),
  });
  expect(payload<{ howto: { id: number } }>(staffHistory).data.howto.id).toBe(howtoId);
});

test("a bare rating on a how-to its author deleted says it was deleted, and its history still says removed", async () => {
  const { db } = database;
  const reader = await signedIn("member");
  const author = await makePerson(db);
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  await deleteHowto(db, { howtoId, actor: author });

  const refused = await answered(
    await rate(reader.browser, howtoId, { intent: "feedback", answer: "yes", comment: "" }),
  );
  expect(refused).toEqual({ status: 404, message: "This how-to was deleted, so your rating wasn't saved." });

  const history = await reader.browser.load(revisionsRoute.loader, `/howtos/${howtoId}/revisions`, {
    id: String(howtoId),
  });
  expect(history instanceof Response && [history.status, await history.text()]).toEqual([
    404,
    "This how-to was removed.",
  ]);
});

test("feedback sent to a how-to address that never existed says there is none, not that it went while being written", async () => {
  const reader = await signedIn("member");
  const madeUp = 987_654;
  const bare = await answered(await rate(reader.browser, madeUp, { intent: "feedback", answer: "no", comment: "" }));
  expect(bare).toEqual({ status: 404, message: "There is no how-to at this address, so your rating wasn't saved." });
  const comment = "The screenshots show an older version of the expenses form.";
  const withComment = payload<{ message: string; kept: string }>(
    // Without JavaScript the comment comes back on the error page (thrown, as the loader's page can't show it).
    await rate(reader.browser, madeUp, { intent: "feedback", answer: "no", comment }).catch((error: unknown) => error),
  );
  expect(withComment.status).toBe(404);
  expect(withComment.data.message).toBe(
    "There is no how-to at this address, so your comment could not be sent. What you typed is below, to copy.",
  );
  expect(withComment.data.kept).toBe(comment);
});
