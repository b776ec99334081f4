/**
 * Nobody passes for staff by their name or address (invisible characters, look-alike letters, /u/admin), and a ban
 * takes everything the banned person posted out of sight until the ban is lifted.
 */
import { readdirSync } from "node:fs";
import { eq, inArray } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { comments, moderationLog, posts, users } from "#db/schema";
import { nameFromClaims } from "~/auth/sso.server";
import { profileSchema, signUpSchema } from "~/auth/validation";
import { oneLineName } from "~/lib/plain-text";
import { action as usersAction } from "~/routes/admin.users";
import { loader as moderationLoader } from "~/routes/moderation";
import { loader as questionLoader } from "~/routes/q.$id.($slug)";
import { action as signupAction } from "~/routes/signup";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace, makeUser } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, signedInAdmin, testServices } from "../../tests/fixtures/routes";
import { addComment } from "./comments.server";
import { decideHold, holdContent, silenceUser } from "./holds.server";
import { liftSilenceFromReview } from "./review-actions.server";
import { RESERVED_HANDLES, assignHandleAndFirstAdmin, banUser, unbanUser } from "./users.server";

let database: Database;
let services: TestServices;
let admin: { browser: Browser; id: string };

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  admin = await signedInAdmin(services, "10.61.0.1");
});
afterAll(() => database.close());

const nameOf = (name: string) => profileSchema.shape.name.safeParse(name);

describe("names", () => {
  test("invisible format characters are dropped, so a name can't copy a moderator's with one hidden inside", () => {
    expect(nameOf("Marcus\u200b Lee").data).toBe("Marcus Lee");
    expect(nameOf("Mar\u200ccus\u2060 L\u00adee\ufeff").data).toBe("Marcus Lee");
    expect(nameOf("Marcus\u200d Lee\u2062\u{e0041}").data).toBe("Marcus Lee");
    expect(nameOf("Marcus\u3164Lee").data).toBe("MarcusLee");
    // Only invisible characters: as empty as it looks.
    expect(nameOf("\u200b\u200b\u200b").success).toBe(false);
  });

  test("what emoji, flags and joined scripts need stays", () => {
    expect(nameOf("Priya 👩🏽‍💼").data).toBe("Priya 👩🏽‍💼");
    expect(nameOf("Sam 🏳️‍🌈 🏴‍☠️").data).toBe("Sam 🏳️‍🌈 🏴‍☠️");
    expect(nameOf("Rhys 🏴󠁧󠁢󠁷󠁬󠁳󠁿").data).toBe("Rhys 🏴󠁧󠁢󠁷󠁬󠁳󠁿");
    // Persian spells with a zero-width non-joiner between letters; a trailing one shows nothing and goes.
    expect(nameOf("آرش نیک‌نام").data).toBe("آرش نیک‌نام");
    expect(nameOf("آرش نیک\u200c").data).toBe("آرش نیک");
  });

  test("space names lose the same invisible characters (one rule for names)", () => {
    expect(oneLineName("Help\u00ad desk\u200b")).toBe("Help desk");
    expect(oneLineName("Team 👩🏽‍💼")).toBe("Team 👩🏽‍💼");
  });

  test("a word mixing Latin, Cyrillic or Greek letters is refused with a plain reason; one alphabet per word is fine", () => {
    const cyrillicA = nameOf("Mаrcus Lee");
    expect(cyrillicA.success).toBe(false);
    expect(cyrillicA.error?.issues[0]?.message).toBe(
      "“Mаrcus” mixes Latin and Cyrillic letters that look alike, so it could be mistaken for someone else's name. Please type each word in one alphabet.",
    );
    expect(nameOf("Αda Lovelace").error?.issues[0]?.message).toMatch(/mixes Latin and Greek letters/);
    expect(nameOf("Anna Иванова").success).toBe(true);
    expect(nameOf("Σοφία Παπαδοπούλου").success).toBe(true);
    expect(nameOf("Zoë O'Brien-Łukasiewicz 3rd").success).toBe(true);
    // Sign-up and the admin creation command check names with the same schema.
    const signUp = signUpSchema.safeParse({
      name: "Mаrcus Lee",
      email: "m@example.com",
      password: "a long enough sentence",
      audience: "it",
    });
    expect(signUp.success).toBe(false);
  });

  test("single sign-on skips a look-alike or invisible-character name for the next claim that makes a good one", () => {
    expect(nameFromClaims({ name: "Mаrcus Lee", given_name: "Marcus", family_name: "Li" })).toBe("Marcus Li");
    expect(nameFromClaims({ name: "Mаrcus Lee", email: "mlee@example.com" })).toBe("mlee");
    expect(nameFromClaims({ name: "Marcus\u200b Lee" })).toBe("Marcus Lee");
  });

  test("the sign-up page refuses a look-alike name and keeps everything typed", async () => {
    const withSignUp = { ...services, env: { PASSWORD_SIGNUP: true, ssoProviders: [] } } as TestServices;
    const form = {
      name: "Mаrcus Lee",
      email: "marcus.fake@example.com",
      password: "marcus keeps the lights on",
      audience: "it",
    };
    const result = payload<{ fieldErrors: Record<string, string>; values: Record<string, string> }>(
      await new Browser(withSignUp, "10.61.0.2").submit(signupAction, "/signup", form),
    );
    expect(result.status).toBe(400);
    expect(result.data.fieldErrors.name).toMatch(/mixes Latin and Cyrillic letters/);
    expect(result.data.values).toMatchObject({ name: form.name, email: form.email, audience: "it" });
    expect(await database.db.select().from(users).where(eq(users.email, form.email))).toEqual([]);
  });

  test("signing up with a zero-width space keeps the name as it shows, and an address of its own", async () => {
    const moderator = await makeUser(database.db, { name: "Marcus Lee", handle: "marcus-lee", role: "moderator" });
    await signUp(new Browser(services, "10.61.0.3"), {
      name: "Marcus\u200b Lee",
      email: "not.marcus@example.com",
      password: "nobody should pass for marcus",
    });
    const [copy] = await database.db.select().from(users).where(eq(users.email, "not.marcus@example.com"));
    expect(copy).toMatchObject({ name: "Marcus Lee", handle: "marcus-lee-2", role: "member" });
    expect(copy?.id).not.toBe(moderator);
  });
});

describe("profile addresses", () => {
  async function handleFor(name: string, email = `${Math.random().toString(36).slice(2)}@example.com`) {
    const userId = await makeUser(database.db, { name, email, handle: null });
    await assignHandleAndFirstAdmin(database.db, { userId, name, email }, { firstSignUpIsAdmin: false });
    const [row] = await database.db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
    return row?.handle;
  }

  test("staff-sounding names and the site's own page names get the next free variant, as a taken address does", async () => {
    expect(await handleFor("Admin")).toBe("admin-2");
    expect(await handleFor("Admin")).toBe("admin-3");
    expect(await handleFor("Moderator")).toBe("moderator-2");
    expect(await handleFor("PeerDesk")).toBe("peerdesk-2");
    expect(await handleFor("Help Desk")).toBe("help-desk");
    expect(await handleFor("Settings")).toBe("settings-2");
    expect(await handleFor("ME")).toBe("me-2");
    // A name with no letters to spell falls back to the address, which obeys the same rule.
    expect(await handleFor("日本", "support@example.com")).toBe("support-2");
    expect(await handleFor("Team Lead")).toBe("team-lead");
  });

  test("the sign-up endpoint never gives /u/staff", async () => {
    await signUp(new Browser(services, "10.61.0.4"), {
      name: "Staff",
      email: "an.admin.imposter@example.com",
      password: "this is not the real admin",
    });
    const [row] = await database.db.select().from(users).where(eq(users.email, "an.admin.imposter@example.com"));
    expect(row?.handle).toBe("staff-2");
  });

  test("every top-level page of the site is a reserved address", () => {
    const topLevel = readdirSync(new URL("../routes", import.meta.url))
      .filter((file) => !file.includes(".test.") && !/^[_$[(]/.test(file))
      .map((file) => file.split(/[.[_]/)[0] ?? "");
    expect(topLevel.length).toBeGreaterThan(20);
    expect(topLevel.filter((word) => !RESERVED_HANDLES.has(word))).toEqual([]);
  });
});

describe("bans", () => {
  type Answer = { ok: boolean; message: string };

  /** A spammer with a question, an answer, a how-to and a comment, all public. */
  async function spammerWithPosts() {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const spammer = await makePerson(db, { name: "Official Notice" });
    const member = await makePerson(db);
    const questionId = await makeQuestion(db, spammer, spaceId, { title: "Official notice: all members re-verify" });
    const othersQuestion = await makeQuestion(db, member, spaceId);
    const answerId = await makeAnswer(db, spammer, othersQuestion);
    const howtoId = await makeHowto(db, spammer, spaceId);
    const { commentId } = await addComment(db, {
      postId: othersQuestion,
      actor: spammer,
      body: "Official notice from the PeerDesk team: all members must re-verify their accounts.",
    });
    return { spammer, questionId, othersQuestion, answerId, howtoId, commentId };
  }

  /** How many of these posts are public, and whether the comment is. */
  async function visible(postIds: number[], commentId: number) {
    const { db } = database;
    const rows = await db
      .select({ deletedAt: posts.deletedAt })
      .from(posts)
      .where(inArray(posts.id, postIds.length > 0 ? postIds : [0]));
    const [comment] = await db
      .select({ deletedAt: comments.deletedAt })
      .from(comments)
      .where(eq(comments.id, commentId));
    return { posts: rows.filter((row) => row.deletedAt === null).length, comment: comment?.deletedAt === null };
  }

  const readerSees = async (questionId: number) => {
    const page = await new Browser(services, "10.61.0.9").load(questionLoader, `/q/${questionId}`, {
      id: String(questionId),
    });
    return !(page instanceof Response && page.status === 404);
  };

  test("banning hides everything they posted by default, says how much, and lifting the ban shows it again", async () => {
    const { spammer, questionId, othersQuestion, answerId, howtoId, commentId } = await spammerWithPosts();
    const theirs = [questionId, answerId, howtoId];
    expect(await readerSees(questionId)).toBe(true);

    const banned = payload<Answer>(
      await admin.browser.submit(usersAction, "/admin/users", {
        intent: "ban",
        userId: spammer.id,
        reason: "Phishing",
        confirm: "yes",
        hideOffered: "yes",
        hidePosts: "on",
      }),
    );
    expect(banned.data).toMatchObject({
      ok: true,
      message: "Account banned and signed out everywhere. 4 posts by them are hidden until the ban is lifted.",
    });
    expect(await visible(theirs, commentId)).toMatchObject({ posts: 0, comment: false });
    expect(await readerSees(questionId)).toBe(false);
    // The thread they answered and commented on stays; only their part of it went.
    expect(await readerSees(othersQuestion)).toBe(true);
    // The public log says who was banned and why, nothing about what of theirs was hidden.
    const log = (await new Browser(services, "10.61.0.9").load(moderationLoader, "/moderation")) as {
      entries: { action: string; reason: string; details: Record<string, unknown> }[];
    };
    expect(log.entries[0]).toMatchObject({ action: "user.ban", reason: "Phishing", details: {} });
    const aboutThem = [spammer.id, ...theirs.map(String), String(commentId)];
    const logged = await database.db.select().from(moderationLog).where(inArray(moderationLog.targetId, aboutThem));
    expect(logged.map((row) => [row.action, row.details])).toEqual([["user.ban", {}]]);

    const lifted = payload<Answer>(
      await admin.browser.submit(usersAction, "/admin/users", { intent: "unban", userId: spammer.id }),
    );
    expect(lifted.data).toMatchObject({ ok: true, message: "Ban lifted. 4 posts hidden by the ban are public again." });
    expect(await visible(theirs, commentId)).toMatchObject({ posts: 3, comment: true });
    expect(await readerSees(questionId)).toBe(true);
  });

  test("lifting a ban shows only what the ban hid: held, deleted or since-removed posts stay hidden", async () => {
    const { db } = database;
    const { spammer, questionId, answerId, howtoId, commentId } = await spammerWithPosts();
    // Held by the spam screening before the ban, and waiting for a moderator.
    await db.transaction((tx) =>
      holdContent(tx, {
        ref: { type: "post", id: String(answerId) },
        authorId: spammer.id,
        reason: "many_links",
        message: "Held for its links.",
      }),
    );
    const { hidden } = await banUser(db, { userId: spammer.id, reason: "", by: admin.id });
    expect(hidden).toEqual({ posts: 3, sessionQuestions: 0 });
    // A moderator removes the how-to for good from the review queue while the ban lasts.
    await db.transaction((tx) =>
      decideHold(tx, { ref: { type: "post", id: String(howtoId) }, by: admin.id, outcome: "removed" }),
    );
    const { shown } = await unbanUser(db, { userId: spammer.id, by: admin.id });
    expect(shown).toEqual({ posts: 2, sessionQuestions: 0 });
    const rows = await db
      .select({ id: posts.id, deletedAt: posts.deletedAt })
      .from(posts)
      .where(inArray(posts.id, [questionId, answerId, howtoId]));
    const isShown = (id: number) => rows.find((row) => row.id === id)?.deletedAt === null;
    expect([isShown(questionId), isShown(answerId), isShown(howtoId)]).toEqual([true, false, false]);
    expect((await visible([], commentId)).comment).toBe(true);
  });

  test("lifting a silence while the person is banned keeps what it held hidden, until the ban is lifted", async () => {
    const { db } = database;
    const { spammer, questionId, answerId, howtoId, commentId } = await spammerWithPosts();
    const theirs = [questionId, answerId, howtoId];
    await db.transaction((tx) => silenceUser(tx, { userId: spammer.id, by: admin.id, reason: "Spam" }));
    // Everything is held by the silence already, so the ban holds nothing more.
    expect((await banUser(db, { userId: spammer.id, reason: "", by: admin.id })).hidden).toEqual({
      posts: 0,
      sessionQuestions: 0,
    });
    const moderator = { id: admin.id, role: "admin" as const, banned: false };
    expect(await liftSilenceFromReview(db, { actor: moderator, userId: spammer.id })).toEqual({ released: 0 });
    expect(await visible(theirs, commentId)).toMatchObject({ posts: 0, comment: false });
    expect((await unbanUser(db, { userId: spammer.id, by: admin.id })).shown).toEqual({
      posts: 4,
      sessionQuestions: 0,
    });
    expect(await visible(theirs, commentId)).toMatchObject({ posts: 3, comment: true });
  });

  test("unticking the choice bans without hiding; a form that never offered it hides, as the box does by default", async () => {
    const unticked = await spammerWithPosts();
    const kept = payload<Answer>(
      await admin.browser.submit(usersAction, "/admin/users", {
        intent: "ban",
        userId: unticked.spammer.id,
        reason: "",
        confirm: "yes",
        hideOffered: "yes",
      }),
    );
    expect(kept.data.message).toBe("Account banned and signed out everywhere. Their posts stay public.");
    expect(await readerSees(unticked.questionId)).toBe(true);

    const older = await spammerWithPosts();
    const asked = payload<Answer & { askBan?: { hidePosts: boolean } }>(
      await admin.browser.submit(usersAction, "/admin/users", { intent: "ban", userId: older.spammer.id, reason: "x" }),
    );
    expect(asked.data.askBan).toMatchObject({ reason: "x", hidePosts: true });
    const hid = payload<Answer>(
      await admin.browser.submit(usersAction, "/admin/users", {
        intent: "ban",
        userId: older.spammer.id,
        reason: "x",
        confirm: "yes",
      }),
    );
    expect(hid.data.message).toMatch(/4 posts by them are hidden/);
    expect(await readerSees(older.questionId)).toBe(false);
  });

  test("a ban of someone with nothing public says so", async () => {
    const quiet = await makePerson(database.db);
    const banned = payload<Answer>(
      await admin.browser.submit(usersAction, "/admin/users", {
        intent: "ban",
        userId: quiet.id,
        reason: "",
        confirm: "yes",
        hideOffered: "yes",
        hidePosts: "on",
      }),
    );
    expect(banned.data.message).toBe("Account banned and signed out everywhere. They had no public posts to hide.");
  });
});
