/**
 * "Ask <name>" on a question held for review, on the real database: the invitation waits unseen while the question is
 * held, is sent once when a moderator keeps the question, never when the question is hidden for good, and is dropped
 * quietly when the person no longer takes invitations. The asker's question page says who will be asked.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { notifications, posts, users } from "#db/schema";
import { loader as askLoader, action as askAction } from "~/routes/ask";
import { loader as questionLoader } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { getPendingHold } from "./holds.server";
import { inviteMentor, listInvitations, setInvitationsPaused } from "./invitations.server";
import { listNotifications } from "./notifications.server";
import { getQuestionPage } from "./question-page-memo.server";
import { loadQuestionViewer } from "./question-viewer.server";
import { decideReviewItem } from "./review-queue.server";
import { updateSpace } from "./spaces.server";

let database: Database;
let services: TestServices;
beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  // Outside production the first sign-up becomes admin: somebody else is first.
  await makePerson(database.db, { role: "admin" });
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

/** A space whose first questions wait for a moderator, switched on the way an admin does it. */
let spacesMade = 0;
async function holdingSpace() {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  spacesMade += 1;
  const name = `Held first questions ${spacesMade}`;
  const spaceId = await makeSpace(db, { name });
  await updateSpace(db, {
    spaceId,
    name,
    description: "",
    isPlainLanguage: false,
    holdFirstQuestions: true,
    by: admin.id,
  });
  return spaceId;
}

let asked = 0;
/** A new member's first question in a holding space, held for review, with `invitee` asked to answer it. */
async function heldQuestionInviting(invitee: { id: string }) {
  const { db } = database;
  asked += 1;
  const asker = await makePerson(db, { isNew: true, name: `Newcomer ${asked}` });
  const questionId = await makeQuestion(db, asker, await holdingSpace(), {
    title: `Shared mailbox ${asked} stopped showing in Outlook`,
    body: `Question ${asked}: since Monday the team mailbox ${asked} is gone from my Outlook folder list.`,
  });
  expect((await getPendingHold(db, post(questionId)))?.reason).toBe("first_question");
  await inviteMentor(db, { actor: asker, questionId, inviteeId: invitee.id });
  return { asker, questionId };
}

async function invitationsTo(userId: string, questionId: number) {
  return database.db
    .select({ kind: notifications.kind })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.postId, questionId)));
}

test("a held question's invitation is kept but not sent, and the invited mentor can't see the question yet", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor", name: "Mentor Mia" });
  const { questionId } = await heldQuestionInviting(mentor);

  expect((await listInvitations(db, questionId)).map((invitation) => invitation.name)).toEqual(["Mentor Mia"]);
  expect(await invitationsTo(mentor.id, questionId)).toEqual([]);
  expect((await listNotifications(db, mentor.id)).items).toEqual([]);
  expect(await getQuestionPage(db, questionId)).toBeNull();
  expect(await loadQuestionViewer(db, questionId, mentor)).toBeNull();
});

test("when a moderator keeps the held question, the invited mentor is told exactly once", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const mentor = await makePerson(db, { role: "mentor", name: "Mentor Max" });
  const { asker, questionId } = await heldQuestionInviting(mentor);

  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" });
  expect(await invitationsTo(mentor.id, questionId)).toEqual([{ kind: "invitation" }]);
  const [note] = (await listNotifications(db, mentor.id)).items;
  expect(note).toMatchObject({ kind: "invitation", actorName: asker.name, title: expect.stringContaining("Outlook") });
  expect(await loadQuestionViewer(db, questionId, mentor)).toMatchObject({ mentor: { isInvited: true } });

  // Kept again (a double tap): done already, and nobody is invited twice.
  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" });
  expect(await invitationsTo(mentor.id, questionId)).toHaveLength(1);
});

test("when a moderator hides the held question for good, the invitation is never sent", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const mentor = await makePerson(db, { role: "mentor", name: "Mentor Mo" });
  const { questionId } = await heldQuestionInviting(mentor);

  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "hide" });
  expect(await invitationsTo(mentor.id, questionId)).toEqual([]);
  expect(await listInvitations(db, questionId)).toEqual([]);
});

test("a mentor who paused invitations while the question waited is not told, and the asker may invite someone else", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const paused = await makePerson(db, { role: "mentor", name: "Mentor Pia" });
  const other = await makePerson(db, { role: "mentor", name: "Mentor Ode" });
  const { asker, questionId } = await heldQuestionInviting(paused);
  await setInvitationsPaused(db, paused.id, true);

  await decideReviewItem(db, { actor: moderator, ref: post(questionId), decision: "keep" });
  expect(await invitationsTo(paused.id, questionId)).toEqual([]);
  expect(await listInvitations(db, questionId)).toEqual([]);

  await inviteMentor(db, { actor: asker, questionId, inviteeId: other.id });
  expect(await invitationsTo(other.id, questionId)).toEqual([{ kind: "invitation" }]);
});

test("'Ask <name>' on a question held for review: its asker's page says the person will be asked after the review", async () => {
  const { db } = database;
  const mentor = await makePerson(db, { role: "mentor", name: "Mentor Ines" });
  const [row] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, mentor.id));
  const handle = row?.handle ?? "";
  const spaceId = await holdingSpace();
  const browser = new Browser(services, "10.72.0.9");
  await signUp(browser, { name: "Nora Newton", email: "nora-asks@example.com", password: "nora asks the mentor" });
  await db.update(users).set({ emailVerified: true }).where(eq(users.email, "nora-asks@example.com"));

  const form = payload<{ idempotencyKey: string }>(await browser.load(askLoader, `/ask?invite=${handle}`));
  const asked = await browser.submit(askAction, `/ask?invite=${handle}`, {
    spaceId: String(spaceId),
    title: "Teams meetings drop after ten minutes",
    body: "Every Teams meeting drops after ten minutes on the office network, at home it works fine.",
    tags: "teams",
    audience: "plain",
    idempotencyKey: form.data.idempotencyKey,
    invite: handle,
  });
  expect(asked).toBeInstanceOf(Response);
  expect((asked as Response).headers.get("Location")).toBe("/me/moderation?held=1");

  const [question] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(eq(posts.title, "Teams meetings drop after ten minutes"));
  const questionId = question?.id ?? 0;
  expect((await listInvitations(db, questionId)).map((invitation) => invitation.name)).toEqual(["Mentor Ines"]);
  expect(await invitationsTo(mentor.id, questionId)).toEqual([]);
  const page = payload<{ heldQuestion: { invitationNote: string | null } | null }>(
    await browser.load(questionLoader, `/q/${questionId}`, { id: String(questionId) }),
  );
  expect(page.data.heldQuestion?.invitationNote).toBe(
    "Mentor Ines will be asked once a moderator has looked at your question.",
  );
});
