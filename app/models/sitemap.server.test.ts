/**
 * The sitemap on the real database, with files of a few addresses so a small forum needs an index: every public
 * question and how-to is in exactly one file, in order, with the main pages first; duplicates and deleted posts in
 * none; the index names each file with its newest change; past the last file there is nothing.
 */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { sitemapIndexXml, sitemapShape, sitemapUrls } from "./sitemap.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

test("a forum bigger than one file gets an index; each post is in exactly one file", async () => {
  const { db } = database;
  const spaceId = await makeSpace(db);
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) ids.push(await makeQuestion(db, await makePerson(db), spaceId, { tags: "site" }));
  ids.push(await makeHowto(db, await makePerson(db), spaceId));
  const [deleted, duplicate, original] = [ids[2], ids[5], ids[6]];
  await db.execute(sql`update posts set deleted_at = now() where id = ${deleted}`);
  await db.execute(
    sql`insert into question_closures (question_id, reason, duplicate_of_id) values (${duplicate}, 'duplicate', ${original})`,
  );
  const listed = ids.filter((id) => id !== deleted && id !== duplicate);

  // Everything fits one big file: no index, and the file's addresses come with the answer.
  expect(await sitemapShape(db)).toEqual({ kind: "single", urls: await sitemapUrls(db) });

  const fixed = (await sitemapUrls(db)).filter((url) => !/^\/(q|howtos|sessions|u)\//.test(url.path));
  // The main pages and spaces, then three entries (posts, and their authors' profiles) in the first file; later files
  // hold perFile entries each.
  const perFile = fixed.length + 3;
  const shape = await sitemapShape(db, perFile);
  if (shape.kind !== "index") throw new Error("expected an index");
  const entries = listed.length + (await sitemapUrls(db)).filter((url) => url.path.startsWith("/u/")).length;
  const expectedFiles = 1 + Math.ceil((entries - (perFile - fixed.length)) / perFile);
  expect(shape.files.map((file) => file.path)).toEqual(
    Array.from({ length: expectedFiles }, (_, i) => `/sitemap/${i + 1}.xml`),
  );

  const files: Awaited<ReturnType<typeof sitemapUrls>>[] = [];
  for (let file = 1; file <= expectedFiles + 1; file++) files.push(await sitemapUrls(db, { file, perFile }));
  expect(files.at(-1)).toEqual([]);
  expect(files.slice(0, -1).every((urls) => urls.length > 0 && urls.length <= perFile)).toBe(true);
  const all = files.flat();
  expect(all.slice(0, fixed.length)).toEqual(fixed);
  const postIds = all
    .slice(fixed.length)
    .filter((url) => !url.path.startsWith("/u/"))
    .map((url) => Number(/^\/(?:q|howtos)\/(\d+)/.exec(url.path)?.[1]));
  expect(postIds).toEqual(listed);
  // Each file's date in the index is the newest change among its posts.
  shape.files.forEach((file, i) => {
    const newest = Math.max(...(files[i] ?? []).map((url) => url.lastModified?.getTime() ?? 0));
    expect(file.lastModified?.getTime()).toBe(newest);
  });
  expect(sitemapIndexXml("https://help.example.org", shape.files)).toContain(
    "<sitemap><loc>https://help.example.org/sitemap/1.xml</loc><lastmod>",
  );
});
