/**
 * Profile pictures are judged by their content, not their name: a PNG called .jpg is accepted, a text file called
 * .png is refused; what is stored is resized WebP without metadata (no camera, place or time), served under a
 * content-hashed address with an hour's caching (privacy-avatars.server.test.ts: hidden profiles).
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import type { Database } from "#db/client.server";
import { avatarImages, users } from "#db/schema";
import { loader as avatarLoader } from "~/routes/avatars.$userId.$hash.$file";
import { action as avatarAction } from "~/routes/settings.avatar";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { AvatarError, processAvatar, sniffImage } from "./avatars.server";

let database: Database;
let services: TestServices;
let browser: Browser;
let userId = "";

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  browser = new Browser(services, "10.8.0.1");
  await signUp(browser, { name: "Ivy Jones", email: "ivy@example.com", password: "ivy images the laptops" });
  const [row] = await database.db.select().from(users).where(eq(users.email, "ivy@example.com"));
  userId = row?.id ?? "";
});
afterAll(() => database.close());

const photo = (format: "png" | "jpeg" | "webp") =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .toFormat(format)
    .toBuffer();

test("a PNG named .jpg is accepted and stored as WebP in three sizes, served with a content hash and an hour's caching", async () => {
  const file = new File([new Uint8Array(await photo("png"))], "holiday.jpg", { type: "image/jpeg" });
  const result = payload<{ ok: boolean; message: string }>(
    await browser.submit(avatarAction, "/settings/avatar", { intent: "upload", picture: file }),
  );
  expect(result.data).toEqual({ ok: true, message: "Your new picture is saved." });
  const [row] = await database.db.select({ image: users.image }).from(users).where(eq(users.id, userId));
  const match = /^\/avatars\/([^/]+)\/([0-9a-f]{20})$/.exec(row?.image ?? "");
  expect(match?.[1]).toBe(userId);
  const hash = match?.[2] ?? "";
  for (const size of [64, 160, 400]) {
    const response = (await browser.load(avatarLoader, `${row?.image}/${size}.webp`, {
      userId,
      hash,
      file: `${size}.webp`,
    })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", size, size]);
  }
  // An old or made-up address finds nothing.
  const stale = (await browser.load(avatarLoader, "/avatars/x", {
    userId,
    hash: "0".repeat(20),
    file: "160.webp",
  })) as Response;
  expect(stale.status).toBe(404);
});

test("a text file named .png is refused, and so is a picture whose bytes don't decode", async () => {
  const text = new File(["<svg onload=alert(1)>hello</svg>"], "me.png", { type: "image/png" });
  const refused = payload<{ ok: boolean; message: string }>(
    await browser.submit(avatarAction, "/settings/avatar", { intent: "upload", picture: text }),
  );
  expect(refused.status).toBe(400);
  expect(refused.data.message).toBe("That file isn't a JPEG, PNG or WebP picture.");
  const broken = Buffer.concat([(await photo("png")).subarray(0, 40), Buffer.alloc(200)]);
  await expect(processAvatar(new Uint8Array(broken))).rejects.toBeInstanceOf(AvatarError);
  expect(sniffImage(new Uint8Array(await photo("webp")))).toBe("webp");
  expect(sniffImage(new TextEncoder().encode("GIF89a"))).toBeNull();
});

test("metadata is stripped: a JPEG with camera and GPS details comes out with none", async () => {
  const withExif = await sharp(await photo("jpeg"))
    .withExif({
      IFD0: { Make: "Phonemaker", Model: "Pocket 9", Copyright: "Ivy Jones" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
    })
    .jpeg()
    .toBuffer();
  const before = await sharp(withExif).metadata();
  expect(before.exif).toBeDefined();
  const processed = await processAvatar(new Uint8Array(withExif));
  for (const image of processed.images) {
    const meta = await sharp(image.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(image.bytes.includes(Buffer.from("Phonemaker"))).toBe(false);
  }
});

/** A phone-camera-like JPEG of about `megabytes`: noise barely compresses, so its size follows its pixels. */
async function jpegOf(megabytes: number): Promise<Buffer> {
  const width = 2600;
  const height = Math.round((megabytes / 6.6) * 1900);
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
}

test("a phone photo between 5 and 8 MB is accepted and stored as small squares; one over 8 MB is refused in words", async () => {
  const photo = await jpegOf(6.6);
  expect(photo.length).toBeGreaterThan(5 * 1024 * 1024);
  expect(photo.length).toBeLessThan(8 * 1024 * 1024);
  const file = new File([new Uint8Array(photo)], "IMG_2041.jpg", { type: "image/jpeg" });
  const result = payload<{ ok: boolean; message: string }>(
    await browser.submit(avatarAction, "/settings/avatar", { intent: "upload", picture: file }),
  );
  expect(result.data).toEqual({ ok: true, message: "Your new picture is saved." });
  const stored = await database.db
    .select({ size: avatarImages.size, bytes: avatarImages.bytes })
    .from(avatarImages)
    .where(eq(avatarImages.userId, userId));
  expect(stored.map((image) => image.size).sort((a, b) => a - b)).toEqual([64, 160, 400]);
  for (const image of stored) {
    const meta = await sharp(image.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", image.size, image.size]);
    expect(image.bytes.length).toBeLessThan(photo.length / 10);
  }

  const tooLarge = Buffer.concat([photo, Buffer.alloc(8 * 1024 * 1024 + 1 - photo.length)]);
  await expect(processAvatar(new Uint8Array(tooLarge))).rejects.toThrow(
    "That picture is larger than 8 MB. Choose a smaller one, or crop it and try again.",
  );
});

test("a photo from a camera's full-resolution mode (over 40 megapixels) is told so, not called damaged", async () => {
  // A small JPEG whose header says 8000 × 6000 (what a 48-megapixel camera writes): only the header is read.
  const huge = Buffer.from(await photo("jpeg"));
  const frame = huge.indexOf(Buffer.from([0xff, 0xc0]));
  expect(frame).toBeGreaterThan(0);
  huge.writeUInt16BE(6000, frame + 5);
  huge.writeUInt16BE(8000, frame + 7);
  await expect(processAvatar(new Uint8Array(huge))).rejects.toThrow(/more than 40 megapixels/);
});

test("removing the picture goes back to the letter avatar", async () => {
  const result = payload<{ ok: boolean }>(await browser.submit(avatarAction, "/settings/avatar", { intent: "remove" }));
  expect(result.data.ok).toBe(true);
  const [row] = await database.db.select({ image: users.image }).from(users).where(eq(users.id, userId));
  expect(row?.image).toBeNull();
});
