/** Picks the search engine from the configuration, and runs searches with the database's last word on what may be shown. */
import { sql } from "drizzle-orm";
import { type Database, type Db, queryRows } from "#db/client.server";
import { allSearchDocuments, countSearchablePosts, visibleDocumentIds } from "./documents.server";
import { createMeilisearchSearch } from "./meilisearch.server";
import { synonymGroups } from "~/models/glossary.server";
import { createIndexedSearch } from "./indexed.server";
import { searchWords } from "./query";
import type { SearchEngine, SearchHit, SearchQuery, SearchResult } from "./types";

export type SearchServices = { db: Db; search: SearchEngine };

/** Meilisearch when MEILISEARCH_URL is set, else full-text search inside the database. */
export function createSearchEngine(
  env: { MEILISEARCH_URL?: string; MEILISEARCH_KEY?: string; MEILISEARCH_INDEX?: string },
  db: Db,
  listen?: Database["listen"],
): SearchEngine {
  if (env.MEILISEARCH_URL)
    return createMeilisearchSearch({
      url: env.MEILISEARCH_URL,
      apiKey: env.MEILISEARCH_KEY || undefined,
      indexUid: env.MEILISEARCH_INDEX || undefined,
    });
  // Documents in the database, ranked in the app (see indexed.server.ts). The glossary's synonym groups expand each
  // searched word (Meilisearch gets them as its synonyms setting instead). `listen` lets other processes' changes in at once.
  return createIndexedSearch(db, { synonyms: () => synonymGroups(db), listen });
}

/**
 * Searches, then drops any hit the database no longer shows (deleted since it was indexed, an answer whose
 * question was deleted, a session answer taken back): the index may lag the outbox by a moment, what readers see must not.
 */
export async function searchPosts(services: SearchServices, query: SearchQuery): Promise<SearchResult> {
  let result = await services.search.search(query);
  // Sorted by date or votes every word must match; when nothing holds them all, show what holds some, and say so.
  // (Ranked by relevance, any word matches already, the posts holding more of them first.)
  if (
    result.total === 0 &&
    query.sort !== "relevance" &&
    !query.matchAny &&
    query.words.length > 1 &&
    query.page === 1
  ) {
    const relaxed = await services.search.search({ ...query, matchAny: true });
    if (relaxed.total > 0) result = { ...relaxed, isPartialMatch: true };
  }
  if (result.hits.length === 0) return { ...result, correctedText: null };
  // The hits and the answers shown under them, checked in the same query.
  const visible = await visibleDocumentIds(
    services.db,
    result.hits.flatMap((hit) => (hit.answer ? [hit.id, hit.answer.id] : [hit.id])),
  );
  const hits = result.hits.flatMap((hit) => {
    if (!visible.has(hit.id)) return [];
    if (!hit.answer || visible.has(hit.answer.id)) return [hit];
    // Its answer is gone (deleted, held or hidden since it was indexed): the question stays only if it matches itself.
    return matchesOnItsOwn(hit, query) ? [{ ...hit, answer: null }] : [];
  });
  return { ...result, hits, total: Math.max(hits.length, result.total - (result.hits.length - hits.length)) };
}

/**
 * Whether a question shown with an answer matches the search without it: no words to match (filters only), or its
 * title, snippet or a tag holds one. A question found only through an answer that is gone is not shown.
 */
function matchesOnItsOwn(hit: SearchHit, query: SearchQuery): boolean {
  if (query.words.length + query.phrases.length === 0) return true;
  if (hit.titleHtml.includes("<mark>") || hit.snippetHtml.includes("<mark>")) return true;
  const words = [...query.words, ...query.phrases.flatMap(searchWords)];
  return hit.tags.some((tag) => words.some((word) => tag.includes(word)));
}

/**
 * Questions like a title being written: any of its words may match, best matches first (typos corrected); a solved
 * question gets the small lift every ranked search gives it, not the first place whatever it says.
 */
export async function findSimilarQuestions(
  services: SearchServices,
  title: string,
  options: { limit?: number; excludeId?: number } = {},
): Promise<SearchHit[]> {
  const limit = options.limit ?? 5;
  const words = searchWords(title).slice(0, 16);
  if (words.length === 0) return [];
  const query: SearchQuery = {
    words,
    phrases: [],
    // A question is found by its whole thread (its answers say what it is about too); the hit is the question.
    kinds: ["question", "answer"],
    sort: "relevance",
    page: 1,
    perPage: limit * 2,
    withFacets: false,
    isPrefix: false,
    matchAny: true,
  };
  const { hits } = await searchPosts(services, query);
  return hits.filter((hit) => hit.kind === "question" && hit.id !== options.excludeId).slice(0, limit);
}

/**
 * Rebuilds the engine's index from the database (searches keep answering meanwhile). Outbox rows older than the
 * rebuild are done with: the rebuild read the posts after they were written.
 */
export async function reindexAll(
  db: Db,
  engine: SearchEngine,
  onProgress?: (indexed: number, total: number) => void,
): Promise<{ indexed: number; total: number; ms: number }> {
  const startedAt = Date.now();
  const total = await countSearchablePosts(db);
  const [mark] = await queryRows<{ max: number }>(db, sql`select coalesce(max(id), 0)::int as max from search_outbox`);
  await engine.setup();
  const { indexed } = await engine.rebuild(allSearchDocuments(db), (n) => onProgress?.(n, total));
  await db.execute(sql`delete from search_outbox where id <= ${mark?.max ?? 0}`);
  return { indexed, total, ms: Date.now() - startedAt };
}

/** True when the index is empty while the database has posts (a new install, a new engine, or an index that was lost). */
export async function needsReindex(db: Db, engine: SearchEngine): Promise<boolean> {
  return (await engine.count()) === 0 && (await countSearchablePosts(db)) > 0;
}
