/**
 * "Ask a mentor" on a question's page follows the question as it is now: once it is closed, or its space archived, its
 * asker (and staff) are no longer offered mentors to invite, even moments after the page suggested some (suggestions
 * are remembered a minute per question; whether the question takes invitations is not).
 */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { userExpertise, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { countingDb } from "../../tests/fixtures/query-count";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { closeQuestion } from "./close.server";
import { getClosure } from "./closure.server";
import { listInvitations, whyNoInvitations } from "./invitations.server";
import type { Actor } from "./permissions.server";
import { loadQuestionViewer } from "./question-viewer.server";
import { setSpaceArchived } from "./spaces.server";
import { ensureTags } from "./tags.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

/** A question tagged "printers" with a mentor who knows printers, so its asker is offered someone to invite. */
async function questionWithAMentor(mentorName: string) {
  const { db } = database;
  const mentor = await makePerson(db, { name: mentorName });
  await db.update(users).set({ openToMentoring: true }).where(eq(users.id, mentor.id));
  const [tag] = await ensureTags(db, [`printers-${mentorName.split(" ")[0]?.toLowerCase()}`]);
  if (!tag) throw new Error("tag not made");
  await db.insert(userExpertise).values({ userId: mentor.id, tagId: tag.id });
  const asker = await makePerson(db, { name: "Ada Asker" });
  const spaceId = await makeSpace(db);
  const questionId = await makeQuestion(db, asker, spaceId, {
    title: "The office printer drops every job after the first page",
    tags: tag.slug,
  });
  return { asker, spaceId, questionId };
}

async function mentorPanel(questionId: number, actor: Actor) {
  const viewer = await loadQuestionViewer(database.db, questionId, actor);
  return {
    canInvite: viewer?.canInvite,
    panelCanInvite: viewer?.mentor?.canInvite,
    suggested: viewer?.mentor?.suggestions.map((s) => s.name),
  };
}

test("the asker of a question closed a moment ago is no longer offered mentors to invite, nor are staff", async () => {
  const { db } = database;
  const { asker, questionId } = await questionWithAMentor("Mira Mentor");
  const moderator = await makePerson(db, { role: "moderator" });
  // Seen open first: the suggestions are now remembered for this question.
  expect(await mentorPanel(questionId, asker)).toEqual({
    canInvite: true,
    panelCanInvite: true,
    suggested: ["Mira Mentor"],
  });

  await closeQuestion(db, { actor: moderator, questionId, reason: "off_topic" });
  expect(await whyNoInvitations(db, questionId)).not.toBeNull();
  for (const actor of [asker, moderator])
    expect(await mentorPanel(questionId, actor)).toEqual({ canInvite: false, panelCanInvite: false, suggested: [] });
});

test("the asker of a question whose space was archived is no longer offered mentors to invite", async () => {
  const { db } = database;
  const { asker, spaceId, questionId } = await questionWithAMentor("Milo Mentor");
  const admin = await makePerson(db, { role: "admin" });
  expect((await mentorPanel(questionId, asker)).suggested).toEqual(["Milo Mentor"]);

  await setSpaceArchived(db, { spaceId, archived: true, by: admin.id });
  expect(await mentorPanel(questionId, asker)).toEqual({ canInvite: false, panelCanInvite: false, suggested: [] });
  // Unarchived, it takes invitations again, with the same suggestions.
  await setSpaceArchived(db, { spaceId, archived: false, by: admin.id });
  expect(await mentorPanel(questionId, asker)).toEqual({
    canInvite: true,
    panelCanInvite: true,
    suggested: ["Milo Mentor"],
  });
});

test("whether a question takes invitations costs its asker no statement of its own: the page's closure and the space's state are enough", async () => {
  const { db } = database;
  const { asker, questionId } = await questionWithAMentor("Maya Mentor");
  const reader = await makePerson(db, { name: "Rafa Reader" });
  const invitations = await listInvitations(db, questionId);
  const closure = await getClosure(db, questionId);
  const sent: string[] = [];
  // One handle for every call, as the server has: what is remembered per database (suggestions) stays remembered.
  const counted = countingDb(database, sent);
  /** The viewer's part of the page as its loader asks for it (invitations and closure from the page's memory). */
  async function statementsFor(actor: Actor): Promise<string[]> {
    sent.length = 0;
    await loadQuestionViewer(counted, questionId, actor, { invitations, closure });
    return [...sent];
  }
  // Warmed once each: trust levels, mentor suggestions remembered for the minute.
  await statementsFor(asker);
  await statementsFor(reader);
  const asked = await statementsFor(asker);
  expect((await mentorPanel(questionId, asker)).canInvite).toBe(true);
  expect(asked.filter((statement) => /question_closures/.test(statement))).toEqual([]);
  expect(asked.length).toBe((await statementsFor(reader)).length);
});
