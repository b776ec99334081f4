/**
 * "Delete" pressed on a comment that went meanwhile (deleted in another tab, or by a moderator, or with its answer): the
 * refusal is said where the page still has a place for it. With JavaScript it is said beside the comment's delete
 * button, and the page is not loaded again (that would take the comment, and the message, away). Without JavaScript the
 * page comes back with it atop the comment's thread, or at the top of the page when the thread is gone too; a comment
 * the page still lists keeps its refusal beside it either way. The real action on the real database, and the real
 * loader's page.
 */
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { addComment, deleteComment } from "~/models/comments.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import type { SignedInActor } from "~/models/post-errors.server";
import * as questionRoute from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { type Browser, type TestServices, payload, testServices, signedUpAs } from "../../tests/fixtures/routes";

type Result = { intent: string; ok: boolean; postId: number | null; message?: string; hasNoPlaceOnPage?: boolean };

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // The first account made becomes the admin: the people signed in below are members unless a test says otherwise.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

let people = 0;

async function signedIn(name: string, role: SignedInActor["role"] = "member") {
  people += 1;
  const email = `comment-refusal-${people}@example.com`;
  return signedUpAs(services, { name, email, role, ip: `10.65.0.${people}` });
}

/** "Delete" on comment `commentId`, sent with JavaScript (a fetcher: js=1) or as a plain form (js=0). */
async function refusedDeletion(browser: Browser, questionId: number, commentId: number, js: "0" | "1") {
  const result = await browser.submit(
    questionRoute.action,
    `/q/${questionId}`,
    { intent: "deleteComment", commentId: String(commentId), js },
    { id: String(questionId) },
  );
  return payload<Result>(result).data;
}

/** Whether, with JavaScript, the page stays as it was after this answer from the action (not loaded again). */
function keepsPage(actionResult: Result): boolean {
  const url = new URL("http://forum.test/q/1");
  return !questionRoute.shouldRevalidate({
    currentUrl: url,
    nextUrl: url,
    currentParams: { id: "1" },
    nextParams: { id: "1" },
    formMethod: "POST",
    actionResult,
    actionStatus: 404,
    defaultShouldRevalidate: true,
  });
}

/** The page drawn after the refused plain form: its alerts, and whether the first comes before the question's title. */
async function pageAfter(browser: Browser, questionId: number, actionData: Result) {
  const html = await renderRoute(browser, questionRoute, {
    path: `/q/${questionId}`,
    pattern: "/q/:id",
    params: { id: String(questionId) },
    actionData,
  });
  const elements = DomUtils.findAll(() => true, parseDocument(html).children);
  const alerts = elements.filter((el) => el.attribs.role === "alert");
  const firstAlert = elements.findIndex((el) => el.attribs.role === "alert");
  return {
    alerts: alerts.map((el) => DomUtils.textContent(el)),
    isAtTop: firstAlert !== -1 && firstAlert < elements.findIndex((el) => el.attribs.id === "question-title"),
  };
}

const gone = "This comment doesn't exist or was already deleted.";

test("a comment a moderator deleted meanwhile: with JavaScript the page stays, so the refusal beside it stays", async () => {
  const { db } = database;
  const { browser: grace, actor } = await signedIn("Grace");
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const { commentId } = await addComment(db, { postId: questionId, actor, body: "Which firmware is the printer on?" });
  await deleteComment(db, { commentId, actor: await makePerson(db, { role: "moderator" }) });

  const withJs = await refusedDeletion(grace, questionId, commentId, "1");
  expect(withJs).toMatchObject({ ok: false, postId: questionId, message: gone, hasNoPlaceOnPage: true });
  expect(keepsPage(withJs)).toBe(true);

  // Without JavaScript the page comes back with the message once, atop the question's comments (not also at the top).
  const plain = await refusedDeletion(grace, questionId, commentId, "0");
  expect(plain).toMatchObject({ message: gone, hasNoPlaceOnPage: false });
  expect(await pageAfter(grace, questionId, plain)).toEqual({ alerts: [gone], isAtTop: false });
});

test("a comment whose answer was deleted meanwhile: the refusal is said at the top without JavaScript", async () => {
  const { db } = database;
  const { browser: hana, actor } = await signedIn("Hana");
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const answerer = await makePerson(db);
  const answerId = await makeAnswer(db, answerer, questionId);
  const { commentId } = await addComment(db, { postId: answerId, actor, body: "Does this work on a guest account?" });
  await deleteQuestionOrAnswer(db, { postId: answerId, actor: answerer });
  await deleteComment(db, { commentId, actor });

  const plain = await refusedDeletion(hana, questionId, commentId, "0");
  expect(plain).toMatchObject({ ok: false, postId: answerId, message: gone, hasNoPlaceOnPage: true });
  expect(await pageAfter(hana, questionId, plain)).toEqual({ alerts: [gone], isAtTop: true });
  expect(keepsPage(await refusedDeletion(hana, questionId, commentId, "1"))).toBe(true);
});

test("a refusal about a comment the page still lists is said beside it, and the page loads again as usual", async () => {
  const { db } = database;
  const { browser: ian } = await signedIn("Ian");
  const ann = await makePerson(db, { name: "Ann" });
  const questionId = await makeQuestion(db, ann, await makeSpace(db));
  const { commentId } = await addComment(db, { postId: questionId, actor: ann, body: "Is the cable in the hub?" });

  const withJs = await refusedDeletion(ian, questionId, commentId, "1");
  expect(withJs).toMatchObject({ message: "You can only delete your own comments.", hasNoPlaceOnPage: false });
  expect(keepsPage(withJs)).toBe(false);

  // A moderator's page lists deleted comments (marked): deleting one again is refused beside it.
  const { browser: mona } = await signedIn("Mona", "moderator");
  await deleteComment(db, { commentId, actor: ann });
  const again = await refusedDeletion(mona, questionId, commentId, "1");
  expect(again).toMatchObject({ message: gone, hasNoPlaceOnPage: false });
  expect(keepsPage(again)).toBe(false);
});
