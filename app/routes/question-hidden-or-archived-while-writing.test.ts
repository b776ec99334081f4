/**
 * Writing under a question that goes out of reach meanwhile: hidden because its author was banned (not deleted: it
 * comes back if the ban is lifted), or in a space that was archived. The question page's action and the edit form's,
 * on the real database, say what happened in words the writer may read (a member is not told of someone's ban; a
 * moderator is told why) and hand back what was typed.
 */
import type { Database } from "#db/client.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import type { SignedInActor } from "~/models/post-errors.server";
import { setSpaceArchived } from "~/models/spaces.server";
import { banUser } from "~/models/users.server";
import { action as questionAction } from "~/routes/q.$id.($slug)";
import { action as editQuestionAction } from "~/routes/q.$id.edit";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { type Browser, type TestServices, payload, testServices, signedUpAs } from "../../tests/fixtures/routes";
import { questionIntents } from "./__question-actions.server";

let database: Database;
let services: TestServices;
let member: { browser: Browser; actor: SignedInActor };
let moderator: { browser: Browser; actor: SignedInActor };

const signedIn = (name: string, email: string, role: "member" | "moderator", ip: string) =>
  signedUpAs(services, { name, email, role, ip, established: false });

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
  member = await signedIn("Mia Member", "mia-hidden@example.com", "member", "10.61.9.1");
  moderator = await signedIn("Moe Moderator", "moe-hidden@example.com", "moderator", "10.61.9.2");
});
afterAll(() => database.close());

/** What the action answered with: the error page's data (thrown), or the refusal the form shows (returned). */
type Answered = { message?: string; kept?: string; back?: { path: string }; values?: Record<string, string> };

async function sent(browser: Browser, action: Parameters<Browser["submit"]>[0], path: string, fields: object) {
  const id = path.split("/")[2] ?? "";
  try {
    return payload<Answered>(await browser.submit(action, path, fields as Record<string, string>, { id }));
  } catch (thrown) {
    return payload<Answered>(thrown);
  }
}

/** A question by someone a moderator then banned, hiding their posts (the ban form's default). */
async function questionOfBannedAuthor(body?: string) {
  const { db } = database;
  const author = await makePerson(db, { name: "Sam Spammer" });
  const questionId = await makeQuestion(db, author, await makeSpace(db), body ? { body } : {});
  return {
    author,
    questionId,
    ban: () => banUser(db, { userId: author.id, reason: "Phishing links", by: moderator.actor.id }),
  };
}

const typed = "Which firmware version is on the switch? Mine is 2.4 & still <drops> at night.";

test("a member's comment on a question hidden by its author's ban says it was hidden by the moderators, not deleted", async () => {
  const { questionId, ban } = await questionOfBannedAuthor();
  await ban();
  const page = await sent(member.browser, questionAction, `/q/${questionId}`, {
    intent: "comment",
    postId: String(questionId),
    body: typed,
    js: "0",
  });
  expect(page.status).toBe(404);
  expect(page.data.message).toBe(
    "While you were writing your comment, this question was hidden by the moderators, so it takes no comments now. What you typed is below, to copy.",
  );
  expect(page.data.message).not.toMatch(/deleted|banned/);
  expect(page.data.kept).toBe(typed);
});

test("a moderator's comment on it is told why: its author was banned", async () => {
  const { questionId, ban } = await questionOfBannedAuthor();
  await ban();
  const page = await sent(moderator.browser, questionAction, `/q/${questionId}`, {
    intent: "comment",
    postId: String(questionId),
    body: typed,
    js: "0",
  });
  expect(page.status).toBe(404);
  expect(page.data.message).toContain(
    "While you were writing your comment, this question was hidden when its author was banned, so it takes no comments now.",
  );
  expect(page.data.kept).toBe(typed);
});

test("a comment on an answer hidden by its author's ban says so, with the way back to the question", async () => {
  const { db } = database;
  const questionId = await makeQuestion(db, await makePerson(db), await makeSpace(db));
  const author = await makePerson(db);
  const answerId = await makeAnswer(db, author, questionId);
  await banUser(db, { userId: author.id, reason: "Phishing links", by: moderator.actor.id });
  const page = await sent(member.browser, questionAction, `/q/${questionId}`, {
    intent: "comment",
    postId: String(answerId),
    body: typed,
    js: "0",
  });
  expect(page.status).toBe(404);
  expect(page.data.message).toContain(
    "While you were writing your comment, this answer was hidden by the moderators, so it takes no comments now.",
  );
  expect(page.data.kept).toBe(typed);
  expect(page.data.back?.path).toMatch(new RegExp(`^/q/${questionId}`));
});

test("a comment on a question its author deleted still says it was deleted", async () => {
  const { db } = database;
  const author = await makePerson(db);
  const questionId = await makeQuestion(db, author, await makeSpace(db));
  await deleteQuestionOrAnswer(db, { postId: questionId, actor: author });
  const page = await sent(member.browser, questionAction, `/q/${questionId}`, {
    intent: "comment",
    postId: String(questionId),
    body: typed,
    js: "0",
  });
  expect(page.data.message).toContain(
    "This question was deleted while you were writing your comment, so it could not be posted.",
  );
});

test("a member's answer to a question hidden while it was written says it was hidden, and hands the answer back", async () => {
  const { db } = database;
  const { questionId, ban } = await questionOfBannedAuthor();
  await ban();
  const body = "Update the firmware to 2.6 first; the drops at night are the lease renewal bug fixed there.";
  // The page's action checks the question first; the answer's own handler meets the question hidden by then too.
  const thrown = await questionIntents
    .answer(
      {
        db,
        userId: member.actor.id,
        actor: member.actor,
        questionId,
        questionTitle: null,
        pagePath: `/q/${questionId}`,
        intent: "answer",
        isFetch: false,
        done: () => {
          throw new Error("the answer was posted");
        },
      },
      { intent: "answer", body, idempotencyKey: "" },
    )
    .then(
      () => null,
      (error: unknown) => error,
    );
  const page = payload<{ message: string; kept: string }>(thrown);
  expect(page.status).toBe(404);
  expect(page.data.message).toBe(
    "While you were writing your answer, this question was hidden by the moderators, so it takes no answers now. What you typed is below, to copy.",
  );
  expect(page.data.kept).toBe(body);
});

test("the same answer sent through the question page's action says hidden too (the page checks the question first)", async () => {
  const { questionId, ban } = await questionOfBannedAuthor();
  await ban();
  const body = "Update the firmware to 2.6 first; the drops at night are the lease renewal bug fixed there.";
  const page = await sent(member.browser, questionAction, `/q/${questionId}`, {
    intent: "answer",
    body,
    idempotencyKey: "",
    js: "0",
  });
  expect(page.status).toBe(404);
  expect(page.data.message).toBe(
    "While you were writing your answer, this question was hidden by the moderators, so it takes no answers now. What you typed is below, to copy.",
  );
  expect(page.data.kept).toBe(body);
});

test("a moderator's edit of a question hidden meanwhile by its author's ban says so (not deleted) and keeps the edit", async () => {
  const { questionId, ban } = await questionOfBannedAuthor(
    "The VPN drops every night at two, on every laptop in the office, since the update.",
  );
  await ban();
  const page = await sent(moderator.browser, editQuestionAction, `/q/${questionId}/edit`, {
    title: "The VPN drops every night at two",
    body: "The VPN drops every night at two, on every laptop in the office, since the firewall update.",
    tags: "vpn",
    audience: "technical",
    note: "Said which update",
    baseRevision: "1",
  });
  expect(page.status).toBe(404);
  expect(page.data.message).toBe(
    "While you were editing this question, it was hidden when its author was banned, so your changes could not be saved. What you typed is below, to copy.",
  );
  expect(page.data.kept).toContain("since the firewall update");
  expect(page.data.kept).toContain("Said which update");
});

test("a comment in a space archived meanwhile is refused in words, keeping the comment in the form", async () => {
  const { db } = database;
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, await makePerson(db), spaceId);
  await setSpaceArchived(db, { spaceId, archived: true, by: moderator.actor.id });
  const page = await sent(member.browser, questionAction, `/q/${questionId}`, {
    intent: "comment",
    postId: String(questionId),
    body: typed,
    js: "1",
  });
  expect(page.status).toBe(403);
  expect(page.data.message).toBe("This space is archived, so it takes no new comments.");
  expect(page.data.values?.body).toBe(typed);
});
