/**
 * What the embedded engine makes of typed words, against the real database and outbox: "Including results for …" only
 * offers words a searchable post still holds, glossary names of several words bring their synonyms as one word does,
 * and a hyphenated word also finds its joined spelling. Also: closing a question drops the stored search pages.
 */
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { closeQuestion, reopenQuestion } from "~/models/close.server";
import { deleteQuestionOrAnswer } from "~/models/post-deletion.server";
import { editQuestion } from "~/models/questions.server";
import { PAGE_CACHE_CHANNEL } from "~/server/page-cache-http.server";
import { drainSearchOutbox } from "./drain.server";
import { searchPosts } from "./engine.server";
import { createIndexedSearch } from "./indexed.server";
import { type PostgresSearchOptions, createPostgresSearch } from "./postgres.server";
import { parseSearchInput } from "./query";
import type { SynonymSource } from "./query-plan.server";
import type { SearchEngine, SearchResult, SearchSort } from "./types";

const engines: { name: string; create: (db: Database["db"], options: PostgresSearchOptions) => SearchEngine }[] = [
  { name: "ranked in the app (what the site runs)", create: createIndexedSearch },
  { name: "ranked by PostgreSQL", create: createPostgresSearch },
];

/** The glossary's synonym groups as synonymGroups() gives them (lowercase names). */
const glossary: SynonymSource = () => [
  ["mfa", "multi-factor authentication", "2fa", "two-step verification"],
  ["payslip", "wageslipzz", "salary statement"],
  ["m365", "office 365", "microsoft 365"],
];

describe.each(engines)("typed words on the embedded engine: $name", ({ create }) => {
  let database: Database;
  let engine: SearchEngine;
  const ids: Record<string, number> = {};

  const find = (text: string, sort: SearchSort = "relevance"): Promise<SearchResult> =>
    searchPosts({ db: database.db, search: engine }, parseSearchInput(text, { sort }).query);
  const idsOf = (result: SearchResult) => result.hits.map((hit) => hit.id);
  const drain = async () => expect((await drainSearchOutbox(database.db, engine)).error).toBeNull();

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    engine = create(db, { synonyms: glossary });
    await engine.setup();
    const spaceId = await makeSpace(db);
    const ask = async (title: string, body: string, tags = "help") =>
      makeQuestion(db, await makePerson(db), spaceId, { title, body, tags });
    ids.mfa = await ask(
      "The authenticator app asks for a 2FA code at every sign-in",
      "Since Monday the MFA prompt comes back each time I open Outlook.",
    );
    ids.monitors = await ask(
      "Two monitors flicker on the docking station",
      "Both screens go dark for a second, two or three times an hour.",
    );
    ids.payslip = await ask(
      "Where do I find my payslip for March?",
      "The HR portal shows February but not March.",
      "hr",
    );
    ids.licence = await ask(
      "M365 licence not assigned to a new starter",
      "The new colleague cannot open Teams: no licence.",
      "licensing",
    );
    ids.email = await ask("Email signature lost its logo", "Since the update my email signature shows no picture.");
    ids.printer = await ask(
      "Printer on the third floor drops jobs",
      "Jobs vanish from the queue for Kowalczykowski, our facilities team, too.",
      "printing",
    );
    ids.client = await ask(
      "Shared drive for a client project",
      "We need a shared drive for the Zbigniewska rollout, visible to three people.",
      "storage",
    );
    await drain();
  }, 180_000);

  afterAll(async () => {
    await database?.close();
  });

  test("a typo is corrected only to a word some searchable post holds, never to edited-away or deleted text", async () => {
    const { db } = database;
    const actor = await makePerson(db, { role: "moderator" });
    const question = {
      questionId: ids.printer!,
      actor,
      title: "Printer on the third floor drops jobs",
      tags: "printing",
      isPlainLanguage: false,
    };
    await editQuestion(db, { ...question, body: "Jobs vanish; our client Brzezinskiewicz Holdings is waiting." });
    await drain();
    expect((await find("brzezinskiewitz printer")).correctedText).toBe("brzezinskiewicz printer");
    await editQuestion(db, {
      ...question,
      body: "Jobs vanish from the queue for Kowalczykowski, our facilities team.",
    });
    await drain();
    expect((await find("brzezinskiewicz")).total).toBe(0);
    const edited = await find("brzezinskiewitz printer");
    expect(edited.correctedText).toBeNull();
    // A word a post still holds is corrected as before.
    expect((await find("kowalczykowzki printer")).correctedText).toBe("kowalczykowski printer");

    await deleteQuestionOrAnswer(db, { postId: ids.client!, actor });
    await drain();
    expect((await find("zbigniewska")).total).toBe(0);
    expect((await find("zbigniewsko drive")).correctedText).toBeNull();
  });

  test("a glossary name of several words, typed, brings the entry's other names as a single word does", async () => {
    const twoStep = await find("two-step verification");
    expect(idsOf(twoStep)[0]).toBe(ids.mfa);
    expect(idsOf(await find("two step verification"))[0]).toBe(ids.mfa);
    expect(idsOf(await find("office 365"))).toContain(ids.licence);
    expect(idsOf(await find("salary statement"))).toEqual([ids.payslip]);
    // Sorted by date every word must match: the name's words, or one of its other names.
    expect(idsOf(await find("salary statement", "newest"))).toEqual([ids.payslip]);
    expect(idsOf(await find("wageslipzz"))).toEqual([ids.payslip]);
  });

  test('a hyphenated word also finds its joined spelling ("e-mail" finds "email")', async () => {
    expect(idsOf(await find("e-mail"))).toContain(ids.email);
    expect(idsOf(await find("e-mail signature", "newest"))).toEqual([ids.email]);
  });
});

describe("closing a question", () => {
  let database: Database;
  let heard: string[][] = [];
  let onBarrier: (id: string) => void = () => {};
  let stop: () => Promise<void>;

  beforeAll(async () => {
    database = await createTestDatabase();
    stop = await database.listen(PAGE_CACHE_CHANNEL, (payload) => {
      const { tags, barrier } = JSON.parse(payload) as { tags?: string[]; barrier?: string };
      if (tags) heard.push(tags);
      if (barrier) onBarrier(barrier);
    });
  });

  afterAll(async () => {
    await stop();
    await database.close();
  });

  /** The tags announced by a write, between two barriers (see app/lib/page-cache-invalidation.server.test.ts). */
  async function tagsOf(write: () => Promise<unknown>): Promise<Set<string>> {
    const barrier = async () => {
      const marker = `barrier-${Math.random()}`;
      const heardBack = new Promise<void>((resolve) => {
        onBarrier = (id) => {
          if (id === marker) resolve();
        };
      });
      await database.db.execute(sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: marker })})`);
      await heardBack;
    };
    await barrier();
    heard = [];
    await write();
    await barrier();
    return new Set(heard.flat());
  }

  test("as a duplicate, and reopening it, drops the stored lists and search pages (list-rows) of its space", async () => {
    const { db } = database;
    const spaceId = await makeSpace(db);
    const originalId = await makeQuestion(db, await makePerson(db), spaceId);
    const duplicateId = await makeQuestion(db, await makePerson(db), spaceId);
    const moderator = await makePerson(db, { role: "moderator" });
    const closing = await tagsOf(() =>
      closeQuestion(db, {
        actor: moderator,
        questionId: duplicateId,
        reason: "duplicate",
        duplicateOf: `/q/${originalId}`,
      }),
    );
    expect([...closing]).toEqual(expect.arrayContaining([`post:${duplicateId}`, "list-rows", `space:${spaceId}`]));
    const reopening = await tagsOf(() => reopenQuestion(db, { actor: moderator, questionId: duplicateId }));
    expect([...reopening]).toEqual(expect.arrayContaining([`post:${duplicateId}`, "list-rows", `space:${spaceId}`]));
  });
});
