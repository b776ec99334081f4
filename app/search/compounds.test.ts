/** Compounds written apart or together ("SuperUser" and "Super User", "voting it down" and "downvoting") find each other. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { createIndexedSearch } from "./indexed.server";
import { createPostgresSearch } from "./postgres.server";
import { parseSearchInput } from "./query";
import type { SearchDocument, SearchEngine } from "./types";

const engines: { name: string; create: (db: Database["db"]) => SearchEngine }[] = [
  { name: "ranked in the app (what the site runs)", create: createIndexedSearch },
  { name: "ranked by PostgreSQL", create: createPostgresSearch },
];

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

const posts = [
  question(1, "When should I ask at Super User instead?", "Some questions fit the other site better."),
  question(2, "Is SuperUser the right site for shell scripts?", "I was sent there twice."),
  question(3, "Downvoting etiquette", "Should I leave a comment when I downvote?"),
  question(4, "Pass the word to the team", "Tell everyone about the meeting."),
  question(5, "I forgot my password", "The password reset mail never arrives."),
  question(6, "Cannot login after the update", "The login page loops."),
];

describe.each(engines)("compound words: $name", ({ create }) => {
  let database: Database;
  let engine: SearchEngine;
  const idsFor = async (text: string): Promise<number[]> =>
    (await engine.search(parseSearchInput(text).query)).hits.map((hit) => hit.id);

  beforeAll(async () => {
    database = await createTestDatabase();
    engine = create(database.db);
    await engine.setup();
    await engine.upsert(posts);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });

  test("a compound written apart finds it written together, and the other way round", async () => {
    expect(await idsFor("super user")).toEqual(expect.arrayContaining([1, 2]));
    expect(await idsFor("superuser")).toEqual(expect.arrayContaining([1, 2]));
    expect(await idsFor("log in")).toContain(6);
  });

  test("the halves of a phrasal verb may stand apart, in either order", async () => {
    expect(await idsFor("comment when voting it down")).toContain(3);
  });

  test("a word is split only as the posts write it: a password is not a word to pass", async () => {
    expect(await idsFor("password")).toEqual([5]);
  });

  test("sorted by date every word must match, so a joined spelling is not required as one more word", async () => {
    const query = { ...parseSearchInput("super user").query, sort: "newest" as const };
    expect((await engine.search(query)).hits.map((hit) => hit.id)).toEqual([1]);
  });
});
