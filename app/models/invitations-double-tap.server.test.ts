/**
 * "Ask a mentor" sent twice (a double tap, a retried request), through the question page's action and the model on
 * the real database: the asker who just invited someone lands on the invitation sent, once, instead of "You've
 * already invited this person"; the same invitation sent again later is still refused as sent already.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { mentorInvitations, notifications, users } from "#db/schema";
import { action as questionAction } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { inviteMentor } from "./invitations.server";
import type { SignedInActor } from "./post-errors.server";

let database: Database;
let spaceId: number;
let asker: { browser: Browser; actor: SignedInActor };

beforeAll(async () => {
  database = await createTestDatabase();
  // The first account made becomes the admin: the asker signs up after, as a member.
  await makePerson(database.db, { role: "admin" });
  const browser = new Browser(testServices(database), "10.74.0.1");
  await signUp(browser, { name: "Asha Asker", email: "asha-invites@example.com", password: "asha asks mentors" });
  // A member for a while: a new account's questions may be held for review, and their invitations wait with them.
  const [row] = await database.db
    .update(users)
    .set({ createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "asha-invites@example.com"))
    .returning({ id: users.id });
  if (!row) throw new Error("no asker");
  asker = { browser, actor: { id: row.id, role: "member", banned: false } };
  spaceId = await makeSpace(database.db);
});
afterAll(() => database.close());

const invitationsOf = async (questionId: number, inviteeId: string) =>
  (
    await database.db
      .select({ id: mentorInvitations.id })
      .from(mentorInvitations)
      .where(and(eq(mentorInvitations.questionId, questionId), eq(mentorInvitations.inviteeId, inviteeId)))
  ).length;

const toldOf = async (questionId: number, inviteeId: string) =>
  (
    await database.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, inviteeId),
          eq(notifications.postId, questionId),
          eq(notifications.kind, "invitation"),
        ),
      )
  ).length;

test("a double-tapped Invite sends one invitation, and both taps land on it sent", async () => {
  const questionId = await makeQuestion(database.db, asker.actor, spaceId);
  const mentor = await makePerson(database.db, { role: "mentor", name: "Mo Mentor" });
  const tap = () =>
    asker.browser.submit(
      questionAction,
      `/q/${questionId}`,
      { intent: "invite", inviteeId: mentor.id },
      { id: String(questionId) },
    );
  const taps = await Promise.all([tap(), tap()]);
  expect(
    taps.map((answer) =>
      answer instanceof Response
        ? [answer.status, answer.headers.get("location")?.endsWith("#ask-a-mentor")]
        : payload(answer),
    ),
  ).toEqual([
    [303, true],
    [303, true],
  ]);
  expect(await invitationsOf(questionId, mentor.id)).toBe(1);
  expect(await toldOf(questionId, mentor.id)).toBe(1);
});

test("sent again right after, the invitation is the same success; a minute later it is refused as sent already", async () => {
  const questionId = await makeQuestion(database.db, asker.actor, spaceId);
  const mentor = await makePerson(database.db, { role: "mentor", name: "Mia Mentor" });
  const now = new Date();
  await inviteMentor(database.db, { actor: asker.actor, questionId, inviteeId: mentor.id, now });
  await inviteMentor(database.db, {
    actor: asker.actor,
    questionId,
    inviteeId: mentor.id,
    now: new Date(now.getTime() + 2_000),
  });
  expect(await invitationsOf(questionId, mentor.id)).toBe(1);
  expect(await toldOf(questionId, mentor.id)).toBe(1);

  const later = await rejection(
    inviteMentor(database.db, {
      actor: asker.actor,
      questionId,
      inviteeId: mentor.id,
      now: new Date(now.getTime() + 60_000),
    }),
  );
  expect([later.status, later.message]).toEqual([409, "You've already invited this person."]);
});
