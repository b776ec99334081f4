/**
 * Pictures in posts, on the real database through the routes: a photo is turned the right way up, scaled down and
 * stored as WebP without its camera metadata (place, time, device), once however often it is uploaded, and served
 * for good under its content hash; whatever else is sent gets a plain refusal, never a 500; visitors can't upload.
 */
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { type Database, queryRows } from "#db/client.server";
import { loader as imageLoader } from "~/routes/images.$file";
import { action as uploadAction } from "~/routes/api.images";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, signUp, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let member: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  member = new Browser(services, "10.8.0.2");
  await signUp(member, { name: "Pia Photo", email: "pia@example.com", password: "pia screenshots the errors" });
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
  expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
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
