/**
 * The in-app ranking index of each process follows the others' writes through the change log, woken by NOTIFY: two
 * engines on one database (as two app processes are), the second one never polling on its own.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { createIndexedSearch } from "./indexed.server";
import { parseSearchInput } from "./query";
import type { SearchDocument, SearchEngine } from "./types";

function question(id: number, title: string, body: string): SearchDocument {
  return {
    id,
    kind: "question",
    title,
    body,
    questionId: null,
    spaceId: 1,
    spaceSlug: "meta",
    spaceName: "Meta",
    tags: [],
    authorName: "Ann",
    isPlainLanguage: false,
    isSolved: false,
    isUnanswered: true,
    answerCount: 0,
    score: 0,
    createdAt: Date.UTC(2020, 0, id),
  };
}

/** Resolves once `check` holds, searching again whenever it does not yet (the signal waited for, not a pause). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("search changes reach every process's index", () => {
  let database: Database;
  let writer: SearchEngine;
  let reader: SearchEngine;
  const idsOn = async (engine: SearchEngine, text: string): Promise<number[]> =>
    (await engine.search(parseSearchInput(text).query)).hits.map((hit) => hit.id);

  beforeAll(async () => {
    database = await createTestDatabase();
    writer = createIndexedSearch(database.db, { listen: database.listen });
    // An hour between looks at the change log: only the wake-up can bring the writer's changes in.
    reader = createIndexedSearch(database.db, { listen: database.listen, pollMs: 60 * 60 * 1000 });
    await writer.setup();
    await writer.upsert([question(1, "Printer offline on the third floor", "It says offline since Monday.")]);
    await reader.setup();
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  test("the reader starts with what was there", async () => {
    expect(await idsOn(reader, "printer offline")).toEqual([1]);
  });

  test("a post written through one process is found through the other once it commits", async () => {
    await writer.upsert([question(2, "Docking station flickers", "The external monitor flickers on the dock.")]);
    expect(await idsOn(writer, "docking flickers")).toEqual([2]);
    await eventually(async () => (await idsOn(reader, "docking flickers")).includes(2), "the reader finds the post");
  });

  test("an edit and a removal through one process show through the other", async () => {
    await writer.upsert([question(1, "Plotter offline on the third floor", "It says offline since Monday.")]);
    await eventually(async () => (await idsOn(reader, "plotter")).includes(1), "the reader sees the edit");
    await writer.remove([2]);
    await eventually(async () => (await idsOn(reader, "docking flickers")).length === 0, "the reader drops the post");
    expect(await idsOn(reader, "plotter")).toEqual([1]);
  });
});
