/** "Ask a mentor" on the real database: who can be suggested and invited, the limit of three, pausing, declining, and the notification. */
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { userExpertise, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer } from "./answers.server";
import {
  declineInvitation,
  inviteMentor,
  listInvitations,
  setInvitationsPaused,
  suggestMentors,
} from "./invitations.server";
import { listNotifications } from "./notifications.server";
import { ensureTags } from "./tags.server";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function mentor(name: string, expertise: string[], { open = true } = {}) {
  const { db } = database;
  const person = await makePerson(db, { name, role: open ? "member" : "mentor" });
  await db.update(users).set({ openToMentoring: open }).where(eq(users.id, person.id));
  const rows = await ensureTags(db, expertise);
  if (rows.length) await db.insert(userExpertise).values(rows.map((t) => ({ userId: person.id, tagId: t.id })));
  return person;
}

test("suggestions: mentors sharing the question's tags, best match first; never the asker, the banned or the paused", async () => {
  const { db } = database;
  const asker = await mentor("Asker Ava", ["printers", "drivers"]);
  const both = await mentor("Both Bea", ["printers", "drivers"]);
  const one = await mentor("One Oli", ["drivers"], { open: false });
  const paused = await mentor("Paused Pat", ["printers"]);
  await setInvitationsPaused(db, paused.id, true);
  const banned = await mentor("Banned Ben", ["printers"]);
  await db.update(users).set({ banned: true }).where(eq(users.id, banned.id));
  await mentor("Unrelated Uma", ["vpn"]);
  const questionId = await makeQuestion(db, asker, await makeSpace(db), {
    title: "Print driver installs fail for standard users",
    tags: "printers, drivers",
  });
  expect((await suggestMentors(db, questionId)).map((s) => [s.name, s.matchingTags])).toEqual([
    ["Both Bea", ["drivers", "printers"]],
    ["One Oli", ["drivers"]],
  ]);

  await inviteMentor(db, { actor: asker, questionId, inviteeId: both.id });
  expect((await suggestMentors(db, questionId)).map((s) => s.name)).toEqual(["One Oli"]);
  const [note] = (await listNotifications(db, both.id)).items;
  expect(note).toMatchObject({
    kind: "invitation",
    actorName: "Asker Ava",
    title: "Print driver installs fail for standard users",
  });
  void one;
});

test("someone who answered (and whose answer was accepted) is no longer suggested", async () => {
  const { db } = database;
  const asker = await mentor("Asker Abe", ["scanners"]);
  const helper = await mentor("Helper Hal", ["scanners"]);
  const other = await mentor("Other Ona", ["scanners"]);
  const questionId = await makeQuestion(db, asker, await makeSpace(db), {
    title: "Scan to folder fails after the file server moved",
    tags: "scanners",
  });
  expect((await suggestMentors(db, questionId)).map((s) => s.name)).toEqual(["Helper Hal", "Other Ona"]);
  const answerId = await makeAnswer(db, helper, questionId);
  await acceptAnswer(db, { answerId, actor: asker });
  expect((await suggestMentors(db, questionId)).map((s) => s.name)).toEqual(["Other Ona"]);
  void other;
});

test("only the asker invites, at most three people, each once; paused and ineligible people are refused with a reason", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const stranger = await makePerson(db);
  const helpers = [
    await mentor("M1", ["vpn"]),
    await mentor("M2", ["vpn"]),
    await mentor("M3", ["vpn"]),
    await mentor("M4", ["vpn"]),
  ];
  const paused = await mentor("Paused", ["vpn"]);
  await setInvitationsPaused(db, paused.id, true);
  const notMentor = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));

  expect((await rejection(inviteMentor(db, { actor: stranger, questionId, inviteeId: helpers[0]!.id }))).status).toBe(
    403,
  );
  expect((await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: paused.id }))).message).toContain(
    "paused",
  );
  expect((await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: notMentor.id }))).status).toBe(400);
  expect((await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: asker.id }))).status).toBe(400);
  await inviteMentor(db, { actor: asker, questionId, inviteeId: helpers[0]!.id });
  // A minute later (not a double tap): refused as sent already.
  const later = new Date(Date.now() + 60_000);
  expect(
    (await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: helpers[0]!.id, now: later }))).message,
  ).toContain("already invited");
  await inviteMentor(db, { actor: asker, questionId, inviteeId: helpers[1]!.id });
  await inviteMentor(db, { actor: asker, questionId, inviteeId: helpers[2]!.id });
  expect(
    (await rejection(inviteMentor(db, { actor: asker, questionId, inviteeId: helpers[3]!.id }))).message,
  ).toContain("at most 3");

  // Declining and answering show on the question.
  await declineInvitation(db, { actor: helpers[0]!, questionId });
  expect((await rejection(declineInvitation(db, { actor: helpers[0]!, questionId }))).status).toBe(404);
  expect((await rejection(declineInvitation(db, { actor: stranger, questionId }))).status).toBe(404);
  await makeAnswer(db, helpers[1]!, questionId);
  expect((await listInvitations(db, questionId)).map((i) => [i.name, i.isDeclined, i.hasAnswered])).toEqual([
    ["M1", true, false],
    ["M2", false, true],
    ["M3", false, false],
  ]);
});

test("an invitation reaches someone already told of the question (it is its own event)", async () => {
  const { db } = database;
  const asker = await makePerson(db);
  const helper = await mentor("Follower Fay", ["vpn"]);
  const spaceId = await makeSpace(db);
  const { follow } = await import("./notifications.server");
  await follow(db, helper.id, { type: "space", key: String(spaceId) });
  const questionId = await makeQuestion(db, asker, spaceId);
  await inviteMentor(db, { actor: asker, questionId, inviteeId: helper.id });
  expect((await listNotifications(db, helper.id)).items.map((n) => n.kind)).toEqual(["invitation", "new_post"]);
});
