/**
 * The edit forms (/q/:id/edit, /a/:id/edit, /howtos/:id/edit) when an edit is held for review: the author is sent to
 * "waiting for review" as after posting, and the post is gone from the public page meanwhile.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { action as editAnswerAction } from "~/routes/a.$id.edit";
import { action as editHowtoAction } from "~/routes/howtos.$id.edit";
import { loader as questionLoader } from "~/routes/q.$id.($slug)";
import { action as editQuestionAction } from "~/routes/q.$id.edit";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, signUp, testServices } from "../../tests/fixtures/routes";
import { getPendingHold } from "./holds.server";
import { contentToFormValues, getHowtoForEditing } from "./howto-writing.server";

let database: Database;
let services: TestServices;
beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
});
afterAll(() => database.close());

/** Someone who signed up just now (a new account), in their own browser, as the actor the models see. */
async function newcomer(email: string) {
  const browser = new Browser(services, "10.71.0.9");
  await signUp(browser, { name: "Nina Newton", email, password: "nina checks her links twice" });
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error("member not created");
  return { browser, actor: { id: user.id, role: "member" as const, banned: false } };
}

function expectSentToReview(result: unknown) {
  expect(result).toBeInstanceOf(Response);
  expect((result as Response).status).toBe(303);
  expect((result as Response).headers.get("Location")).toBe("/me/moderation?held=1");
}

const link = "[https://learn.microsoft.com/vpn](https://phish.example/login)";

test("a new account's edit adding a link to its question, answer or how-to lands on 'waiting for review'", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const { browser, actor } = await newcomer("nina-edits@example.com");
  const questionId = await makeQuestion(db, actor, space, {
    title: "Outlook asks for my password every hour",
    body: "Since Monday Outlook asks for my password every hour, on the office Wi-Fi only.",
  });
  const answerId = await makeAnswer(db, actor, await makeQuestion(db, await makePerson(db), space));
  const howtoId = await makeHowto(db, actor, space);

  const question = await browser.submit(
    editQuestionAction,
    `/q/${questionId}/edit`,
    {
      title: "Outlook asks for my password every hour",
      body: `Since Monday Outlook asks for my password every hour. Sign in again here: ${link}`,
      tags: "vpn",
      audience: "technical",
      note: "",
    },
    { id: String(questionId) },
  );
  expectSentToReview(question);
  // Gone from the public page while it waits.
  const page = await new Browser(services, "10.71.0.10").load(questionLoader, `/q/${questionId}`, {
    id: String(questionId),
  });
  expect(page).toBeInstanceOf(Response);
  expect((page as Response).status).toBe(404);

  const answer = await browser.submit(
    editAnswerAction,
    `/a/${answerId}/edit`,
    { body: `Sign in again here: ${link}`, note: "" },
    { id: String(answerId) },
  );
  expectSentToReview(answer);

  // What the edit form starts from, with a link added to the summary.
  const howtoNow = await getHowtoForEditing(db, howtoId);
  if (!howtoNow) throw new Error("how-to not found");
  const values = contentToFormValues(howtoNow.content, howtoNow.isPlainLanguage);
  const howto = await browser.submit(
    editHowtoAction,
    `/howtos/${howtoId}/edit`,
    { ...values, summary: `${values.summary} Sign in again here: ${link}`, note: "", intent: "save" },
    { id: String(howtoId) },
  );
  expectSentToReview(howto);

  for (const id of [questionId, answerId, howtoId])
    expect((await getPendingHold(db, { type: "post", id: String(id) }))?.reason).toBe("new_account_links");
});
