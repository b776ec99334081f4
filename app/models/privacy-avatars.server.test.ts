/**
 * A hidden profile's picture is gone from its address too, for everyone (its profile page shows staff none either),
 * and no cache may keep it for long; a banned member's picture stays, as their profile page shows it.
 */
import sharp from "sharp";
import type { Database } from "#db/client.server";
import { loader as avatarLoader } from "~/routes/avatars.$userId.$hash.$file";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { Browser, testServices } from "../../tests/fixtures/routes";
import { avatarUrls, processAvatar, saveAvatar } from "./avatars.server";
import { hideProfile, showProfile } from "./profile-hiding.server";
import { banUser } from "./users.server";

let database: Database;
let visitor: Browser;
beforeAll(async () => {
  database = await createTestDatabase();
  visitor = new Browser(testServices(database), "10.8.0.2");
});
afterAll(() => database.close());

/** A member with an uploaded picture, and the address of its 160-pixel size. */
async function memberWithPicture() {
  const { db } = database;
  const member = await makePerson(db);
  const bytes = await sharp({ create: { width: 320, height: 320, channels: 3, background: { r: 20, g: 90, b: 200 } } })
    .png()
    .toBuffer();
  const avatar = await processAvatar(new Uint8Array(bytes));
  await saveAvatar(db, { userId: member.id, avatar });
  const url = avatarUrls(member.id, avatar.hash).find((entry) => entry.size === 160)?.url ?? "";
  return { member, hash: avatar.hash, url };
}

async function fetchPicture(
  { member, hash, url }: Awaited<ReturnType<typeof memberWithPicture>>,
  headers: Record<string, string> = {},
) {
  const params = { userId: member.id, hash, file: "160.webp" };
  const request = visitor.request(url, { headers });
  return (await avatarLoader({ request, params, context: visitor.context() })) as Response;
}

test("once a moderator hides a profile its picture is a 404 at its old address, and comes back when shown again", async () => {
  const { db } = database;
  const moderator = await makePerson(db, { role: "moderator" });
  const picture = await memberWithPicture();
  const before = await fetchPicture(picture);
  expect([before.status, before.headers.get("content-type")]).toEqual([200, "image/webp"]);

  await hideProfile(db, { actor: moderator, userId: picture.member.id, reason: "Spam links in the bio" });
  const hidden = await fetchPicture(picture);
  expect([hidden.status, await hidden.text()]).toEqual([404, "There is no picture at this address."]);
  // A browser that kept it asking whether it may still show it is told no, not "unchanged".
  const revalidated = await fetchPicture(picture, { "If-None-Match": before.headers.get("etag") ?? "" });
  expect(revalidated.status).toBe(404);

  await showProfile(db, { actor: moderator, userId: picture.member.id });
  expect((await fetchPicture(picture)).status).toBe(200);
});

test("a picture may be cached for an hour, not a year, and a browser revalidating it gets a 304 without the bytes", async () => {
  const picture = await memberWithPicture();
  const first = await fetchPicture(picture);
  expect(first.headers.get("cache-control")).toBe("public, max-age=3600");
  const etag = first.headers.get("etag") ?? "";
  expect(etag).toBe(`"${picture.hash}-160"`);
  const again = await fetchPicture(picture, { "If-None-Match": etag });
  expect([again.status, again.headers.get("etag"), await again.text()]).toEqual([304, etag, ""]);
  const other = await fetchPicture(picture, { "If-None-Match": `"${"0".repeat(20)}-160"` });
  expect(other.status).toBe(200);
});

test("a banned member's picture still shows, as their suspended profile page shows it", async () => {
  const { db } = database;
  const admin = await makePerson(db, { role: "admin" });
  const picture = await memberWithPicture();
  await banUser(db, { userId: picture.member.id, reason: "Harassment", by: admin.id });
  expect((await fetchPicture(picture)).status).toBe(200);
});
