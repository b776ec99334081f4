/**
 * "My impact" labels each of its 12 weeks (the 7 days to now, to this time a week ago, …) with the days it covers, as
 * /pulse does: an answer accepted today is counted under a label that ends today, in the charts and in "Show the
 * numbers". Through the real loader on the real database, and the page rendered from what it returned.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import MyImpact, { loader } from "~/routes/me.impact";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson, makeSpace, makeUser } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { BASE, Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { acceptAnswer } from "./answers.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  // The site's very first account becomes its admin; this helper is a member.
  await makeUser(database.db, { email: "first-admin@example.com", role: "admin" });
});
afterAll(() => database.close());

type Week = { start: string; end: string; accepted: number; label: string };

/** "Dec 7" for the UTC day of an instant, written out by hand from its parts. */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const dayOf = (date: Date) => `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;

/** The page's HTML as the route's component renders it from `loaderData`. */
async function renderPage(loaderData: object): Promise<string> {
  const routes = [{ id: "page", path: "/me/impact", loader: () => loaderData, Component: MyImpact }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`${BASE}/me/impact`));
  if (context instanceof Response) throw new Error(`expected a page, got ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

test("an answer accepted today is counted in a week whose label runs from its first day to today", async () => {
  const { db } = database;
  const browser = new Browser(testServices(database), "10.57.0.1");
  await signUp(browser, { name: "Hana Helper", email: "hana@example.com", password: "hana answers the vpn questions" });
  const [hana] = await db.select({ id: users.id }).from(users).where(eq(users.email, "hana@example.com"));
  if (!hana) throw new Error("no user");
  await db.update(users).set({ createdAt: ESTABLISHED_SINCE }).where(eq(users.id, hana.id));
  const asker = await makePerson(db, { name: "Asking Ada" });
  const question = await makeQuestion(db, asker, await makeSpace(db));
  const answer = await makeAnswer(db, { id: hana.id, role: "member", banned: false }, question);
  await acceptAnswer(db, { answerId: answer, actor: asker });

  const loaded = payload<{ impact: { weeks: Week[] } }>(await browser.load(loader, "/me/impact")).data;
  const weeks = loaded.impact.weeks;
  expect(weeks).toHaveLength(12);
  const thisWeek = weeks.at(-1);
  if (!thisWeek) throw new Error("no weeks");
  expect(thisWeek.accepted).toBe(1);
  // The 7 days to now touch 8 dates (30 Nov 05:14 to 7 Dec 05:14 is "Nov 30 – Dec 7", or "Dec 1 – 8" in one month).
  const [from, to] = [new Date(thisWeek.start), new Date(thisWeek.end)];
  const sameMonth = from.getUTCMonth() === to.getUTCMonth();
  const expected = `${dayOf(from)} – ${sameMonth ? to.getUTCDate() : dayOf(to)}`;
  expect(thisWeek.label.replace(/\s/g, " ")).toBe(expected);
  // Every week is labelled with a range, each starting on the day the one before it ended.
  for (const [i, week] of weeks.entries()) {
    expect(week.label.replace(/\s/g, " ")).toMatch(/^[A-Z][a-z]{2} \d{1,2} – ([A-Z][a-z]{2} )?\d{1,2}$/);
    const before = weeks[i - 1];
    if (before) expect(week.label.startsWith(dayOf(new Date(before.end)))).toBe(true);
  }

  // The charts' "Show the numbers" tables list the weeks by those labels.
  const document = parseDocument(await renderPage(loaded));
  const rowHeaders = DomUtils.findAll((el) => el.name === "th" && el.attribs.scope === "row", document.children);
  const accepted = rowHeaders.map((th) => DomUtils.textContent(th)).filter((text) => text === thisWeek.label);
  expect(accepted).toHaveLength(3);
});
