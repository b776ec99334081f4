/**
 * A rating sent without the comment and "easy to understand" fields (the question page's one-tap card, left open in
 * another tab, or a bare POST) keeps what the asker saved with them; the full form sending them empty clears them. On
 * the real database, through the model and through both pages' actions.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { helpRatings, users } from "#db/schema";
import { acceptAnswer } from "~/models/answers.server";
import { rateHelp } from "~/models/feedback.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { action as questionPageAction } from "~/routes/q.$id.($slug)";
import { action as feedbackPageAction } from "~/routes/q.$id.feedback";
import { createTestDatabase } from "./fixtures/db";
import { makePerson, makeSpace } from "./fixtures/people";
import { makeAnswer, makeQuestion } from "./fixtures/qa";
import { Browser, type TestServices, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let sofia: Browser;
let sofiaActor: SignedInActor;
let priya: SignedInActor;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  sofia = new Browser(services, "10.77.0.4");
  await signUp(sofia, {
    name: "Sofia Asks",
    email: "sofia-rates@example.com",
    password: "sofia rates the help she got",
  });
  const [user] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, "sofia-rates@example.com"));
  if (!user) throw new Error("asker not created");
  // Confirmed, as she would be after opening the emailed link: unconfirmed people can't rate yet.
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
  sofiaActor = { id: user.id, role: "member", banned: false };
  priya = await makePerson(database.db, { name: "Priya Helps" });
  spaceId = await makeSpace(database.db, { plain: true });
});
afterAll(() => database.close());

/** A plain-language question of Sofia's with Priya's answer accepted, rated 5 with a comment and "easy: yes". */
async function ratedWithComment(): Promise<number> {
  const { db } = database;
  const questionId = await makeQuestion(db, sofiaActor, spaceId, { isPlainLanguage: true });
  const answerId = await makeAnswer(db, priya, questionId);
  await acceptAnswer(db, { answerId, actor: sofiaActor });
  await rateHelp(db, {
    questionId,
    actor: sofiaActor,
    rating: 5,
    comment: "Clear steps, it works again.",
    easyToUnderstand: "yes",
  });
  return questionId;
}

async function savedRating(questionId: number) {
  const [row] = await database.db
    .select({ rating: helpRatings.rating, comment: helpRatings.comment, easy: helpRatings.easyToUnderstand })
    .from(helpRatings)
    .where(eq(helpRatings.questionId, questionId));
  return row;
}

test("the model: a rating sent alone keeps the saved comment and answer; sent empty, they are cleared", async () => {
  const questionId = await ratedWithComment();
  await rateHelp(database.db, { questionId, actor: sofiaActor, rating: 3 });
  expect(await savedRating(questionId)).toEqual({ rating: 3, comment: "Clear steps, it works again.", easy: true });

  await rateHelp(database.db, { questionId, actor: sofiaActor, rating: 4, comment: "", easyToUnderstand: "" });
  expect(await savedRating(questionId)).toEqual({ rating: 4, comment: "", easy: null });
});

test("the question page's one-tap card, sent from a tab opened before rating, changes the rating only", async () => {
  const questionId = await ratedWithComment();
  const path = `/q/${questionId}`;
  // What the one-tap form sends: its intent, whether JavaScript ran, and the rating tapped.
  const result = await sofia.submit(
    questionPageAction,
    path,
    { intent: "rate", js: "1", rating: "3" },
    {
      id: String(questionId),
    },
  );
  expect(JSON.stringify(result)).toContain('"ok":true');
  expect(await savedRating(questionId)).toEqual({ rating: 3, comment: "Clear steps, it works again.", easy: true });
});

test("the feedback page: a POST with the rating only keeps the rest; its full form can still clear the comment", async () => {
  const questionId = await ratedWithComment();
  const path = `/q/${questionId}/feedback`;
  const params = { id: String(questionId) };
  const bare = await sofia.submit(feedbackPageAction, path, { rating: "3" }, params);
  expect(bare).toBeInstanceOf(Response);
  expect((bare as Response).status).toBe(303);
  expect(await savedRating(questionId)).toEqual({ rating: 3, comment: "Clear steps, it works again.", easy: true });

  // The full form always sends its comment box and its "easy to understand" choice ("Rather not say" is empty).
  await sofia.submit(feedbackPageAction, path, { rating: "2", easyToUnderstand: "", comment: "" }, params);
  expect(await savedRating(questionId)).toEqual({ rating: 2, comment: "", easy: null });
});
