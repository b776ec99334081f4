/** Accented words are found by their ASCII spelling (and back), Chinese and Japanese by the words inside a sentence. */
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { queryRows } from "#db/client.server";
import { makeQuestion } from "../../tests/fixtures/qa";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { embeddedEngines, searchCorpus } from "../../tests/fixtures/search";
import { drainSearchOutbox } from "./drain.server";
import { needsReindex, reindexAll, searchPosts } from "./engine.server";
import { markMatches, markedToHtml, tsqueryLexemes } from "./highlight";
import { createIndexedSearch } from "./indexed.server";
import { internationalSpelling, internationalWords } from "./international-words";
import { createPostgresSearch } from "./postgres.server";
import { parseSearchInput } from "./query";
import type { SearchEngine } from "./types";

test("accented words are also spelled in ASCII, Chinese and Japanese runs as their words; other text adds nothing", () => {
  expect(internationalWords("Tiếng Việt, Straße, café-bar, Müller, Øresund, İstanbul")).toBe(
    "tieng viet strasse cafe-bar muller mueller oresund istanbul",
  );
  expect(internationalWords("我们办公室的打印机昨天开始无法连接。")).toBe(
    "我们 办公 室 的 打印 机 昨天 开始 无法 连接",
  );
  expect(internationalWords("プリンターに接続できません")).toBe("プリンター に 接続 でき ま せん");
  expect(internationalWords("Wi-Fi on C# and привет, 한국어")).toBe("");
  expect(["café", "straße", "viet", "无线网络", "打印机", "c#", "wi-fi"].map(internationalSpelling)).toEqual([
    "cafe",
    "strasse",
    "viet",
    "无线 网络",
    "打印 机",
    "c#",
    "wi-fi",
  ]);
});

test("highlighting marks the written word for its ASCII spelling, and the words inside a Chinese sentence", () => {
  const marked = (text: string, tsq: string) => markedToHtml(markMatches(text, tsqueryLexemes(tsq)));
  expect(marked("Un café à Paris", "'cafe'")).toBe("Un <mark>café</mark> à Paris");
  expect(marked("Un café à Paris", "'café'")).toBe("Un <mark>café</mark> à Paris");
  expect(marked("Die Straße ist gesperrt", "'strass'")).toBe("Die <mark>Straße</mark> ist gesperrt");
  expect(marked("打印机昨天开始无法连接", "'打印' & '机'")).toBe("<mark>打印</mark><mark>机</mark>昨天开始无法连接");
});

describe.each(embeddedEngines)("searching international text: $name", ({ create }) => {
  const { ids, find } = searchCorpus(create, {
    vietnamese: {
      title: "Bàn phím Tiếng Việt không gõ được dấu",
      body: "Sau khi cập nhật, bộ gõ Tiếng Việt không hoạt động trong Outlook.",
    },
    german: {
      title: "Drucker in der Hauptstraße druckt nicht",
      body: "Seit gestern druckt der Drucker im Büro an der Straße nichts mehr.",
    },
    accented: {
      title: "The café downstairs has no guest network",
      body: "Visitors in the café cannot join the guest network.",
    },
    plain: {
      title: "Cafe printer prints blank pages",
      body: "The printer in the cafe prints only blank pages since Monday.",
    },
    chinese: {
      title: "我们办公室的打印机昨天开始无法连接。",
      body: "我们办公室的打印机昨天开始无法连接。无线网络也很慢，重启路由器也没有用。",
    },
    japanese: {
      title: "会議室のプリンターに接続できません",
      body: "会議室のプリンターにノートパソコンから接続できません。ドライバーは入れ直しました。",
    },
  });

  test('"viet", "tieng" and "strasse" find the posts that write "Tiếng Việt" and "Straße"', async () => {
    expect((await find("viet")).ids).toEqual([ids.vietnamese]);
    expect((await find("tieng")).ids).toEqual([ids.vietnamese]);
    expect((await find("tiếng việt")).ids).toEqual([ids.vietnamese]);
    expect((await find("strasse")).ids).toEqual([ids.german]);
    expect((await find("straße")).ids).toEqual([ids.german]);
    expect((await find("viet")).hits[0]?.titleHtml).toContain("<mark>Việt</mark>");
  });

  test('"cafe" and "café" each find both spellings, and mark the word as written', async () => {
    const both = [ids.accented, ids.plain].sort((a, b) => a - b);
    expect((await find("cafe")).ids).toEqual(both);
    expect((await find("café")).ids).toEqual(both);
    const accented = (await find("cafe")).hits.find((hit) => hit.id === ids.accented);
    expect(accented?.titleHtml).toContain("<mark>café</mark>");
    // A quoted phrase still matches as written.
    expect((await find('"café downstairs"')).ids).toEqual([ids.accented]);
  });

  test("Chinese and Japanese words are found inside sentences written without spaces", async () => {
    expect((await find("打印机")).ids).toEqual([ids.chinese]);
    expect((await find("无线网络")).ids).toEqual([ids.chinese]);
    expect((await find('"打印机"')).ids).toEqual([ids.chinese]);
    expect((await find("プリンター")).ids).toEqual([ids.japanese]);
    expect((await find("接続")).ids).toEqual([ids.japanese]);
    // The planner leaves one-character pieces of a word out of its query ("机"), as it does the "x" of "802.1x".
    expect((await find("打印机")).hits[0]?.titleHtml).toContain("的<mark>打印</mark>机");
  });
});

test("an index built before international words is emptied by its migration and rebuilt at start, then finds them", async () => {
  const database = await createTestDatabase();
  try {
    const { db } = database;
    const engine = createIndexedSearch(db);
    await engine.setup();
    const asker = await makePerson(db);
    const spaceId = await makeSpace(db);
    const cafe = await makeQuestion(db, asker, spaceId, {
      title: "The café downstairs has no guest network",
      body: "我们办公室的打印机昨天开始无法连接。无线网络也很慢，重启路由器也没有用。",
    });
    expect((await drainSearchOutbox(db, engine)).error).toBeNull();
    // Indexed the old way: title, tags, body and space name as the parser reads them, nothing appended.
    await db.execute(sql`update search_documents set tsv = setweight(to_tsvector('english', title), 'A')
      || setweight(to_tsvector('english', array_to_string(tags, ' ')), 'B') || setweight(to_tsvector('english', body), 'C')
      || setweight(to_tsvector('english', space_name), 'D')`);
    const oldEngine = createPostgresSearch(db);
    const search = (text: string, on: SearchEngine) => searchPosts({ db, search: on }, parseSearchInput(text).query);
    expect((await search("cafe", oldEngine)).total).toBe(0);
    expect((await search("打印机", oldEngine)).total).toBe(0);
    // A change waiting in the outbox stays there for the drain.
    await db.execute(sql`insert into search_outbox (post_id, op) values (${cafe}, 'upsert')`);

    // The migration runs again as on an installation that had not applied it yet (its statements, as the migrator
    // sends them: later migrations are applied already and can't run twice).
    const migration = readFileSync(
      new URL("../../db/migrations/0051_search_international_words.sql", import.meta.url),
      "utf8",
    );
    for (const statement of migration.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));
    const [outbox] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from search_outbox`);
    expect(outbox?.n).toBe(1);
    expect(await needsReindex(db, oldEngine)).toBe(true);

    const rebuilt = createIndexedSearch(db);
    await rebuilt.setup();
    expect((await reindexAll(db, rebuilt)).indexed).toBe(1);
    expect(await needsReindex(db, rebuilt)).toBe(false);
    expect((await search("cafe", rebuilt)).hits.map((hit) => hit.id)).toEqual([cafe]);
    expect((await search("打印机", rebuilt)).hits.map((hit) => hit.id)).toEqual([cafe]);
  } finally {
    await database.close();
  }
}, 180_000);
