import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { ensureTags, normalizeTag, parseTagList } from "./tags.server";

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
});
