import { eq } from "drizzle-orm";
import { unzipSync } from "fflate";
import sharp from "sharp";
import type { Database } from "#db/client.server";
import { avatarImages, postImages, users } from "#db/schema";
import { loader as zipLoader } from "~/routes/me.data[.zip]";
import { loader as adminExportLoader } from "~/routes/admin.export.$userId";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, signUp, testServices } from "../../tests/fixtures/routes";
import { processAvatar, saveAvatar } from "./avatars.server";
import { accountDataZip } from "./account-data-zip.server";
import { savePostImage } from "./post-images.server";

let database: Database;
let services: TestServices;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
});
afterAll(() => database.close());

test("the zip download holds the same JSON file, the person's profile picture in every size and their post pictures", async () => {
  const browser = new Browser(services, "10.8.0.1");
  await signUp(browser, { name: "Noor Haddad", email: "noor@example.com", password: "noor patches the routers" });
  const [noor] = await database.db.select().from(users).where(eq(users.email, "noor@example.com"));
  const userId = noor?.id ?? "";
  const picture = await sharp({ create: { width: 300, height: 300, channels: 3, background: "#336699" } })
    .png()
    .toBuffer();
  await saveAvatar(database.db, { userId, avatar: await processAvatar(picture) });
  const screenshot = await savePostImage(database.db, userId, picture);
  const hash = screenshot.url.slice("/images/".length, -".webp".length);

  const response = (await browser.load(zipLoader, "/me/data.zip")) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="peerdesk-noor-haddad-data.zip"/);
  expect(response.headers.get("cache-control")).toContain("no-store");
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  expect(Object.keys(files).sort()).toEqual([
    "data.json",
    `images/posts/${hash}.webp`,
    "images/profile-picture-160.webp",
    "images/profile-picture-400.webp",
    "images/profile-picture-64.webp",
  ]);
  const [upload] = await database.db.select().from(postImages).where(eq(postImages.hash, hash));
  expect(
    Buffer.from(files[`images/posts/${hash}.webp`] ?? new Uint8Array()).equals(upload?.bytes ?? Buffer.alloc(0)),
  ).toBe(true);
  const exported = JSON.parse(new TextDecoder().decode(files["data.json"]));
  expect(exported.profile).toMatchObject({ name: "Noor Haddad", email: "noor@example.com" });
  const stored = await database.db.select().from(avatarImages).where(eq(avatarImages.userId, userId));
  for (const row of stored) {
    const inZip = files[`images/profile-picture-${row.size}.webp`];
    expect(Buffer.from(inZip ?? new Uint8Array()).equals(row.bytes)).toBe(true);
    expect((await sharp(Buffer.from(inZip ?? new Uint8Array())).metadata()).width).toBe(row.size);
  }
});

test("without a picture the zip holds just the JSON file; signed-out visitors are sent to sign in", async () => {
  const browser = new Browser(services, "10.8.0.2");
  await signUp(browser, { name: "Omar Quist", email: "omar@example.com", password: "omar racks the new servers" });
  const response = (await browser.load(zipLoader, "/me/data.zip")) as Response;
  expect(Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())))).toEqual(["data.json"]);

  const visitor = new Browser(services, "10.8.0.3");
  const redirect = (await visitor.load(zipLoader, "/me/data.zip")) as Response;
  expect(redirect.status).toBe(302);
  expect(redirect.headers.get("location")).toBe("/signin?redirectTo=%2Fme%2Fdata.zip");
  // A member cannot use the admin export of someone else's data.
  const [omar] = await database.db.select().from(users).where(eq(users.email, "omar@example.com"));
  const other = new Browser(services, "10.8.0.4");
  await signUp(other, { name: "Pia Rowe", email: "pia@example.com", password: "pia answers the help desk" });
  const refused = (await other.load(adminExportLoader, `/admin/export/${omar?.id}`, {
    userId: omar?.id ?? "",
  })) as Response;
  expect(refused.status).toBe(403);
});

test("many pictures are streamed a few at a time, all of them whole; a taken-down one is left out", async () => {
  const browser = new Browser(services, "10.8.0.5");
  await signUp(browser, { name: "Rae Many", email: "rae@example.com", password: "rae screenshots everything" });
  const [rae] = await database.db.select().from(users).where(eq(users.email, "rae@example.com"));
  const userId = rae?.id ?? "";
  const hashes: string[] = [];
  for (let i = 0; i < 9; i++) {
    const png = await sharp({ create: { width: 20 + i, height: 20, channels: 3, background: "#102030" } })
      .png()
      .toBuffer();
    hashes.push((await savePostImage(database.db, userId, png)).url.slice("/images/".length, -".webp".length));
  }
  const [takenDown, ...kept] = hashes;
  await database.db
    .update(postImages)
    .set({ bytes: Buffer.alloc(0), removedAt: new Date() })
    .where(eq(postImages.hash, takenDown ?? ""));

  // Read chunk by chunk, as a download is; two pictures are read from the database per step.
  const stream = accountDataZip(database.db, { userId, json: "{}", picturesPerBatch: 2 });
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
  expect(Object.keys(files).sort()).toEqual(["data.json", ...kept.map((hash) => `images/posts/${hash}.webp`)].sort());
  for (const hash of kept) {
    const [row] = await database.db.select().from(postImages).where(eq(postImages.hash, hash));
    expect(
      Buffer.from(files[`images/posts/${hash}.webp`] ?? new Uint8Array()).equals(row?.bytes ?? Buffer.alloc(1)),
    ).toBe(true);
  }
});
