/**
 * With JavaScript, a refused form leaves the review page as it was (no reload after a refusal), so a "Lift silence"
 * for a silence another moderator lifted meanwhile is answered in the member's row, still on screen. The row says the
 * same as the page without JavaScript does above the list: who lifted it, and when (a <time> the browser turns into
 * an age). The real loader (the page as it was opened) and action, on the real database.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { silenceUser } from "~/models/holds.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { liftSilenceFromReview } from "~/models/review-actions.server";
import * as reviewRoute from "~/routes/review._index";
import { dayDate } from "~/lib/time";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson } from "../../tests/fixtures/people";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first sign-up becomes the admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

let people = 0;

async function signedInModerator(name: string) {
  people += 1;
  const email = `lift-row-${people}@example.com`;
  const browser = new Browser(testServices(database), `10.69.0.${people}`);
  await signUp(browser, { name, email, password: `${name} reads every flag` });
  const [me] = await database.db
    .update(users)
    .set({ role: "moderator", emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!me) throw new Error("moderator not created");
  const actor: SignedInActor = { id: me.id, role: "moderator", banned: false };
  return { browser, actor };
}

/** The page as it was loaded (`loaded`), with an action's answer, as React renders it (hydrated or not, the same). */
function pageWith(loaded: object, actionData: object) {
  const handler = createStaticHandler([
    {
      id: "routes/page",
      path: "/review",
      loader: () => loaded,
      action: () => actionData,
      Component: reviewRoute.default,
    },
  ]);
  return handler.query(new Request("http://forum.test/review", { method: "POST", body: "" })).then((context) => {
    if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
    const router = createStaticRouter(handler.dataRoutes, context);
    const html = renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
    return parseDocument(html.replaceAll("<!-- -->", ""));
  });
}

test("a stale Lift silence whose row is still on screen says in the row who lifted it and when", async () => {
  const { db } = database;
  const mona = await signedInModerator("Mona Moderator");
  const omar = await signedInModerator("Omar Moderator");
  const sam = await makePerson(db, { name: "Sam Spammer" });
  await db.transaction((tx) => silenceUser(tx, { userId: sam.id, by: omar.actor.id, reason: "Spam links" }));
  // Mona opens the queue with Sam listed; Omar lifts the silence meanwhile; Mona presses "Lift silence".
  const opened: object = JSON.parse(
    JSON.stringify(payload<unknown>(await mona.browser.load(reviewRoute.loader, "/review")).data),
  );
  await liftSilenceFromReview(db, { actor: omar.actor, userId: sam.id, note: "Talked it through" });
  const note = "You can post again; please no more links to your shop.";
  const answer = payload<{ message: string; at?: string }>(
    await mona.browser.submit(reviewRoute.action, "/review", { intent: "liftSilence", userId: sam.id, note }),
  );
  expect(answer.status).toBe(409);
  const message = "Omar Moderator already lifted the silence on Sam Spammer, so there was nothing to lift.";
  expect(answer.data.message).toBe(message);

  const page = await pageWith(opened, answer.data);
  const row = DomUtils.findOne(
    (el) => el.name === "li" && el.attribs["aria-labelledby"] === `silenced-${sam.id}`,
    page.children,
  );
  if (!row) throw new Error("Sam's row is not on the page");
  const alerts = DomUtils.findAll((el) => el.attribs.role === "alert", [row]);
  expect(alerts.map((el) => DomUtils.textContent(el))).toEqual([`${message} (lifted ${dayDate(answer.data.at ?? 0)})`]);
  const time = DomUtils.findOne((el) => el.name === "time", alerts);
  expect(time?.attribs.datetime).toBe(answer.data.at);
  // Said once, in the row: not again above the list. The note stays in the row's field.
  expect(DomUtils.findAll((el) => el.attribs.role === "alert", page.children)).toHaveLength(1);
  const field = DomUtils.findOne((el) => el.name === "input" && el.attribs.name === "note", [row]);
  expect(field?.attribs.value).toBe(note);
});
