import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeHowto } from "../../tests/fixtures/howtos";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { TAG_DIRECTORY_PAGE_SIZE, ensureTags, listTagDirectory, normalizeTag, parseTagList } from "./tags.server";

describe("tag normalisation", () => {
  test.each([
    ["Exchange Online", "exchange-online"],
    ["exchange_online ", "exchange-online"],
    ["EXCHANGE--online", "exchange-online"],
    ["C#", "c-sharp"],
    ["C++", "c-plus-plus"],
    ["Wi-Fi", "wi-fi"],
    ["Café Réseau", "cafe-reseau"],
    ["   ", ""],
  ])("%j becomes %j", (raw, expected) => {
    expect(normalizeTag(raw)).toBe(expected);
  });

  test("lists drop empty parts and duplicates, keeping the order typed", () => {
    expect(parseTagList("vpn, Windows 11,, VPN ,windows-11, intune")).toEqual(["vpn", "windows-11", "intune"]);
  });
});

describe("tags in the database", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  test("ensureTags creates missing tags once and returns them in the order asked", async () => {
    const first = await ensureTags(database.db, ["VPN", "dns"]);
    const second = await ensureTags(database.db, ["dns", "vpn", "new tag"]);
    expect(first.map((t) => t.slug)).toEqual(["vpn", "dns"]);
    expect(second.map((t) => t.slug)).toEqual(["dns", "vpn", "new-tag"]);
    expect(second[1]?.id).toBe(first[0]?.id);
  });

  test("the tag directory counts public questions and how-tos per tag, finds by part of a name, sorts and pages", async () => {
    const spaceId = await makeSpace(database.db);
    const asker = async () => makePerson(database.db);
    await makeQuestion(database.db, await asker(), spaceId, { tags: "printer-queue, dir-cups" });
    await makeQuestion(database.db, await asker(), spaceId, { tags: "printer-queue" });
    const gone = await makeQuestion(database.db, await asker(), spaceId, { tags: "printer-queue, dir-gone" });
    await database.db.execute(sql`update posts set deleted_at = now() where id = ${gone}`);
    await makeHowto(database.db, await asker(), spaceId, { tags: "printer-queue" });

    const found = await listTagDirectory(database.db, { query: "Printer Queue" });
    expect(found).toEqual({
      tags: [{ slug: "printer-queue", description: "", questions: 2, howtos: 1 }],
      total: 1,
    });
    // A tag only a deleted post carries, and one no post carries ("dns" above), are not listed.
    const dir = await listTagDirectory(database.db, { query: "dir-", sort: "name" });
    expect(dir.tags.map((tag) => tag.slug)).toEqual(["dir-cups"]);
    expect((await listTagDirectory(database.db, { query: "dns" })).total).toBe(0);

    // Most used first; pages of TAG_DIRECTORY_PAGE_SIZE, and the total on a page past the end too.
    for (let i = 0; i < TAG_DIRECTORY_PAGE_SIZE; i++)
      await makeQuestion(database.db, await asker(), spaceId, { tags: `bulk-${String(i).padStart(2, "0")}` });
    const popular = await listTagDirectory(database.db, {});
    expect(popular.tags[0]?.slug).toBe("printer-queue");
    expect(popular.tags).toHaveLength(TAG_DIRECTORY_PAGE_SIZE);
    const byName = await listTagDirectory(database.db, { sort: "name", page: 2 });
    expect(byName.total).toBe(popular.total);
    expect(byName.tags.map((tag) => tag.slug)).toEqual(
      [...byName.tags.map((tag) => tag.slug)].sort((a, b) => a.localeCompare(b)),
    );
    expect(await listTagDirectory(database.db, { page: 99 })).toEqual({ tags: [], total: popular.total });
  });
});
