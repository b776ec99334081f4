/**
 * Your data: the download holds what you wrote and what is kept about you (never secrets); deleting removes the
 * personal data, keeps posts under "Former member" (or deletes the questions nobody else answered, if asked),
 * announces the change to every page cache, and an admin's deletion on request is logged.
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import {
  accounts,
  moderationLog,
  passkeys,
  postImageUploaders,
  postImages,
  posts,
  savedPosts,
  searchOutbox,
  sessions,
  users,
} from "#db/schema";
import { PAGE_CACHE_CHANNEL } from "~/server/page-cache-http.server";
import { action as adminAccountAction } from "~/routes/admin.account.$userId";
import { loader as exportLoader } from "~/routes/me.data[.json]";
import { loader as moderationLoader } from "~/routes/moderation";
import { action as dataAction, loader as dataLoader } from "~/routes/settings.data";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import sharp from "sharp";
import { addComment } from "./comments.server";
import { flagContent } from "./flags.server";
import { removePostImage, savePostImage } from "./post-images.server";
import { savePost } from "./saved-posts.server";
import { FORMER_MEMBER_NAME } from "./account-data.server";
import { deleteAccount, describeDeletion } from "./account-deletion.server";
import { getProfileByHandle } from "./users.server";
import { ESTABLISHED_SINCE, makePerson, makeSpace } from "../../tests/fixtures/people";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

async function member(name: string, email: string, password: string) {
  const browser = new Browser(services, "10.7.0.1");
  await signUp(browser, { name, email, password });
  const [row] = await database.db.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error("no user");
  // An established member (a new account's posts may be held for review, which is not what these tests are about).
  await database.db.update(users).set({ createdAt: ESTABLISHED_SINCE }).where(eq(users.id, row.id));
  return { browser, id: row.id, handle: row.handle ?? "", actor: { id: row.id, role: row.role, banned: false } };
}

test("the download holds profile, posts, comments and devices, and no password hash, secret or token", async () => {
  const yara = await member("Yara Zell", "yara@example.com", "yara maps the network");
  const spaceId = await makeSpace(database.db);
  const questionId = await makeQuestion(database.db, yara.actor, spaceId, {
    title: "Why does the printer queue stall?",
  });
  await addComment(database.db, { actor: yara.actor, postId: questionId, body: "It happens after lunch too." });
  await savePost(database.db, yara.id, questionId);
  const picture = await savePostImage(
    database.db,
    yara.id,
    await sharp({ create: { width: 40, height: 20, channels: 3, background: "#123456" } })
      .png()
      .toBuffer(),
  );
  const response = (await yara.browser.load(exportLoader, "/me/data.json")) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="peerdesk-yara-zell-data.json"/);
  expect(response.headers.get("cache-control")).toContain("no-store");
  const text = await response.text();
  const exported = JSON.parse(text);
  expect(exported.profile).toMatchObject({ name: "Yara Zell", email: "yara@example.com", handle: yara.handle });
  expect(exported.posts.map((p: { title: string }) => p.title)).toEqual(["Why does the printer queue stall?"]);
  expect(exported.posts[0].url).toBe(`http://localhost:3000/q/${questionId}`);
  expect(exported.comments.map((c: { bodyMarkdown: string }) => c.bodyMarkdown)).toEqual([
    "It happens after lunch too.",
  ]);
  expect(exported.savedForLater).toEqual([{ postId: questionId, savedAt: expect.any(String) }]);
  expect(exported.picturesAddedToPosts).toEqual([
    expect.objectContaining({ width: 40, height: 20, url: `http://localhost:3000${picture.url}` }),
  ]);
  expect(exported.signIn.methods).toEqual([expect.objectContaining({ method: "password" })]);
  expect(exported.signIn.devices).toHaveLength(1);
  const [account] = await database.db.select().from(accounts).where(eq(accounts.userId, yara.id));
  const [session] = await database.db.select().from(sessions).where(eq(sessions.userId, yara.id));
  expect(text).not.toContain(account?.password ?? "(none)");
  expect(text).not.toContain(session?.token ?? "(none)");
});

test("the download also holds the flags you filed, in your words, and your passkeys' names; never their secrets", async () => {
  const zed = await member("Zed Quill", "zed@example.com", "zed quill files tidy reports");
  const author = await makePerson(database.db);
  const questionId = await makeQuestion(database.db, author, await makeSpace(database.db), {
    title: "How do I map a network drive?",
  });
  await flagContent(database.db, {
    actor: zed.actor,
    targetType: "post",
    targetId: String(questionId),
    reason: "other",
    details: "Zed's own note: this looks copied from the vendor forum.",
  });
  await database.db.insert(passkeys).values({
    userId: zed.id,
    name: "Zed's work laptop",
    credentialId: "zed-credential-id",
    publicKey: "zed-public-key-material",
    deviceType: "multiDevice",
  });
  const text = await ((await zed.browser.load(exportLoader, "/me/data.json")) as Response).text();
  const exported = JSON.parse(text);
  expect(exported.flagsFiled).toEqual([
    {
      targetType: "post",
      targetId: String(questionId),
      reason: "other",
      details: "Zed's own note: this looks copied from the vendor forum.",
      status: "pending",
      createdAt: expect.any(String),
    },
  ]);
  expect(exported.signIn.passkeys).toEqual([
    { name: "Zed's work laptop", createdAt: expect.any(String), lastUsedAt: null },
  ]);
  expect(text).not.toContain("zed-public-key-material");
  expect(text).not.toContain("zed-credential-id");
});

test("a picture a moderator took down stays in the download, marked with when, without an address that answers 404", async () => {
  const xia = await member("Xia Wen", "xia@example.com", "xia screenshots the console");
  const moderator = await makePerson(database.db, { name: "Mod Erin", role: "moderator" });
  const pictureOf = (colour: string) =>
    sharp({ create: { width: 36, height: 24, channels: 3, background: colour } })
      .png()
      .toBuffer();
  const kept = await savePostImage(database.db, xia.id, await pictureOf("#0f3f6f"));
  const takenDown = await savePostImage(database.db, xia.id, await pictureOf("#6f3f0f"));
  await removePostImage(database.db, {
    actor: moderator,
    hash: takenDown.url.slice("/images/".length, -".webp".length),
    reason: "Shows a password",
  });

  const response = (await xia.browser.load(exportLoader, "/me/data.json")) as Response;
  const exported = JSON.parse(await response.text());
  expect(exported.picturesAddedToPosts).toEqual([
    expect.objectContaining({ url: `http://localhost:3000${kept.url}`, takenDownAt: null }),
    expect.objectContaining({
      hash: takenDown.url.slice("/images/".length, -".webp".length),
      url: null,
      takenDownAt: expect.any(String),
    }),
  ]);
  expect(JSON.stringify(exported)).not.toContain(takenDown.url);
});

test("deleting your account: personal data goes, answered questions and answers stay as Former member", async () => {
  const zoe = await member("Zoe Abbot", "zoe@example.com", "zoe restores the mailboxes");
  const helper = await makePerson(database.db, { name: "Helpful Hal" });
  const spaceId = await makeSpace(database.db);
  const answered = await makeQuestion(database.db, zoe.actor, spaceId, {
    title: "Outlook keeps asking for a password",
  });
  await makeAnswer(database.db, helper, answered);
  const lonely = await makeQuestion(database.db, zoe.actor, spaceId, { title: "Is there a dark mode for the portal?" });
  const othersQuestion = await makeQuestion(database.db, helper, spaceId, { title: "Where do VPN logs go?" });
  const zoeAnswer = await makeAnswer(database.db, zoe.actor, othersQuestion);
  // Something saved for later, a picture shown in her answered question, and one she never used.
  await savePost(database.db, zoe.id, othersQuestion);
  const pictureOf = (colour: string) =>
    sharp({ create: { width: 30, height: 20, channels: 3, background: colour } })
      .png()
      .toBuffer();
  const shown = await savePostImage(database.db, zoe.id, await pictureOf("#224466"));
  const unused = await savePostImage(database.db, zoe.id, await pictureOf("#664422"));
  await database.db
    .update(posts)
    .set({ bodyMd: `The prompt looks like this: ![Password prompt](${shown.url})` })
    .where(eq(posts.id, answered));

  const summary = await describeDeletion(database.db, zoe.id);
  expect(summary).toMatchObject({ questions: 2, answers: 1, unansweredQuestions: 1 });

  const wrong = payload<{ fieldErrors: Record<string, string>; values: Record<string, string> }>(
    await zoe.browser.submit(dataAction, "/settings/data", {
      intent: "delete",
      confirm: "someone-else",
      password: "zoe restores the mailboxes",
      deleteQuestions: "on",
    }),
  );
  expect(wrong.status).toBe(400);
  expect(wrong.data.fieldErrors.confirm).toMatch(/Type zoe-abbot exactly/);
  // What was typed is kept (the password never is).
  expect(wrong.data.values).toMatchObject({ confirm: "someone-else", deleteQuestions: "on" });
  expect(wrong.data.values.password).toBeUndefined();
  const badPassword = payload<{ fieldErrors: Record<string, string> }>(
    await zoe.browser.submit(dataAction, "/settings/data", {
      intent: "delete",
      confirm: zoe.handle,
      password: "not her password at all",
    }),
  );
  expect(badPassword.data.fieldErrors.password).toMatch(/isn't your password/);

  const done = (await zoe.browser.submit(dataAction, "/settings/data", {
    intent: "delete",
    confirm: zoe.handle,
    password: "zoe restores the mailboxes",
    deleteQuestions: "on",
  })) as Response;
  expect(done.status).toBe(302);
  expect(done.headers.get("location")).toBe("/goodbye");
  expect(zoe.browser.has("session_token")).toBe(false);

  const [row] = await database.db.select().from(users).where(eq(users.id, zoe.id));
  expect(row).toMatchObject({ name: FORMER_MEMBER_NAME, handle: null, image: null, bio: "" });
  expect(row?.email).not.toContain("zoe");
  expect(row?.deletedAt).toBeInstanceOf(Date);
  expect(await database.db.select().from(sessions).where(eq(sessions.userId, zoe.id))).toHaveLength(0);
  expect(await database.db.select().from(accounts).where(eq(accounts.userId, zoe.id))).toHaveLength(0);
  expect(await getProfileByHandle(database.db, zoe.handle)).toBeNull();
  // The user row is kept, so nothing cascades: her saved list goes, and no picture names her any more. The picture
  // her remaining question shows stays; the one nothing used is deleted.
  expect(await database.db.select().from(savedPosts).where(eq(savedPosts.userId, zoe.id))).toHaveLength(0);
  expect(await database.db.select().from(postImageUploaders).where(eq(postImageUploaders.userId, zoe.id))).toHaveLength(
    0,
  );
  const pictures = await database.db
    .select({ hash: postImages.hash })
    .from(postImages)
    .where(inArray(postImages.hash, [shown.url.slice(8, 28), unused.url.slice(8, 28)]));
  expect(pictures).toEqual([{ hash: shown.url.slice(8, 28) }]);

  const left = await database.db
    .select({ id: posts.id, authorId: posts.authorId })
    .from(posts)
    .where(inArray(posts.id, [answered, lonely, zoeAnswer]));
  expect(left.map((p) => p.id).sort()).toEqual([answered, zoeAnswer].sort());
  expect(left.every((p) => p.authorId === zoe.id)).toBe(true);
  // Search re-indexes what stays (the new name) and drops what went.
  const outbox = await database.db
    .select()
    .from(searchOutbox)
    .where(inArray(searchOutbox.postId, [answered, lonely]));
  expect(outbox).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ postId: lonely, op: "delete" }),
      expect.objectContaining({ postId: answered, op: "upsert" }),
    ]),
  );
  // Self-service deletions are not in the public log; the person can't sign in any more.
  expect(await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, zoe.id))).toHaveLength(0);
  const again = await services.auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ email: "zoe@example.com", password: "zoe restores the mailboxes" }),
    }),
  );
  expect(again.status).toBe(401);
});

test("the page caches are told: deleting a person announces every page (their name and handle change)", async () => {
  const person = await makePerson(database.db, { name: "Cached Carl" });
  const heard: string[] = [];
  let barrierBack = false;
  const stop = await database.listen(PAGE_CACHE_CHANNEL, (message) => {
    const { tags, barrier } = JSON.parse(message) as { tags?: string[]; barrier?: string };
    if (tags) heard.push(...tags);
    if (barrier === "after-deletion") barrierBack = true;
  });
  await deleteAccount(database.db, { userId: person.id, by: person.id, deleteUnansweredQuestions: false });
  await database.db.execute(
    sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: "after-deletion" })})`,
  );
  await expect.poll(() => barrierBack).toBe(true);
  expect(heard).toContain("*");
  await stop();
});

test("an admin deletes an account on request, with a reason, and it is logged; the only admin can't be deleted", async () => {
  const admin = await member("Ada Admin", "ada@example.com", "ada approves requests");
  await database.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
  const person = await makePerson(database.db, { name: "Ben Brook" });
  const [ben] = await database.db.select().from(users).where(eq(users.id, person.id));
  const missingReason = payload<{ fieldErrors: Record<string, string> }>(
    await admin.browser.submit(
      adminAccountAction,
      `/admin/account/${person.id}`,
      { intent: "delete", confirm: ben?.handle ?? "", reason: "" },
      { userId: person.id },
    ),
  );
  expect(missingReason.data.fieldErrors.reason).toBeDefined();
  const done = (await admin.browser.submit(
    adminAccountAction,
    `/admin/account/${person.id}`,
    { intent: "delete", confirm: ben?.handle ?? "", reason: "Asked by email on 1 December" },
    { userId: person.id },
  )) as Response;
  expect(done.headers.get("location")).toBe("/admin/users?deleted=1");
  const [entry] = await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, person.id));
  expect(entry).toMatchObject({ action: "user.delete", actorId: admin.id, reason: "Asked by email on 1 December" });
  expect(JSON.stringify(entry)).not.toContain("Ben Brook");
  // The note stays with the admins: the public log says only that an account was deleted at the person's request.
  const log = (await admin.browser.load(moderationLoader, "/moderation")) as {
    entries: { action: string; description: string; reason: string }[];
  };
  const shown = log.entries.find((e) => e.action === "user.delete");
  expect(shown).toMatchObject({ description: "deleted an account at the person's request", reason: "" });
  expect(JSON.stringify(log)).not.toContain("Asked by email");

  // Every other admin gone: the last one can't delete themselves.
  await database.db.update(users).set({ role: "member" }).where(eq(users.role, "admin"));
  await database.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
  await expect(
    deleteAccount(database.db, { userId: admin.id, by: admin.id, deleteUnansweredQuestions: false }),
  ).rejects.toThrow(/only admin/);
  expect(
    payload<{ summary: { name: string } }>(await admin.browser.load(dataLoader, "/settings/data")).data.summary.name,
  ).toBe("Ada Admin");
});
