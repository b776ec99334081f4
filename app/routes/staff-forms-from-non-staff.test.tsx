/**
 * Staff forms (the review queue's decisions, reopen votes, picture take-downs, glossary terms) sent by someone whose
 * account doesn't allow them. A member or mentor who never had a staff role (a form made by hand) is told what their
 * account is, not that it is "no longer" a moderator; a moderator an admin demoted is still told it no longer is.
 * Nothing is done either way, and the typed text is handed back as before. Real actions, real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { flags, glossaryTerms, users } from "#db/schema";
import { flagContent } from "~/models/flags.server";
import { setUserRole } from "~/models/users.server";
import * as glossaryNewRoute from "~/routes/glossary.new";
import * as imagesRoute from "~/routes/review.images";
import * as reviewRoute from "~/routes/review._index";
import * as reopenRoute from "~/routes/review.reopen";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
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

/** Someone signed up through the real form, in their own browser, with the role their account was made with. */
async function signedIn(name: string, role: "member" | "mentor") {
  people += 1;
  const email = `non-staff-${people}@example.com`;
  const browser = new Browser(testServices(database), `10.68.0.${people}`);
  await signUp(browser, { name, email, password: `${name} keeps a tidy desk` });
  const [me] = await database.db
    .update(users)
    .set({ role, emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  if (!me) throw new Error("not signed up");
  return { browser, userId: me.id };
}

type Answer = { status: number; data: { message?: string; kept?: string } };

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

const note = "Spam: links to a shop selling printer ink.";

/** A flagged question and the review queue's "Hide" form for it, as a moderator's page would send it. */
async function hideForm() {
  const { db } = database;
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  await flagContent(db, {
    actor: await makePerson(db),
    targetType: "post",
    targetId: String(questionId),
    reason: "spam",
  });
  return {
    questionId,
    fields: { intent: "decide", targetType: "post", targetId: String(questionId), decision: "hide", note },
  };
}

const glossaryForm = (term: string) => ({
  intent: "save",
  term,
  expansion: "",
  explanation: "A computer that fetches web pages for you, so the company can filter what comes in.",
  synonyms: "",
});

test("a member who was never staff and sends the review queue's form is told their account is a member account", async () => {
  const { db } = database;
  const { browser } = await signedIn("Max Member", "member");
  const { questionId, fields } = await hideForm();

  const refused = await sent(browser, reviewRoute.action, "/review", fields);
  expect([refused.status, refused.data.message, refused.data.kept]).toEqual([
    403,
    "Only moderators and admins can use the review queue, and your account is a member account, so nothing was decided. What you typed is below, to copy.",
    `Your note:\n${note}`,
  ]);
  expect(refused.data.message).not.toMatch(/no longer/);
  const waiting = await db
    .select({ status: flags.status })
    .from(flags)
    .where(eq(flags.targetId, String(questionId)));
  expect(waiting).toEqual([{ status: "pending" }]);
});

test("a member's reopen, picture take-down and glossary forms say the same, and a mentor's review form names a mentor account", async () => {
  const { db } = database;
  const { browser } = await signedIn("Mia Member", "member");

  const reopen = await sent(browser, reopenRoute.action, "/review/reopen", { intent: "reopen", questionId: "1" });
  expect([reopen.status, reopen.data.message]).toEqual([
    403,
    "Only moderators and admins can reopen questions or keep them closed, and your account is a member account, so nothing was decided.",
  ]);

  const picture = await sent(browser, imagesRoute.action, "/review/images", {
    image: "/images/0123456789abcdef0123.webp",
    reason: "shows a password",
  });
  expect([picture.status, picture.data.message, picture.data.kept]).toEqual([
    403,
    "Only moderators and admins can take pictures down, and your account is a member account, so the picture was not taken down. What you typed is below, to copy.",
    "Picture address:\n/images/0123456789abcdef0123.webp\n\nWhy:\nshows a password",
  ]);

  const term = await sent(browser, glossaryNewRoute.action, "/glossary/new", glossaryForm("Forward proxy"));
  expect([term.status, term.data.message]).toEqual([
    403,
    "Only mentors, moderators and admins can edit the glossary, and your account is a member account, so this wasn't saved. What you typed is below, to copy.",
  ]);
  expect(term.data.kept).toContain("Term:\nForward proxy");
  expect(await db.select().from(glossaryTerms).where(eq(glossaryTerms.term, "Forward proxy"))).toEqual([]);

  const mentor = await signedIn("Meg Mentor", "mentor");
  const { fields } = await hideForm();
  const decided = await sent(mentor.browser, reviewRoute.action, "/review", fields);
  expect([decided.status, decided.data.message]).toEqual([
    403,
    "Only moderators and admins can use the review queue, and your account is a mentor account, so nothing was decided. What you typed is below, to copy.",
  ]);
});

test("a moderator an admin demoted is still told their account is no longer a moderator, with the note kept", async () => {
  const { db } = database;
  const { browser, userId } = await signedIn("Mo Derates", "member");
  // An admin made them a moderator, and later a member again (on the admin's users page).
  await setUserRole(db, { userId, role: "moderator", by: adminId });
  await setUserRole(db, { userId, role: "member", by: adminId });
  const { questionId, fields } = await hideForm();

  const refused = await sent(browser, reviewRoute.action, "/review", fields);
  expect([refused.status, refused.data.message, refused.data.kept]).toEqual([
    403,
    "Only moderators and admins can use the review queue, and your account is no longer a moderator (it is a member account now), so nothing was decided. What you typed is below, to copy.",
    `Your note:\n${note}`,
  ]);
  const waiting = await db
    .select({ status: flags.status })
    .from(flags)
    .where(eq(flags.targetId, String(questionId)));
  expect(waiting).toEqual([{ status: "pending" }]);

  // The glossary names the role they had, not the lowest one that may keep it.
  const term = await sent(browser, glossaryNewRoute.action, "/glossary/new", glossaryForm("Reverse proxy"));
  expect([term.status, term.data.message]).toEqual([
    403,
    "Only mentors, moderators and admins can edit the glossary, and your account is no longer a moderator (it is a member account now), so this wasn't saved. What you typed is below, to copy.",
  ]);
});
