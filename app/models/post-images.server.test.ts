/**
 * Pictures in posts, on the real database through the routes: a photo is turned the right way up, scaled down and
 * stored as WebP without its camera metadata (place, time, device), once however often it is uploaded, and served
 * under its content hash; whatever else is sent gets a plain refusal, never a 500; visitors and accounts whose
 * address is not confirmed can't upload. Then its life: shown to everyone only while a visible post shows it, kept
 * within each person's storage, swept a day after it is used nowhere, and taken down by a moderator for good.
 */
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { type Database, queryRows } from "#db/client.server";
import {
  comments,
  moderationLog,
  officeHours,
  officeHoursQuestions,
  postImageRefs,
  postImageUploaders,
  postImages,
  posts,
  users,
  writeLimits,
} from "#db/schema";
import { TAKEN_DOWN_PICTURE_NOTE } from "~/lib/markdown.server";
import { PAGE_CACHE_CHANNEL } from "~/server/page-cache-http.server";
import { loader as imageLoader } from "~/routes/images.$file";
import { action as uploadAction } from "~/routes/api.images";
import { action as previewAction } from "~/routes/api.preview";
import { action as takeDownAction, loader as takeDownLoader } from "~/routes/review.images";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { howtoFields, makeHowto } from "../../tests/fixtures/howtos";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { BASE, Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { exportAccountData } from "./account-data.server";
import { deleteAccount } from "./account-deletion.server";
import { editAnswer } from "./answers.server";
import { addComment } from "./comments.server";
import { editHowto } from "./howto-writing.server";
import { saveDraft, discardDraft } from "./drafts.server";
import { settleStoredPictureSizes } from "./picture-sizes.server";
import { rerenderStaleBatch } from "./post-rendering.server";
import { editQuestion } from "./questions.server";
import { answerInOfficeHours, askInOfficeHours } from "./office-hours-queue.server";
import { scheduleOfficeHours, updateOfficeHours } from "./office-hours.server";
import { decideHold, holdContent } from "./holds.server";
import { CONFIRM_EMAIL_MESSAGE } from "./permissions.server";
import { PostingError } from "./post-errors.server";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "./post-deletion.server";
import { rerenderStalePosts } from "./post-rendering.server";
import {
  postImagesAfter,
  readPostImage,
  removePostImage,
  savePostImage,
  storedBytesOf,
  sweepUnusedPostImages,
} from "./post-images.server";
import { askQuestion } from "./questions.server";

let database: Database;
let services: TestServices;
let member: Browser;

/** Signs someone up through better-auth and confirms their address (as the emailed link does); their id. */
async function confirmedMember(browser: Browser, person: Record<"name" | "email" | "password", string>) {
  await signUp(browser, person);
  const [row] = await database.db
    .update(users)
    .set({ emailVerified: true })
    .where(eq(users.email, person.email))
    .returning({ id: users.id });
  return row?.id ?? "";
}

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  member = new Browser(services, "10.8.0.2");
  await confirmedMember(member, {
    name: "Pia Photo",
    email: "pia@example.com",
    password: "pia screenshots the errors",
  });
});
afterAll(() => database.close());

type Uploaded = { url: string; width: number; height: number; markdown: string; error?: string };

/** The API's JSON answer and status. */
async function answer(result: unknown): Promise<{ status: number; data: Uploaded }> {
  const response = result as Response;
  return { status: response.status, data: (await response.json()) as Uploaded };
}

const upload = async (browser: Browser, bytes: Uint8Array | Buffer, name = "screenshot.png") =>
  answer(await browser.submit(uploadAction, "/api/images", { file: new File([new Uint8Array(bytes)], name) }));

test("a phone photo is upright, at most 1,600 px wide, WebP and without its camera metadata; stored once", async () => {
  // A 3,000 × 2,000 JPEG whose camera says "turn me a quarter" (orientation 6), with GPS and a device name.
  const photo = await sharp({
    create: { width: 3000, height: 2000, channels: 3, background: { r: 30, g: 90, b: 200 } },
  })
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: "PhoneCorp", Model: "Pocket 9" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      },
    })
    .toBuffer();
  expect((await sharp(photo).metadata()).exif).toBeDefined();
  const first = await upload(member, photo, "IMG_0042.JPG");
  expect(first.status).toBe(200);
  expect(first.data.url).toMatch(/^\/images\/[0-9a-f]{20}\.webp$/);
  expect(first.data.markdown).toBe(`![Describe the picture](${first.data.url})`);
  // Turned upright (2,000 × 3,000), then fitted inside 1,600 × 2,400.
  expect([first.data.width, first.data.height]).toEqual([1600, 2400]);

  const served = (await member.load(imageLoader, first.data.url, { file: first.data.url.slice(8) })) as Response;
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/webp");
  // Used in no post yet: only its uploader (and staff) may see it, and no cache keeps it.
  expect(served.headers.get("cache-control")).toBe("private, no-store");
  const stored = Buffer.from(await served.arrayBuffer());
  const meta = await sharp(stored).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["webp", 1600, 2400]);
  expect(meta.exif).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(stored.includes(Buffer.from("PhoneCorp"))).toBe(false);

  const again = await upload(member, photo, "copy.jpg");
  expect(again.data.url).toBe(first.data.url);
  const [count] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from post_images`);
  expect(count?.n).toBe(1);
});

test("a small screenshot keeps its size; anything else gets a plain refusal, never a 500", async () => {
  const small = await sharp({ create: { width: 300, height: 120, channels: 4, background: "#ffffff" } })
    .png()
    .toBuffer();
  const kept = await upload(member, small);
  expect([kept.status, kept.data.width, kept.data.height]).toEqual([200, 300, 120]);

  const text = await upload(member, Buffer.from("not a picture at all, just text"), "notes.png");
  expect([text.status, text.data.error]).toEqual([
    415,
    "That file isn't a picture PeerDesk can show: use a PNG, JPEG or WebP.",
  ]);
  const broken = await upload(member, Buffer.concat([small.subarray(0, 40), Buffer.alloc(200)]));
  expect(broken.status).toBe(400);
  expect(broken.data.error).toMatch(/couldn't be read/);
  // 12,000 × 12,000 pixels compress to little on disk but would take gigabytes to decode: refused before that.
  const bomb = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: "#000" } })
    .png()
    .toBuffer();
  expect((await upload(member, bomb)).status).toBe(400);
  const huge = Buffer.concat([small, Buffer.alloc(8 * 1024 * 1024)]);
  expect((await upload(member, huge)).status).toBe(413);
  const empty = await answer(await member.submit(uploadAction, "/api/images", { file: "" }));
  expect(empty.status).toBe(400);

  expect(((await member.load(imageLoader, "/images/nope.webp", { file: "nope.webp" })) as Response).status).toBe(404);
  expect(
    (
      (await member.load(imageLoader, "/images/0123456789abcdef0123.webp", {
        file: "0123456789abcdef0123.webp",
      })) as Response
    ).status,
  ).toBe(404);
});

test("visitors can't upload", async () => {
  const visitor = new Browser(services, "10.8.0.3");
  const small = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#000" } })
    .png()
    .toBuffer();
  const result = await upload(visitor, small);
  expect([result.status, result.data.error]).toEqual([401, "Sign in to add pictures to your post."]);
});

/** A picture of its own colour (so its hash is its own), uploaded through the route by this browser. */
/** A confirmed member who joined long ago (past the new-member limits), signed in in this browser: their id. */
async function establishedMember(browser: Browser, person: Record<"name" | "email" | "password", string>) {
  const id = await confirmedMember(browser, person);
  await database.db
    .update(users)
    .set({ createdAt: new Date("2020-01-01") })
    .where(eq(users.id, id));
  return id;
}

async function uploadNew(browser: Browser, colour: string) {
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
    .png()
    .toBuffer();
  const result = await upload(browser, png);
  expect(result.status).toBe(200);
  return { url: result.data.url, hash: result.data.url.slice("/images/".length, -".webp".length) };
}

/** What this browser (or a visitor, without one) gets at the picture's address: status and Cache-Control. */
async function fetchPicture(browser: Browser, url: string, headers: Record<string, string> = {}) {
  const file = url.slice("/images/".length);
  const request = browser.request(url, { headers });
  const response = (await imageLoader({ request, params: { file }, context: browser.context() })) as Response;
  return {
    status: response.status,
    cacheControl: response.headers.get("cache-control"),
    etag: response.headers.get("etag"),
  };
}

const bodyShowing = (url: string) =>
  `The printer shows this after every restart:\n\n![The printer's display](${url})\n\nWhat does the code mean?`;

describe("an account whose email address is not confirmed yet", () => {
  test("can't add a picture: the same message and status as posting, and nothing is stored", async () => {
    const newcomer = new Browser(services, "10.8.0.20");
    await signUp(newcomer, { name: "Una Confirmed", email: "una@example.com", password: "una has not clicked yet" });
    const [una] = await database.db.select().from(users).where(eq(users.email, "una@example.com"));
    expect(una?.emailVerified).toBe(false);
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#00aa55" } })
      .png()
      .toBuffer();
    const refused = await upload(newcomer, png);

    // Posting a question refuses the same account with this status and these words.
    const spaceId = await makeSpace(database.db);
    const asking = await askQuestion(database.db, {
      actor: { id: una?.id ?? "", role: "member", banned: false, emailVerified: false },
      spaceId,
      title: "Why does the printer say error 41 every morning?",
      body: "It shows error 41 after every restart and the manual says nothing about it.",
      tags: "printers",
      isPlainLanguage: false,
    }).catch((error: unknown) => error);
    expect(asking).toBeInstanceOf(PostingError);
    expect([refused.status, refused.data.error]).toEqual([
      (asking as PostingError).status,
      (asking as PostingError).message,
    ]);
    expect([refused.status, refused.data.error]).toEqual([403, CONFIRM_EMAIL_MESSAGE]);
    expect(
      await database.db
        .select()
        .from(postImageUploaders)
        .where(eq(postImageUploaders.userId, una?.id ?? "")),
    ).toHaveLength(0);

    // Once the address is confirmed, the same picture goes up.
    await database.db
      .update(users)
      .set({ emailVerified: true })
      .where(eq(users.id, una?.id ?? ""));
    expect((await upload(newcomer, png)).status).toBe(200);
  });
});

describe("who sees a picture", () => {
  test("everyone while a visible post shows it; only its uploader and staff while it is unused, deleted or held", async () => {
    const owner = new Browser(services, "10.8.0.30");
    const ownerId = await establishedMember(owner, {
      name: "Otto Owner",
      email: "otto@example.com",
      password: "otto photographs printers",
    });
    const moderator = new Browser(services, "10.8.0.31");
    const moderatorId = await confirmedMember(moderator, {
      name: "Mona Moderator",
      email: "mona@example.com",
      password: "mona keeps the peace",
    });
    await database.db.update(users).set({ role: "moderator" }).where(eq(users.id, moderatorId));
    const visitor = new Browser(services, "10.8.0.32");
    const stranger = new Browser(services, "10.8.0.33");
    await confirmedMember(stranger, {
      name: "Sten Stranger",
      email: "sten@example.com",
      password: "sten reads it all",
    });
    const picture = await uploadNew(owner, "#aa3300");

    // Uploaded, not in any post yet: the uploader and staff only, never stored by a cache.
    expect(await fetchPicture(visitor, picture.url)).toMatchObject({ status: 404, cacheControl: "no-store" });
    expect((await fetchPicture(stranger, picture.url)).status).toBe(404);
    expect(await fetchPicture(owner, picture.url)).toMatchObject({ status: 200, cacheControl: "private, no-store" });
    expect((await fetchPicture(moderator, picture.url)).status).toBe(200);

    // In a visible question: everyone, cacheable for an hour, and asking again with its ETag costs a 304.
    const actor = { id: ownerId, role: "member" as const, banned: false };
    const spaceId = await makeSpace(database.db);
    const questionId = await makeQuestion(database.db, actor, spaceId, { body: bodyShowing(picture.url) });
    const shown = await fetchPicture(visitor, picture.url);
    expect(shown).toMatchObject({ status: 200, cacheControl: "public, max-age=3600", etag: `"${picture.hash}"` });
    expect((await fetchPicture(visitor, picture.url, { "if-none-match": `"${picture.hash}"` })).status).toBe(304);

    // The question deleted: gone for the public, still there for its uploader and staff (a moderator may restore it).
    await deleteQuestionOrAnswer(database.db, { postId: questionId, actor });
    expect((await fetchPicture(visitor, picture.url)).status).toBe(404);
    expect((await fetchPicture(stranger, picture.url)).status).toBe(404);
    expect(await fetchPicture(owner, picture.url)).toMatchObject({ status: 200, cacheControl: "private, no-store" });
    expect((await fetchPicture(moderator, picture.url)).status).toBe(200);
    const moderatorActor = { id: moderatorId, role: "moderator" as const, banned: false };
    await restoreQuestionOrAnswer(database.db, { postId: questionId, actor: moderatorActor });
    expect((await fetchPicture(visitor, picture.url)).status).toBe(200);

    // Held for review: hidden as a deletion is, until a moderator releases it.
    await database.db.transaction((tx) =>
      holdContent(tx, {
        ref: { type: "post", id: String(questionId) },
        authorId: ownerId,
        reason: "flags",
        message: "Flagged by several members.",
      }),
    );
    expect((await fetchPicture(visitor, picture.url)).status).toBe(404);
    expect((await fetchPicture(owner, picture.url)).status).toBe(200);
    await database.db.transaction((tx) =>
      decideHold(tx, { ref: { type: "post", id: String(questionId) }, by: moderatorId, outcome: "released" }),
    );
    expect((await fetchPicture(visitor, picture.url)).status).toBe(200);

    // An answer showing a picture hides it with its question.
    const inAnswer = await uploadNew(owner, "#3300aa");
    const otherQuestion = await makeQuestion(database.db, moderatorActor, spaceId);
    await makeAnswer(database.db, actor, otherQuestion, { body: bodyShowing(inAnswer.url) });
    expect((await fetchPicture(visitor, inAnswer.url)).status).toBe(200);
    await deleteQuestionOrAnswer(database.db, { postId: otherQuestion, actor: moderatorActor });
    expect((await fetchPicture(visitor, inAnswer.url)).status).toBe(404);
    expect((await fetchPicture(owner, inAnswer.url)).status).toBe(200);
  });
});

describe("each person's storage", () => {
  test("past the limit an upload is refused with a 413 that says how much is used; the same picture again costs nothing", async () => {
    const person = await makePerson(database.db, { name: "Fay Full" });
    const LIMIT = 100 * 1024;
    // Noise compresses badly: each of these is more than half the limit as WebP.
    const noise = () =>
      sharp(randomBytes(400 * 300 * 3), { raw: { width: 400, height: 300, channels: 3 } })
        .png()
        .toBuffer();
    const firstPng = await noise();
    const first = await savePostImage(database.db, person.id, firstPng, { maxStoredBytes: LIMIT });
    const [stored] = await queryRows<{ n: number }>(
      database.db,
      sql`select octet_length(bytes)::int as n from post_images where hash = ${first.url.slice(8, 28)}`,
    );
    expect(stored?.n).toBeGreaterThan(LIMIT / 2);
    const refusal = await savePostImage(database.db, person.id, await noise(), { maxStoredBytes: LIMIT }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(PostingError);
    expect((refusal as PostingError).status).toBe(413);
    expect((refusal as PostingError).message).toMatch(
      /^Your pictures already take 0\.\d MB of the 0\.1 MB each person may keep/,
    );
    expect((refusal as PostingError).message).toMatch(/removed after a day/);
    // Uploading the picture already stored takes no more room.
    expect((await savePostImage(database.db, person.id, firstPng, { maxStoredBytes: LIMIT })).url).toBe(first.url);
  });

  test("through the route, the limit comes from POST_IMAGES_MB_PER_PERSON", async () => {
    const browser = new Browser({ ...services, env: { POST_IMAGES_MB_PER_PERSON: 1 } } as TestServices, "10.8.0.40");
    await confirmedMember(browser, { name: "Lea Limit", email: "lea@example.com", password: "lea uploads a lot" });
    const noise = () =>
      sharp(randomBytes(1200 * 900 * 3), { raw: { width: 1200, height: 900, channels: 3 } })
        .png()
        .toBuffer();
    const statuses: number[] = [];
    let last: Uploaded | undefined;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const result = await upload(browser, await noise());
      statuses.push(result.status);
      last = result.data;
    }
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(413);
    expect(last?.error).toMatch(/of the 1 MB each person may keep/);
  });
});

describe("pictures used nowhere", () => {
  test("are deleted a day after upload; those in a post, a deleted post, an old revision or a draft stay", async () => {
    const writer = new Browser(services, "10.8.0.50");
    const writerId = await confirmedMember(writer, {
      name: "Wim Writer",
      email: "wim@example.com",
      password: "wim writes it down",
    });
    const actor = { id: writerId, role: "member" as const, banned: false };
    const spaceId = await makeSpace(database.db);
    const unused = await uploadNew(writer, "#010203");
    const fresh = await uploadNew(writer, "#040506");
    const inDraft = await uploadNew(writer, "#070809");
    const inPost = await uploadNew(writer, "#0a0b0c");
    const inOldRevision = await uploadNew(writer, "#0d0e0f");
    const inDeletedPost = await uploadNew(writer, "#101112");
    await saveDraft(database.db, {
      userId: writerId,
      draftKey: "question:new",
      content: { title: "Printer", body: bodyShowing(inDraft.url) },
    });
    await makeQuestion(database.db, actor, spaceId, { body: bodyShowing(inPost.url) });
    const edited = await makeQuestion(database.db, actor, spaceId, {
      title: "Why does the scanner stop halfway?",
      body: bodyShowing(inOldRevision.url),
    });
    await editQuestion(database.db, {
      questionId: edited,
      actor,
      title: "Why does the scanner stop halfway?",
      body: "It stops halfway through every page, and the picture I showed before was the wrong one.",
      tags: "printers",
      isPlainLanguage: false,
    });
    const deleted = await makeQuestion(database.db, actor, spaceId, { body: bodyShowing(inDeletedPost.url) });
    await deleteQuestionOrAnswer(database.db, { postId: deleted, actor });
    const refsOf = async (hash: string) =>
      (await database.db.select().from(postImageRefs).where(eq(postImageRefs.hash, hash))).map((r) => r.sourceType);
    expect(await refsOf(inDraft.hash)).toEqual(["draft"]);
    expect((await refsOf(inOldRevision.hash)).sort()).toEqual(["revision"]);
    expect((await refsOf(inPost.hash)).sort()).toEqual(["post", "revision"]);

    const dayAndAnHourAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    const everyOld = [unused, inDraft, inPost, inOldRevision, inDeletedPost].map((p) => p.hash);
    for (const hash of everyOld)
      await database.db.update(postImages).set({ createdAt: dayAndAnHourAgo }).where(eq(postImages.hash, hash));
    const swept = await sweepUnusedPostImages(database.db);
    expect(swept.deleted).toBe(1);
    expect(swept.bytes).toBeGreaterThan(0);
    const left = async () =>
      (await database.db.select({ hash: postImages.hash }).from(postImages)).map((row) => row.hash);
    expect(await left()).not.toContain(unused.hash);
    expect(await left()).toEqual(expect.arrayContaining([fresh.hash, inDraft.hash, inPost.hash, inOldRevision.hash]));
    expect(await left()).toContain(inDeletedPost.hash);
    expect((await fetchPicture(writer, unused.url)).status).toBe(404);

    // The draft thrown away: its picture is used nowhere now, and goes with the next sweep.
    await discardDraft(database.db, { userId: writerId, draftKey: "question:new" });
    expect((await sweepUnusedPostImages(database.db)).deleted).toBe(1);
    expect(await left()).not.toContain(inDraft.hash);
  });
});

describe("a moderator takes a picture down", () => {
  test("it answers 404 to everyone, can't be uploaded again, and the log says who and why; members can't", async () => {
    const owner = new Browser(services, "10.8.0.60");
    const ownerId = await confirmedMember(owner, {
      name: "Tia Taken",
      email: "tia@example.com",
      password: "tia posts too much",
    });
    const moderator = new Browser(services, "10.8.0.61");
    const moderatorId = await confirmedMember(moderator, {
      name: "Max Moderator",
      email: "max@example.com",
      password: "max takes things down",
    });
    await database.db.update(users).set({ role: "moderator" }).where(eq(users.id, moderatorId));
    const colour = "#ee1122";
    const picture = await uploadNew(owner, colour);
    const spaceId = await makeSpace(database.db);
    await makeQuestion(database.db, { id: ownerId, role: "member", banned: false }, spaceId, {
      body: bodyShowing(picture.url),
    });
    expect((await fetchPicture(new Browser(services), picture.url)).status).toBe(200);

    // A member is refused the page and the action.
    expect(((await owner.load(takeDownLoader, "/review/images")) as Response).status).toBe(403);
    // Refused in words, with what was typed handed back to copy (the page no longer shows them the form).
    const refused = payload<{ message: string; kept: string }>(
      await owner
        .submit(takeDownAction, "/review/images", { image: picture.url, reason: "I changed my mind" })
        .catch((thrown: unknown) => thrown),
    );
    expect(refused.status).toBe(403);
    expect(refused.data.message).toContain("Only moderators and admins can take pictures down");
    expect(refused.data.kept).toContain("I changed my mind");

    // What a moderator may send wrong gets a plain answer, never a 500.
    const page = payload<{ pictures: { hash: string }[] }>(await moderator.load(takeDownLoader, "/review/images"));
    expect(page.data.pictures.map((p) => p.hash)).toContain(picture.hash);
    const notAnAddress = payload<{ fieldErrors: Record<string, string> }>(
      await moderator.submit(takeDownAction, "/review/images", { image: "../../etc/passwd", reason: "testing" }),
    );
    expect(notAnAddress.status).toBe(400);
    expect(notAnAddress.data.fieldErrors.image).toMatch(/isn't a picture's address/);
    const noReason = payload<{ fieldErrors: Record<string, string> }>(
      await moderator.submit(takeDownAction, "/review/images", { image: picture.url, reason: "" }),
    );
    expect(noReason.data.fieldErrors.reason).toMatch(/Say why/);
    const unknown = payload<{ fieldErrors: Record<string, string> }>(
      await moderator.submit(takeDownAction, "/review/images", {
        image: "/images/ffffffffffffffffffff.webp",
        reason: "shows a password",
      }),
    );
    expect([unknown.status, unknown.data.fieldErrors.image]).toEqual([404, "There is no picture at that address."]);

    const done = (await moderator.submit(takeDownAction, "/review/images", {
      image: `${BASE}${picture.url}`,
      reason: "Shows the admin password on a sticky note",
    })) as Response;
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/review/images?removed=1");
    for (const who of [new Browser(services), owner, moderator])
      expect((await fetchPicture(who, picture.url)).status).toBe(404);
    const [row] = await database.db.select().from(postImages).where(eq(postImages.hash, picture.hash));
    expect(row?.bytes.length).toBe(0);
    const [entry] = await database.db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "image.remove"), eq(moderationLog.targetId, picture.hash)));
    expect(entry).toMatchObject({
      actorId: moderatorId,
      targetType: "image",
      reason: "Shows the admin password on a sticky note",
    });

    // The same picture can't come back, and taking it down twice says so.
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
      .png()
      .toBuffer();
    const again = await upload(owner, png);
    expect([again.status, again.data.error]).toEqual([
      403,
      "A moderator took this picture down, so it can't be added again.",
    ]);
    const twice = await removePostImage(database.db, {
      actor: { id: moderatorId, role: "moderator", banned: false },
      hash: picture.hash,
      reason: "again",
    }).catch((error: unknown) => error);
    expect((twice as PostingError).status).toBe(409);
    expect(
      await readPostImage(database.db, picture.hash, { id: moderatorId, role: "moderator", banned: false }),
    ).toBeNull();
    // The post keeps its text.
    const [post] = await database.db.select({ bodyMd: posts.bodyMd }).from(posts).where(eq(posts.authorId, ownerId));
    expect(post?.bodyMd).toContain(picture.url);
  });
});

describe("a picture two people uploaded", () => {
  test("is each one's: both see it unused, both have it counted, exported and zipped; it outlives the first's account", async () => {
    const first = new Browser(services, "10.8.0.70");
    const firstId = await confirmedMember(first, {
      name: "Fia First",
      email: "fia@example.com",
      password: "fia found the error first",
    });
    const second = new Browser(services, "10.8.0.71");
    const secondId = await confirmedMember(second, {
      name: "Sam Second",
      email: "sam@example.com",
      password: "sam saw the same error",
    });
    // The same screenshot (the printer's standard error screen), uploaded by each of them: stored once.
    const picture = await uploadNew(first, "#5a5a10");
    expect(await uploadNew(second, "#5a5a10")).toEqual(picture);
    const copies = await database.db.select().from(postImages).where(eq(postImages.hash, picture.hash));
    expect(copies).toHaveLength(1);
    const size = copies[0]?.bytes.length ?? 0;

    // Used in no post yet: both of them see it, a stranger doesn't.
    expect(await fetchPicture(second, picture.url)).toMatchObject({ status: 200, cacheControl: "private, no-store" });
    expect((await fetchPicture(first, picture.url)).status).toBe(200);
    expect((await fetchPicture(new Browser(services, "10.8.0.72"), picture.url)).status).toBe(404);
    // Both keep it stored: each one's storage counts it, and each one's download holds it.
    expect(await storedBytesOf(database.db, secondId)).toBe(size);
    expect(await storedBytesOf(database.db, firstId)).toBe(size);
    const exported = await exportAccountData(database.db, secondId, { baseURL: BASE });
    expect(exported.picturesAddedToPosts).toEqual([
      expect.objectContaining({ hash: picture.hash, url: `${BASE}${picture.url}`, takenDownAt: null }),
    ]);
    const zipped = await postImagesAfter(database.db, { uploaderId: secondId, afterId: 0, limit: 10 });
    expect(zipped.map((row) => row.hash)).toEqual([picture.hash]);

    // The first uploader deletes their account: the picture stays the second one's (not deleted as unused).
    await deleteAccount(database.db, { userId: firstId, by: firstId, deleteUnansweredQuestions: false });
    expect(await database.db.select().from(postImages).where(eq(postImages.hash, picture.hash))).toHaveLength(1);
    expect((await fetchPicture(second, picture.url)).status).toBe(200);
    expect(await storedBytesOf(database.db, firstId)).toBe(0);
    // Once the last of them goes too, nothing keeps it: it goes with their account.
    await deleteAccount(database.db, { userId: secondId, by: secondId, deleteUnansweredQuestions: false });
    expect(await database.db.select().from(postImages).where(eq(postImages.hash, picture.hash))).toHaveLength(0);
  });

  test("counts against the second person's storage too: past their limit it is refused, and not recorded as theirs", async () => {
    const owner = await makePerson(database.db, { name: "Olga Original" });
    const latecomer = await makePerson(database.db, { name: "Lars Late" });
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#304050" } })
      .png()
      .toBuffer();
    const stored = await savePostImage(database.db, owner.id, png);
    const refusal = await savePostImage(database.db, latecomer.id, png, { maxStoredBytes: 10 }).catch(
      (error: unknown) => error,
    );
    expect((refusal as PostingError).status).toBe(413);
    expect(
      await database.db.select().from(postImageUploaders).where(eq(postImageUploaders.userId, latecomer.id)),
    ).toHaveLength(0);
    // The one who stored it may upload it again at no cost, even with no room left.
    expect((await savePostImage(database.db, owner.id, png, { maxStoredBytes: 10 })).url).toBe(stored.url);
  });
});

describe("the hourly upload limit", () => {
  test("counts pictures stored: an upload refused as too large or past the person's storage uses none of it", async () => {
    const browser = new Browser({ ...services, env: { POST_IMAGES_MB_PER_PERSON: 1 } } as TestServices, "10.8.0.80");
    const personId = await confirmedMember(browser, {
      name: "Rita Refused",
      email: "rita@example.com",
      password: "rita keeps trying",
    });
    // Over a megabyte of noise, stored already: her 1 MB is full.
    const noise = () =>
      sharp(randomBytes(1600 * 1200 * 3), { raw: { width: 1600, height: 1200, channels: 3 } })
        .png()
        .toBuffer();
    const full = await noise();
    await savePostImage(database.db, personId, full);
    expect(await storedBytesOf(database.db, personId)).toBeGreaterThan(1024 * 1024);
    const countOf = async (kind: string) =>
      (
        await database.db
          .select()
          .from(writeLimits)
          .where(eq(writeLimits.key, `${kind}:${personId}`))
      )[0]?.count ?? 0;
    const [stored, decoded] = [await countOf("image"), await countOf("imageDecode")];

    const tooLarge = await upload(browser, Buffer.concat([await noise(), Buffer.alloc(8 * 1024 * 1024)]));
    expect(tooLarge.status).toBe(413);
    const pastStorage = await upload(browser, await noise());
    expect([pastStorage.status, pastStorage.data.error]).toEqual([413, expect.stringMatching(/of the 1 MB/)]);
    expect(await countOf("image")).toBe(stored);
    // The one that was decoded before it was refused counts toward the looser bound on decoding only.
    expect(await countOf("imageDecode")).toBe(decoded + 1);

    // A picture she has already costs no room: stored (again), and that counts.
    expect((await upload(browser, full)).status).toBe(200);
    expect(await countOf("image")).toBe(stored + 1);
  });
});

describe("a picture's place on the page", () => {
  test("a post is stored with each picture's size; a post stored before sizes were kept gets them when re-rendered", async () => {
    const author = new Browser(services, "10.8.0.95");
    const authorId = await establishedMember(author, {
      name: "Sam Sizes",
      email: "sam@example.com",
      password: "sam measures every picture",
    });
    const picture = await uploadNew(author, "#3f5f7f");
    const actor = { id: authorId, role: "member" as const, banned: false };
    const questionId = await makeQuestion(database.db, actor, await makeSpace(database.db), {
      body: `The printer says this:\n\n![The display](${picture.url})`,
    });
    const htmlOf = async () =>
      (await database.db.select({ bodyHtml: posts.bodyHtml }).from(posts).where(eq(posts.id, questionId)))[0]
        ?.bodyHtml ?? "";
    const sized = `<img src="${picture.url}" width="40" height="30" alt="The display"`;
    expect(await htmlOf()).toContain(sized);

    // As stored by the renderer before: no size. Re-rendering (at start-up) gives it one.
    await database.db.execute(
      sql`update posts set body_html = replace(body_html, ' width="40" height="30"', ''), render_version = 3 where id = ${questionId}`,
    );
    expect(await htmlOf()).not.toContain('width="40"');
    while ((await rerenderStaleBatch(database.db)).looked > 0);
    expect(await htmlOf()).toContain(sized);
  });
});

/** A session the host scheduled to have started five minutes ago, for an hour, with this description. */
async function liveSession(host: Awaited<ReturnType<typeof makePerson>>, description: string) {
  const now = new Date();
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString().slice(0, 16);
  const session = {
    actor: host,
    title: "Printers and scanners, live",
    description,
    spaceId: await makeSpace(database.db),
    tags: "printers",
    startsAtLocal: at(-5),
    endsAtLocal: at(60),
    timeZone: "UTC",
    maxQuestionsPerPerson: "",
    now,
  };
  const { officeHoursId } = await scheduleOfficeHours(database.db, session);
  return { session, officeHoursId, now };
}

test("sessions and their answers stored before sizes were kept get them from the start-up pass, once; comments link", async () => {
  const { db } = database;
  const host = await makePerson(db, { role: "mentor", name: "Hal Host" });
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#5f3f7f" } })
    .png()
    .toBuffer();
  const picture = await savePostImage(db, host.id, png);
  const elsewhere = "https://pictures.example.test/printer.png";
  const questionId = await makeQuestion(db, host, await makeSpace(db), { body: "The printer shows E-204." });
  const { commentId } = await addComment(db, {
    postId: questionId,
    actor: host,
    body: `Mine shows ![the display](${picture.url}) too.`,
  });
  const { officeHoursId, now } = await liveSession(
    host,
    `Bring your error codes: ![The display](${picture.url}) ![Theirs](${elsewhere})`,
  );
  const asker = await makePerson(db);
  const { questionId: sessionQuestionId } = await askInOfficeHours(db, {
    officeHoursId,
    actor: asker,
    body: "What does E-204 mean on the office printer?",
    now,
  });
  await answerInOfficeHours(db, {
    questionId: sessionQuestionId,
    actor: host,
    answer: `A worn fuser: ![The display](${picture.url})`,
    now,
  });
  const stored = async () => {
    const [row] = await queryRows<{ session: string; answer: string }>(
      db,
      sql`select (select description_html from qa_sessions where id = ${officeHoursId}) as session,
        (select answer_html from session_questions where id = ${sessionQuestionId}) as answer`,
    );
    return row ?? { session: "", answer: "" };
  };
  const sized = `src="${picture.url}" width="40" height="30"`;
  const written = await stored();
  for (const html of Object.values(written)) expect(html).toContain(sized);
  // A comment shows the picture as a link, so there is no place to keep.
  const [comment] = await db.select({ html: comments.bodyHtml }).from(comments).where(eq(comments.id, commentId));
  expect(comment?.html).toContain(`<a href="${picture.url}"`);
  expect(comment?.html).not.toContain("<img");

  // As stored before sizes were kept.
  const unsize = (column: string) => sql.raw(`${column} = replace(${column}, ' width="40" height="30"', '')`);
  await db.execute(sql`update qa_sessions set ${unsize("description_html")} where id = ${officeHoursId}`);
  await db.execute(sql`update session_questions set ${unsize("answer_html")} where id = ${sessionQuestionId}`);
  for (const html of Object.values(await stored())) expect(html).not.toContain('width="40"');

  expect(await settleStoredPictureSizes(db, { batchSize: 1 })).toBe(2);
  expect(await stored()).toEqual(written);
  // Another site's picture is left as it was; a second pass finds nothing to do.
  expect(written.session).toContain(`src="${elsewhere}" alt="Theirs"`);
  expect(await settleStoredPictureSizes(db)).toBe(0);
});

describe("a take-down and the pages that showed the picture", () => {
  test("the posts show a note in its place, not the picture's address, and their pages are announced", async () => {
    const author = new Browser(services, "10.8.0.90");
    const authorId = await establishedMember(author, {
      name: "Abe Author",
      email: "abe@example.com",
      password: "abe explains the printer",
    });
    const moderator = await makePerson(database.db, { name: "Mo Derator", role: "moderator" });
    const picture = await uploadNew(author, "#7f1f5f");
    const kept = await uploadNew(author, "#1f7f5f");
    const actor = { id: authorId, role: "member" as const, banned: false };
    const spaceId = await makeSpace(database.db);
    const questionId = await makeQuestion(database.db, actor, spaceId, {
      body: `${bodyShowing(picture.url)}\n\nAnd the one before it: ![The display before](${kept.url})`,
    });
    const otherQuestion = await makeQuestion(database.db, { ...actor, id: moderator.id }, spaceId);
    const answerId = await makeAnswer(database.db, actor, otherQuestion, {
      body: `Mine showed the same: [![The same display](${picture.url})](${picture.url}) and it was the fuser.`,
    });
    const htmlOf = async (id: number) =>
      (await database.db.select({ bodyHtml: posts.bodyHtml }).from(posts).where(eq(posts.id, id)))[0]?.bodyHtml ?? "";
    expect(await htmlOf(questionId)).toContain(`src="${picture.url}"`);

    const heard: string[] = [];
    let barrierBack = false;
    const stop = await database.listen(PAGE_CACHE_CHANNEL, (message) => {
      const { tags, barrier } = JSON.parse(message) as { tags?: string[]; barrier?: string };
      if (tags) heard.push(...tags);
      if (barrier === "after-take-down") barrierBack = true;
    });
    await removePostImage(database.db, { actor: moderator, hash: picture.hash, reason: "Shows a customer's address" });
    await database.db.execute(
      sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: "after-take-down" })})`,
    );
    await expect.poll(() => barrierBack).toBe(true);
    await stop();
    expect(heard).toEqual(expect.arrayContaining([`post:${questionId}`, `post:${otherQuestion}`]));

    for (const id of [questionId, answerId]) {
      const html = await htmlOf(id);
      expect(html).not.toContain(picture.url);
      expect(html).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    }
    // The rest of the post is as it was: the other picture, the words around it, and the Markdown (the author's).
    expect(await htmlOf(questionId)).toContain(`src="${kept.url}"`);
    expect(await htmlOf(answerId)).toContain("and it was the fuser.");
    const [question] = await database.db.select({ bodyMd: posts.bodyMd }).from(posts).where(eq(posts.id, questionId));
    expect(question?.bodyMd).toContain(picture.url);
  });

  /** A picture stored by this person (of its own colour, so its hash is its own): its address and hash. */
  async function storedPicture(uploaderId: string, colour: string) {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
      .png()
      .toBuffer();
    const { url } = await savePostImage(database.db, uploaderId, png);
    return { url, hash: url.slice("/images/".length, -".webp".length) };
  }

  const takeDown = async (hash: string) =>
    removePostImage(database.db, {
      actor: await makePerson(database.db, { role: "moderator" }),
      hash,
      reason: "Shows a customer's address",
    });

  /** What a post stores as HTML: its body, prerequisites and steps (a how-to's), as one string to look through. */
  async function storedHtmlOf(postId: number): Promise<string> {
    const [row] = await database.db
      .select({ bodyHtml: posts.bodyHtml, prerequisitesHtml: posts.prerequisitesHtml, steps: posts.steps })
      .from(posts)
      .where(eq(posts.id, postId));
    return [row?.bodyHtml, row?.prerequisitesHtml, ...(row?.steps ?? []).map((step) => step.bodyHtml)].join("\n");
  }

  /** The note where the picture was, and its address nowhere (no <img src>, no link). */
  function expectNoteInsteadOf(html: string, url: string) {
    expect(html).toContain(`<em>${TAKEN_DOWN_PICTURE_NOTE}</em>`);
    expect(html).not.toContain(url);
  }

  test("a question, an answer or a how-to edited after the take-down shows the note again, not the picture", async () => {
    const author = await makePerson(database.db, { name: "Eda Editor" });
    const spaceId = await makeSpace(database.db);
    const picture = await storedPicture(author.id, "#5f1f7f");
    const kept = await storedPicture(author.id, "#1f5f7f");
    const title = "The printer shows a code after every restart";
    const questionId = await makeQuestion(database.db, author, spaceId, { title, body: bodyShowing(picture.url) });
    const answerId = await makeAnswer(database.db, author, questionId, {
      body: `Mine showed the same: [![The same display](${picture.url})](${picture.url}) and it was the fuser.`,
    });
    const howto = howtoFields({ prerequisites: `The display looks like this: ![The display](${picture.url})` });
    const howtoId = await makeHowto(database.db, author, spaceId, {
      ...howto,
      steps: [...howto.steps, `Compare it with this: ![The display](${picture.url})`],
    });
    await takeDown(picture.hash);

    // Each author changes a few words and leaves the picture's Markdown as it was (theirs to keep).
    await editQuestion(database.db, {
      questionId,
      actor: author,
      title,
      body: `${bodyShowing(picture.url)}\n\nIt started after the firmware update. Before: ![Before](${kept.url})`,
      tags: "vpn",
      isPlainLanguage: false,
    });
    await editAnswer(database.db, {
      answerId,
      actor: author,
      body: `Mine showed the same: [![The same display](${picture.url})](${picture.url}) and it was the fuser, twice.`,
    });
    await editHowto(database.db, {
      howtoId,
      actor: author,
      ...howto,
      summary: `${howto.summary} Works on the new firmware too.`,
      steps: [...howto.steps, `Compare it with this: ![The display](${picture.url})`],
    });

    const question = await storedHtmlOf(questionId);
    expectNoteInsteadOf(question, picture.url);
    expect(question).toContain("It started after the firmware update.");
    expect(question).toContain(`src="${kept.url}"`);
    const answer = await storedHtmlOf(answerId);
    expectNoteInsteadOf(answer, picture.url);
    expect(answer).toContain("and it was the fuser, twice.");
    expect(await storedHtmlOf(howtoId)).toContain("Works on the new firmware too.");
    // Everywhere a how-to keeps HTML: its body, its prerequisites and the step.
    const [stored] = await database.db
      .select({ bodyHtml: posts.bodyHtml, prerequisitesHtml: posts.prerequisitesHtml, steps: posts.steps })
      .from(posts)
      .where(eq(posts.id, howtoId));
    for (const html of [stored?.bodyHtml, stored?.prerequisitesHtml, stored?.steps?.at(-1)?.bodyHtml])
      expectNoteInsteadOf(html ?? "", picture.url);
  });

  test("re-rendering a post stored by an older renderer keeps the note: the same HTML the take-down wrote", async () => {
    const author = await makePerson(database.db, { name: "Rene Render" });
    const picture = await storedPicture(author.id, "#7f5f1f");
    const questionId = await makeQuestion(database.db, author, await makeSpace(database.db), {
      body: `${bodyShowing(picture.url)}\n\nThe whole photo: [see it large](${picture.url}).`,
    });
    await takeDown(picture.hash);
    const afterTakeDown = await storedHtmlOf(questionId);
    expectNoteInsteadOf(afterTakeDown, picture.url);
    await database.db.update(posts).set({ renderVersion: 0 }).where(eq(posts.id, questionId));

    expect(await rerenderStalePosts(database.db)).toEqual({ done: 1, total: 1, changed: 0 });
    expect(await storedHtmlOf(questionId)).toBe(afterTakeDown);
    expect(afterTakeDown).toContain("see it large</a>");
  });

  test("a session's description edited, and a host's answer written, after the take-down show the note", async () => {
    const host = await makePerson(database.db, { role: "mentor", name: "Hana Host" });
    const asker = await makePerson(database.db, { name: "Ada Asker" });
    const picture = await storedPicture(host.id, "#7f7f1f");
    const { session, officeHoursId, now } = await liveSession(
      host,
      `Bring your error codes. Like this one: ![The display](${picture.url})`,
    );
    const { questionId } = await askInOfficeHours(database.db, {
      officeHoursId,
      actor: asker,
      body: "What does E-204 mean on the office printer?",
      now,
    });
    await takeDown(picture.hash);

    await updateOfficeHours(database.db, {
      ...session,
      officeHoursId,
      description: `${session.description}\n\nAnd bring the model number.`,
    });
    await answerInOfficeHours(database.db, {
      questionId,
      actor: host,
      answer: `The fuser is worn: the code shows like this ![The display](${picture.url}). Replace the fuser.`,
      now,
    });
    const [stored] = await database.db
      .select({ descriptionHtml: officeHours.descriptionHtml })
      .from(officeHours)
      .where(eq(officeHours.id, officeHoursId));
    expectNoteInsteadOf(stored?.descriptionHtml ?? "", picture.url);
    expect(stored?.descriptionHtml).toContain("And bring the model number.");
    const [answered] = await database.db
      .select({ answerHtml: officeHoursQuestions.answerHtml })
      .from(officeHoursQuestions)
      .where(eq(officeHoursQuestions.id, questionId));
    expectNoteInsteadOf(answered?.answerHtml ?? "", picture.url);
    expect(answered?.answerHtml).toContain("Replace the fuser.");
  });

  test("a comment written after the take-down keeps its words but links to nothing; the preview shows the note", async () => {
    const author = await makePerson(database.db, { name: "Cora Comment" });
    const picture = await storedPicture(author.id, "#1f7f1f");
    const questionId = await makeQuestion(database.db, author, await makeSpace(database.db), {
      body: bodyShowing(picture.url),
    });
    await takeDown(picture.hash);

    const { commentId } = await addComment(database.db, {
      postId: questionId,
      actor: author,
      body: `The code on [the display](${picture.url}) is E-204.`,
    });
    const [comment] = await database.db
      .select({ bodyHtml: comments.bodyHtml })
      .from(comments)
      .where(eq(comments.id, commentId));
    expect(comment?.bodyHtml).toContain("the display</a> is E-204.");
    expect(comment?.bodyHtml).not.toContain(picture.url);

    const preview = (await member.submit(previewAction, "/api/preview", {
      markdown: bodyShowing(picture.url),
    })) as Response;
    expectNoteInsteadOf(((await preview.json()) as { html: string }).html, picture.url);
  });
});
