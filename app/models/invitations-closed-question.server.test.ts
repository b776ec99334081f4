/**
 * An invitation asks a mentor to answer, so a question that takes no answers (closed as a duplicate or for another
 * reason, or in an archived space) takes no invitations: the asker's invite, sent from a page opened before, is refused
 * in words and tells nobody, and nobody is suggested. On the real database, through the model and the question page's
 * action.
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { userExpertise, users } from "#db/schema";
import { action as questionAction } from "~/routes/q.$id.($slug)";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { closeQuestion, reopenQuestion } from "./close.server";
import { inviteMentor, listInvitations, suggestMentors } from "./invitations.server";
import { listNotifications } from "./notifications.server";
import type { SignedInActor } from "./post-errors.server";
import { setSpaceArchived } from "./spaces.server";
import { ensureTags } from "./tags.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A mentor who knows about printers: suggested for, and invitable to, the questions below. */
async function printerMentor(name: string) {
  const { db } = database;
  const person = await makePerson(db, { name });
  await db.update(users).set({ openToMentoring: true }).where(eq(users.id, person.id));
  const rows = await ensureTags(db, ["printers"]);
  await db.insert(userExpertise).values(rows.map((tag) => ({ userId: person.id, tagId: tag.id })));
  return person;
}

async function printerQuestion(asker: SignedInActor, spaceId: number, title: string) {
  return makeQuestion(database.db, asker, spaceId, { title, tags: "printers" });
}

async function invitationsTo(mentorId: string) {
  return (await listNotifications(database.db, mentorId)).items.filter((item) => item.kind === "invitation");
}

test("inviting a mentor to a question closed as a duplicate is refused, naming the original, and tells nobody", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const mentor = await printerMentor("Petra Printer");
  const spaceId = await makeSpace(db);
  const originalId = await printerQuestion(asker, spaceId, "Which driver do the new office printers need?");
  const questionId = await printerQuestion(asker, spaceId, "Driver for the new printers on the second floor?");
  // The asker's page, opened before the close, still offers her.
  expect((await suggestMentors(db, questionId)).map((s) => s.name)).toContain("Petra Printer");
  await closeQuestion(db, { actor: moderator, questionId, reason: "duplicate", duplicateOf: String(originalId) });

  const refused = await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: mentor.id }));
  expect(refused.message).toBe(
    "This question was closed as a duplicate of “Which driver do the new office printers need?”, so it takes no answers and no one can be invited to it.",
  );
  expect(refused.status).toBe(409);
  expect(await listInvitations(db, questionId)).toEqual([]);
  expect(await invitationsTo(mentor.id)).toEqual([]);
  // The page no longer offers anyone to invite.
  expect(await suggestMentors(db, questionId)).toEqual([]);
});

test("a question closed for another reason takes no invitations until it is reopened", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const mentor = await printerMentor("Olga Offtopic");
  const questionId = await printerQuestion(asker, await makeSpace(db), "Can the printer order my lunch?");
  await closeQuestion(db, { actor: moderator, questionId, reason: "off_topic" });

  const refused = await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: mentor.id }));
  expect(refused.message).toBe(
    "This question was closed as off-topic for PeerDesk, so it takes no answers and no one can be invited to it unless it is reopened.",
  );
  expect(await invitationsTo(mentor.id)).toEqual([]);
  expect(await suggestMentors(db, questionId)).toEqual([]);

  await reopenQuestion(db, { actor: moderator, questionId });
  expect((await suggestMentors(db, questionId)).map((s) => s.name)).toContain("Olga Offtopic");
  await inviteMentor(db, { actor: asker, questionId, inviteeId: mentor.id });
  expect(await invitationsTo(mentor.id)).toHaveLength(1);
});

test("a question whose space was archived takes no invitations", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const admin = await makePerson(db, { role: "admin" });
  const mentor = await printerMentor("Arne Archive");
  const spaceId = await makeSpace(db);
  const questionId = await printerQuestion(asker, spaceId, "Why does the old plotter jam on A0 paper?");
  await setSpaceArchived(db, { spaceId, archived: true, by: admin.id });

  const refused = await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: mentor.id }));
  expect(refused.message).toBe(
    "This question's space is archived, so the question takes no answers and no one can be invited to it.",
  );
  expect(await listInvitations(db, questionId)).toEqual([]);
  expect(await invitationsTo(mentor.id)).toEqual([]);
  expect(await suggestMentors(db, questionId)).toEqual([]);
});

test("the question page's Invite on a question closed meanwhile answers with the refusal and sends nothing", async () => {
  const { db } = database;
  // The first account made becomes the admin: one exists already, so the asker signs up as a member.
  await makePerson(db, { role: "admin" });
  const browser = new Browser(testServices(database), "10.61.7.1");
  await signUp(browser, { name: "Ines Inviter", email: "ines-closed@example.com", password: "ines invites mentors" });
  const [row] = await db
    .update(users)
    .set({ createdAt: ESTABLISHED_SINCE })
    .where(eq(users.email, "ines-closed@example.com"))
    .returning({ id: users.id });
  if (!row) throw new Error("no asker");
  const asker = { id: row.id, role: "member" as const, banned: false };
  const moderator = await makePerson(db, { role: "moderator" });
  const mentor = await printerMentor("Rudi Route");
  const spaceId = await makeSpace(db);
  const originalId = await printerQuestion(asker, spaceId, "How do I add the scanner to my e-mail contacts?");
  const questionId = await printerQuestion(asker, spaceId, "Scanner won't send to my e-mail address");
  await closeQuestion(db, { actor: moderator, questionId, reason: "duplicate", duplicateOf: String(originalId) });

  const answer = await browser.submit(
    questionAction,
    `/q/${questionId}`,
    { intent: "invite", inviteeId: mentor.id, js: "1" },
    { id: String(questionId) },
  );
  expect(payload(answer)).toMatchObject({
    status: 409,
    data: {
      ok: false,
      message:
        "This question was closed as a duplicate of “How do I add the scanner to my e-mail contacts?”, so it takes no answers and no one can be invited to it.",
    },
  });
  expect(await listInvitations(db, questionId)).toEqual([]);
  expect(await invitationsTo(mentor.id)).toEqual([]);
});
