/** Following and notifications on the real database: who hears of what, never of their own doing, and once. */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { emailOutbox, notifications, spaces, users } from "#db/schema";
import { makeHowto } from "../../tests/fixtures/howtos";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { acceptAnswer, unacceptAnswer } from "./answers.server";
import { addComment, deleteComment } from "./comments.server";
import { setEmailPreference } from "./email-preferences.server";
import { queueNotificationEmails } from "./email.server";
import { rateHelp } from "./feedback.server";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "./post-deletion.server";
import {
  countUnread,
  follow,
  followRefusal,
  followTargetExists,
  isFollowing,
  listNotifications,
  markAllRead,
  mentionedHandles,
  openNotification,
  unfollow,
} from "./notifications.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { T0, local, minutes, moveSession, scheduled } from "../../tests/fixtures/sessions";
import { cancelOfficeHours, scheduleOfficeHours } from "./office-hours.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function inbox(userId: string) {
  return (await listNotifications(database.db, userId)).items.map((item) => ({
    kind: item.kind,
    actor: item.actorName,
    title: item.title,
  }));
}

async function handleOf(userId: string): Promise<string> {
  const [row] = await database.db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
  return row?.handle ?? "";
}

describe("mentions", () => {
  test.each([
    ["thanks @priya-raman, that fixed it", ["priya-raman"]],
    ["@Marcus and @sofia: any idea?", ["marcus", "sofia"]],
    ["mail me at admin@example.org", []],
    ["inline `@not-me` and\n\n```\n@nor-me\n```\n\n    @indented-code\n\nbut @yes-me", ["yes-me"]],
    ["@a is too short, @ab is fine, @-bad, @bad- no", ["ab"]],
  ])("%s", (markdown, expected) => {
    expect(mentionedHandles(markdown)).toEqual(expected);
  });
});

describe("following", () => {
  test("follow and unfollow are idempotent; only things that exist can be followed", async () => {
    const { db } = database;
    const person = await makePerson(db);
    const spaceId = await makeSpace(db);
    const target = { type: "space" as const, key: String(spaceId) };
    await follow(db, person.id, target);
    await follow(db, person.id, target);
    expect(await isFollowing(db, person.id, target)).toBe(true);
    await unfollow(db, person.id, target);
    await unfollow(db, person.id, target);
    expect(await isFollowing(db, person.id, target)).toBe(false);
    expect(await followTargetExists(db, target)).toBe(true);
    expect(await followTargetExists(db, { type: "space", key: "999999" })).toBe(false);
    expect(await followTargetExists(db, { type: "space", key: "1 or 1=1" })).toBe(false);
    expect(await followTargetExists(db, { type: "tag", key: "no-such-tag" })).toBe(false);
    expect(await followTargetExists(db, { type: "user", key: person.id })).toBe(true);
  });
});

describe("who hears of what", () => {
  test("a session can be followed until it ends; a cancelled or missing one is refused in plain words", async () => {
    const { db } = database;
    const host = await makePerson(db, { role: "mentor" });
    const inAnHour = (n: number) => new Date(Date.now() + n * 60 * 60_000).toISOString().slice(0, 16);
    const { officeHoursId } = await scheduleOfficeHours(db, {
      actor: host,
      title: "Printers, scanners and the network",
      description: "Bring your print queues.",
      spaceId: await makeSpace(db),
      tags: "printing",
      startsAtLocal: inAnHour(24),
      endsAtLocal: inAnHour(25),
      timeZone: "UTC",
      maxQuestionsPerPerson: "",
    });
    const target = { type: "session" as const, key: String(officeHoursId) };
    expect(await followRefusal(db, target)).toBeNull();
    expect(await followTargetExists(db, target)).toBe(true);
    await cancelOfficeHours(db, { officeHoursId, actor: host });
    expect(await followRefusal(db, target)).toBe("This Q&A session was cancelled, so there is nothing to follow.");
    expect(await followTargetExists(db, target)).toBe(false);
    expect(await followRefusal(db, { type: "session", key: "999999" })).toBe("That no longer exists.");
    expect(await followRefusal(db, { type: "session", key: "01" })).toBe("That no longer exists.");
    expect(await followRefusal(db, { type: "tag", key: "no-such-tag" })).toBe("That no longer exists.");
  });

  test("a session's new time is in its notification, read from the session as it is now", async () => {
    const { db } = database;
    const session = await scheduled(db);
    const watcher = await makePerson(db);
    await follow(db, watcher.id, { type: "session", key: String(session.officeHoursId) });
    const move = (start: number, now: number) => moveSession(db, session, { startsAt: start, endsAt: 180, at: now });
    await move(120, 57);
    expect((await listNotifications(db, watcher.id)).items.map((n) => [n.kind, n.startsAt])).toEqual([
      ["session_changed", minutes(120)],
    ]);
    await move(130, 58);
    expect((await listNotifications(db, watcher.id)).items.map((n) => n.startsAt)).toEqual([minutes(130)]);
    // Moved twice before the watcher looked: the notice is from the times they last knew (60 to 120), not from 120.
    expect((await listNotifications(db, watcher.id)).items.map((n) => [n.previousStartsAt, n.previousEndsAt])).toEqual([
      [minutes(60), minutes(120)],
    ]);
  });

  test("asking and answering follow the question: the asker hears of answers and comments, the answerer of later ones", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Asker A" });
    const helper = await makePerson(db, { name: "Helper H" });
    const other = await makePerson(db, { name: "Other O" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Laptop fans spin up at full speed on battery",
    });
    expect(await inbox(asker.id)).toEqual([]);

    const answerId = await makeAnswer(db, helper, questionId);
    expect(await inbox(asker.id)).toEqual([
      { kind: "answer", actor: "Helper H", title: "Laptop fans spin up at full speed on battery" },
    ]);
    expect(await inbox(helper.id)).toEqual([]);

    // A comment on the answer: its author and the question's followers hear of it, the commenter does not.
    await addComment(db, { postId: answerId, actor: other, body: "Does it also happen in safe mode?" });
    expect((await inbox(helper.id)).map((n) => n.kind)).toEqual(["comment"]);
    expect((await inbox(asker.id)).map((n) => n.kind)).toEqual(["comment", "answer"]);
    expect(await inbox(other.id)).toEqual([]);

    // Accepting tells the answer's author; accepting again after taking it back does not tell them twice.
    await acceptAnswer(db, { answerId, actor: asker });
    await unacceptAnswer(db, { questionId, actor: asker });
    await acceptAnswer(db, { answerId, actor: asker });
    expect((await inbox(helper.id)).map((n) => n.kind)).toEqual(["accepted", "comment"]);
  });

  test("news of a post or comment a moderator removes leaves the list and the count, and comes back with a restore", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const helper = await makePerson(db, { name: "Spammy S" });
    const moderator = await makePerson(db, { role: "moderator" });
    const questionId = await makeQuestion(db, asker, await makeSpace(db), {
      title: "Shared mailbox stopped showing in Outlook",
    });
    const answerId = await makeAnswer(db, helper, questionId, { body: "Buy cheap watches at the link in my profile." });
    const { commentId } = await addComment(db, { postId: questionId, actor: helper, body: "Also: cheap watches!" });
    expect((await inbox(asker.id)).map((n) => n.kind)).toEqual(["comment", "answer"]);
    expect(await countUnread(db, asker.id)).toBe(2);

    await deleteQuestionOrAnswer(db, { postId: answerId, actor: moderator, reason: "Spam" });
    await deleteComment(db, { commentId, actor: moderator });
    expect(await inbox(asker.id)).toEqual([]);
    expect(await countUnread(db, asker.id)).toBe(0);

    await restoreQuestionOrAnswer(db, { postId: answerId, actor: moderator });
    expect((await inbox(asker.id)).map((n) => n.kind)).toEqual(["answer"]);
    expect(await countUnread(db, asker.id)).toBe(1);

    // A deleted question takes the news of its answers with it.
    const follower = await makePerson(db);
    await follow(db, follower.id, { type: "question", key: String(questionId) });
    await makeAnswer(db, await makePerson(db), questionId);
    expect((await inbox(follower.id)).map((n) => n.kind)).toEqual(["answer"]);
    await deleteQuestionOrAnswer(db, { postId: questionId, actor: moderator, reason: "Spam thread" });
    expect(await inbox(follower.id)).toEqual([]);
    expect(await countUnread(db, follower.id)).toBe(0);
  });

  test("a mention reaches the person once even when they also follow; a self-mention reaches nobody", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const helper = await makePerson(db, { name: "Mentioning M" });
    const expert = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db));
    await follow(db, expert.id, { type: "question", key: String(questionId) });
    await makeAnswer(db, helper, questionId, {
      body: `@${await handleOf(expert.id)} knows this one better than me; also @${await handleOf(helper.id)}.`,
    });
    expect(await inbox(expert.id)).toEqual([expect.objectContaining({ kind: "mention", actor: "Mentioning M" })]);
    expect(await inbox(helper.id)).toEqual([]);
  });

  test("following a space, a tag or a person announces their new questions and how-tos; banned people hear nothing", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const author = await makePerson(db, { name: "Author W" });
    const [bySpace, byTag, byPerson, banned] = [
      await makePerson(db),
      await makePerson(db),
      await makePerson(db),
      await makePerson(db, { banned: true }),
    ];
    await follow(db, bySpace.id, { type: "space", key: String(spaceId) });
    await follow(db, byTag.id, { type: "tag", key: "bitlocker" });
    await follow(db, byPerson.id, { type: "user", key: author.id });
    await follow(db, banned.id, { type: "space", key: String(spaceId) });
    await makeQuestion(db, author, spaceId, {
      title: "BitLocker asks for the recovery key after every BIOS update",
      tags: "bitlocker",
    });
    const howtoSpace = await makeSpace(db);
    await makeHowto(db, author, howtoSpace, {
      title: "Suspend BitLocker before a firmware update",
      tags: "bitlocker, firmware",
    });
    expect((await inbox(bySpace.id)).map((n) => n.title)).toEqual([
      "BitLocker asks for the recovery key after every BIOS update",
    ]);
    expect((await inbox(byTag.id)).map((n) => n.title)).toEqual([
      "Suspend BitLocker before a firmware update",
      "BitLocker asks for the recovery key after every BIOS update",
    ]);
    expect((await inbox(byPerson.id)).map((n) => n.kind)).toEqual(["new_post", "new_post"]);
    expect(await inbox(banned.id)).toEqual([]);
    expect(await inbox(author.id)).toEqual([]);
  });
});

describe("a person's new Q&A session", () => {
  async function scheduleAs(host: Awaited<ReturnType<typeof makePerson>>, spaceId: number) {
    return scheduleOfficeHours(database.db, {
      actor: host,
      title: "Ask me anything about printer queues",
      description: "Stuck jobs, drivers and printing from home.",
      spaceId,
      startsAtLocal: local(60),
      endsAtLocal: local(120),
      timeZone: "UTC",
      now: T0,
    });
  }

  test("people who follow the host or its space hear of it once each; the host and banned people do not", async () => {
    const { db } = database;
    const host = await makePerson(db, { role: "mentor", name: "Mentor Mo" });
    const spaceId = await makeSpace(db);
    const [fan, fanOfBoth, spaceOnly, banned] = [
      await makePerson(db),
      await makePerson(db),
      await makePerson(db),
      await makePerson(db, { banned: true }),
    ];
    for (const person of [fan, fanOfBoth, banned, host]) await follow(db, person.id, { type: "user", key: host.id });
    for (const person of [fanOfBoth, spaceOnly]) await follow(db, person.id, { type: "space", key: String(spaceId) });

    const { officeHoursId } = await scheduleAs(host, spaceId);
    for (const person of [fan, fanOfBoth, spaceOnly]) {
      const { items } = await listNotifications(db, person.id);
      expect(items.map((item) => [item.kind, item.actorName, item.title, item.url])).toEqual([
        ["session_scheduled", "Mentor Mo", "Ask me anything about printer queues", `/sessions/${officeHoursId}`],
      ]);
    }
    for (const person of [banned, host]) expect(await inbox(person.id)).toEqual([]);
    // Another session of theirs is news of its own.
    await scheduleAs(host, spaceId);
    expect((await inbox(fan.id)).map((n) => n.kind)).toEqual(["session_scheduled", "session_scheduled"]);
  });

  test("its email follows each follower's choice for new sessions, and says when the session is", async () => {
    const { db } = database;
    const host = await makePerson(db, { role: "mentor", name: "Mentor Mia" });
    const [atOnce, never] = [await makePerson(db, { name: "Reader R" }), await makePerson(db)];
    for (const person of [atOnce, never]) await follow(db, person.id, { type: "user", key: host.id });
    await setEmailPreference(db, atOnce.id, "session_scheduled", "immediate");
    await setEmailPreference(db, never.id, "session_scheduled", "never");
    await scheduleAs(host, await makeSpace(db, { name: "Printers" }));
    await queueNotificationEmails({ db, baseURL: "https://peerdesk.example", secret: "s".repeat(40) });
    const subjects = async (userId: string) =>
      (await db.select().from(emailOutbox).where(eq(emailOutbox.userId, userId))).map((mail) => mail.subject);
    expect(await subjects(atOnce.id)).toEqual([
      "Mentor Mia scheduled the Q&A session “Ask me anything about printer queues” in Printers for Tue, 1 Dec 2026, 16:00–17:00 UTC",
    ]);
    expect(await subjects(never.id)).toEqual([]);
    // Dealt with by the choice, not left waiting: a later run does not mail it either.
    const [skipped] = await db
      .select({ mailedAt: notifications.mailedAt })
      .from(notifications)
      .where(and(eq(notifications.userId, never.id), eq(notifications.kind, "session_scheduled")));
    expect(skipped?.mailedAt).not.toBeNull();
  });
});

describe("a rating of your help", () => {
  test("leads to My impact, where the rating is shown, and to the comments there when it came with one", async () => {
    const { db } = database;
    const asker = await makePerson(db, { name: "Asker Ari" });
    const helper = await makePerson(db);
    const questionId = await makeQuestion(db, asker, await makeSpace(db), { title: "VPN drops every ten minutes" });
    const answerId = await makeAnswer(db, helper, questionId);
    await acceptAnswer(db, { answerId, actor: asker });
    await rateHelp(db, { questionId, actor: asker, rating: 4 });
    const rating = async () => (await listNotifications(db, helper.id)).items.find((item) => item.kind === "rating");
    const first = await rating();
    expect(first?.url).toBe("/me/impact");
    expect(await openNotification(db, helper.id, first?.id ?? 0)).toBe("/me/impact");
    // The asker adds a comment while the rating can still be changed: the notification now leads to it.
    await rateHelp(db, { questionId, actor: asker, rating: 5, comment: "Fixed it in five minutes, thank you!" });
    expect((await rating())?.url).toBe("/me/impact#comments-heading");
  });
});

describe("the inbox", () => {
  test("unread count, opening one (only your own), marking all read, and pages", async () => {
    const { db } = database;
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const questionId = await makeQuestion(db, asker, spaceId, { title: "Shared calendar shows busy for every slot" });
    const helpers = [];
    for (let i = 0; i < 32; i++) helpers.push(await makePerson(db));
    for (const helper of helpers) await makeAnswer(db, helper, questionId);
    expect(await countUnread(db, asker.id)).toBe(32);

    const first = await listNotifications(db, asker.id);
    expect(first.items).toHaveLength(30);
    expect(first.nextBefore).not.toBeNull();
    const second = await listNotifications(db, asker.id, { before: first.nextBefore ?? undefined });
    expect(second.items).toHaveLength(2);
    expect(second.nextBefore).toBeNull();
    expect(new Set([...first.items, ...second.items].map((item) => item.id)).size).toBe(32);

    const newest = first.items[0]!;
    expect(newest.url).toMatch(new RegExp(`^/q/${questionId}/shared-calendar-shows-busy-for-every-slot#answer-\\d+$`));
    // Someone else's notification cannot be opened (or marked read) by id.
    const stranger = await makePerson(db);
    expect(await openNotification(db, stranger.id, newest.id)).toBeNull();
    expect(await countUnread(db, asker.id)).toBe(32);
    expect(await openNotification(db, asker.id, newest.id)).toBe(newest.url);
    expect(await countUnread(db, asker.id)).toBe(31);
    expect(await markAllRead(db, asker.id)).toBe(31);
    expect(await countUnread(db, asker.id)).toBe(0);
    const [space] = await db.select().from(spaces).where(eq(spaces.id, spaceId));
    expect(space).toBeTruthy();
    expect(
      (await db.select().from(notifications).where(eq(notifications.userId, asker.id))).every(
        (row) => row.readAt !== null,
      ),
    ).toBe(true);
  });
});
