/**
 * Rating the help from a page older than the accepted answer's deletion (its author deleted it, which takes the mark
 * away): the feedback page and the question page's card say that the answer you accepted was deleted, so there is
 * nothing to rate now, and hand the typed comment back; nothing is saved. Real loaders and actions, real database.
 */
import { eq } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Database } from "#db/client.server";
import { helpRatings, users } from "#db/schema";
import { acceptAnswer, unacceptAnswer } from "~/models/answers.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import { action as questionPageAction } from "~/routes/q.$id.($slug)";
import * as feedbackRoute from "~/routes/q.$id.feedback";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { renderRoute } from "../../tests/fixtures/render-route";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let tom: Browser;
let asker: SignedInActor;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await makePerson(db, { role: "admin" });
  tom = new Browser(testServices(database), "10.64.0.5");
  await signUp(tom, { name: "Tom Asks", email: "tom-rates@example.com", password: "tom rates the help he got" });
  // Confirmed and a member for years, as an asker who may rate is.
  const [user] = await db
    .update(users)
    .set({ emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "tom-rates@example.com"))
    .returning({ id: users.id });
  if (!user) throw new Error("asker not created");
  asker = { id: user.id, role: "member", banned: false, emailVerified: true };
});
afterAll(() => database.close());

const typed = "Thanks, the second step was what I had missed.";
const deletedMessage =
  "The answer you accepted was deleted by its author, so there is nothing to rate now. Accept another answer to rate the help.";

/** A question of Tom's whose accepted answer its author then deleted. */
async function questionWithDeletedAcceptedAnswer(): Promise<number> {
  const { db } = database;
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const helper = await makePerson(db, { name: "Hana Helps" });
  const answerId = await makeAnswer(db, helper, questionId);
  await acceptAnswer(db, { answerId, actor: asker });
  await deleteQuestionOrAnswer(db, { postId: answerId, actor: helper });
  return questionId;
}

async function ratingsOf(questionId: number) {
  return database.db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId));
}

test("the feedback page says the accepted answer was deleted, and keeps the comment to copy", async () => {
  const questionId = await questionWithDeletedAcceptedAnswer();
  const path = `/q/${questionId}/feedback?accepted=1`;
  const params = { id: String(questionId) };
  const refused = payload<{ message: string; values: Record<string, string> }>(
    await tom.submit(feedbackRoute.action, path, { rating: "5", comment: typed }, params),
  );
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe(deletedMessage);
  expect(refused.data.values.comment).toBe(typed);
  expect(await ratingsOf(questionId)).toEqual([]);

  const html = await renderRoute(tom, feedbackRoute, {
    path,
    pattern: "/q/:id/feedback",
    params,
    actionData: refused.data,
  });
  const document = parseDocument(html);
  const alerts = DomUtils.findAll((el) => el.attribs.role === "alert", document.children).map((el) =>
    DomUtils.textContent(el),
  );
  expect(alerts).toEqual([deletedMessage]);
  const kept = DomUtils.findOne((el) => el.attribs.id === "unsaved-rating-comment", document.children);
  expect(kept && DomUtils.textContent(kept)).toBe(typed);
});

test("the question page's card (with JavaScript) says the same", async () => {
  const questionId = await questionWithDeletedAcceptedAnswer();
  const refused = payload<{ ok: boolean; message: string; values: Record<string, string> }>(
    await tom.submit(
      questionPageAction,
      `/q/${questionId}`,
      { intent: "rate", js: "1", rating: "4" },
      { id: String(questionId) },
    ),
  );
  expect(refused.status).toBe(409);
  expect(refused.data).toMatchObject({ ok: false, message: deletedMessage });
  expect(await ratingsOf(questionId)).toEqual([]);
});

test("an accepted answer taken back (not deleted) still gets the general rule", async () => {
  const { db } = database;
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const answerId = await makeAnswer(db, await makePerson(db), questionId);
  await acceptAnswer(db, { answerId, actor: asker });
  await unacceptAnswer(db, { questionId, actor: asker });
  const refused = payload<{ message: string }>(
    await tom.submit(feedbackRoute.action, `/q/${questionId}/feedback`, { rating: "5" }, { id: String(questionId) }),
  );
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe(
    "You can rate the help once you accept an answer, or 7 days after asking if none solved it.",
  );
});
