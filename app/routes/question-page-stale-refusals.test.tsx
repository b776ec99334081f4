/**
 * A question page left open while the question changed, then used without JavaScript: an answer sent after its space was
 * archived (or the account stopped being allowed to answer) says why and hands the text back; an accept, thanks or vote
 * on an answer deleted meanwhile, a move by someone no longer a moderator, and "unaccept" on an answer deleted (or no
 * longer accepted) meanwhile are said once at the top of the page, whose card or form for them is gone. The pages are
 * rendered from the real loader and action on the real database, as a browser without JavaScript gets them.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { posts, spaces, users } from "#db/schema";
import { acceptAnswer } from "~/models/answers.server";
import { newIdempotencyKey } from "~/models/idempotency.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import * as questionRoute from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { type Browser, type TestServices, payload, testServices, signedUpAs } from "../../tests/fixtures/routes";

type Result = {
  intent: string;
  ok: boolean;
  message?: string;
  values?: Record<string, string>;
  hasNoPlaceOnPage?: boolean;
};

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // The first account made becomes the admin: the people below are members unless a test says otherwise.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

let people = 0;

/** Someone signed up through the real form, with a confirmed address, in their own browser. */
async function signedIn(name: string, role: SignedInActor["role"] = "member") {
  people += 1;
  return signedUpAs(services, { name, email: `stale-${people}@example.com`, role, ip: `10.63.0.${people}` });
}

/** Sent as a browser without JavaScript sends it, or with `js: "1"` as a fetcher does. */
async function post(browser: Browser, questionId: number, fields: Record<string, string>) {
  return browser.submit(questionRoute.action, `/q/${questionId}`, fields, { id: String(questionId) });
}

async function refused(browser: Browser, questionId: number, fields: Record<string, string>) {
  const result = await post(browser, questionId, fields);
  if (result instanceof Response) throw new Error(`expected a refusal, got a ${result.status} response`);
  return payload<Result>(result);
}

/** The page drawn after the refused post, as HTML. */
function pageAfter(browser: Browser, questionId: number, actionData: Result) {
  return renderRoute(browser, questionRoute, {
    path: `/q/${questionId}`,
    pattern: "/q/:id",
    params: { id: String(questionId) },
    actionData,
  });
}

/** The page's words, as a reader sees them. */
function textOf(html: string): string {
  return DomUtils.textContent(parseDocument(html));
}

/** Whether, with JavaScript, the page stays as it was after this answer from the action (not loaded again). */
function keepsPage(actionResult: Result): boolean {
  const url = new URL("http://forum.test/q/1");
  const revalidate = questionRoute.shouldRevalidate({
    currentUrl: url,
    nextUrl: url,
    currentParams: { id: "1" },
    nextParams: { id: "1" },
    formMethod: "POST",
    actionResult,
    actionStatus: 409,
    defaultShouldRevalidate: true,
  });
  return !revalidate;
}

function alertsOf(html: string): string[] {
  return DomUtils.findAll((el) => el.attribs.role === "alert", parseDocument(html).children).map((el) =>
    DomUtils.textContent(el),
  );
}

/** The text of the read-only box that hands typed text back, by its id. */
function keptText(html: string, id: string): string | null {
  const box = DomUtils.findOne((el) => el.attribs.id === id, parseDocument(html).children);
  return box ? DomUtils.textContent(box) : null;
}

/** Whether the page's alert comes before the question's title (at the top of the page). */
function isAlertAboveTitle(html: string): boolean {
  const elements = DomUtils.findAll(() => true, parseDocument(html).children);
  const alert = elements.findIndex((el) => el.attribs.role === "alert");
  return alert !== -1 && alert < elements.findIndex((el) => el.attribs.id === "question-title");
}

const typedAnswer = "Restart the VPN client after the Wi-Fi reconnects; the tunnel keeps the old address otherwise.";

describe("an answer whose form is no longer drawn", () => {
  test("sent after an admin archived the space, says why and hands the typed answer back to copy", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, asker, spaceId);
    const { browser: bea } = await signedIn("Bea");
    await db.update(spaces).set({ archivedAt: new Date() }).where(eq(spaces.id, spaceId));

    const answer = { intent: "answer", idempotencyKey: newIdempotencyKey(), body: typedAnswer };
    const { status, data } = await refused(bea, questionId, answer);
    expect(status).toBe(403);
    expect(data.message).toMatch(/archived/);

    const html = await pageAfter(bea, questionId, data);
    expect(textOf(html)).toContain("This space is archived, so it takes no new answers.");
    expect(alertsOf(html)).toEqual([data.message]);
    expect(keptText(html, "unposted-answer")).toBe(typedAnswer);
  });

  test("sent by an account that can't answer any more, says why and hands the typed answer back", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const { browser: cal, actor } = await signedIn("Cal");
    // Suspended while the page was open (the session not yet ended).
    await db.update(users).set({ banned: true }).where(eq(users.id, actor.id));

    const answer = { intent: "answer", idempotencyKey: newIdempotencyKey(), body: typedAnswer };
    const { status, data } = await refused(cal, questionId, answer);
    expect(status).toBe(403);
    expect(data.message).toMatch(/suspended/);

    const html = await pageAfter(cal, questionId, data);
    expect(textOf(html)).toContain("Your account can't post answers right now.");
    expect(alertsOf(html)).toEqual([data.message]);
    expect(keptText(html, "unposted-answer")).toBe(typedAnswer);
    expect(await db.select().from(posts).where(eq(posts.parentId, questionId))).toEqual([]);
  });
});

describe("a refusal whose card or form is gone from the page", () => {
  test("accepting, thanking or voting on an answer a moderator deleted meanwhile says so at the top", async () => {
    const { db } = database;
    const { browser: tom, actor: asker } = await signedIn("Tom");
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const helper = await makePerson(db, { name: "Helga" });
    const answerId = await makeAnswer(db, helper, questionId);
    const moderator = await makePerson(db, { role: "moderator" });
    await deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "Spam link" });

    for (const fields of [
      { intent: "accept", postId: String(answerId), js: "0" },
      { intent: "thank", postId: String(answerId), js: "0" },
      { intent: "vote", postId: String(answerId), direction: "up", js: "0" },
    ] as Record<string, string>[]) {
      const { status, data } = await refused(tom, questionId, fields);
      expect(status, fields.intent).toBeGreaterThanOrEqual(400);
      expect(data.message, fields.intent).toMatch(/deleted|no longer exists/);
      const html = await pageAfter(tom, questionId, data);
      expect(alertsOf(html), fields.intent).toEqual([data.message]);
      expect(isAlertAboveTitle(html), fields.intent).toBe(true);
    }
    // With JavaScript the page is not loaded again, so the answer's card stays and says it beside the button.
    const { data } = await refused(tom, questionId, { intent: "accept", postId: String(answerId), js: "1" });
    expect(keepsPage(data)).toBe(true);
  });

  test("moving a question after being demoted from moderator in another tab says why at the top", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const otherSpace = await makeSpace(db);
    const { browser: mo, actor } = await signedIn("Mo", "moderator");
    await db.update(users).set({ role: "member" }).where(eq(users.id, actor.id));

    const { status, data } = await refused(mo, questionId, { intent: "move", spaceId: String(otherSpace) });
    expect(status).toBe(403);
    expect(data.message).toBe("Only moderators can move questions between spaces.");
    const html = await pageAfter(mo, questionId, data);
    expect(html).not.toContain("Move to another space");
    expect(alertsOf(html)).toEqual([data.message]);
    expect(isAlertAboveTitle(html)).toBe(true);
  });

  test("a refusal beside a card still on the page is said there only", async () => {
    const { db } = database;
    const { browser: tom, actor: asker } = await signedIn("Tim");
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    // His own question: voting on it is refused, beside the question's vote buttons.
    const { data } = await refused(tom, questionId, { intent: "vote", postId: String(questionId), direction: "up" });
    expect(data.ok).toBe(false);
    const html = await pageAfter(tom, questionId, data);
    expect(alertsOf(html)).toEqual([data.message]);
    expect(isAlertAboveTitle(html)).toBe(false);
    // With JavaScript the page loads again after it, as after any other answer from the action.
    expect(keepsPage(data)).toBe(false);
  });
});

describe("unaccept from a page older than the accepted answer's deletion", () => {
  test("says the answer was deleted by its author and that no answer is accepted now", async () => {
    const { db } = database;
    const { browser: tom, actor: asker } = await signedIn("Tara");
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const helper = await makePerson(db, { name: "Hal" });
    const answerId = await makeAnswer(db, helper, questionId);
    await acceptAnswer(db, { answerId, actor: asker });
    await deleteQuestionOrAnswer(db, { postId: answerId, actor: helper });

    const { status, data } = await refused(tom, questionId, { intent: "unaccept", postId: String(answerId), js: "0" });
    expect(status).toBe(409);
    expect(data.message).toBe(
      "This answer was deleted by its author, so it is no longer accepted. No answer is accepted on this question now.",
    );
    const html = await pageAfter(tom, questionId, data);
    expect(alertsOf(html)).toEqual([data.message]);
    expect(isAlertAboveTitle(html)).toBe(true);
  });

  test("leaves another answer accepted since as it is, and says so", async () => {
    const { db } = database;
    const { browser: tom, actor: asker } = await signedIn("Theo");
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const first = await makeAnswer(db, await makePerson(db), questionId);
    const second = await makeAnswer(db, await makePerson(db), questionId);
    await acceptAnswer(db, { answerId: first, actor: asker });
    await acceptAnswer(db, { answerId: second, actor: asker });

    const { status, data } = await refused(tom, questionId, { intent: "unaccept", postId: String(first), js: "0" });
    expect(status).toBe(409);
    expect(data.message).toBe(
      "This answer is no longer the accepted one, so nothing was changed. Another answer is accepted now.",
    );
    const [question] = await db.select().from(posts).where(eq(posts.id, questionId));
    expect(question?.acceptedAnswerId).toBe(second);
    const html = await pageAfter(tom, questionId, data);
    expect(alertsOf(html)).toEqual([data.message]);
  });
});
