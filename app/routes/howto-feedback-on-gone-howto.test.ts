/**
 * "Did this help?" sent with a comment after the how-to left every page: hidden because its author was banned, held for
 * a moderator's review, or deleted. The refusal says which, in words the reader may read (a member is not told of a
 * ban), and keeps the comment: handed back to copy without JavaScript, in the form's answer with it (the page stays as
 * it is: see tests/e2e/stale-stop-and-feedback.e2e.ts). The how-to page's real action, on the real database.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { holdContent } from "~/models/holds.server";
import { deleteHowto } from "~/models/howto-writing.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { banUser } from "~/models/users.server";
import { action as howtoAction } from "~/routes/howtos.$id._index";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let reader: { browser: Browser; actor: SignedInActor };
let moderatorId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  moderatorId = (await makePerson(database.db, { role: "admin" })).id;
  const browser = new Browser(services, "10.62.8.1");
  await signUp(browser, {
    name: "Rita Reader",
    email: "rita-feedback@example.com",
    password: "rita reads every how-to",
  });
  const [user] = await database.db
    .update(users)
    .set({ emailVerified: true, createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "rita-feedback@example.com"))
    .returning({ id: users.id });
  if (!user) throw new Error("not signed up");
  reader = { browser, actor: { id: user.id, role: "member", banned: false } };
});
afterAll(() => database.close());

type Answered = { message?: string; kept?: string; values?: Record<string, string> };

async function sendFeedback(howtoId: number, fields: Record<string, string>) {
  try {
    return payload<Answered>(
      await reader.browser.submit(howtoAction, `/howtos/${howtoId}`, fields, { id: String(howtoId) }),
    );
  } catch (thrown) {
    return payload<Answered>(thrown);
  }
}

const comment = "Step 3 needs admin rights & the <Settings> app closed first.";

async function howtoOfBannedAuthor() {
  const { db } = database;
  const author = await makePerson(db, { name: "Sam Spammer" });
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  await banUser(db, { userId: author.id, reason: "Phishing links", by: moderatorId });
  return howtoId;
}

test("without JavaScript, a comment on a how-to hidden by its author's ban says the moderators hid it, and is handed back", async () => {
  const howtoId = await howtoOfBannedAuthor();
  const page = await sendFeedback(howtoId, { intent: "feedback", answer: "no", comment });
  expect(page.status).toBe(404);
  expect(page.data.message).toBe(
    "While you were writing your comment, this how-to was hidden by the moderators, so it could not be sent. What you typed is below, to copy.",
  );
  expect(page.data.message).not.toMatch(/removed|deleted|banned/);
  expect(page.data.kept).toBe(comment);
});

test("with JavaScript, the form is told it was hidden for a moderator's review, with the comment to keep in it", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  await holdContent(db, {
    ref: { type: "post", id: String(howtoId) },
    authorId: author.id,
    reason: "flags",
    message: "Flagged by members",
  });
  const result = await sendFeedback(howtoId, { intent: "feedback", answer: "no", comment, js: "1" });
  expect(result.status).toBe(404);
  expect(result.data.message).toBe(
    "While you were writing your comment, this how-to was hidden for a moderator's review, so it could not be sent.",
  );
  expect(result.data.values?.comment).toBe(comment);
});

test("a comment on a how-to its author deleted still says it was removed, and is handed back", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const howtoId = await makeHowto(db, author, await makeSpace(db));
  await deleteHowto(db, { howtoId, actor: author });
  const page = await sendFeedback(howtoId, { intent: "feedback", answer: "yes", comment });
  expect(page.status).toBe(404);
  expect(page.data.message).toBe(
    "This how-to was removed while you were writing your comment, so it could not be sent. What you typed is below, to copy.",
  );
  expect(page.data.kept).toBe(comment);
});
