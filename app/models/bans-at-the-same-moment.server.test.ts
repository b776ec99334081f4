/**
 * Two moderation decisions at the same moment, each about a person the other one's notices or log entry refer to: two
 * bans of people who attend each other's Q&A sessions, two admins banning each other, a silence or a review decision
 * whose moderator or flagger is banned meanwhile. Each locks its own person's account first and then writes rows that
 * refer to the other person's account; neither may wait for the other (on PostgreSQL a circle of waits is a deadlock,
 * and one of the two moderators sees a server error). The same for two bans hiding posts in one thread (an asker's and
 * their answerer's). On PGlite transactions take turns, so these pass trivially; on PostgreSQL (CI's second pass) both
 * really run at once, on two connections.
 */
import { and, eq } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { flags, moderationLog, notifications, officeHours, posts, userSilences, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { minutes, scheduled } from "../../tests/fixtures/sessions";
import { type Settled, settle } from "../../tests/fixtures/while-open";
import { acceptAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { flagContent } from "./flags.server";
import { silenceUser } from "./holds.server";
import { follow } from "./notifications.server";
import { askInOfficeHours } from "./office-hours-queue.server";
import { lockAccountForModeration } from "./rate-limits.server";
import { decideReviewItem } from "./review-queue.server";
import { banUser } from "./users.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type Person = Awaited<ReturnType<typeof makePerson>>;

/** One moderation decision: the account it locks first (as a ban or a silence does), then the whole decision. */
type Decision = { about: Person; decide: (tx: Db) => Promise<unknown> };

/**
 * Runs two decisions at the same moment: each in its own transaction takes its first lock, and once both hold it (or,
 * on PGlite, where the second waits for the first to commit, after a pause) each goes on with the whole decision.
 * Says how each ended.
 */
async function atTheSameMoment(db: Db, decisions: [Decision, Decision]): Promise<Settled<unknown>[]> {
  let holding = 0;
  let bothHold = () => {};
  const bothHolding = new Promise<void>((resolve) => {
    bothHold = resolve;
  });
  const run = ({ about, decide }: Decision) =>
    settle(
      db.transaction(async (tx) => {
        await lockAccountForModeration(tx, about.id);
        holding += 1;
        if (holding === 2) bothHold();
        await Promise.race([bothHolding, new Promise((resolve) => setTimeout(resolve, 400))]);
        return decide(tx);
      }),
    );
  return Promise.all(decisions.map(run));
}

/** Fails the test with the error a decision ended in (a deadlock is a server error for the moderator). */
function expectAllDone(results: Settled<unknown>[]) {
  for (const result of results) if (result.status === "rejected") throw result.reason;
}

async function isHidden(db: Db, postId: number) {
  const [row] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return row?.deletedAt != null;
}

async function isBanned(db: Db, person: Person) {
  const [row] = await db.select({ banned: users.banned }).from(users).where(eq(users.id, person.id));
  return row?.banned;
}

async function cancelledBy(db: Db, officeHoursId: number) {
  const [row] = await db
    .select({ cancelledAt: officeHours.cancelledAt, updatedBy: officeHours.updatedBy })
    .from(officeHours)
    .where(eq(officeHours.id, officeHoursId));
  return row?.cancelledAt ? row.updatedBy : null;
}

async function cancellationsTold(db: Db, person: Person) {
  const rows = await db
    .select({ officeHoursId: notifications.officeHoursId })
    .from(notifications)
    .where(and(eq(notifications.userId, person.id), eq(notifications.kind, "session_cancelled")));
  return rows.map((row) => row.officeHoursId).sort((a, b) => (a ?? 0) - (b ?? 0));
}

const question = "Which channel width should the office access points use?";
const now = minutes(30);

describe("two bans at the same moment", () => {
  test("two hosts who attend each other's sessions, banned by two admins at once, are both banned and both sessions cancelled", async () => {
    const { db } = database;
    const [ada, ben] = [await makePerson(db, { role: "admin" }), await makePerson(db, { role: "admin" })];
    const first = await scheduled(db);
    const second = await scheduled(db);
    // The first host follows the second's session; the second asked in the first's. A third person is in both.
    await follow(db, first.host.id, { type: "session", key: String(second.officeHoursId) });
    await askInOfficeHours(db, { officeHoursId: first.officeHoursId, actor: second.host, body: question, now });
    const attendee = await makePerson(db);
    await askInOfficeHours(db, { officeHoursId: first.officeHoursId, actor: attendee, body: question, now });
    await follow(db, attendee.id, { type: "session", key: String(second.officeHoursId) });

    const results = await atTheSameMoment(db, [
      { about: first.host, decide: (tx) => banUser(tx, { userId: first.host.id, reason: "spam", by: ada.id, now }) },
      { about: second.host, decide: (tx) => banUser(tx, { userId: second.host.id, reason: "spam", by: ben.id, now }) },
    ]);
    expectAllDone(results);
    expect([await isBanned(db, first.host), await isBanned(db, second.host)]).toEqual([true, true]);
    expect(await cancelledBy(db, first.officeHoursId)).toBe(ada.id);
    expect(await cancelledBy(db, second.officeHoursId)).toBe(ben.id);
    expect(await cancellationsTold(db, attendee)).toEqual([first.officeHoursId, second.officeHoursId]);
  });

  test("two admins banning each other at the same moment are both banned, each ban in the log", async () => {
    const { db } = database;
    const [ada, ben] = [await makePerson(db, { role: "admin" }), await makePerson(db, { role: "admin" })];

    const results = await atTheSameMoment(db, [
      { about: ben, decide: (tx) => banUser(tx, { userId: ben.id, reason: "rogue admin", by: ada.id, now }) },
      { about: ada, decide: (tx) => banUser(tx, { userId: ada.id, reason: "rogue admin", by: ben.id, now }) },
    ]);
    expectAllDone(results);
    expect([await isBanned(db, ada), await isBanned(db, ben)]).toEqual([true, true]);
    const logged = await db
      .select({ actorId: moderationLog.actorId, targetId: moderationLog.targetId })
      .from(moderationLog)
      .where(eq(moderationLog.action, "user.ban"));
    expect(logged).toEqual(
      expect.arrayContaining([
        { actorId: ada.id, targetId: ben.id },
        { actorId: ben.id, targetId: ada.id },
      ]),
    );
  });

  test("an admin banning someone in their own session while another admin bans them: both bans go through", async () => {
    const { db } = database;
    const ben = await makePerson(db, { role: "admin" });
    const ada = await makePerson(db, { role: "admin" });
    const session = await scheduled(db, { host: ada });
    const member = await makePerson(db);
    await follow(db, member.id, { type: "session", key: String(session.officeHoursId) });

    // Ada's ban of the member names Ada in the log; Ben's ban of Ada tells the member her session is cancelled.
    const results = await atTheSameMoment(db, [
      { about: member, decide: (tx) => banUser(tx, { userId: member.id, reason: "spam", by: ada.id, now }) },
      { about: ada, decide: (tx) => banUser(tx, { userId: ada.id, reason: "rogue admin", by: ben.id, now }) },
    ]);
    expectAllDone(results);
    expect([await isBanned(db, member), await isBanned(db, ada)]).toEqual([true, true]);
    expect(await cancelledBy(db, session.officeHoursId)).toBe(ben.id);
  });

  test("an asker and the person who answered them, banned at the same moment, are both banned and both posts hidden", async () => {
    const { db } = database;
    const [ada, ben] = [await makePerson(db, { role: "admin" }), await makePerson(db, { role: "admin" })];
    const [asker, answerer] = [await makePerson(db), await makePerson(db)];
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    const answerId = await makeAnswer(db, answerer, questionId);

    // The asker's ban has got as far as their question when the answerer's starts: hiding the answer recounts the
    // question's answers (its row), and hiding the question recounts what came back to its answerers (a lock per
    // question that hiding the answer took first).
    let answerersBan: Promise<Settled<unknown>> | undefined;
    const askersBan = await settle(
      db.transaction(async (tx) => {
        await lockAccountForModeration(tx, asker.id);
        await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, questionId)).for("no key update");
        answerersBan = settle(banUser(db, { userId: answerer.id, reason: "spam", by: ben.id, now }));
        await Promise.race([answerersBan, new Promise((resolve) => setTimeout(resolve, 400))]);
        return banUser(tx, { userId: asker.id, reason: "spam", by: ada.id, now });
      }),
    );
    if (!answerersBan) throw new Error("the asker's ban ended before the answerer's started");
    expectAllDone([askersBan, await answerersBan]);
    expect([await isBanned(db, asker), await isBanned(db, answerer)]).toEqual([true, true]);
    expect([await isHidden(db, questionId), await isHidden(db, answerId)]).toEqual([true, true]);
  });

  test("two people who answered, accepted and commented on each other's questions, banned at once: everything of theirs is hidden", async () => {
    const { db } = database;
    const [ada, ben] = [await makePerson(db, { role: "admin" }), await makePerson(db, { role: "admin" })];
    const [first, second] = [await makePerson(db), await makePerson(db)];
    const spaceId = await makeSpace(db);
    const firstsQuestion = await makeQuestion(db, first, spaceId);
    const secondsQuestion = await makeQuestion(db, second, spaceId);
    const firstsAnswer = await makeAnswer(db, first, secondsQuestion);
    const secondsAnswer = await makeAnswer(db, second, firstsQuestion);
    await acceptAnswer(db, { answerId: secondsAnswer, actor: first });
    await acceptAnswer(db, { answerId: firstsAnswer, actor: second });
    await addComment(db, { postId: secondsAnswer, actor: first, body: "Which firmware version was that on?" });
    await addComment(db, { postId: firstsAnswer, actor: second, body: "Which firmware version was that on?" });

    const results = await atTheSameMoment(db, [
      { about: first, decide: (tx) => banUser(tx, { userId: first.id, reason: "spam", by: ada.id, now }) },
      { about: second, decide: (tx) => banUser(tx, { userId: second.id, reason: "spam", by: ben.id, now }) },
    ]);
    expectAllDone(results);
    const hidden = [firstsQuestion, secondsQuestion, firstsAnswer, secondsAnswer].map((id) => isHidden(db, id));
    expect(await Promise.all(hidden)).toEqual([true, true, true, true]);
  });
});

describe("a silence or a review decision while someone it refers to is banned", () => {
  test("a moderator silencing someone in their session at the moment the moderator is banned: both go through", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const moderator = await makePerson(db, { role: "moderator" });
    const session = await scheduled(db, { host: moderator });
    const member = await makePerson(db);
    await askInOfficeHours(db, { officeHoursId: session.officeHoursId, actor: member, body: question, now });

    const results = await atTheSameMoment(db, [
      { about: member, decide: (tx) => silenceUser(tx, { userId: member.id, by: moderator.id, reason: "spam" }) },
      { about: moderator, decide: (tx) => banUser(tx, { userId: moderator.id, reason: "abuse", by: admin.id, now }) },
    ]);
    expectAllDone(results);
    const [silence] = await db.select().from(userSilences).where(eq(userSilences.userId, member.id));
    expect(silence?.silencedBy).toBe(moderator.id);
    expect(await isBanned(db, moderator)).toBe(true);
    expect(await cancelledBy(db, session.officeHoursId)).toBe(admin.id);
  });

  test("a flag upheld at the moment its flagger is banned: the post is hidden and the flagger banned", async () => {
    const { db } = database;
    const admin = await makePerson(db, { role: "admin" });
    const moderator = await makePerson(db, { role: "moderator" });
    const flagger = await makePerson(db, { role: "mentor" });
    const session = await scheduled(db, { host: flagger });
    const author = await makePerson(db);
    await follow(db, author.id, { type: "session", key: String(session.officeHoursId) });
    const questionId = await makeQuestion(db, author, await makeSpace(db));
    await flagContent(db, { actor: flagger, targetType: "post", targetId: String(questionId), reason: "rude" });

    // The decision tells the flagger it was upheld; the flagger's ban tells the author the session is cancelled.
    const ref = { type: "post" as const, id: String(questionId) };
    const results = await atTheSameMoment(db, [
      { about: author, decide: (tx) => decideReviewItem(tx, { actor: moderator, ref, decision: "hide" }) },
      { about: flagger, decide: (tx) => banUser(tx, { userId: flagger.id, reason: "spam", by: admin.id, now }) },
    ]);
    expectAllDone(results);
    const [flag] = await db
      .select({ status: flags.status })
      .from(flags)
      .where(eq(flags.targetId, String(questionId)));
    expect(flag?.status).toBe("upheld");
    expect(await isBanned(db, flagger)).toBe(true);
    expect(await cancelledBy(db, session.officeHoursId)).toBe(admin.id);
  });
});
