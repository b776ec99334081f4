/**
 * A Q&A session question's asker changes their mind, on the real database: rewording a question still waiting (votes
 * kept, marked as edited) and withdrawing it (out of every list and count, its flags still decided).
 */
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makePerson } from "../../tests/fixtures/people";
import { minutes, scheduled as scheduledIn } from "../../tests/fixtures/sessions";
import { listenTo } from "../../tests/fixtures/realtime";
import { flagContent } from "./flags.server";
import {
  answerInOfficeHours,
  askInOfficeHours,
  editOfficeHoursQuestion,
  getQueue,
  toggleOfficeHoursVote,
  withdrawOfficeHoursQuestion,
} from "./office-hours-queue.server";
import { listOfficeHours } from "./office-hours-lists.server";
import { decideReviewItem, listReviewQueue } from "./review-queue.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const scheduled = (options: { cap?: number } = {}) => scheduledIn(database.db, options);

test("its asker rewords a waiting question: votes stay, it shows as edited, and nobody else can", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled();
  const [asker, voter] = [await makePerson(db, { name: "Asker" }), await makePerson(db)];
  const moderator = await makePerson(db, { role: "moderator" });
  const { seen, heardAll } = await listenTo(database, `session:${officeHoursId}`);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Why does the pritner on floor 3 jam?",
    now: minutes(10),
  });
  await toggleOfficeHoursVote(db, { questionId, actor: voter, now: minutes(11) });
  const edit = (actor: typeof asker, body: string, at = 12) =>
    editOfficeHoursQuestion(db, { questionId, actor, body, now: minutes(at) });
  const item = async () => (await getQueue(db, officeHoursId, { phase: "live" })).find((q) => q.id === questionId);

  // Nobody else rewords it: not the host, not a moderator (who hides it through the review queue instead).
  for (const other of [host, voter, moderator]) {
    const refused = await rejection(edit(other, "Something else entirely, please"));
    expect(refused.status).toBe(403);
    expect(refused.message).toBe("Only the person who asked this question can change or withdraw it.");
  }
  // The same rules as asking; nothing saved.
  expect((await rejection(edit(asker, "  short  "))).fieldErrors.body).toContain("at least 10");
  expect((await rejection(edit(asker, "x".repeat(2001)))).fieldErrors.body).toContain("keep it to");
  // The same words (spaces trimmed) change nothing, not even the "edited" mark.
  await edit(asker, "  Why does the pritner on floor 3 jam?  ");
  expect(await item()).toMatchObject({ body: "Why does the pritner on floor 3 jam?", editedAt: null, votes: 1 });

  await edit(asker, "Why does the printer on floor 3 jam?", 13);
  expect(await item()).toMatchObject({
    body: "Why does the printer on floor 3 jam?",
    editedAt: minutes(13),
    votes: 1,
    state: "open",
  });
  expect((await getQueue(db, officeHoursId, { viewerId: voter.id, phase: "live" }))[0]?.hasMyVote).toBe(true);

  // Once the host has taken it up, or the session is over, it stays as it was asked.
  await answerInOfficeHours(db, { questionId, actor: host, answer: "Humidity, mostly.", now: minutes(70) });
  expect((await rejection(edit(asker, "Why does the printer on floor 4 jam?", 71))).message).toBe(
    "The host has already answered this question, so it stays as it was asked.",
  );
  const { questionId: late } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "And the scanner on floor 2?",
    now: minutes(72),
  });
  const afterEnd = await rejection(
    editOfficeHoursQuestion(db, {
      questionId: late,
      actor: asker,
      body: "And the scanner on floor 5?",
      now: minutes(121),
    }),
  );
  expect([afterEnd.status, afterEnd.message]).toEqual([
    409,
    "This session is over, so its questions stay as they were asked.",
  ]);
  await heardAll();
  expect(seen.filter((m) => m.type === "edit").map((m) => m.questionId)).toEqual([questionId]);
});

test("its asker withdraws a waiting question: it leaves every list and count, frees their limit, and takes no votes or answers", async () => {
  const { db } = database;
  const { host, officeHoursId } = await scheduled({ cap: 1 });
  const [asker, voter, other] = [await makePerson(db), await makePerson(db), await makePerson(db)];
  const moderator = await makePerson(db, { role: "moderator" });
  const { seen, heardAll } = await listenTo(database, `session:${officeHoursId}`);
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Can I print from my phone to the lobby printer?",
    now: minutes(61),
  });
  const { questionId: others } = await askInOfficeHours(db, {
    officeHoursId,
    actor: other,
    body: "Where do scans to email end up?",
    now: minutes(61),
  });
  await toggleOfficeHoursVote(db, { questionId, actor: voter, now: minutes(62) });
  // The limit of one is used up.
  expect(
    (
      await rejection(
        askInOfficeHours(db, { officeHoursId, actor: asker, body: "Another question of mine", now: minutes(62) }),
      )
    ).status,
  ).toBe(409);
  for (const someoneElse of [host, voter, moderator])
    expect(
      (await rejection(withdrawOfficeHoursQuestion(db, { questionId, actor: someoneElse, now: minutes(63) }))).status,
    ).toBe(403);

  await withdrawOfficeHoursQuestion(db, { questionId, actor: asker, now: minutes(63) });
  // Gone for everyone, its asker and staff included; the session's count says one.
  for (const viewer of [{}, { viewerId: asker.id }, { viewerId: voter.id }, { canSeeHidden: true }])
    expect((await getQueue(db, officeHoursId, { ...viewer, phase: "live" })).map((q) => q.id)).toEqual([others]);
  expect((await getQueue(db, officeHoursId, { phase: "ended" })).map((q) => q.id)).toEqual([others]);
  expect((await listOfficeHours(db, minutes(64))).current.find((s) => s.id === officeHoursId)?.questionCount).toBe(1);
  // The host writing an answer meanwhile is told who withdrew it (their answer is not posted).
  const answered = await rejection(
    answerInOfficeHours(db, { questionId, actor: host, answer: "Yes, with the app.", now: minutes(64) }),
  );
  expect(answered.status).toBe(409);
  expect(answered.message).toMatch(/^.+ withdrew this question, so your answer was not posted\./);
  // No votes, flags or second withdrawal for what isn't there (one at a time: each is its own request).
  for (const attempt of [
    () => toggleOfficeHoursVote(db, { questionId, actor: other, now: minutes(64) }),
    () => withdrawOfficeHoursQuestion(db, { questionId, actor: asker, now: minutes(64) }),
    () =>
      editOfficeHoursQuestion(db, { questionId, actor: asker, body: "Can I print from a tablet?", now: minutes(64) }),
    () =>
      flagContent(db, { actor: other, targetType: "session_question", targetId: String(questionId), reason: "spam" }),
  ])
    expect((await rejection(attempt())).status).toBe(404);
  // Withdrawn, it no longer counts against the limit: the asker can ask again.
  const again = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Can I print from my phone to the lobby printer, over guest Wi-Fi?",
    now: minutes(65),
  });
  expect((await getQueue(db, officeHoursId, { phase: "live" })).map((q) => q.id).sort()).toEqual(
    [others, again.questionId].sort(),
  );
  // What the host took up can't be withdrawn.
  await answerInOfficeHours(db, { questionId: others, actor: host, skip: true, now: minutes(66) });
  expect(
    (await rejection(withdrawOfficeHoursQuestion(db, { questionId: others, actor: other, now: minutes(67) }))).message,
  ).toBe("The host has already taken this question up, so it stays as it was asked.");
  await heardAll();
  expect(seen.filter((m) => m.type === "withdraw").map((m) => m.questionId)).toEqual([questionId]);
});

test("a flagged question its asker withdraws stays in the review queue, marked so, and can still be decided", async () => {
  const { db } = database;
  const { officeHoursId } = await scheduled();
  const [asker, flagger] = [await makePerson(db), await makePerson(db)];
  const moderator = await makePerson(db, { role: "moderator" });
  const { questionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "Rude words about the helpdesk team, here",
    now: minutes(61),
  });
  const flagged = await flagContent(db, {
    actor: flagger,
    targetType: "session_question",
    targetId: String(questionId),
    reason: "rude",
  });
  expect(flagged.hidden).toBe(false);
  const inQueue = async () => (await listReviewQueue(db)).find((entry) => entry.ref.id === String(questionId));
  expect((await inQueue())?.isWithdrawn).toBe(false);

  await withdrawOfficeHoursQuestion(db, { questionId, actor: asker, now: minutes(62) });
  expect(await inQueue()).toMatchObject({
    kindLabel: "session question",
    excerpt: "Rude words about the helpdesk team, here",
    isWithdrawn: true,
  });
  await decideReviewItem(db, {
    actor: moderator,
    ref: { type: "session_question", id: String(questionId) },
    decision: "hide",
  });
  expect(await inQueue()).toBeUndefined();
  // Decided, it stays out of the session for everyone, its asker included.
  expect((await getQueue(db, officeHoursId, { viewerId: asker.id, phase: "live" })).map((q) => q.id)).toEqual([]);
});
