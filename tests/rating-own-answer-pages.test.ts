/**
 * Rating your own help, through the pages: once the asker accepted their own answer, the feedback page says there is
 * no help from others to rate (not "How well were you helped?"), and a rating sent anyway, from the feedback page or
 * the question page's card, is refused in words with the typed comment handed back; nothing is saved. Real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { helpRatings, users } from "#db/schema";
import { acceptAnswer } from "~/models/answers.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { action as questionPageAction } from "~/routes/q.$id.($slug)";
import { action as feedbackPageAction, loader as feedbackPageLoader } from "~/routes/q.$id.feedback";
import { createTestDatabase } from "./fixtures/db";
import { makeSpace } from "./fixtures/people";
import { makeAnswer, makeQuestion } from "./fixtures/qa";
import { Browser, payload, signUp, testServices } from "./fixtures/routes";

let database: Database;
let tom: Browser;
let questionId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  tom = new Browser(testServices(database), "10.77.0.5");
  await signUp(tom, { name: "Tom Asks", email: "tom-own@example.com", password: "tom answers his own questions" });
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, "tom-own@example.com"));
  if (!user) throw new Error("asker not created");
  // Confirmed, as he would be after opening the emailed link: unconfirmed people can't rate yet.
  await db.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
  const actor: SignedInActor = { id: user.id, role: "member", banned: false };
  questionId = await makeQuestion(db, actor, await makeSpace(db));
  const own = await makeAnswer(db, actor, questionId);
  await acceptAnswer(db, { answerId: own, actor });
});
afterAll(() => database.close());

const typed = "Found it myself: the cable was loose.";

test("the feedback page says there is no help from others to rate, and refuses a rating sent anyway", async () => {
  const path = `/q/${questionId}/feedback`;
  const params = { id: String(questionId) };
  const page = payload<{ prompt: { state: string } }>(await tom.load(feedbackPageLoader, path, params));
  expect(page.status).toBe(200);
  expect(page.data.prompt).toEqual({ state: "ownAnswer" });

  const refused = payload<{ message: string; values: Record<string, string> }>(
    await tom.submit(feedbackPageAction, path, { rating: "5", comment: typed, easyToUnderstand: "" }, params),
  );
  expect(refused.status).toBe(409);
  expect(refused.data.message).toBe(
    "You accepted your own answer, so there is no help from others to rate on this question. Nothing was saved.",
  );
  expect(refused.data.values.comment).toBe(typed);
  expect(await database.db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId))).toEqual([]);
});

test("the question page's card (a tab opened before accepting his own answer) is refused in words too", async () => {
  const refused = payload<{ ok: boolean; message: string; values: Record<string, string> }>(
    await tom.submit(
      questionPageAction,
      `/q/${questionId}`,
      { intent: "rate", js: "1", rating: "5", comment: typed },
      { id: String(questionId) },
    ),
  );
  expect(refused.status).toBe(409);
  expect(refused.data).toMatchObject({ ok: false, values: { comment: typed } });
  expect(refused.data.message).toContain("You accepted your own answer");
  expect(await database.db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId))).toEqual([]);
});
