/**
 * The review pages' forms sent from a tab opened before something changed. A moderator demoted in another tab is told
 * the role changed (not the bare "Not allowed" page), nothing is decided, and the note, picture address or reason they
 * typed comes back on the error page to copy. A "Lift silence" for a silence lifted meanwhile says who lifted it and
 * when, above the list (the member's row is gone), with the typed note kept. Real loaders and actions, real database.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { renderToString } from "react-dom/server";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import type { Database } from "#db/client.server";
import { flags, moderationLog, users } from "#db/schema";
import { flagContent } from "~/models/flags.server";
import { silenceUser } from "~/models/holds.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { liftSilenceFromReview } from "~/models/review-actions.server";
import { setUserRole } from "~/models/users.server";
import * as imagesRoute from "~/routes/review.images";
import * as reviewRoute from "~/routes/review._index";
import * as reopenRoute from "~/routes/review.reopen";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { dayDate } from "~/lib/time";

const dayOf = (at: string | undefined) => dayDate(at ?? 0);

let database: Database;
let adminId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  // The first sign-up becomes the admin: somebody else is first.
  adminId = (await makePerson(database.db, { role: "admin" })).id;
});
afterAll(() => database.close());

let people = 0;

/** A moderator signed up through the real form, in their own browser, and as the actor the model sees. */
async function signedInModerator(name: string) {
  people += 1;
  const email = `stale-review-${people}@example.com`;
  const browser = new Browser(testServices(database), `10.67.0.${people}`);
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

/** An admin makes them a member again, on the admin's users page (the change the words "no longer" rest on). */
const demote = (userId: string) => setUserRole(database.db, { userId, role: "member", by: adminId });

type Answer = {
  status: number;
  data: { message?: string; kept?: string; at?: string; values?: Record<string, string> };
};

/** What an action answered: the error page's data when it threw, else what it returned. */
async function sent(browser: Browser, action: Parameters<Browser["submit"]>[0], path: string, fields: object) {
  try {
    const answer = await browser.submit(action, path, fields as Record<string, string>);
    if (answer instanceof Response) return { status: answer.status, data: { message: await answer.text() } };
    return payload<Answer["data"]>(answer);
  } catch (thrown) {
    return payload<Answer["data"]>(thrown);
  }
}

/** The page a route shows when its action throws `thrown` (its error boundary), as the server renders it. */
async function errorPageOf(route: typeof reviewRoute, path: string, thrown: Answer) {
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
  const context = await handler.query(new Request(`http://forum.test${path}`, { method: "POST", body: "" }));
  if (context instanceof Response) throw new Error(`unexpected ${context.status} response`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return parseDocument(renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />));
}

test("a moderator demoted meanwhile who decides with a note is told the role changed, decides nothing and keeps the note", async () => {
  const { db } = database;
  const mo = await signedInModerator("Mo Derates");
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  await flagContent(db, {
    actor: await makePerson(db),
    targetType: "post",
    targetId: String(questionId),
    reason: "rude",
  });
  await demote(mo.actor.id);
  const note = "Rude words about the printer team; please keep it civil.";

  const refused = await sent(mo.browser, reviewRoute.action, "/review", {
    intent: "decide",
    targetType: "post",
    targetId: String(questionId),
    decision: "hide",
    note,
  });
  const message =
    "Only moderators and admins can use the review queue, and your account is no longer a moderator (it is a member account now), so nothing was decided. What you typed is below, to copy.";
  expect([refused.status, refused.data.message, refused.data.kept]).toEqual([403, message, `Your note:\n${note}`]);
  const waiting = await db
    .select({ status: flags.status })
    .from(flags)
    .where(eq(flags.targetId, String(questionId)));
  expect(waiting).toEqual([{ status: "pending" }]);
  expect(
    await db
      .select()
      .from(moderationLog)
      .where(eq(moderationLog.targetId, String(questionId))),
  ).toEqual([]);

  const page = await errorPageOf(reviewRoute, "/review", refused);
  expect(DomUtils.textContent(page)).toContain(message);
  const kept = DomUtils.findOne((el) => el.attribs.id === "kept-text", page.children);
  expect(kept && DomUtils.textContent(kept)).toContain(note);
  // Opened afresh, the queue is still not theirs.
  const reopened = await mo.browser.load(reviewRoute.loader, "/review");
  expect(reopened instanceof Response && reopened.status).toBe(403);
});

test("the reopen queue and the pictures page say the role changed too, the pictures page keeping the address and reason", async () => {
  const mo = await signedInModerator("Mo Reopens");
  await demote(mo.actor.id);
  const reopen = await sent(mo.browser, reopenRoute.action, "/review/reopen", { intent: "reopen", questionId: "1" });
  expect([reopen.status, reopen.data.message]).toEqual([
    403,
    "Only moderators and admins can reopen questions or keep them closed, and your account is no longer a moderator (it is a member account now), so nothing was decided.",
  ]);

  const picture = await sent(mo.browser, imagesRoute.action, "/review/images", {
    image: "/images/0123456789abcdef0123.webp",
    reason: "shows a password",
  });
  expect([picture.status, picture.data.message, picture.data.kept]).toEqual([
    403,
    "Only moderators and admins can take pictures down, and your account is no longer a moderator (it is a member account now), so the picture was not taken down. What you typed is below, to copy.",
    "Picture address:\n/images/0123456789abcdef0123.webp\n\nWhy:\nshows a password",
  ]);
});

test("lifting a silence someone lifted meanwhile says who lifted it and when, above the list, and keeps the note", async () => {
  const { db } = database;
  const mona = await signedInModerator("Mona Moderator");
  const omar = await signedInModerator("Omar Moderator");
  const sam = await makePerson(db, { name: "Sam Spammer" });
  await db.transaction((tx) => silenceUser(tx, { userId: sam.id, by: omar.actor.id, reason: "Spam links" }));
  // Mona's queue is open with Sam listed; Omar lifts the silence meanwhile.
  await liftSilenceFromReview(db, { actor: omar.actor, userId: sam.id, note: "Talked it through" });
  const note = "You can post again; please no more links to your shop.";

  const refused = await sent(mona.browser, reviewRoute.action, "/review", {
    intent: "liftSilence",
    userId: sam.id,
    note,
  });
  const message = "Omar Moderator already lifted the silence on Sam Spammer, so there was nothing to lift.";
  expect([refused.status, refused.data.message, refused.data.values?.note]).toEqual([409, message, note]);
  expect(refused.data.at).toEqual(expect.any(String));

  const html = (await renderRoute(mona.browser, reviewRoute, { path: "/review", actionData: refused.data })).replaceAll(
    "<!-- -->",
    "",
  );
  const page = parseDocument(html);
  const alerts = DomUtils.findAll((el) => el.attribs.role === "alert", page.children).map((el) =>
    DomUtils.textContent(el),
  );
  expect(alerts).toEqual([expect.stringContaining(`${message} (lifted `)]);
  expect(alerts[0]).toContain(`(lifted ${dayOf(refused.data.at)}) Your note was not sent:`);
  const kept = DomUtils.findOne((el) => el.attribs.id === "refused-lift-note", page.children);
  expect(kept && DomUtils.textContent(kept)).toBe(note);
  const time = DomUtils.findOne(
    (el) => el.name === "time",
    DomUtils.findAll((el) => el.attribs.role === "alert", page.children),
  );
  expect(time?.attribs.datetime).toBe(refused.data.at);

  // From Omar's own older tab, it says he lifted it himself.
  const again = await rejection(liftSilenceFromReview(db, { actor: omar.actor, userId: sam.id }));
  expect([again.status, again.message]).toEqual([
    409,
    "You already lifted the silence on Sam Spammer (in another tab or window), so there was nothing to lift.",
  ]);
});
