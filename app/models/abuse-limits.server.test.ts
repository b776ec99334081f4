/**
 * Limits the abuse audit asked for, on the real database: brand-new accounts' flags can't hide an answer on their own
 * (and the review queue says a flagger is new); a silenced account can't flag, thank, rate or change what others see on
 * its profile; an unconfirmed account can't thank or rate either. Routes are called as server.js calls them, and every
 * refusal comes back as a message with what was typed, never a 500.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { answerThanks, flags, howtoFeedback, notifications, posts, users } from "#db/schema";
import { action as flagAction } from "~/routes/flag";
import { action as howtoAction } from "~/routes/howtos.$id._index";
import { action as questionAction } from "~/routes/q.$id.($slug)";
import { action as profileAction, loader as profileLoader } from "~/routes/settings.profile";
import { createTestDatabase } from "../../tests/fixtures/db";
import { rejection } from "../../tests/fixtures/errors";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { acceptAnswer } from "./answers.server";
import { rateHelp, thankAnswer } from "./feedback.server";
import { NEW_ACCOUNT_FLAG_FACTOR, flagContent, flagWeight } from "./flags.server";
import { silenceUser } from "./holds.server";
import { rateHowto } from "./howto-feedback.server";
import { CONFIRM_EMAIL_MESSAGE } from "./permissions.server";
import type { SignedInActor } from "./post-errors.server";
import { listReviewQueue } from "./review-queue.server";

let database: Database;
let services: TestServices;
beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(async () => {
  await database?.close();
});

const SILENCED = /silenced while moderators review it/;

async function isVisible(postId: number) {
  const [row] = await database.db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return row?.deletedAt === null;
}

async function silence(person: { id: string }) {
  await database.db.transaction((tx) => silenceUser(tx, { userId: person.id, by: null, reason: "Under review" }));
}

/** A question by one person with an answer by a mentor; returns both ids and the mentor. */
async function answeredQuestion() {
  const { db } = database;
  const asker = await makePerson(db);
  const mentor = await makePerson(db, { role: "mentor" });
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const answerId = await makeAnswer(db, mentor, questionId);
  return { asker, mentor, questionId, answerId };
}

async function noticesOf(userId: string, kind: "thanks" | "rating") {
  const rows = await database.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));
  return rows.length;
}

test("a new account's flag weighs a quarter of an established member's", () => {
  expect(flagWeight({ upheld: 0, dismissed: 0 }, 0, { isNew: true })).toBe(NEW_ACCOUNT_FLAG_FACTOR);
  expect(flagWeight({ upheld: 0, dismissed: 0 }, 0, { isNew: false })).toBe(1);
  // Even a perfect record (weight 2) stays at half a member's first flag while the account is new.
  expect(flagWeight({ upheld: 98, dismissed: 0 }, 0, { isNew: true })).toBeCloseTo(0.495);
});

test("five brand-new accounts can't hide a mentor's answer; three established members still do", async () => {
  const { db } = database;
  const { answerId } = await answeredQuestion();
  const flag = (actor: SignedInActor) =>
    flagContent(db, { actor, targetType: "post", targetId: String(answerId), reason: "rude" });
  for (let n = 0; n < 5; n++) {
    const result = await flag(await makePerson(db, { isNew: true }));
    expect(result.hidden).toBe(false);
  }
  expect(await isVisible(answerId)).toBe(true);

  const other = await answeredQuestion();
  const flagOther = (actor: SignedInActor) =>
    flagContent(db, { actor, targetType: "post", targetId: String(other.answerId), reason: "rude" });
  await flagOther(await makePerson(db));
  await flagOther(await makePerson(db));
  expect((await flagOther(await makePerson(db))).hidden).toBe(true);
  expect(await isVisible(other.answerId)).toBe(false);
});

test("the review queue says when a flagger's account is new, and not for established members", async () => {
  const { db } = database;
  const { answerId } = await answeredQuestion();
  const newcomer = await makePerson(db, { isNew: true });
  const member = await makePerson(db);
  for (const actor of [newcomer, member])
    await flagContent(db, { actor, targetType: "post", targetId: String(answerId), reason: "spam" });
  const item = (await listReviewQueue(db)).find(
    (entry) => entry.ref.type === "post" && entry.ref.id === String(answerId),
  );
  const [joined] = await db.select({ at: users.createdAt }).from(users).where(eq(users.id, newcomer.id));
  const byWeight = [...(item?.flags ?? [])].sort((a, b) => a.weight - b.weight);
  expect(byWeight.map((flag) => flag.weight)).toEqual([0.25, 1]);
  expect(byWeight[0]?.flaggerNewSince).toEqual(joined?.at);
  expect(byWeight[1]?.flaggerNewSince).toBeNull();
});

test("a silenced account's flag is refused with the plain reason, and nothing is recorded", async () => {
  const { db } = database;
  const { answerId } = await answeredQuestion();
  const flagger = await makePerson(db);
  await silence(flagger);
  const refused = await rejection(
    flagContent(db, { actor: flagger, targetType: "post", targetId: String(answerId), reason: "rude" }),
  );
  expect(refused.status).toBe(403);
  expect(refused.message).toMatch(SILENCED);
  expect(await db.select().from(flags).where(eq(flags.flaggerId, flagger.id))).toEqual([]);
});

test("a silenced account can't thank an answer, rate a how-to or rate the help it got; nobody is told", async () => {
  const { db } = database;
  const { mentor, answerId } = await answeredQuestion();
  const reader = await makePerson(db);
  await silence(reader);
  const thanks = await rejection(thankAnswer(db, { answerId, actor: reader }));
  expect([thanks.status, thanks.message]).toEqual([403, expect.stringMatching(SILENCED)]);
  expect(await db.select().from(answerThanks).where(eq(answerThanks.userId, reader.id))).toEqual([]);
  expect(await noticesOf(mentor.id, "thanks")).toBe(0);

  const howtoId = await makeHowto(db, mentor, await makeSpace(db));
  const rating = await rejection(
    rateHowto(db, { howtoId, actor: reader, isHelpful: false, comment: "Write to help@phish.example instead" }),
  );
  expect([rating.status, rating.message]).toEqual([403, expect.stringMatching(SILENCED)]);
  expect(await db.select().from(howtoFeedback).where(eq(howtoFeedback.userId, reader.id))).toEqual([]);

  // The asker of a question with an accepted answer rates the help: not while silenced.
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  const helper = await makePerson(db);
  const helpedBy = await makeAnswer(db, helper, questionId);
  await acceptAnswer(db, { answerId: helpedBy, actor: asker });
  await silence(asker);
  const helpRating = await rejection(rateHelp(db, { questionId, actor: asker, rating: 1, comment: "Useless" }));
  expect([helpRating.status, helpRating.message]).toEqual([403, expect.stringMatching(SILENCED)]);
  expect(await noticesOf(helper.id, "rating")).toBe(0);
});

test("someone who hasn't confirmed their email can't thank, rate a how-to or rate help yet", async () => {
  const { db } = database;
  const { mentor, answerId } = await answeredQuestion();
  const unconfirmed = { ...(await makePerson(db)), emailVerified: false };
  const thanks = await rejection(thankAnswer(db, { answerId, actor: unconfirmed }));
  expect([thanks.status, thanks.message]).toEqual([403, CONFIRM_EMAIL_MESSAGE]);
  expect(await noticesOf(mentor.id, "thanks")).toBe(0);
  const howtoId = await makeHowto(db, mentor, await makeSpace(db));
  const rating = await rejection(rateHowto(db, { howtoId, actor: unconfirmed, isHelpful: false, comment: "Meh" }));
  expect([rating.status, rating.message]).toEqual([403, CONFIRM_EMAIL_MESSAGE]);

  // Their question from before the address needed confirming again (a changed email address, say).
  const confirmedEarlier = { ...unconfirmed, emailVerified: true };
  const questionId = await makeQuestion(db, confirmedEarlier, await makeSpace(db));
  const helpedBy = await makeAnswer(db, mentor, questionId);
  await acceptAnswer(db, { answerId: helpedBy, actor: confirmedEarlier });
  const help = await rejection(rateHelp(db, { questionId, actor: unconfirmed, rating: 2 }));
  expect([help.status, help.message]).toEqual([403, CONFIRM_EMAIL_MESSAGE]);
});

/** A person signed up through better-auth (email not confirmed yet), signed in in their own browser. */
async function signedUp(name: string, ip: string) {
  const browser = new Browser(services, ip);
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${Date.now()}@example.com`;
  await signUp(browser, { name, email, password: `${name} keeps the help desk tidy` });
  const [row] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!row) throw new Error("sign-up");
  return { browser, id: row.id };
}

type Refusal = { ok: false; message: string; values: Record<string, string>; fieldErrors?: Record<string, string> };

test("pages: an unconfirmed account's thanks and how-to rating are refused as a message, with and without JavaScript", async () => {
  const { db } = database;
  const { questionId, answerId, mentor } = await answeredQuestion();
  const { browser } = await signedUp("Tess Newcomb", "10.77.0.1");
  for (const js of ["1", "0"]) {
    const thanked = payload<Refusal>(
      await browser.submit(
        questionAction,
        `/q/${questionId}`,
        { intent: "thank", postId: String(answerId), js },
        { id: String(questionId) },
      ),
    );
    expect(thanked.status).toBe(403);
    expect(thanked.data.message).toBe(CONFIRM_EMAIL_MESSAGE);
  }
  expect(await noticesOf(mentor.id, "thanks")).toBe(0);

  const howtoId = await makeHowto(db, mentor, await makeSpace(db));
  for (const js of ["1", "0"]) {
    const rated = payload<Refusal>(
      await browser.submit(
        howtoAction,
        `/howtos/${howtoId}`,
        { intent: "feedback", answer: "no", comment: "Email me at help@phish.example", js },
        { id: String(howtoId) },
      ),
    );
    expect(rated.status).toBe(403);
    expect(rated.data.message).toBe(CONFIRM_EMAIL_MESSAGE);
    expect(rated.data.values.comment).toBe("Email me at help@phish.example");
  }
  const [counts] = await db.select({ no: posts.helpfulNo }).from(posts).where(eq(posts.id, howtoId));
  expect(counts?.no).toBe(0);
});

test("pages: a silenced account's flag is refused as a message that keeps the reason and note", async () => {
  const { answerId } = await answeredQuestion();
  const { browser, id } = await signedUp("Ola Flagger", "10.77.0.2");
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.id, id));
  await silence({ id });
  const path = `/flag?type=post&id=${answerId}`;
  const fields = { targetType: "post", targetId: String(answerId), reason: "rude", details: "Insulting tone" };
  const refused = payload<Refusal>(await browser.submit(flagAction, path, fields));
  expect(refused.status).toBe(403);
  expect(refused.data.message).toMatch(SILENCED);
  expect(refused.data.values).toMatchObject({ reason: "rude", details: "Insulting tone" });
});

test("pages: a silenced account can't rename itself or change its bio, keeps what it typed, and can still set its time zone", async () => {
  const { browser, id } = await signedUp("Pia Quiet", "10.77.0.3");
  const before = payload<{ profile: Record<string, string>; isAccountSilenced: boolean }>(
    await browser.load(profileLoader, "/settings/profile"),
  );
  expect(before.data.isAccountSilenced).toBe(false);
  await silence({ id });
  expect(
    payload<{ isAccountSilenced: boolean }>(await browser.load(profileLoader, "/settings/profile")).data
      .isAccountSilenced,
  ).toBe(true);
  const untouched = {
    name: before.data.profile.name ?? "",
    bio: before.data.profile.bio ?? "",
    audience: before.data.profile.audience ?? "it",
    expertise: before.data.profile.expertise ?? "",
    mentorPitch: before.data.profile.mentorPitch ?? "",
    languages: before.data.profile.languages ?? "",
    timeZone: "",
  };
  const typed = { ...untouched, name: "Marcus Lee (Moderator)", bio: "Reset your password at https://phish.example" };
  const refused = payload<Refusal>(await browser.submit(profileAction, "/settings/profile", typed));
  expect(refused.status).toBe(403);
  expect(refused.data.message).toMatch(SILENCED);
  expect(Object.keys(refused.data.fieldErrors ?? {}).sort()).toEqual(["bio", "name"]);
  expect(refused.data.values).toMatchObject({ name: typed.name, bio: typed.bio });
  const [stored] = await database.db.select({ name: users.name, bio: users.bio }).from(users).where(eq(users.id, id));
  expect(stored).toEqual({ name: "Pia Quiet", bio: "" });

  // The settings only they see still save.
  const saved = payload<{ ok: boolean }>(
    await browser.submit(profileAction, "/settings/profile", { ...untouched, timeZone: "Europe/Oslo" }),
  );
  expect(saved.data.ok).toBe(true);
  const [after] = await database.db
    .select({ name: users.name, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, id));
  expect(after).toEqual({ name: "Pia Quiet", timeZone: "Europe/Oslo" });
});
