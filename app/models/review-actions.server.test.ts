/** The review queue's close, reopen-queue and lift-silence tools on the real database, with their log entries. */
import { listNotifications } from "./notifications.server";
import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { type Role, closeVotes, flags, moderationLog, posts, userTrust } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { closeQuestion, reopenQuestion } from "./close.server";
import { getClosure } from "./closure.server";
import { flagContent } from "./flags.server";
import { getPendingHold, isSilenced, listNotices, silenceUser } from "./holds.server";
import { editQuestion } from "./questions.server";
import {
  closeFromReview,
  countReopenQueue,
  keepClosed,
  liftSilenceFromReview,
  listReopenQueue,
  listSilencedMembers,
} from "./review-actions.server";
import {
  OWN_CONTENT_KEEP_MESSAGE,
  countFlaggedOrHeld,
  countPendingReview,
  decideReviewItem,
  listReviewQueue,
} from "./review-queue.server";
import { CANNOT_MODERATE_PERSON_MESSAGE } from "./permissions.server";
import { STAFF_PROFILE_MESSAGE, getProfileHiding } from "./profile-hiding.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const post = (id: number) => ({ type: "post" as const, id: String(id) });

async function logActions(targetId: string) {
  const rows = await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, targetId));
  return rows.map((row) => row.action);
}

test("a moderator closes a flagged question from the queue as a duplicate: flags upheld, flaggers told, it stays visible", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db);
  const original = await makeQuestion(db, asker, space, { title: "How do I reset my VPN token on a new phone" });
  const duplicateAsker = await makePerson(db);
  const duplicate = await makeQuestion(db, duplicateAsker, space, {
    title: "Resetting the VPN token after changing phones",
  });
  const flagger = await makePerson(db);
  await flagContent(db, {
    actor: flagger,
    targetType: "post",
    targetId: String(duplicate),
    reason: "duplicate",
    duplicateOf: `/q/${original}`,
  });
  const moderator = await makePerson(db, { role: "moderator" });
  const before = await countPendingReview(db);

  // A member can't; a bad form keeps its message for the field.
  const member = await makePerson(db);
  expect(
    (await rejection(closeFromReview(db, { actor: member, questionId: duplicate, reason: "duplicate" }))).status,
  ).toBe(403);
  const missing = await rejection(
    closeFromReview(db, { actor: moderator, questionId: duplicate, reason: "duplicate" }),
  );
  expect(missing.fieldErrors.duplicateOf).toMatch(/link/);

  const { upheldFlags } = await closeFromReview(db, {
    actor: moderator,
    questionId: duplicate,
    reason: "duplicate",
    duplicateOf: String(original),
  });
  expect(upheldFlags).toBe(1);
  expect((await getClosure(db, duplicate))?.original?.id).toBe(original);
  const [row] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, duplicate));
  expect(row?.deletedAt).toBeNull();
  expect((await listReviewQueue(db)).map((item) => item.ref.id)).not.toContain(String(duplicate));
  expect(await countPendingReview(db)).toBe(before - 1);
  const [notice] = await listNotices(db, flagger.id);
  expect(notice?.kind).toBe("flag_upheld");
  expect(notice?.message).toMatch(/closed the question as a duplicate/);
  // The asker hears why, where the original is, and how to get it reopened.
  const [toAsker] = await listNotices(db, duplicateAsker.id);
  expect(toAsker?.kind).toBe("question_closed");
  expect(toAsker?.message).toBe(
    "Your question “Resetting the VPN token after changing phones” was closed as a duplicate of “How do I reset my VPN token on a new phone”, whose answers may already help. If yours is different, edit it to say how, and it can be reopened.",
  );
  expect(toAsker?.url).toBe(`/q/${duplicate}/resetting-the-vpn-token-after-changing-phones`);
  // Their notifications list reads the notice itself, not a placeholder title.
  const { items } = await listNotifications(db, duplicateAsker.id);
  expect(items[0]?.kind).toBe("moderation");
  expect(items[0]?.title).toBe(toAsker?.message);
  expect((await listNotifications(db, flagger.id)).items[0]?.title).toBe(notice?.message);
  expect(await logActions(String(duplicate))).toEqual(expect.arrayContaining(["question.close", "review.close"]));
  // The log names no flagger.
  const entries = await db
    .select()
    .from(moderationLog)
    .where(eq(moderationLog.targetId, String(duplicate)));
  expect(JSON.stringify(entries)).not.toContain(flagger.id);
});

test("the reopen queue lists closed questions edited or voted open since closing; keep closed settles them, reopen opens", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const asker = await makePerson(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const edited = await makeQuestion(db, asker, space, { title: "Printer asks for a driver that does not exist" });
  const untouched = await makeQuestion(db, asker, space, { title: "Is the cafeteria open on Fridays at all" });
  for (const id of [edited, untouched])
    await closeQuestion(db, { actor: moderator, questionId: id, reason: "needs_details", details: "Which printer?" });
  expect((await listReopenQueue(db)).map((c) => c.questionId)).toEqual([]);

  await editQuestion(db, {
    questionId: edited,
    actor: asker,
    title: "Printer HP 4250 asks for a driver that does not exist",
    body: "It is the HP LaserJet 4250 on the second floor; Windows 11 asks for a driver that the vendor site lacks.",
    tags: "printers",
    isPlainLanguage: false,
  });
  const [candidate] = await listReopenQueue(db);
  expect(candidate).toMatchObject({ questionId: edited, isEditedSinceClose: true, reopenVotes: 0 });
  expect(candidate?.reasonLabel).toBe("needing more details");

  // Trusted members vote; the votes show in the queue.
  const voter = await makePerson(db);
  await db.insert(userTrust).values({ userId: voter.id, level: 2 });
  await reopenQuestion(db, { actor: voter, questionId: edited });
  expect((await listReopenQueue(db))[0]?.reopenVotes).toBe(1);

  // Members can't decide; keeping it closed clears the votes and takes it off the queue until the next edit or vote.
  expect((await rejection(keepClosed(db, { actor: voter, questionId: edited }))).status).toBe(403);
  await keepClosed(db, { actor: moderator, questionId: edited, note: "Still no error message." });
  expect(await listReopenQueue(db)).toEqual([]);
  // Sent again (a second click, or another moderator): refused, and logged once.
  const again = await rejection(keepClosed(db, { actor: moderator, questionId: edited }));
  expect([again.status, again.message]).toEqual([409, "Someone else already decided this one."]);
  expect((await logActions(String(edited))).filter((action) => action === "question.keepClosed")).toHaveLength(1);
  expect(await db.select().from(closeVotes).where(eq(closeVotes.questionId, edited))).toEqual([]);
  expect(await getClosure(db, edited)).not.toBeNull();
  expect(await logActions(String(edited))).toContain("question.keepClosed");

  // A new vote brings it back; the moderator reopens it and it leaves the queue.
  await reopenQuestion(db, { actor: voter, questionId: edited });
  expect((await listReopenQueue(db)).map((c) => c.questionId)).toEqual([edited]);
  await reopenQuestion(db, { actor: moderator, questionId: edited });
  expect(await getClosure(db, edited)).toBeNull();
  expect(await listReopenQueue(db)).toEqual([]);
  expect((await rejection(keepClosed(db, { actor: moderator, questionId: edited }))).status).toBe(409);
});

test("the queues' tabs count everything waiting, past the page each list shows", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const flagger = await makePerson(db);
  const flaggedBefore = await countFlaggedOrHeld(db);
  const reopenBefore = await countReopenQueue(db);
  for (const n of [1, 2, 3]) {
    const flagged = await makeQuestion(db, await makePerson(db), space, { title: `Shared drive question number ${n}` });
    await flagContent(db, { actor: flagger, targetType: "post", targetId: String(flagged), reason: "rude" });
    const asker = await makePerson(db);
    const closed = await makeQuestion(db, asker, space, { title: `Closed printer question ${n}` });
    await closeQuestion(db, { actor: moderator, questionId: closed, reason: "needs_details", details: "Which one?" });
    await editQuestion(db, {
      questionId: closed,
      actor: asker,
      title: `Closed printer question ${n}: the HP 4250 on floor two`,
      body: "Windows 11 asks for a driver the vendor's site no longer has; the old one fails to install.",
      tags: "printers",
      isPlainLanguage: false,
    });
  }
  expect(await countFlaggedOrHeld(db)).toBe(flaggedBefore + 3);
  expect(await countReopenQueue(db)).toBe(reopenBefore + 3);
  // The lists stop at their page; the counts don't, and agree with the whole lists.
  expect(await listReviewQueue(db, 2)).toHaveLength(2);
  expect(await listReopenQueue(db, 2)).toHaveLength(2);
  expect((await listReviewQueue(db, 1000)).length).toBe(await countFlaggedOrHeld(db));
  expect((await listReopenQueue(db, 1000)).length).toBe(await countReopenQueue(db));
});

test("lifting a silence: moderators only; the member may post again, posts held by the silence come back, others stay held", async () => {
  const { db } = database;
  const space = await makeSpace(db);
  const moderator = await makePerson(db, { role: "moderator" });
  const person = await makePerson(db);
  const caught = await makeQuestion(db, person, space, { title: "Why does the projector in room 4 flicker" });
  const other = await makeAnswer(db, person, await makeQuestion(db, await makePerson(db), space), {
    body: "Restart the dock, then plug the screen in again; it worked for me twice.",
  });
  await decideReviewItem(db, { actor: moderator, ref: post(caught), decision: "silence", note: "Testing" });
  expect(await isSilenced(db, person.id)).toBe(true);
  expect((await getPendingHold(db, post(other)))?.reason).toBe("silenced_author");
  const [listed] = (await listSilencedMembers(db)).filter((m) => m.userId === person.id);
  expect(listed).toMatchObject({ isAutomatic: false, heldPosts: 1 });

  expect((await rejection(liftSilenceFromReview(db, { actor: await makePerson(db), userId: person.id }))).status).toBe(
    403,
  );
  const { released } = await liftSilenceFromReview(db, { actor: moderator, userId: person.id, note: "Sorted out" });
  expect(released).toBe(1);
  expect(await isSilenced(db, person.id)).toBe(false);
  expect(await getPendingHold(db, post(other))).toBeNull();
  const [answerRow] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, other));
  expect(answerRow?.deletedAt).toBeNull();
  // What the moderator hid stays hidden; the member is told in plain words; the log has it.
  const [caughtRow] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, caught));
  expect(caughtRow?.deletedAt).not.toBeNull();
  const [notice] = await listNotices(db, person.id);
  expect(notice?.kind).toBe("unsilenced");
  expect(notice?.message).toMatch(/you can post again, and 1 post held with it is published again/);
  expect(await logActions(person.id)).toEqual(expect.arrayContaining(["user.silence", "user.unsilence"]));
  expect((await listSilencedMembers(db)).map((m) => m.userId)).not.toContain(person.id);
  // Posting works again; lifting twice says so.
  await makeQuestion(db, person, space);
  expect((await rejection(liftSilenceFromReview(db, { actor: moderator, userId: person.id }))).status).toBe(409);
});

describe("acting on a person: only over someone the moderator outranks, never on oneself", () => {
  const user = (id: string) => ({ type: "user" as const, id });

  /** Nothing happened to this person: not silenced, profile showing, told nothing, nothing logged, and they still post freely. */
  async function expectUntouched(person: { id: string; role: Role }, space: number) {
    const { db } = database;
    expect(await isSilenced(db, person.id)).toBe(false);
    expect(await getProfileHiding(db, person.id)).toBeNull();
    expect(await listNotices(db, person.id)).toEqual([]);
    expect(await logActions(person.id)).toEqual([]);
    const next = await makeQuestion(db, { ...person, banned: false }, space);
    expect(await getPendingHold(db, post(next))).toBeNull();
  }

  test("a moderator can't silence, warn or hide the profile of an admin or another moderator, by their post or directly", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const moderator = await makePerson(db, { role: "moderator" });
    for (const role of ["admin", "moderator"] as const) {
      const staff = await makePerson(db, { role });
      const question = await makeQuestion(db, staff, space);
      for (const decision of ["silence", "warn"] as const) {
        const refused = await rejection(decideReviewItem(db, { actor: moderator, ref: post(question), decision }));
        expect([refused.status, refused.message], `${decision} ${role}`).toEqual([403, CANNOT_MODERATE_PERSON_MESSAGE]);
      }
      await flagContent(db, { actor: await makePerson(db), targetType: "user", targetId: staff.id, reason: "spam" });
      for (const decision of ["silence", "warn", "hide"] as const) {
        const refused = await rejection(decideReviewItem(db, { actor: moderator, ref: user(staff.id), decision }));
        expect([refused.status, refused.message], `${decision} ${role}'s profile`).toEqual([
          403,
          CANNOT_MODERATE_PERSON_MESSAGE,
        ]);
      }
      // The post and the profile flag are still waiting for someone who may decide them.
      const [row] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, question));
      expect(row?.deletedAt).toBeNull();
      expect(await countFlaggedOrHeld(db)).toBeGreaterThan(0);
      await expectUntouched(staff, space);
    }
  });

  test("an admin can warn and silence a moderator; a moderator's profile is not hidden from the queue either, as on the profile page", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const admin = await makePerson(db, { role: "admin" });
    const moderator = await makePerson(db, { role: "moderator" });
    await decideReviewItem(db, { actor: admin, ref: post(await makeQuestion(db, moderator, space)), decision: "warn" });
    expect((await listNotices(db, moderator.id)).map((n) => n.kind)).toContain("warned");
    await flagContent(db, { actor: await makePerson(db), targetType: "user", targetId: moderator.id, reason: "spam" });
    for (const decision of ["warn", "silence"] as const) {
      const refused = await rejection(decideReviewItem(db, { actor: admin, ref: user(moderator.id), decision }));
      expect([refused.status, refused.message], decision).toEqual([403, STAFF_PROFILE_MESSAGE]);
    }
    expect(await getProfileHiding(db, moderator.id)).toBeNull();
    expect(await isSilenced(db, moderator.id)).toBe(false);
    // Kept, the flag is settled.
    await decideReviewItem(db, { actor: admin, ref: user(moderator.id), decision: "keep" });
    const [flag] = await db.select({ status: flags.status }).from(flags).where(eq(flags.targetId, moderator.id));
    expect(flag?.status).toBe("dismissed");
    const { silenced } = await decideReviewItem(db, {
      actor: admin,
      ref: post(await makeQuestion(db, moderator, space)),
      decision: "silence",
    });
    expect(silenced).toBe(true);
    expect(await isSilenced(db, moderator.id)).toBe(true);
  });

  test("nobody warns, silences or hides the profile of their own account, whatever their role", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    for (const role of ["admin", "moderator"] as const) {
      const self = await makePerson(db, { role });
      const question = await makeQuestion(db, self, space);
      for (const decision of ["silence", "warn"] as const) {
        const refused = await rejection(decideReviewItem(db, { actor: self, ref: post(question), decision }));
        expect([refused.status, refused.message], `${decision} self (${role})`).toEqual([
          403,
          CANNOT_MODERATE_PERSON_MESSAGE,
        ]);
      }
      expect(
        (await rejection(decideReviewItem(db, { actor: self, ref: user(self.id), decision: "warn" }))).status,
      ).toBe(403);
      await expectUntouched(self, space);
    }
  });

  test("a moderator doesn't keep their own flagged post or profile (an admin does); an admin may keep their own", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const own = await makeQuestion(db, moderator, space);
    const flagger = await makePerson(db);
    await flagContent(db, { actor: flagger, targetType: "post", targetId: String(own), reason: "rude" });
    await flagContent(db, { actor: flagger, targetType: "user", targetId: moderator.id, reason: "spam" });
    for (const ref of [post(own), user(moderator.id)]) {
      const refused = await rejection(decideReviewItem(db, { actor: moderator, ref, decision: "keep" }));
      expect([refused.status, refused.message], ref.type).toEqual([403, OWN_CONTENT_KEEP_MESSAGE]);
    }
    const pending = await db.select({ status: flags.status }).from(flags).where(eq(flags.flaggerId, flagger.id));
    expect(pending.map((f) => f.status)).toEqual(["pending", "pending"]);
    // Removing their own post is theirs to do.
    await decideReviewItem(db, { actor: moderator, ref: post(own), decision: "hide" });
    const [removed] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, own));
    expect(removed?.deletedAt).not.toBeNull();
    // An admin keeps a moderator's profile, and their own post.
    const admin = await makePerson(db, { role: "admin" });
    await decideReviewItem(db, { actor: admin, ref: user(moderator.id), decision: "keep" });
    const adminsOwn = await makeQuestion(db, admin, space);
    await flagContent(db, { actor: flagger, targetType: "post", targetId: String(adminsOwn), reason: "rude" });
    await decideReviewItem(db, { actor: admin, ref: post(adminsOwn), decision: "keep" });
    const after = await db.select({ status: flags.status }).from(flags).where(eq(flags.flaggerId, flagger.id));
    expect(after.map((f) => f.status).sort()).toEqual(["dismissed", "dismissed", "upheld"]);
  });

  test("nobody lifts their own silence, and a moderator doesn't lift a fellow moderator's or an admin's", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const moderator = await makePerson(db, { role: "moderator" });
    const other = await makeQuestion(db, moderator, await makeSpace(db));
    await decideReviewItem(db, { actor: admin, ref: post(other), decision: "silence", note: "Testing" });
    expect(await isSilenced(db, moderator.id)).toBe(true);
    const own = await rejection(liftSilenceFromReview(db, { actor: moderator, userId: moderator.id }));
    expect([own.status, own.message]).toEqual([403, CANNOT_MODERATE_PERSON_MESSAGE]);
    const byPeer = await rejection(
      liftSilenceFromReview(db, { actor: await makePerson(db, { role: "moderator" }), userId: moderator.id }),
    );
    expect(byPeer.status).toBe(403);
    expect(await isSilenced(db, moderator.id)).toBe(true);
    expect((await listNotices(db, moderator.id)).map((n) => n.kind)).not.toContain("unsilenced");
    await liftSilenceFromReview(db, { actor: admin, userId: moderator.id });
    expect(await isSilenced(db, moderator.id)).toBe(false);

    // Nobody can silence an admin from the queue; one silenced some other way stays so for moderators and themselves.
    const silencedAdmin = await makePerson(db, { role: "admin" });
    await db.transaction((tx) => silenceUser(tx, { userId: silencedAdmin.id, by: null, reason: "Testing" }));
    for (const actor of [await makePerson(db, { role: "moderator" }), silencedAdmin]) {
      const refused = await rejection(liftSilenceFromReview(db, { actor, userId: silencedAdmin.id }));
      expect([refused.status, refused.message]).toEqual([403, CANNOT_MODERATE_PERSON_MESSAGE]);
    }
    expect(await isSilenced(db, silencedAdmin.id)).toBe(true);
  });

  test("removing an admin's post is still a moderator's to do; a spam flag upheld on a new moderator's post removes it without silencing them", async () => {
    const { db } = database;
    const space = await makeSpace(db);
    const moderator = await makePerson(db, { role: "moderator" });
    const admin = await makePerson(db, { role: "admin" });
    const adminsPost = await makeQuestion(db, admin, space);
    await decideReviewItem(db, { actor: moderator, ref: post(adminsPost), decision: "hide" });
    const [hidden] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, adminsPost));
    expect(hidden?.deletedAt).not.toBeNull();
    expect(await isSilenced(db, admin.id)).toBe(false);

    for (const role of ["moderator", "admin"] as const) {
      const newcomer = await makePerson(db, { role, isNew: true });
      const spam = await makeQuestion(db, newcomer, space);
      await flagContent(db, {
        actor: await makePerson(db),
        targetType: "post",
        targetId: String(spam),
        reason: "spam",
      });
      const { silenced } = await decideReviewItem(db, { actor: moderator, ref: post(spam), decision: "hide" });
      expect(silenced, role).toBe(false);
      expect(await isSilenced(db, newcomer.id)).toBe(false);
      const [removed] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, spam));
      expect(removed?.deletedAt).not.toBeNull();
      expect(await logActions(newcomer.id)).toEqual([]);
    }
  });
});
