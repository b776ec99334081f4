import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, queryRows } from "#db/client.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { findSimilarQuestions, reindexAll, searchPosts } from "~/search/engine.server";
import { parseSearchInput } from "~/search/query";
import { createTestDatabase } from "../../tests/fixtures/db";
import { PAGE_CACHE_CHANNEL } from "~/server/page-cache-http.server";
import { getThreadProvenance } from "./post-sources.server";
import {
  type StackExchangeImportReport,
  importStackExchange,
  licenseFor,
  parseDumpTags,
  readDumpRows,
} from "./stackexchange-import.server";

const DUMP = path.resolve("tests/fixtures/stackexchange/example.stackexchange.com");

describe("Stack Exchange import", () => {
  let database: Database;
  let first: StackExchangeImportReport;
  const local = new Map<string, number>();

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" });
    const rows = await queryRows<{ external_id: string; local_id: string }>(
      database.db,
      sql`select external_id, local_id from import_ids where entity = 'post'`,
    );
    for (const row of rows) local.set(row.external_id, Number(row.local_id));
  });
  afterAll(async () => {
    await database?.close();
  });

  test("an imported comment is stored as the app stores comments: one line of inline formatting", async () => {
    const [comment] = await queryRows<{ body_html: string }>(
      database.db,
      sql`select body_html from comments where body_md like 'Did you try%'`,
    );
    expect(comment?.body_html).toBe("Did you try <code>Cmd+Q</code>?");
  });

  test("questions, answers, accepted answer, scores, dates, tags and comments arrive in the chosen space", async () => {
    expect(first.site).toBe("example.stackexchange.com");
    expect(first.spaceSlug).toBe("mac-help");
    // Two questions and two answers; the answer to a question the dump lacks and the tag wiki are left out.
    expect(first.posts).toEqual({ created: 4, updated: 0, unchanged: 0, skipped: 1 });
    expect(first.comments.created).toBe(1);
    const question = local.get("1") ?? 0;
    const [q] = await queryRows<{
      title: string;
      score: number;
      answer_count: number;
      comment_count: number;
      accepted_answer_id: number;
      created_at: string;
      space: string;
    }>(
      database.db,
      sql`select p.title, p.score, p.answer_count, p.comment_count, p.accepted_answer_id, p.created_at::text, s.slug as space
        from posts p join spaces s on s.id = p.space_id where p.id = ${question}`,
    );
    expect(q).toMatchObject({
      title: "How do I force quit an application on a Mac?",
      score: 7,
      answer_count: 2,
      comment_count: 1,
      accepted_answer_id: local.get("3"),
      space: "mac-help",
    });
    expect(q?.created_at).toMatch(/^2010-05-01 10:00:00/);
    const tags = await queryRows<{ slug: string }>(
      database.db,
      sql`select t.slug from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = ${question} order by t.slug`,
    );
    expect(tags.map((t) => t.slug)).toEqual(["keyboard", "macos"]);
  });

  test("HTML becomes Markdown rendered by the normal pipeline; code blocks are fenced", async () => {
    const [answer] = await queryRows<{ body_md: string; body_html: string }>(
      database.db,
      sql`select body_md, body_html from posts where id = ${local.get("3") ?? 0}`,
    );
    expect(answer?.body_md).toContain("**Force Quit Applications**");
    expect(answer?.body_md).toContain("[Apple's article](https://support.apple.com/HT201276)");
    expect(answer?.body_html).toContain("<strong>Force Quit Applications</strong>");
    const [other] = await queryRows<{ body_md: string }>(
      database.db,
      sql`select body_md from posts where id = ${local.get("2") ?? 0}`,
    );
    expect(other?.body_md).toContain("```\nkillall Finder\n```");
  });

  test("authors are placeholder people who cannot sign in; each post names its original, author and licence", async () => {
    const people = await queryRows<{ name: string; email: string; accounts: number }>(
      database.db,
      sql`select u.name, u.email, (select count(*)::int from accounts a where a.user_id = u.id) as accounts
        from users u join import_ids i on i.local_id = u.id and i.entity = 'user' order by u.name`,
    );
    // Only people who wrote something: not "Never Posted"; a deleted account keeps its display name.
    expect(people.map((p) => p.name)).toEqual(["Alice Asker", "Bob Helper", "Deleted Person"]);
    expect(people.every((p) => p.accounts === 0 && p.email.endsWith("@imported.invalid"))).toBe(true);
    const provenance = await getThreadProvenance(database.db, local.get("1") ?? 0, [local.get("3") ?? 0]);
    expect(provenance.sources[local.get("3") ?? 0]).toEqual({
      url: "https://example.stackexchange.com/a/3",
      authorName: "Bob Helper",
      authorUrl: "https://example.stackexchange.com/users/11",
      license: "CC BY-SA 2.5",
    });
    expect(provenance.sources[local.get("1") ?? 0]?.url).toBe("https://example.stackexchange.com/q/1");
  });

  test("duplicate links are kept and shown on the duplicate's page", async () => {
    expect(first.links).toEqual({ duplicate: 1, linked: 1, known: 0 });
    const provenance = await getThreadProvenance(database.db, local.get("2") ?? 0, []);
    expect(provenance.duplicateOf).toEqual([
      { id: local.get("1"), title: "How do I force quit an application on a Mac?" },
    ]);
    expect((await getThreadProvenance(database.db, local.get("1") ?? 0, [])).duplicateOf).toEqual([]);
  });

  test("a change to an imported post's source or duplicate links drops its stored page", async () => {
    const duplicate = local.get("2") ?? 0;
    const answer = local.get("3") ?? 0;
    const heard: string[][] = [];
    let barrierBack = false;
    const stop = await database.listen(PAGE_CACHE_CHANNEL, (message) => {
      const { tags, barrier } = JSON.parse(message) as { tags?: string[]; barrier?: string };
      if (tags) heard.push(tags);
      if (barrier === "after-import-rows") barrierBack = true;
    });
    try {
      await database.db.execute(sql`update post_sources set author_name = author_name where post_id = ${answer}`);
      const links = await queryRows<Record<string, unknown>>(
        database.db,
        sql`select * from post_links where post_id = ${duplicate}`,
      );
      await database.db.execute(sql`delete from post_links where post_id = ${duplicate}`);
      await database.db.execute(
        sql`insert into post_links select * from jsonb_populate_recordset(null::post_links, ${JSON.stringify(links)}::jsonb)`,
      );
      await database.db.execute(
        sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: "after-import-rows" })})`,
      );
      await expect.poll(() => barrierBack).toBe(true);
    } finally {
      await stop();
    }
    // The answer's page is its question's; the duplicate's page shows its links (deleted, then back).
    expect(heard).toEqual([
      expect.arrayContaining([`post:${local.get("1")}`]),
      expect.arrayContaining([`post:${duplicate}`]),
      expect.arrayContaining([`post:${duplicate}`]),
    ]);
    expect((await getThreadProvenance(database.db, duplicate, [])).duplicateOf).toHaveLength(1);
  });

  test("running it again changes nothing and creates no duplicates; a changed dump updates in place", async () => {
    const count = async () =>
      (
        await queryRows<{ posts: number; users: number; comments: number; links: number; tags: number }>(
          database.db,
          sql`select (select count(*)::int from posts) as posts, (select count(*)::int from users) as users,
          (select count(*)::int from comments) as comments, (select count(*)::int from post_links) as links, (select count(*)::int from post_tags) as tags`,
        )
      )[0];
    const before = await count();
    const again = await importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" });
    // Nothing differs from the dump, so nothing counts as updated.
    expect(again.posts).toEqual({ created: 0, updated: 0, unchanged: 4, skipped: 1 });
    expect(again.people).toMatchObject({ created: 0, updated: 0 });
    expect(again.comments).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(await count()).toEqual(before);
    await database.db.execute(sql`update posts set score = 0, title = 'changed' where id = ${local.get("1") ?? 0}`);
    const repaired = await importStackExchange(database.db, { dir: DUMP, spaceSlug: "mac-help" });
    expect(repaired.posts).toEqual({ created: 0, updated: 1, unchanged: 3, skipped: 1 });
    const [q] = await queryRows<{ title: string; score: number }>(
      database.db,
      sql`select title, score from posts where id = ${local.get("1") ?? 0}`,
    );
    expect(q).toEqual({ title: "How do I force quit an application on a Mac?", score: 7 });
  });

  test("after a reindex, search finds imported threads as one hit with the accepted answer, and similar questions find the original", async () => {
    const engine = createPostgresSearch(database.db);
    await reindexAll(database.db, engine);
    const services = { db: database.db, search: engine };
    const result = await searchPosts(services, parseSearchInput("force quit application").query);
    expect(result.hits[0]?.id).toBe(local.get("1"));
    expect(result.hits[0]?.answer?.isAccepted).toBe(true);
    const similar = await findSimilarQuestions(services, "Task manager on a Mac keyboard", {
      excludeId: local.get("2"),
    });
    expect(similar.map((hit) => hit.id)).toContain(local.get("1"));
  });

  test("dump details: tag lists in both formats, licences by date, missing folders", async () => {
    expect(parseDumpTags("<windows-10><dns>")).toEqual(["windows-10", "dns"]);
    expect(parseDumpTags("|c#|vpn|")).toEqual(["c-sharp", "vpn"]);
    expect(licenseFor(new Date("2011-04-07T23:00:00Z"))).toBe("CC BY-SA 2.5");
    expect(licenseFor(new Date("2017-01-01T00:00:00Z"))).toBe("CC BY-SA 3.0");
    expect(licenseFor(new Date("2020-01-01T00:00:00Z"))).toBe("CC BY-SA 4.0");
    expect(licenseFor(new Date("2020-01-01T00:00:00Z"), "CC BY-SA 4.0")).toBe("CC BY-SA 4.0");
    await expect(
      importStackExchange(database.db, { dir: path.resolve("tests/fixtures/stackexchange/missing.example.com") }),
    ).rejects.toThrow(/No Posts.xml/);
  });

  test("a cut-off Posts.xml is refused before anything is written, saying so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cut.example.com-"));
    const site = "cut.example.com";
    try {
      const whole = readFileSync(path.join(DUMP, "Posts.xml"), "utf8");
      // Ends inside a row's attributes, as a download stopped part way does; the rows before it are complete.
      writeFileSync(path.join(dir, "Posts.xml"), whole.slice(0, whole.indexOf('<row Id="3"') + 40));
      const before = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from posts`);
      const failure = importStackExchange(database.db, { dir, site, spaceSlug: "cut-help" });
      await expect(failure).rejects.toThrow(/Posts\.xml ends before its last row is complete.*cut off/);
      await expect(failure).rejects.toThrow(/No people, posts, comments or links were written/);
      expect(await queryRows(database.db, sql`select count(*)::int as n from posts`)).toEqual(before);
      expect(await queryRows(database.db, sql`select id from spaces where slug = 'cut-help'`)).toEqual([]);
      expect(
        await queryRows(database.db, sql`select 1 from import_ids where source = ${`stackexchange:${site}`}`),
      ).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a cut-off PostLinks file stops the import and says what was already written", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "links.example.com-"));
    try {
      for (const name of ["Posts.xml", "Comments.xml", "Tags.xml", "Users.xml.gz"])
        copyFileSync(path.join(DUMP, name), path.join(dir, name));
      writeFileSync(
        path.join(dir, "PostLinks.xml"),
        '<?xml version="1.0" encoding="utf-8"?>\n<postlinks>\n  <row Id="1" PostId="2" RelatedPostId="1" LinkTypeId="3" />\n  <row Id="2" Po',
      );
      await expect(
        importStackExchange(database.db, { dir, site: "links.example.com", spaceSlug: "links-help" }),
      ).rejects.toThrow(
        /PostLinks\.xml ends before its last row is complete[\s\S]*Written before it stopped: people \d+, posts 4, comments 1, links 0\. Running the import again/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a character split between two reads of the file arrives whole, plain or gzipped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "utf8-"));
    try {
      const head = '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<posts>\n  <row Id="1" Title="';
      // Files are read 64 KiB at a time: put the two bytes of "é" on either side of the first boundary.
      const pad = "a".repeat(65_535 - Buffer.byteLength(`${head}Caf`));
      const title = `${pad}Caf\u00e9 Wi-Fi r\u00e9seau \u2014 \u{1F600}`;
      const text = `${head}${title}" />\n</posts>\n`;
      expect(Buffer.from(text).subarray(65_535, 65_537).toString("utf8")).toBe("\u00e9");
      writeFileSync(path.join(dir, "Posts.xml"), text);
      writeFileSync(path.join(dir, "Posts.xml.gz"), gzipSync(Buffer.from(text)));
      for (const file of ["Posts.xml", "Posts.xml.gz"]) {
        const rows = [];
        for await (const batch of readDumpRows(path.join(dir, file))) rows.push(...batch);
        expect(rows.map((row) => row.Title)).toEqual([title]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
