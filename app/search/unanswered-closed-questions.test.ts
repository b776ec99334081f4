/**
 * Search's "unanswered" means what the question lists' "unanswered" means: a closed question (duplicate, off-topic or
 * needing details) waits for no answer, and a reopened one waits again. Run against every available engine, with the
 * questions closed and reopened through the real models and reaching the engine through the real outbox drain.
 */
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { Meilisearch } from "meilisearch";
import type { Database } from "#db/client.server";
import { spaces } from "#db/schema";
import { closeQuestion, reopenQuestion } from "~/models/close.server";
import { listQuestions } from "~/models/question-lists.server";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { drainSearchOutbox } from "./drain.server";
import { searchPosts } from "./engine.server";
import { createIndexedSearch } from "./indexed.server";
import { createMeilisearchSearch } from "./meilisearch.server";
import { createPostgresSearch } from "./postgres.server";
import { parseSearchInput } from "./query";
import type { SearchEngine } from "./types";

type EngineCase = { name: string; create: (database: Database) => SearchEngine; cleanup: () => Promise<void> };

const meilisearchUrl = process.env.MEILISEARCH_URL;
const meilisearchKey = process.env.MEILISEARCH_KEY || undefined;

async function isMeilisearchReachable(): Promise<boolean> {
  if (!meilisearchUrl) return false;
  try {
    return (
      (await new Meilisearch({ host: meilisearchUrl, apiKey: meilisearchKey, timeout: 2000 }).health()).status ===
      "available"
    );
  } catch {
    return false;
  }
}

const engines: EngineCase[] = [
  { name: "postgres", create: (database) => createPostgresSearch(database.db), cleanup: async () => {} },
  {
    name: "postgres ranked in the app",
    create: (database) => createIndexedSearch(database.db),
    cleanup: async () => {},
  },
];

if (meilisearchUrl && (await isMeilisearchReachable())) {
  const host = meilisearchUrl;
  const indexUid = `peerdesk_test_${randomBytes(4).toString("hex")}`;
  engines.push({
    name: "meilisearch",
    create: () => createMeilisearchSearch({ url: host, apiKey: meilisearchKey, indexUid }),
    cleanup: async () => {
      const client = new Meilisearch({ host, apiKey: meilisearchKey });
      await client.deleteIndexIfExists(indexUid);
      await client.deleteIndexIfExists(`${indexUid}_next`);
    },
  });
}

describe.each(engines)("unanswered in search follows closing and reopening: $name", (engineCase) => {
  let database: Database;
  let engine: SearchEngine;
  let spaceId = 0;
  let spaceSlug = "";
  const ids = { original: 0, offTopic: 0, needsDetails: 0, duplicate: 0, stillOpen: 0 };
  let moderator: Awaited<ReturnType<typeof makePerson>>;

  const drain = async () => {
    const result = await drainSearchOutbox(database.db, engine);
    expect(result.error).toBeNull();
  };
  /** What the search page shows with "Unanswered" ticked in this space: the questions, and the filter's count. */
  async function unansweredInSearch() {
    const result = await searchPosts(
      { db: database.db, search: engine },
      parseSearchInput("", { spaceSlug, isUnanswered: true }).query,
    );
    const everything = await searchPosts(
      { db: database.db, search: engine },
      parseSearchInput("", { spaceSlug }).query,
    );
    return { ids: result.hits.map((hit) => hit.id).sort((a, b) => a - b), count: everything.facets?.unanswered };
  }
  /** What the space's question list shows under its "Unanswered" tab. */
  async function unansweredInList() {
    const page = await listQuestions(database.db, { spaceId, sort: "unanswered" });
    return page.questions.map((question) => question.id).sort((a, b) => a - b);
  }
  const sorted = (list: number[]) => [...list].sort((a, b) => a - b);

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    engine = engineCase.create(database);
    await engine.setup();
    const asker = await makePerson(db);
    const helper = await makePerson(db);
    moderator = await makePerson(db, { role: "moderator" });
    spaceId = await makeSpace(db);
    const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, spaceId));
    spaceSlug = space?.slug ?? "";
    ids.original = await makeQuestion(db, asker, spaceId, { title: "Shared mailbox missing from Outlook on the web" });
    await makeAnswer(db, helper, ids.original, { body: "Ask an admin to grant you Full Access to the mailbox." });
    ids.offTopic = await makeQuestion(db, asker, spaceId, { title: "Best pizza place near the head office" });
    ids.needsDetails = await makeQuestion(db, asker, spaceId, { title: "My computer does the thing again" });
    ids.duplicate = await makeQuestion(db, asker, spaceId, { title: "Shared mailbox not showing in Outlook web" });
    ids.stillOpen = await makeQuestion(db, asker, spaceId, { title: "Teams camera turns black during calls" });
    await drain();
  }, 180_000);

  afterAll(async () => {
    await engineCase.cleanup();
    await database?.close();
  });

  test("before any closing, every question without an answer is unanswered, in search as in the list", async () => {
    const waiting = sorted([ids.offTopic, ids.needsDetails, ids.duplicate, ids.stillOpen]);
    expect(await unansweredInList()).toEqual(waiting);
    expect(await unansweredInSearch()).toEqual({ ids: waiting, count: 4 });
  });

  test("a question closed as off-topic, as needing details or as a duplicate no longer counts as unanswered", async () => {
    const { db } = database;
    await closeQuestion(db, { actor: moderator, questionId: ids.offTopic, reason: "off_topic" });
    await closeQuestion(db, {
      actor: moderator,
      questionId: ids.needsDetails,
      reason: "needs_details",
      details: "Which computer, and what exactly happens on the screen?",
    });
    await closeQuestion(db, {
      actor: moderator,
      questionId: ids.duplicate,
      reason: "duplicate",
      duplicateOf: String(ids.original),
    });
    await drain();
    expect(await unansweredInList()).toEqual([ids.stillOpen]);
    expect(await unansweredInSearch()).toEqual({ ids: [ids.stillOpen], count: 1 });
    // Closed off-topic or for details, a question can still be found by its words; it just waits for no answer.
    const pizza = await searchPosts({ db, search: engine }, parseSearchInput("pizza", { spaceSlug }).query);
    expect(pizza.hits.map((hit) => hit.id)).toEqual([ids.offTopic]);
  });

  test("reopened, each question is unanswered again, in search as in the list", async () => {
    const { db } = database;
    for (const questionId of [ids.offTopic, ids.needsDetails, ids.duplicate])
      await reopenQuestion(db, { actor: moderator, questionId });
    await drain();
    const waiting = sorted([ids.offTopic, ids.needsDetails, ids.duplicate, ids.stillOpen]);
    expect(await unansweredInList()).toEqual(waiting);
    expect(await unansweredInSearch()).toEqual({ ids: waiting, count: 4 });
  });
});
