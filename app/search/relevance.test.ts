import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "#db/client.server";
import { seedDemoContent } from "../../scripts/seed/demo";
import { createTestDatabase } from "../../tests/fixtures/db";
import { reindexAll, searchPosts } from "./engine.server";
import { createIndexedSearch } from "./indexed.server";
import { type PostgresSearchOptions, createPostgresSearch } from "./postgres.server";
import type { SynonymSource } from "./query-plan.server";
import { parseSearchInput } from "./query";
import type { SearchEngine, SearchResult } from "./types";

const engines: { name: string; create: (db: Database["db"], options: PostgresSearchOptions) => SearchEngine }[] = [
  { name: "ranked in the app (what the site runs)", create: createIndexedSearch },
  { name: "ranked by PostgreSQL", create: createPostgresSearch },
];

// What people type against the demo content: the right posts in the top three, and no wrong "Including results for".
describe.each(engines)("embedded search on the demo content: $name", ({ create }) => {
  let database: Database;
  const find = async (text: string, synonyms?: SynonymSource): Promise<SearchResult> => {
    const search = create(database.db, { synonyms });
    await search.setup();
    return searchPosts({ db: database.db, search }, parseSearchInput(text).query);
  };
  const top3 = (result: SearchResult) => result.hits.slice(0, 3).map((hit) => hit.title.toLowerCase());

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoContent(database.db);
    await reindexAll(database.db, create(database.db, {}));
    // Seeding the demo content takes a while on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await database?.close();
  });

  test("real words are never corrected, even ones no post uses yet", async () => {
    const reset = await find("how do I reset my password");
    expect(reset.correctedText).toBeNull();
    expect(top3(reset).some((title) => title.includes("password"))).toBe(true);
    const vpn = await find("vpn not working");
    expect(vpn.correctedText).toBeNull();
    expect(top3(vpn).every((title) => title.includes("vpn"))).toBe(true);
  });

  test("typos are corrected to a frequent word within one typo (a swap counts once)", async () => {
    const forgot = await find("forgot my pasword");
    expect(forgot.correctedText).toBe("forgot my password");
    expect(top3(forgot).some((title) => title.includes("password"))).toBe(true);
    const email = await find("emial");
    expect(email.correctedText).toBe("email");
    expect(top3(email).every((title) => title.includes("email"))).toBe(true);
  });

  test('"wifi" finds posts that write "Wi-Fi"', async () => {
    const wifi = await find("wifi");
    expect(wifi.correctedText).toBeNull();
    expect(top3(wifi).every((title) => title.includes("wi-fi"))).toBe(true);
  });

  test("synonym groups (the glossary's hook) expand the words and count as known", async () => {
    const groups = [
      ["MFA", "multi-factor authentication", "2FA", "two-step verification"],
      ["emial", "electronic mail"],
    ];
    expect((await find("2fa")).total).toBe(0);
    const mfa = await find("2fa", () => groups);
    expect(top3(mfa).some((title) => title.includes("mfa"))).toBe(true);
    // A word of the glossary is never "corrected", even when the index doesn't hold it.
    expect((await find("emial", () => groups)).correctedText).toBeNull();
  });

  test("one hit per thread, ranked by the best of the question and its answers", async () => {
    const result = await find("vpn dns");
    const threads = result.hits.map((hit) => (hit.kind === "answer" ? hit.questionId : hit.id));
    expect(new Set(threads).size).toBe(threads.length);
    expect(result.hits.some((hit) => hit.answer)).toBe(true);
  });
});
