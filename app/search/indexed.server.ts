/**
 * The embedded search engine with ranking in the app: documents stay in the database (search_documents, written by
 * the outbox drain through the PostgreSQL engine), and each process ranks from its own in-memory BM25F index of them
 * (app/search/thread-index.ts). The index is built from the database at start (searches use PostgreSQL's ranking until
 * it is ready), and follows every change through `search_index_changes`, which each process replays, so several
 * processes stay consistent whichever of them drained the outbox. Sorting by date or votes and filter-only searches
 * stay with PostgreSQL.
 */
import { sql } from "drizzle-orm";
import type { Database, Db } from "#db/client.server";
import { logEvent } from "~/lib/log.server";
import { tsqueryLexemes } from "./highlight";
import { type PostgresSearchOptions, commonWordPhraseChecks, createPostgresSearch } from "./postgres.server";
import { planQuery } from "./query-plan.server";
import { type HitRow, SNIPPET_SOURCE_CHARS, toFacets, toHit } from "./search-hits.server";
import { type IndexedPost, type RankGroup, ThreadIndex } from "./thread-index";
import type { SearchEngine, SearchKind, SearchQuery, SearchResult } from "./types";

/** How long the change log keeps rows; a process that has not looked for longer rebuilds its index instead. */
const CHANGES_KEPT_MS = 60 * 60 * 1000;
/**
 * Changes are read at most this often per process when a search comes (the fallback: a NOTIFY on SEARCH_CHANGES_CHANNEL
 * wakes every process as soon as another one logs a change, see `listen`).
 */
const POLL_MS = 250;
/** Sent by a trigger on search_index_changes (migration search_changes_notify) when a transaction logs changes. */
export const SEARCH_CHANGES_CHANNEL = "peerdesk_search_changes";
/**
 * Log rows become visible in commit order, not id order: rows of the last seconds are read again (once each), so one
 * committed late behind a higher id is still seen.
 */
const LATE_COMMIT_SECONDS = 10;
const LOAD_BATCH = 5000;

type DocumentRow = {
  post_id: number;
  kind: SearchKind;
  question_id: number | null;
  space_slug: string;
  tags: string[];
  is_solved: boolean;
  is_unanswered: boolean;
  is_plain_language: boolean;
  score: number;
  tsv: string;
};

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

function toIndexed(row: DocumentRow): IndexedPost {
  return {
    id: row.post_id,
    kind: row.kind,
    questionId: row.question_id,
    spaceSlug: row.space_slug,
    tags: row.tags,
    isSolved: row.is_solved,
    isUnanswered: row.is_unanswered,
    isPlainLanguage: row.is_plain_language,
    score: row.score,
    tsv: row.tsv,
  };
}

const DOCUMENT_COLUMNS = sql`post_id, kind, question_id, space_slug, tags, is_solved, is_unanswered, is_plain_language, score, tsv::text as tsv`;

/**
 * A group's tsquery text as rank alternatives: each OR-ed part, and each part of a hyphenated word ('wi-fi' & 'wi' &
 * 'fi') on its own, so "future tech" still meets "future-tech"; the words of a phrase (a multi-word synonym) go together.
 */
export function rankGroupOf(tsq: string): RankGroup {
  return {
    alternatives: tsq
      .split("|")
      .flatMap((piece) => (/<\d+>|<->/.test(piece) ? [piece] : piece.split("&")))
      .map((piece) => tsqueryLexemes(piece))
      .filter((lexemes) => lexemes.length > 0),
  };
}

/** The rank groups of a plan, each searched word once ("question … question" weighs as one). */
function rankGroupsOf(tsqs: string[]): RankGroup[] {
  return [...new Set(tsqs)].map(rankGroupOf);
}

export type IndexedSearchOptions = PostgresSearchOptions & {
  /** The database's LISTEN (db/client.server.ts): another process's change is then applied here when it commits. */
  listen?: Database["listen"];
  /** How often a search looks for changes without a wake-up (tests turn it off to see the wake-up alone). */
  pollMs?: number;
};

export function createIndexedSearch(db: Db, options: IndexedSearchOptions = {}): SearchEngine {
  const store = createPostgresSearch(db, options);
  const index = new ThreadIndex();
  let isReady = false;
  let loading: Promise<void> | null = null;
  /** The highest change id applied, and the change ids of the last seconds already applied (see LATE_COMMIT_SECONDS). */
  let lastChange = 0;
  const recentlyApplied = new Map<number, number>();
  let lastPoll = 0;
  let polling: Promise<void> | null = null;
  /** Set by a NOTIFY: the next poll reads the change log whenever the last look was. */
  let isWoken = false;
  let isListening = false;
  let writes = 0;
  const pollMs = options.pollMs ?? POLL_MS;

  async function refresh(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const list = `{${[...new Set(ids)].join(",")}}`;
    const rows = rowsOf<DocumentRow>(
      await db.execute(sql`select ${DOCUMENT_COLUMNS} from search_documents where post_id = any(${list}::int[])`),
    );
    const found = new Set(rows.map((row) => row.post_id));
    for (const row of rows) index.upsert(toIndexed(row));
    for (const id of ids) if (!found.has(id)) index.remove(id);
  }

  async function load(): Promise<void> {
    const startedAt = Date.now();
    const [mark] = rowsOf<{ max: number }>(
      await db.execute(sql`select coalesce(max(id), 0)::int as max from search_index_changes`),
    );
    // Changes logged in the last seconds are read again by catchUp; those visible now are in what this load reads (a
    // change is logged after its documents are written), so they count as applied. Else a rebuild's own "everything
    // changed" row would start this load over and over for LATE_COMMIT_SECONDS, while PostgreSQL ranks meanwhile.
    const visible = rowsOf<{ id: number }>(
      await db.execute(sql`select id from search_index_changes
        where id <= ${mark?.max ?? 0} and created_at > now() - make_interval(secs => ${LATE_COMMIT_SECONDS * 2})`),
    );
    const next = new ThreadIndex();
    // Session answers have negative ids: start below every int.
    let after = -2147483648;
    for (;;) {
      const rows = rowsOf<DocumentRow>(
        await db.execute(
          sql`select ${DOCUMENT_COLUMNS} from search_documents where post_id > ${after} order by post_id limit ${LOAD_BATCH}`,
        ),
      );
      for (const row of rows) next.upsert(toIndexed(row));
      const last = rows.at(-1);
      if (!last || rows.length < LOAD_BATCH) break;
      after = last.post_id;
    }
    next.trim();
    index.replaceWith(next);
    lastChange = mark?.max ?? 0;
    recentlyApplied.clear();
    lastPoll = Date.now();
    for (const row of visible) recentlyApplied.set(row.id, lastPoll);
    isReady = true;
    logEvent("info", "search ranking index loaded", { documents: index.size, ms: Date.now() - startedAt });
    await catchUp();
  }

  function ensureLoading(): Promise<void> {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      logEvent("error", "search ranking index could not load; PostgreSQL ranks meanwhile", { error: String(error) });
    });
    return loading;
  }

  /** Applies the changes other processes (and this one) logged since the last look. */
  async function catchUp(): Promise<void> {
    if (Date.now() - lastPoll > CHANGES_KEPT_MS - 5 * 60 * 1000) {
      // Rows this process has not seen may have been pruned: start over from the database.
      isReady = false;
      loading = null;
      await ensureLoading();
      return;
    }
    const rows = rowsOf<{ id: number; post_id: number | null }>(
      await db.execute(sql`select id, post_id from search_index_changes
        where id > ${lastChange} or created_at > now() - make_interval(secs => ${LATE_COMMIT_SECONDS}) order by id`),
    );
    lastPoll = Date.now();
    const unseen = rows.filter((row) => !recentlyApplied.has(row.id));
    for (const [id, at] of recentlyApplied) if (lastPoll - at > LATE_COMMIT_SECONDS * 2000) recentlyApplied.delete(id);
    for (const row of rows) lastChange = Math.max(lastChange, row.id);
    if (unseen.length === 0) return;
    for (const row of unseen) recentlyApplied.set(row.id, lastPoll);
    if (unseen.some((row) => row.post_id === null)) {
      isReady = false;
      loading = null;
      await ensureLoading();
      return;
    }
    await refresh(unseen.flatMap((row) => (row.post_id === null ? [] : [row.post_id])));
  }

  function poll(): Promise<void> {
    if (!isWoken && Date.now() - lastPoll < pollMs) return Promise.resolve();
    polling ??= (async () => {
      isWoken = false;
      await catchUp();
    })()
      .catch((error: unknown) => logEvent("error", "search change log could not be read", { error: String(error) }))
      .finally(() => {
        polling = null;
        // A wake-up heard while reading may be about a change committed after the read began: read once more.
        if (isWoken) void poll();
      });
    return polling;
  }

  /** A process (maybe this one) logged changes: apply them now rather than at the next search. */
  function wake(): void {
    if (!isReady) return;
    isWoken = true;
    void poll();
  }

  /** Logs changed posts (null: everything), and now and then forgets rows older than CHANGES_KEPT_MS. */
  async function logChanges(ids: (number | null)[]): Promise<number[]> {
    if (ids.length === 0) return [];
    writes += 1;
    if (writes % 100 === 1)
      await db.execute(
        sql`delete from search_index_changes where created_at < now() - make_interval(secs => ${CHANGES_KEPT_MS / 1000})`,
      );
    const rows = rowsOf<{ id: number }>(
      await db.execute(sql`insert into search_index_changes (post_id)
        select x from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as t(v), lateral (select t.v::int as x) c returning id`),
    );
    return rows.map((row) => row.id);
  }

  /** This process's own change: applied now (so it reads its own writes), and remembered so replaying it is skipped. */
  async function applyOwn(ids: number[], logged: number[]): Promise<void> {
    if (!isReady) return;
    const now = Date.now();
    for (const id of logged) recentlyApplied.set(id, now);
    await refresh(ids);
  }

  async function rankedSearch(query: SearchQuery): Promise<SearchResult | null> {
    const plan = await planQuery(db, query, options.synonyms);
    if (plan.groups.length + plan.phrases.length === 0) return null;
    await poll();
    // Quoted phrases must match as typed: the index finds the posts holding them all from its word positions (the
    // database, for a phrase of another shape), and their words rank with the others.
    let onlyPosts: Set<number> | undefined =
      plan.phrases.length > 0 ? (index.postsWithPhrases(plan.phrases) ?? undefined) : undefined;
    if (plan.phrases.length > 0 && !onlyPosts) {
      const where = sql.join(
        plan.phrases.map((phrase) => sql`tsv @@ ${phrase}::tsquery`),
        sql` and `,
      );
      onlyPosts = new Set(
        rowsOf<{ post_id: number }>(await db.execute(sql`select post_id from search_documents where ${where}`)).map(
          (row) => row.post_id,
        ),
      );
    }
    const exactChecks = commonWordPhraseChecks(query.phrases);
    if (exactChecks.length > 0 && onlyPosts && onlyPosts.size > 0) {
      // Only the posts the stored words found are read again, word for word (see commonWordPhraseChecks).
      onlyPosts = new Set(
        rowsOf<{ post_id: number }>(
          await db.execute(
            sql`select d.post_id from search_documents d where d.post_id = any(${`{${[...onlyPosts].join(",")}}`}::int[]) and ${sql.join(exactChecks, sql` and `)}`,
          ),
        ).map((row) => row.post_id),
      );
    }
    const ranked = index.rank(
      rankGroupsOf([...plan.groups.map((group) => group.tsq), ...plan.phrases]),
      {
        kinds: query.kinds,
        spaceSlug: query.spaceSlug,
        tag: query.tag,
        isSolved: query.isSolved,
        isUnanswered: query.isUnanswered,
        isPlainLanguage: query.isPlainLanguage,
        onlyPosts,
      },
      { offset: (query.page - 1) * query.perPage, limit: query.perPage, withFacets: query.withFacets },
    );
    const ids = ranked.threads.flatMap((thread) => [thread.hitId, ...(thread.answerId ? [thread.answerId] : [])]);
    const rows =
      ids.length === 0
        ? []
        : rowsOf<Omit<HitRow, "answer_id" | "answer_text" | "answer_is_accepted" | "answer_score">>(
            await db.execute(sql`select d.post_id as id, d.kind, d.question_id, d.title, left(d.body, ${SNIPPET_SOURCE_CHARS}) as body_text,
              d.space_slug, d.space_name, d.tags, d.author_name, d.is_plain_language, d.is_solved, d.answer_count, d.score,
              (extract(epoch from d.created_at) * 1000)::float8 as created_ms
              from search_documents d where d.post_id = any(${`{${ids.join(",")}}`}::int[])`),
          );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const lexemes = tsqueryLexemes([...plan.groups.map((group) => group.tsq), ...plan.phrases].join(" "));
    const hits = ranked.threads.flatMap((thread) => {
      const row = byId.get(thread.hitId);
      if (!row) return [];
      const answer = thread.answerId ? byId.get(thread.answerId) : undefined;
      return [
        toHit(
          {
            ...row,
            answer_id: answer?.id ?? null,
            answer_text: answer?.body_text ?? null,
            answer_is_accepted: answer?.is_solved ?? null,
            answer_score: answer?.score ?? null,
          },
          lexemes,
        ),
      ];
    });
    return {
      hits,
      total: ranked.total,
      isTotalCapped: false,
      facets: ranked.facets ? toFacets(ranked.facets) : null,
      correctedText: plan.correctedText,
    };
  }

  return {
    name: "postgres",

    async setup() {
      await store.setup();
      if (options.listen && !isListening) {
        isListening = true;
        // Changes logged while the connection was down are read once it is back (and by any search meanwhile).
        await options
          .listen(SEARCH_CHANGES_CHANNEL, wake, { onLost: () => {}, onRestored: wake })
          .catch((error: unknown) => {
            isListening = false;
            logEvent("error", "search changes not heard; polling only", { error: String(error) });
          });
      }
      // Built before the server answers (a few seconds at 100,000 posts); meanwhile PostgreSQL would rank.
      await ensureLoading();
    },

    count: () => store.count(),

    async upsert(documents) {
      if (documents.length === 0) return;
      await store.upsert(documents);
      const ids = documents.map((document) => document.id);
      await applyOwn(ids, await logChanges(ids));
    },

    async remove(ids) {
      if (ids.length === 0) return;
      await store.remove(ids);
      const safe = ids.filter((id) => Number.isSafeInteger(id));
      await applyOwn(safe, await logChanges(safe));
    },

    async search(query) {
      // Ranked searches for words or phrases rank here; by date or votes, or filters only: in PostgreSQL.
      const isRankedHere = query.sort === "relevance" && query.words.length + query.phrases.length > 0;
      if (!isRankedHere) return store.search(query);
      if (!isReady) {
        void ensureLoading();
        return store.search(query);
      }
      return (await rankedSearch(query)) ?? store.search(query);
    },

    async rebuild(batches, onProgress) {
      const result = await store.rebuild(batches, onProgress);
      await logChanges([null]);
      isReady = false;
      loading = null;
      await ensureLoading();
      return result;
    },

    setSynonyms: store.setSynonyms,
  };
}
