/**
 * A form sent without JavaScript by someone signed out meanwhile (their session ended from another device, or a ban)
 * used to redirect to sign in, dropping what they typed and saying nothing. Now it gets the error page (401) with the
 * text to copy and a Sign in link back to the page it came from; a form with nothing typed says nothing was changed.
 * With JavaScript (a data request) and for pages opened (GET) the redirect stays: there the browser keeps the text
 * (lib/unsent-form.ts), and a bookmark is no interruption. On the real database with real better-auth sessions, through
 * the real routes (action, loaders, error page) as the server runs them for a page, rendered as HTML.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { posts, users } from "#db/schema";
import { questionPath } from "~/lib/qa";
import { banUser } from "~/models/users.server";
import * as questionRoute from "~/routes/q.$id.($slug)";
import * as accountRoute from "~/routes/settings.account";
import * as editQuestionRoute from "~/routes/q.$id.edit";
import * as profileRoute from "~/routes/settings.profile";
import { action as signInAction } from "~/routes/signin";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { SIGNED_OUT, endOtherSessions, readPage, sendForm } from "../../tests/fixtures/signed-out-elsewhere";

let database: Database;
let services: TestServices;
let adminId: string;
let spaceId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  adminId = (await makePerson(database.db, { role: "admin" })).id;
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

const PASSWORD = "priya keeps tabs open all week";

let people = 0;
/** A member signed up (so signed in) on their phone: their id, email and the phone. */
async function member(name: string) {
  people += 1;
  const email = `signed-out-${people}@example.com`;
  const phone = new Browser(services, `10.62.0.${people}`);
  await signUp(phone, { name, email, password: PASSWORD });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("member not created");
  return { id: row.id, email, phone };
}

/** Signs the member in on a laptop and, there, signs out every other device (settings → devices). */
const endOtherSessionsFromLaptop = (email: string) =>
  endOtherSessions(services, { email, password: PASSWORD, ip: `10.62.1.${people}` });

async function answersTo(questionId: number) {
  return database.db.select({ id: posts.id }).from(posts).where(eq(posts.parentId, questionId));
}

const ANSWER =
  "Reserve the printer's address in the router (DHCP reservation), then point the queue at that address instead of the name.";

test("an answer sent without JavaScript after the session was ended from another device comes back to copy, with a way to sign in back to the question", async () => {
  const asker = await makePerson(database.db);
  const questionId = await makeQuestion(database.db, asker, spaceId, { title: "Printer drops off the network daily" });
  const page = questionPath(questionId, "Printer drops off the network daily");
  const priya = await member("Priya Patel");
  await endOtherSessionsFromLaptop(priya.email);

  const sent = await sendForm(priya.phone, questionRoute, {
    path: `/q/${questionId}`,
    pattern: "q/:id/:slug?",
    from: page,
    fields: { intent: "answer", idempotencyKey: "5f0c8a8e-2f4e-4c57-9d1c-3f1b2a7e9d10", js: "0", body: ANSWER },
  });

  expect(sent.status).toBe(401);
  const shown = readPage(sent.html);
  expect(shown.heading).toEqual(["What you wrote wasn't saved"]);
  expect(shown.text).toContain(`${SIGNED_OUT} so this wasn't saved. What you typed is below, to copy.`);
  // The answer alone, read-only to copy: never the form's hidden fields.
  expect(shown.boxes).toEqual([{ text: ANSWER, isReadOnly: true }]);
  expect(sent.html).not.toContain("5f0c8a8e");
  expect(shown.links).toContainEqual({ text: "Sign in", href: `/signin?redirectTo=${encodeURIComponent(page)}` });
  expect(await answersTo(questionId)).toEqual([]);
});

test("a question edit sent without JavaScript after the session was ended elsewhere hands back the title and text", async () => {
  const priya = await member("Priya Edits");
  const author = { id: priya.id, role: "member" as const, banned: false };
  const questionId = await makeQuestion(database.db, author, spaceId, { title: "Shared mailbox shows old emails" });
  await endOtherSessionsFromLaptop(priya.email);
  const body = "Outlook keeps showing last week's emails in the shared mailbox until I restart it. Cached mode is on.";

  const sent = await sendForm(priya.phone, editQuestionRoute, {
    path: `/q/${questionId}/edit`,
    pattern: "q/:id/edit",
    fields: { title: "Shared mailbox shows emails from last week", body, tags: "outlook", baseRevision: "1" },
  });

  expect(sent.status).toBe(401);
  const shown = readPage(sent.html);
  expect(shown.text).toContain(`${SIGNED_OUT} so this wasn't saved. What you typed is below, to copy.`);
  expect(shown.boxes).toHaveLength(1);
  expect(shown.boxes[0]?.text).toContain("Shared mailbox shows emails from last week");
  expect(shown.boxes[0]?.text).toContain(body);
});

test("a profile saved without JavaScript by a member banned meanwhile hands back the name and bio, and signing in says the account is suspended", async () => {
  const tom = await member("Tom Becker");
  await banUser(database.db, { userId: tom.id, reason: "spam", by: adminId });
  const bio = "Sysadmin for 10 years: Windows, networking and the office's one stubborn printer.";

  const sent = await sendForm(tom.phone, profileRoute, {
    path: "/settings/profile",
    pattern: "settings/profile",
    fields: {
      name: "Tom Becker",
      bio,
      timeZone: "Europe/Berlin",
      audience: "everyone",
      expertise: "",
      mentorPitch: "",
      languages: "",
      baseVersion: "2024-05-01T10:00:00.000Z",
    },
  });

  expect(sent.status).toBe(401);
  const shown = readPage(sent.html);
  expect(shown.text).toContain(`${SIGNED_OUT} so this wasn't saved. What you typed is below, to copy.`);
  expect(shown.boxes).toEqual([{ text: `Name:\nTom Becker\n\nBio:\n${bio}`, isReadOnly: true }]);
  expect(shown.links).toContainEqual({ text: "Sign in", href: "/signin?redirectTo=%2Fsettings%2Fprofile" });
  const [stored] = await database.db.select({ bio: users.bio }).from(users).where(eq(users.id, tom.id));
  expect(stored?.bio).not.toBe(bio);

  // The Sign in link's page refuses a suspended account in plain words.
  const signIn = payload<{ formError?: string }>(
    await new Browser(services, "10.62.9.1").submit(signInAction, "/signin", {
      email: tom.email,
      password: PASSWORD,
      redirectTo: "/settings/profile",
    }),
  );
  expect(signIn.data.formError).toBe(
    "This account has been suspended. Contact the site administrators if you think this is a mistake.",
  );
});

test("a vote sent without JavaScript after the session ended says nothing was changed, with no text box, and offers to sign in", async () => {
  const asker = await makePerson(database.db);
  const questionId = await makeQuestion(database.db, asker, spaceId);
  const priya = await member("Priya Vote");
  await endOtherSessionsFromLaptop(priya.email);

  const sent = await sendForm(priya.phone, questionRoute, {
    path: `/q/${questionId}`,
    pattern: "q/:id/:slug?",
    fields: { intent: "vote", postId: String(questionId), js: "0", direction: "up" },
  });

  expect(sent.status).toBe(401);
  const shown = readPage(sent.html);
  expect(shown.heading).toEqual(["Please sign in"]);
  expect(shown.text).toContain(`${SIGNED_OUT} so nothing was changed. Sign in to try again.`);
  expect(shown.boxes).toEqual([]);
  expect(shown.links).toContainEqual({
    text: "Sign in",
    href: `/signin?redirectTo=${encodeURIComponent(`/q/${questionId}`)}`,
  });
});

test("a password typed into a form sent after signing out is never shown back: the page only says nothing was changed", async () => {
  const sam = await member("Sam Secret");
  await endOtherSessionsFromLaptop(sam.email);

  const sent = await sendForm(sam.phone, accountRoute, {
    path: "/settings/account",
    pattern: "settings/account",
    fields: { intent: "email", newEmail: "sam.new@example.com", currentPassword: PASSWORD },
  });

  expect(sent.status).toBe(401);
  expect(readPage(sent.html).text).toContain(`${SIGNED_OUT} so nothing was changed.`);
  expect(readPage(sent.html).boxes).toEqual([]);
  expect(sent.html).not.toContain(PASSWORD);
});

test("a visitor who never signed in pressing a vote button without JavaScript is still sent to sign in", async () => {
  const asker = await makePerson(database.db);
  const questionId = await makeQuestion(database.db, asker, spaceId);
  const sent = await sendForm(new Browser(services, "10.62.9.2"), questionRoute, {
    path: `/q/${questionId}`,
    pattern: "q/:id/:slug?",
    fields: { intent: "vote", postId: String(questionId), js: "0", direction: "up" },
  });
  expect(sent).toMatchObject({ status: 302, location: `/signin?redirectTo=${encodeURIComponent(`/q/${questionId}`)}` });
});

test("with JavaScript (a data request) an answer sent after signing out is still sent to sign in, where the browser puts it back", async () => {
  const asker = await makePerson(database.db);
  const questionId = await makeQuestion(database.db, asker, spaceId);
  const priya = await member("Priya Script");
  await endOtherSessionsFromLaptop(priya.email);

  const sent = await sendForm(priya.phone, questionRoute, {
    path: `/q/${questionId}`,
    pattern: "q/:id/:slug?",
    fields: { intent: "answer", idempotencyKey: "0d2f4c1e-8b3a-4f5e-9c7d-1a2b3c4d5e6f", js: "1", body: ANSWER },
    hasJavaScript: true,
  });
  expect(sent).toMatchObject({ status: 302, location: `/signin?redirectTo=${encodeURIComponent(`/q/${questionId}`)}` });
});

test("opening a page after the session ended (a bookmark) still goes to sign in", async () => {
  const tom = await member("Tom Bookmark");
  await endOtherSessionsFromLaptop(tom.email);
  const opened = await tom.phone.load(profileRoute.loader, "/settings/profile");
  expect(opened).toBeInstanceOf(Response);
  const response = opened as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe("/signin?redirectTo=%2Fsettings%2Fprofile");
});
