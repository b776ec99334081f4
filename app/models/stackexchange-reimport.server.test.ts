import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, queryRows } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { moveQuestion } from "./questions.server";
import { importStackExchange } from "./stackexchange-import.server";

const DUMP = path.resolve("tests/fixtures/stackexchange/example.stackexchange.com");
const site = "example.stackexchange.com";

describe("Stack Exchange import run again into another space", () => {
  let database: Database;
  /** Local post ids by their id in the dump. */
  const local = new Map<string, number>();
  const counts = async () =>
    (
      await queryRows<{ spaces: number; posts: number; users: number; tags: number; imported: number }>(
        database.db,
        sql`select (select count(*)::int from spaces) as spaces, (select count(*)::int from posts) as posts,
          (select count(*)::int from users) as users, (select count(*)::int from tags) as tags,
          (select count(*)::int from import_ids) as imported`,
      )
    )[0];
  const spaceOf = async (externalId: string) =>
    (
      await queryRows<{ slug: string }>(
        database.db,
        sql`select s.slug from posts p join spaces s on s.id = p.space_id where p.id = ${local.get(externalId) ?? 0}`,
      )
    )[0]?.slug;

  beforeAll(async () => {
    database = await createTestDatabase();
    await importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" });
    const rows = await queryRows<{ external_id: string; local_id: string }>(
      database.db,
      sql`select external_id, local_id from import_ids where entity = 'post'`,
    );
    for (const row of rows) local.set(row.external_id, Number(row.local_id));
  });
  afterAll(async () => {
    await database?.close();
  });

  test("naming another space than the one the site was imported into is refused in one line, and nothing is created", async () => {
    const before = await counts();
    await expect(importStackExchange(database.db, { dir: DUMP, spaceSlug: "other-space" })).rejects.toThrow(
      "example.stackexchange.com was imported into /s/mac-help; run again with --space mac-help, or move the questions there with the site's own Move.",
    );
    // Leaving --space out means the site's default space ("example"), which is another space too.
    await expect(importStackExchange(database.db, { dir: DUMP })).rejects.toThrow(/--space mac-help/);
    expect(await counts()).toEqual(before);
    expect(await queryRows(database.db, sql`select slug from spaces where slug in ('other-space', 'example')`)).toEqual(
      [],
    );
    expect(await spaceOf("1")).toBe("mac-help");
  });

  test("after the site's Move, a run into the space the questions are in updates them there, and a new answer joins its question", async () => {
    const moderator = await makePerson(database.db, { role: "moderator" });
    const spaceId = await makeSpace(database.db, { name: "Mac troubleshooting" });
    const [moved] = await queryRows<{ slug: string }>(database.db, sql`select slug from spaces where id = ${spaceId}`);
    const movedSlug = moved?.slug ?? "";
    await moveQuestion(database.db, { questionId: local.get("1") ?? 0, spaceId, actor: moderator });

    // Question 2 is still in mac-help, so a run into mac-help is allowed; a new answer to question 1 goes where it is.
    const dir = mkdtempSync(path.join(tmpdir(), "reimport-"));
    try {
      for (const name of readdirSync(DUMP)) copyFileSync(path.join(DUMP, name), path.join(dir, name));
      const posts = readFileSync(path.join(DUMP, "Posts.xml"), "utf8");
      const answer =
        '<row Id="7" PostTypeId="2" ParentId="1" CreationDate="2020-01-01T08:00:00.000" Score="2" Body="&lt;p&gt;Or hold the power button.&lt;/p&gt;" OwnerUserId="11" />\n';
      writeFileSync(path.join(dir, "Posts.xml"), posts.replace("</posts>", `${answer}</posts>`));
      const partly = await importStackExchange(database.db, { dir, site, spaceSlug: "mac-help" });
      expect(partly.posts).toEqual({ created: 1, updated: 0, unchanged: 4, skipped: 1 });
      const [added] = await queryRows<{ slug: string }>(
        database.db,
        sql`select s.slug from import_ids i join posts p on p.id::text = i.local_id join spaces s on s.id = p.space_id
          where i.source = ${`stackexchange:${site}`} and i.entity = 'post' and i.external_id = '7'`,
      );
      expect(added?.slug).toBe(movedSlug);
      expect(await spaceOf("1")).toBe(movedSlug);
      expect(await spaceOf("2")).toBe("mac-help");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    await moveQuestion(database.db, { questionId: local.get("2") ?? 0, spaceId, actor: moderator });
    await expect(importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" })).rejects.toThrow(
      `was imported into /s/${movedSlug}; run again with --space ${movedSlug}`,
    );
    const again = await importStackExchange(database.db, { dir: DUMP, spaceSlug: movedSlug });
    expect(again.spaceSlug).toBe(movedSlug);
    expect(again.posts).toEqual({ created: 0, updated: 0, unchanged: 4, skipped: 1 });
    expect(await spaceOf("2")).toBe(movedSlug);
  });
});
