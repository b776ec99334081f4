import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, queryRows } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { importStackExchange, readDumpRows, spaceSlugProblem } from "./stackexchange-import.server";

const DUMP = path.resolve("tests/fixtures/stackexchange/example.stackexchange.com");

describe("Stack Exchange import: space addresses, damaged gzip files and link counts", () => {
  let database: Database;
  const counts = async () =>
    (
      await queryRows<{ spaces: number; posts: number; links: number }>(
        database.db,
        sql`select (select count(*)::int from spaces) as spaces, (select count(*)::int from posts) as posts,
          (select count(*)::int from post_links) as links`,
      )
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  test("a space address /s/:slug can't serve is refused, saying what a valid one looks like, and nothing is written", async () => {
    const before = await counts();
    await expect(importStackExchange(database.db, { dir: DUMP, spaceSlug: "../../x" })).rejects.toThrow(
      /"\.\.\/\.\.\/x" can't be a space's address: use lower-case letters a-z, digits and single hyphens.*for example "x"/,
    );
    await expect(importStackExchange(database.db, { dir: DUMP, spaceSlug: "--no-pictures" })).rejects.toThrow(
      /for example "no-pictures"\. Choose the space with --space/,
    );
    await expect(importStackExchange(database.db, { dir: DUMP, spaceSlug: "" })).rejects.toThrow(/space's address/);
    expect(await counts()).toEqual(before);
    expect(spaceSlugProblem("mac-help")).toBeNull();
    expect(spaceSlugProblem("Mac-Help")).toMatch(/for example "mac-help"/);
  });

  test("running it again with the same space reuses the space, and counts only the links it really added", async () => {
    const first = await importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" });
    expect(first.links).toEqual({ duplicate: 1, linked: 1, known: 0 });
    const before = await counts();
    const again = await importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" });
    expect(again.spaceId).toBe(first.spaceId);
    expect(again.links).toEqual({ duplicate: 0, linked: 0, known: 2 });
    expect(await counts()).toEqual(before);
    expect(await queryRows(database.db, sql`select slug from spaces where name = 'example.stackexchange.com'`)).toEqual(
      [{ slug: "mac-help" }],
    );
  });

  test("a cut-off Posts.xml.gz is refused by name as cut off or damaged, asking for a new download, before anything is written", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gz.example.com-"));
    try {
      const whole = gzipSync(readFileSync(path.join(DUMP, "Posts.xml")));
      writeFileSync(path.join(dir, "Posts.xml.gz"), whole.subarray(0, Math.floor(whole.length / 2)));
      const before = await counts();
      const failure = importStackExchange(database.db, { dir, site: "gz.example.com", spaceSlug: "gz-help" });
      await expect(failure).rejects.toThrow(
        /^Posts\.xml\.gz could not be unpacked \(unexpected end of file\): the file looks cut off or damaged\. Download it again\./,
      );
      await expect(failure).rejects.toThrow(/No people, posts, comments or links were written/);
      expect(await counts()).toEqual(before);

      writeFileSync(path.join(dir, "Posts.xml.gz"), Buffer.from("not gzip at all"));
      const rows = async () => {
        for await (const _ of readDumpRows(path.join(dir, "Posts.xml.gz"))) {
          // reading is the test
        }
      };
      await expect(rows()).rejects.toThrow(
        /Posts\.xml\.gz could not be unpacked .*cut off or damaged\. Download it again/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
