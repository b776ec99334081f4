/**
 * The page cache's write barrier and the memos signed-in pages are rendered from, on a real database: when a write's
 * announcements can't be confirmed in time, the writer's next page is read from the database, never from a memo made
 * before the write; and a barrier statement that only waited its turn on a busy database is not taken for a lost one.
 */
import type { Database } from "#db/client.server";
import { forgetKept, onForgetKept } from "~/lib/page-cache.server";
import { followQuestionPageChanges, getQuestionPage } from "~/models/question-page-memo.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace } from "../../tests/fixtures/people";
import { makeAnswer, makeQuestion } from "../../tests/fixtures/qa";
import { type PageCache, createPageCache } from "./page-cache-http.server";

let database: Database;
/** While true, announcements on the channel wait here instead of reaching this process's listeners (a slow delivery). */
let holding = false;
const held: Array<() => void> = [];
/** Extra time the database takes before running the barrier's statement (its turn behind others). */
let statementDelayMs = 0;
let cache: PageCache;
let stopFollowing = async () => {};

/** The database as this process sees it: announcements may be held back, and statements may wait their turn. */
function slowDatabase(real: Database): Pick<Database, "db" | "listen"> {
  const db = new Proxy(real.db, {
    get(target, key, receiver) {
      if (key !== "execute") return Reflect.get(target, key, receiver);
      return async (...args: Parameters<Database["db"]["execute"]>) => {
        if (statementDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, statementDelayMs));
        return target.execute(...args);
      };
    },
  });
  return {
    db,
    listen: (channel, onMessage, gaps) =>
      real.listen(
        channel,
        (payload) => {
          if (holding) held.push(() => onMessage(payload));
          else onMessage(payload);
        },
        gaps,
      ),
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const seen = slowDatabase(database);
  stopFollowing = await followQuestionPageChanges({ db: database.db, listen: seen.listen });
  cache = await createPageCache({
    maxBytes: 1024 * 1024,
    database: seen,
    render: async () => new Response("<p>unused</p>", { headers: { "content-type": "text/html" } }),
    barrierTimeoutMs: 500,
  });
});

afterAll(async () => {
  await cache?.stop();
  await stopFollowing();
  await database?.close();
});

afterEach(() => {
  holding = false;
  for (const deliver of held.splice(0)) deliver();
  statementDelayMs = 0;
});

test("a writer whose write's announcement is late still sees their new answer on the question page", async () => {
  const db = database.db;
  const asker = await makePerson(db);
  const helper = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  await cache.barrier();
  const before = await getQuestionPage(db, questionId);
  expect(before?.answers).toEqual([]);
  // Kept in memory: the same data again.
  expect(await getQuestionPage(db, questionId)).toBe(before);

  holding = true;
  const answerId = await makeAnswer(db, helper, questionId, { body: "Turn the projector's image with its Flip key." });
  // What the answer's response waits for: its announcements can't be confirmed, so nothing kept before it is used.
  await cache.barrier();
  expect(held.length).toBeGreaterThan(0);
  expect((await getQuestionPage(db, questionId))?.answers.map((a) => a.id)).toEqual([answerId]);
});

test("a barrier that waited its turn behind other statements, then was heard, keeps what is in memory", async () => {
  const db = database.db;
  const asker = await makePerson(db);
  const questionId = await makeQuestion(db, asker, await makeSpace(db));
  await cache.barrier();
  const page = await getQuestionPage(db, questionId);
  let forgotten = 0;
  const stop = onForgetKept(() => {
    forgotten += 1;
  });
  try {
    // Longer than the barrier's time limit, which counts from when the statement ran.
    statementDelayMs = 1_000;
    await cache.barrier();
    expect(forgotten).toBe(0);
    expect(await getQuestionPage(db, questionId)).toBe(page);
    // Held back past its limit, it is taken for lost: everything kept is forgotten.
    statementDelayMs = 0;
    holding = true;
    await cache.barrier();
    expect(forgotten).toBe(1);
    expect(await getQuestionPage(db, questionId)).not.toBe(page);
  } finally {
    stop();
  }
});

test("forgetting what is kept reaches every memo registered, and stops for those that left", () => {
  const calls: string[] = [];
  const stopA = onForgetKept(() => calls.push("a"));
  const stopB = onForgetKept(() => calls.push("b"));
  forgetKept();
  stopA();
  forgetKept();
  stopB();
  expect(calls).toEqual(["a", "b", "b"]);
});
