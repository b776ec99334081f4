/**
 * Typo correction has a small fixed budget whatever the query: a search of many unknown words (32 random 14-letter
 * words cost about 1 s of database time, one look-up per word) corrects only its first few, in one statement, and leaves
 * the rest as typed, while a search of a word or two with a typo is corrected as before.
 */
import type { SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database, Db } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { drainSearchOutbox } from "./drain.server";
import { createIndexedSearch } from "./indexed.server";
import { parseSearchInput } from "./query";
import { WORDS_CORRECTED_PER_SEARCH, planQuery } from "./query-plan.server";
import { SEARCH_LIMITS } from "./types";

/** Words of letters no post, glossary or English list holds, nor anything within two typos of them (a fixed LCG). */
function unknownWords(count: number, length: number): string[] {
  let seed = 20240611;
  const letter = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return String.fromCharCode(97 + (seed % 26));
  };
  return Array.from({ length: count }, () => Array.from({ length }, letter).join(""));
}

describe("typo correction budget", () => {
  let database: Database;
  /** The statements planQuery sent to the database, counted by wrapping the real handle's execute. */
  let statements: SQL[] = [];
  let countingDb: Db;

  const plan = (text: string) => planQuery(countingDb, parseSearchInput(text).query, undefined);

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const engine = createIndexedSearch(db, {});
    await engine.setup();
    const spaceId = await makeSpace(db);
    const ask = async (title: string, body: string) =>
      makeQuestion(db, await makePerson(db), spaceId, { title, body, tags: "help" });
    await ask("Email signature lost its logo", "Since the update my email signature shows no picture.");
    await ask(
      "Printer on the third floor drops jobs",
      "Jobs vanish from the queue for Kowalczykowski, our facilities team, too.",
    );
    expect((await drainSearchOutbox(db, engine)).error).toBeNull();
    countingDb = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== "execute") return Reflect.get(target, property, receiver);
        return (query: SQL) => {
          statements.push(query);
          return target.execute(query);
        };
      },
    });
  }, 180_000);

  afterAll(async () => {
    await database?.close();
  });

  test("a search of the most unknown words allowed costs a few statements, not one look-up per word", async () => {
    const words = unknownWords(SEARCH_LIMITS.maxWords, 14);
    statements = [];
    const planned = await plan(words.join(" "));
    expect(planned.correctedText).toBeNull();
    expect(planned.groups.map((group) => group.shown)).toEqual(words);
    // The words' stems, their corrections (all in one), their tsqueries and the compound spellings: no more for 32.
    expect(statements.length).toBeLessThanOrEqual(5);

    statements = [];
    expect((await plan("kowalczykowzki printer")).correctedText).toBe("kowalczykowski printer");
    const forTwoWords = statements.length;
    statements = [];
    await plan(unknownWords(SEARCH_LIMITS.maxWords, 17).join(" "));
    expect(statements.length).toBeLessThanOrEqual(forTwoWords);
  });

  test("only the first unknown words typed are corrected; the rest are left as typed, and shown so", async () => {
    const gibberish = unknownWords(WORDS_CORRECTED_PER_SEARCH, 14);
    // Within the budget: corrected, the unknown words around it shown as typed.
    const within = [...gibberish.slice(1), "emial", gibberish[0] ?? ""];
    expect((await plan(within.join(" "))).correctedText).toBe(within.join(" ").replace("emial", "email"));
    // Past the budget (every earlier word was looked up): taken as typed, so no "Including results for".
    const past = [...gibberish, "emial"];
    const planned = await plan(past.join(" "));
    expect(planned.correctedText).toBeNull();
    expect(planned.groups.map((group) => group.shown)).toEqual(past);
  });

  test("two words with a typo each are both corrected", async () => {
    expect((await plan("emial signatrue")).correctedText).toBe("email signature");
  });
});
