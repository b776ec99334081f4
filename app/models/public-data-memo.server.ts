/**
 * The public data of the how-to page (the how-to with its glossary notes, its related content), of the home page
 * (spaces, recent questions, most helpful how-tos) and of the question, how-to and space lists kept in memory per app
 * process, so a render the page cache cannot answer (a signed-out miss, a signed-in reader, a data request) does not
 * query it again. Entries carry the page
 * cache's tags and are dropped exactly as its pages are: by the tags every writing transaction announces on the page
 * cache's channel (`post:<id>` for the how-to itself; `lists`, announced by every post, vote, tag and feedback write,
 * for related content; `list-rows` for the home page's and the other lists; `*` for spaces, people and the glossary),
 * heard by every process.
 * A write's response already waits until this process heard them (the page cache's barrier), so the writer and
 * everyone after them read the new data; while the channel's connection is down nothing is kept. A load that began
 * before an invalidation is never stored, and concurrent readers of one key share one load (dropped on invalidation).
 */
import type { Database, Db } from "#db/client.server";
import { PAGE_CACHE_CHANNEL, onForgetKept, parseAnnouncement } from "~/lib/page-cache.server";
import { TAGS } from "~/lib/page-cache-policy.server";
import { TaggedMemo } from "~/lib/tagged-memo.server";
import { getGlossaryIndex } from "./glossary.server";
import { type HowtoListOptions, type RelatedItem, listHowtos, listRelatedContent } from "./howto-lists.server";
import { type HowtoPageWithGlossary, getHowtoPage, withGlossaryIndex } from "./howto-pages.server";
import { type QuestionListOptions, listQuestions, listRecentQuestions } from "./question-lists.server";
import { listSpaceNames, listSpaces } from "./spaces.server";

const MAX_HOWTOS = 2_000;
/** Lists by their parameters (sorts, tags, pages of each space): the most used stay. */
const MAX_LISTS = 500;
/** A safety net only: every change these entries show is announced. */
const MAX_AGE_MS = 60_000;
const RECENT_QUESTIONS = 15;
const HELPFUL_HOWTOS = 5;

export type HomeData = {
  spaces: Awaited<ReturnType<typeof listSpaces>>;
  questions: Awaited<ReturnType<typeof listRecentQuestions>>;
  howtos: Awaited<ReturnType<typeof listHowtos>>["howtos"];
};

/** One kind of kept value, and the loads in flight for it (shared by concurrent readers until an invalidation). */
class Kept<V> {
  readonly memo: TaggedMemo<V>;
  private readonly flights = new Map<string, Promise<V | null>>();

  constructor(maxEntries: number) {
    this.memo = new TaggedMemo<V>({ maxEntries, maxAgeMs: MAX_AGE_MS });
  }

  /** The value under `key`: kept, or loaded (once for concurrent readers) and kept with `tags` unless null. */
  get(key: string, tags: readonly string[], load: () => Promise<V | null>): Promise<V | null> {
    const kept = this.memo.get(key);
    if (kept !== undefined) return Promise.resolve(kept);
    const flying = this.flights.get(key);
    if (flying) return flying;
    const ticket = this.memo.ticket();
    const promise = load().then((value) => {
      if (value !== null) this.memo.set(key, value, tags, ticket);
      return value;
    });
    this.flights.set(key, promise);
    const done = () => {
      if (this.flights.get(key) === promise) this.flights.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  invalidate(tags: readonly string[]): void {
    // Loads in flight may have read the old data: readers from now on start their own.
    this.flights.clear();
    this.memo.invalidate(tags);
  }

  clear(): void {
    this.flights.clear();
    this.memo.clear();
  }
}

type Memos = {
  howtos: Kept<HowtoPageWithGlossary>;
  related: Kept<RelatedItem[]>;
  home: Kept<HomeData>;
  lists: Kept<unknown>;
};

/** Memos by database handle: only a process that follows the announcements (followPublicDataChanges) has them. */
const memosByDb = new WeakMap<Db, Memos>();

/**
 * Starts keeping the how-to and home pages' public data for this database, listening on the page cache's channel;
 * returns how to stop. Call it only where writes' responses wait for their announcements (the page cache's barrier).
 */
export async function followPublicDataChanges(database: Pick<Database, "db" | "listen">): Promise<() => Promise<void>> {
  const memos: Memos = {
    howtos: new Kept(MAX_HOWTOS),
    related: new Kept(MAX_HOWTOS),
    home: new Kept(1),
    lists: new Kept(MAX_LISTS),
  };
  const all = [memos.howtos, memos.related, memos.home, memos.lists];
  const stop = await database.listen(
    PAGE_CACHE_CHANNEL,
    (payload) => {
      const tags = parseAnnouncement(payload)?.tags;
      if (tags) for (const kept of all) kept.invalidate(tags);
    },
    {
      // Announcements may be missed while the connection is down: keep nothing until it is back.
      onLost: () => {
        memosByDb.delete(database.db);
        for (const kept of all) kept.clear();
      },
      onRestored: () => {
        for (const kept of all) kept.clear();
        memosByDb.set(database.db, memos);
      },
    },
  );
  memosByDb.set(database.db, memos);
  // A write whose announcements weren't confirmed in time (the page cache's barrier): keep nothing from before it.
  const stopForgetting = onForgetKept(() => {
    for (const kept of all) kept.clear();
  });
  return async () => {
    stopForgetting();
    memosByDb.delete(database.db);
    for (const kept of all) kept.clear();
    await stop();
  };
}

/**
 * A how-to as its page shows it (glossary terms explained), deleted ones included (the route decides who sees them);
 * null if there is none. Kept per how-to and glossary version, so a glossary change is never mixed with older notes.
 */
export async function getPublicHowto(db: Db, howtoId: number): Promise<HowtoPageWithGlossary | null> {
  const glossary = await getGlossaryIndex(db);
  const load = async () => {
    const stored = await getHowtoPage(db, howtoId, { includeDeleted: true });
    return stored ? withGlossaryIndex(glossary, stored) : null;
  };
  const memos = memosByDb.get(db);
  if (!memos) return load();
  return memos.howtos.get(`${howtoId}:${glossary.version}`, [TAGS.post(howtoId)], load);
}

/** The how-tos and questions sharing the most tags with this how-to (any post or tag change announces `lists`). */
export async function getRelatedContent(db: Db, howtoId: number): Promise<RelatedItem[]> {
  const load = () => listRelatedContent(db, howtoId);
  const memos = memosByDb.get(db);
  if (!memos) return load();
  return (await memos.related.get(String(howtoId), [TAGS.lists], load)) ?? [];
}

/** The home page's lists: open spaces, recently active questions, the most helpful how-tos. */
export async function getHomeData(db: Db): Promise<HomeData> {
  const load = async (): Promise<HomeData> => {
    const [spaces, questions, helpful] = await Promise.all([
      listSpaces(db),
      listRecentQuestions(db, { limit: RECENT_QUESTIONS }),
      listHowtos(db, { sort: "helpful", limit: HELPFUL_HOWTOS }),
    ]);
    return { spaces, questions, howtos: helpful.howtos };
  };
  const memos = memosByDb.get(db);
  if (!memos) return load();
  return (await memos.home.get("home", [TAGS.listRows], load)) ?? load();
}

/** A list every reader gets the same, kept under `key` (the query and its parameters) until `tags` are announced. */
async function keptList<T>(db: Db, key: string, tags: readonly string[], load: () => Promise<T>): Promise<T> {
  const memos = memosByDb.get(db);
  if (!memos) return load();
  return ((await memos.lists.get(key, tags, load)) as T | null) ?? load();
}

/**
 * A page of questions (/questions, a space's page), kept until a list's rows change (`list-rows`): signed-in readers,
 * data requests and cache misses of the same list do not query it again.
 */
export function getQuestionList(db: Db, options: QuestionListOptions) {
  return keptList(db, `questions:${JSON.stringify(options)}`, [TAGS.listRows], () => listQuestions(db, options));
}

/** A page of how-tos (/howtos, a space's page), kept like getQuestionList (how-to feedback announces `list-rows`). */
export function getHowtoList(db: Db, options: HowtoListOptions) {
  return keptList(db, `howtos:${JSON.stringify(options)}`, [TAGS.listRows], () => listHowtos(db, options));
}

/** The open spaces with their question counts (a new or removed question announces `list-rows`; spaces, `*`). */
export function getSpaceList(db: Db) {
  return keptList(db, "spaces", [TAGS.listRows], () => listSpaces(db));
}

/** The open spaces' names (the pulse, mentors): only a change to spaces (`*`) drops them. */
export function getSpaceNames(db: Db) {
  return keptList(db, "space-names", [], () => listSpaceNames(db));
}

/** Every space's name, archived ones marked (the search filter): only a change to spaces (`*`) drops them. */
export function getSearchableSpaceNames(db: Db) {
  return keptList(db, "searchable-space-names", [], () => listSpaceNames(db, { includeArchived: true }));
}
