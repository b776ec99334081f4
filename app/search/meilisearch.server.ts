/** The Meilisearch engine: one index of posts through the official client, every write confirmed before it resolves. */
import {
  ErrorStatusCode,
  type EnqueuedTask,
  type EnqueuedTaskPromise,
  type FacetDistribution,
  type Filter,
  type Hit,
  Meilisearch,
  MeilisearchApiError,
  type SearchParams,
  type Settings,
  type Synonyms,
  type Task,
} from "meilisearch";
import { MARK_END, MARK_START, markedToHtml, stripMarkers } from "./highlight";
import {
  type FacetCounts,
  SEARCH_KINDS,
  SEARCH_LIMITS,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchKind,
  type SearchQuery,
} from "./types";

export type MeilisearchOptions = { url: string; apiKey?: string; indexUid?: string };

/**
 * What the index stores: the document plus a number to rank solved posts first (custom ranking rules take numbers or
 * strings, not booleans). Meilisearch ids are positive integers or `[A-Za-z0-9_-]` strings, so a session answer's
 * negative id is stored as "s<session question id>".
 */
export type IndexedPost = Omit<SearchDocument, "id"> & {
  id: number | string;
  solvedRank: 0 | 1;
  threadId: number | string;
};

/** A question and its answers share a thread (the question's id); every other document is its own. */
export function threadIdOf(document: Pick<SearchDocument, "id" | "kind" | "questionId">): number | string {
  return toMeilisearchId(
    document.kind === "answer" && document.questionId !== null ? document.questionId : document.id,
  );
}

export function toMeilisearchId(id: number): number | string {
  return id < 0 ? `s${-id}` : id;
}

export function fromMeilisearchId(id: number | string): number {
  if (typeof id === "number") return id;
  return id.startsWith("s") ? -Number(id.slice(1)) : Number(id);
}

const FACETS = [
  "kind",
  "spaceSlug",
  "tags",
  "isSolved",
  "isUnanswered",
  "isPlainLanguage",
] satisfies (keyof IndexedPost)[];
const FILTERABLE = [...FACETS, "threadId"] satisfies (keyof IndexedPost)[];
const RETRIEVED = [
  "id",
  "kind",
  "questionId",
  "title",
  "body",
  "spaceSlug",
  "spaceName",
  "tags",
  "authorName",
  "isPlainLanguage",
  "isSolved",
  "answerCount",
  "score",
  "createdAt",
] satisfies (keyof IndexedPost)[];

const MAX_TOTAL_HITS = SEARCH_LIMITS.maxPage * SEARCH_LIMITS.maxPerPage;

export const SETTINGS: Settings = {
  searchableAttributes: ["title", "tags", "body", "spaceName"],
  filterableAttributes: FILTERABLE,
  // One hit per thread: the best-matching of a question and its answers (the adapter then shows the question).
  distinctAttribute: "threadId",
  sortableAttributes: ["createdAt", "score"],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness", "solvedRank:desc", "score:desc"],
  typoTolerance: { enabled: true },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "count" } },
  // Enough for the last page the app allows, so `total` is exact wherever someone can page to.
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
};

/** Document writes wait this long for Meilisearch to confirm; index-wide work (settings on a big index, swaps) longer. */
const WRITE_TIMEOUT_MS = 60_000;
const INDEX_TIMEOUT_MS = 10 * 60_000;
/** Rebuild batches sent ahead of the oldest unconfirmed one; Meilisearch merges queued additions into one indexing run. */
const REBUILD_IN_FLIGHT = 4;

/** Meilisearch's synonyms setting from the glossary's groups: every name of a group leads to all the others. */
export function toMeilisearchSynonyms(groups: string[][]): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  for (const group of groups) {
    for (const name of group) {
      const others = group.filter((other) => other !== name);
      if (others.length > 0) synonyms[name] = [...new Set([...(synonyms[name] ?? []), ...others])];
    }
  }
  return synonyms;
}

export function toIndexed(document: SearchDocument): IndexedPost {
  return {
    ...document,
    id: toMeilisearchId(document.id),
    title: stripMarkers(document.title),
    body: stripMarkers(document.body),
    solvedRank: document.isSolved ? 1 : 0,
    threadId: threadIdOf(document),
  };
}

/** A string literal for a filter expression: Meilisearch unescapes `\\` and `\"` inside double quotes. */
export function filterString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** AND of the outer list, OR inside a nested list. */
export function buildFilter(query: SearchQuery): Filter {
  const filter: Filter = [];
  if (query.kinds && query.kinds.length > 0) filter.push(query.kinds.map((kind) => `kind = ${filterString(kind)}`));
  if (query.spaceSlug) filter.push(`spaceSlug = ${filterString(query.spaceSlug)}`);
  if (query.tag) filter.push(`tags = ${filterString(query.tag)}`);
  if (query.isSolved !== undefined) filter.push(`isSolved = ${query.isSolved}`);
  if (query.isUnanswered !== undefined) filter.push(`isUnanswered = ${query.isUnanswered}`);
  if (query.isPlainLanguage !== undefined) filter.push(`isPlainLanguage = ${query.isPlainLanguage}`);
  return filter;
}

/** Phrases in double quotes first, then the free words, so the word still being typed stays last (Meilisearch prefix-matches it). */
export function buildQueryText(query: Pick<SearchQuery, "words" | "phrases">): string {
  const clean = (text: string) => text.replace(/"/g, " ").replace(/\s+/g, " ").trim();
  const phrases = query.phrases
    .map(clean)
    .filter(Boolean)
    .map((phrase) => `"${phrase}"`);
  return [...phrases, ...query.words.map(clean).filter(Boolean)].join(" ");
}

export function sortFor(query: SearchQuery): string[] | undefined {
  if (query.sort === "newest") return ["createdAt:desc"];
  if (query.sort === "votes") return ["score:desc", "createdAt:desc"];
  return undefined;
}

function trueCount(distribution: FacetDistribution, facet: string): number {
  return distribution[facet]?.true ?? 0;
}

export function toFacetCounts(distribution: FacetDistribution): FacetCounts {
  const kind: Partial<Record<SearchKind, number>> = {};
  for (const [value, count] of Object.entries(distribution.kind ?? {})) {
    const known = SEARCH_KINDS.find((k) => k === value);
    if (known) kind[known] = count;
  }
  return {
    kind,
    space: { ...distribution.spaceSlug },
    tag: { ...distribution.tags },
    solved: trueCount(distribution, "isSolved"),
    unanswered: trueCount(distribution, "isUnanswered"),
    plainLanguage: trueCount(distribution, "isPlainLanguage"),
  };
}

export function toHit(hit: Hit<IndexedPost>): SearchHit {
  const formatted = hit._formatted;
  return {
    id: fromMeilisearchId(hit.id),
    kind: hit.kind,
    questionId: hit.questionId ?? null,
    title: hit.title,
    titleHtml: markedToHtml(typeof formatted?.title === "string" ? formatted.title : hit.title),
    snippetHtml: markedToHtml(typeof formatted?.body === "string" ? formatted.body : ""),
    spaceSlug: hit.spaceSlug,
    spaceName: hit.spaceName,
    tags: hit.tags,
    authorName: hit.authorName,
    isPlainLanguage: hit.isPlainLanguage,
    isSolved: hit.isSolved,
    answerCount: hit.answerCount,
    score: hit.score,
    createdAt: hit.createdAt,
  };
}

/** First words of a text, escaped, for a question shown because one of its answers matched. */
function openingWords(text: string): string {
  const words = stripMarkers(text).split(/\s+/).filter(Boolean);
  return markedToHtml(words.slice(0, 30).join(" ") + (words.length > 30 ? " …" : ""));
}

function isApiError(error: unknown, code: string): boolean {
  return error instanceof MeilisearchApiError && error.cause?.code === code;
}

export function createMeilisearchSearch(options: MeilisearchOptions): SearchEngine {
  const uid = options.indexUid ?? "posts";
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: 30_000 });

  /** Waits for a task and throws unless it succeeded: the client resolves failed and canceled tasks too. */
  async function confirm(
    enqueued: EnqueuedTaskPromise | EnqueuedTask,
    what: string,
    timeout: number,
    allowedErrorCode?: string,
  ): Promise<Task> {
    const task = await client.tasks.waitForTask(await enqueued, { timeout });
    if (task.status === "succeeded" || (allowedErrorCode && task.error?.code === allowedErrorCode)) return task;
    const reason = task.error ? `${task.error.message} (${task.error.code})` : "no reason given";
    throw new Error(`Meilisearch ${what} on "${task.indexUid ?? uid}" ${task.status}, task ${task.uid}: ${reason}`);
  }

  async function ensureIndex(indexUid: string): Promise<void> {
    try {
      await client.getRawIndex(indexUid);
      return;
    } catch (error) {
      if (!isApiError(error, ErrorStatusCode.INDEX_NOT_FOUND)) throw error;
    }
    // Another process may create it at the same moment; that is the outcome we wanted.
    await confirm(
      client.createIndex(indexUid, { primaryKey: "id" }),
      "index creation",
      INDEX_TIMEOUT_MS,
      ErrorStatusCode.INDEX_ALREADY_EXISTS,
    );
  }

  /** The glossary's synonyms, kept so a rebuilt index gets them too. */
  let synonyms: Synonyms = {};

  async function prepare(indexUid: string): Promise<void> {
    await ensureIndex(indexUid);
    await confirm(
      client.index(indexUid).updateSettings({ ...SETTINGS, synonyms }),
      "settings update",
      INDEX_TIMEOUT_MS,
    );
  }

  /** A rebuild in progress (possibly in another process) fills this index; changes must reach it too. */
  const nextUid = `${uid}_next`;

  async function isRebuilding(): Promise<boolean> {
    try {
      await client.getRawIndex(nextUid);
      return true;
    } catch (error) {
      if (isApiError(error, ErrorStatusCode.INDEX_NOT_FOUND)) return false;
      throw error;
    }
  }

  return {
    name: "meilisearch",

    setup: () => prepare(uid),

    async setSynonyms(groups) {
      synonyms = toMeilisearchSynonyms(groups);
      await confirm(client.index(uid).updateSynonyms(synonyms), "synonyms update", INDEX_TIMEOUT_MS);
      if (await isRebuilding())
        await confirm(client.index(nextUid).updateSynonyms(synonyms), "synonyms update", INDEX_TIMEOUT_MS);
    },

    async count() {
      try {
        return (await client.index(uid).getStats()).numberOfDocuments;
      } catch (error) {
        if (isApiError(error, ErrorStatusCode.INDEX_NOT_FOUND)) return 0;
        throw error;
      }
    },

    async upsert(documents) {
      if (documents.length === 0) return;
      await confirm(
        client.index<IndexedPost>(uid).addDocuments(documents.map(toIndexed), { primaryKey: "id" }),
        "document update",
        WRITE_TIMEOUT_MS,
      );
      if (await isRebuilding())
        await confirm(
          client.index<IndexedPost>(nextUid).addDocuments(documents.map(toIndexed), { primaryKey: "id" }),
          "document update",
          WRITE_TIMEOUT_MS,
        );
    },

    async remove(ids) {
      if (ids.length === 0) return;
      // Meilisearch reads every id as a string (5 and "5" are one document).
      const keys = ids.map((id) => String(toMeilisearchId(id)));
      await confirm(client.index(uid).deleteDocuments(keys), "document deletion", WRITE_TIMEOUT_MS);
      if (await isRebuilding())
        await confirm(client.index(nextUid).deleteDocuments(keys), "document deletion", WRITE_TIMEOUT_MS);
    },

    async search(query) {
      /**
       * Threads whose best match was an answer are shown as their question (when questions are asked for), with that
       * answer as the hit's `answer`; the questions come in one extra request.
       */
      const withQuestions = async (hits: SearchHit[], q: SearchQuery): Promise<SearchHit[]> => {
        const questionsAllowed = !q.kinds || q.kinds.length === 0 || q.kinds.includes("question");
        const threads = hits.flatMap((hit) =>
          hit.kind === "answer" && hit.questionId !== null ? [hit.questionId] : [],
        );
        if (!questionsAllowed || threads.length === 0) return hits;
        const found = await client.index<IndexedPost>(uid).getDocuments({
          filter: [`threadId IN [${threads.join(", ")}]`, 'kind = "question"'],
          fields: RETRIEVED,
          limit: threads.length,
        });
        const questions = new Map(found.results.map((doc) => [fromMeilisearchId(doc.id), doc]));
        return hits.map((hit) => {
          const question = hit.kind === "answer" && hit.questionId !== null ? questions.get(hit.questionId) : undefined;
          if (!question) return hit;
          return {
            ...hit,
            id: fromMeilisearchId(question.id),
            kind: question.kind,
            questionId: null,
            isSolved: question.isSolved,
            answerCount: question.answerCount,
            score: question.score,
            authorName: question.authorName,
            createdAt: question.createdAt,
            snippetHtml: openingWords(question.body),
            answer: { id: hit.id, snippetHtml: hit.snippetHtml, isAccepted: hit.isSolved, score: hit.score },
          };
        });
      };
      const filter = buildFilter(query);
      const params = {
        filter: filter.length > 0 ? filter : undefined,
        sort: sortFor(query),
        page: query.page,
        hitsPerPage: query.perPage,
        facets: query.withFacets ? FACETS : undefined,
        attributesToRetrieve: RETRIEVED,
        attributesToHighlight: ["title", "body"],
        highlightPreTag: MARK_START,
        highlightPostTag: MARK_END,
        attributesToCrop: ["body"],
        cropLength: 30,
        // Ranked by relevance any word may match, the most frequent ones dropped first (as the PostgreSQL engine ranks);
        // sorted by date or votes every word must match.
        matchingStrategy: query.matchAny || query.sort === "relevance" ? "frequency" : "all",
      } satisfies SearchParams;
      const response = await client
        .index<IndexedPost>(uid)
        .search<IndexedPost, typeof params>(buildQueryText(query), params);
      return {
        hits: await withQuestions(response.hits.map(toHit), query),
        total: response.totalHits,
        isTotalCapped: response.totalHits >= MAX_TOTAL_HITS,
        facets: query.withFacets ? toFacetCounts(response.facetDistribution ?? {}) : null,
        // Meilisearch corrects typos silently, so there is never a "showing results for" text.
        correctedText: null,
      };
    },

    async rebuild(batches, onProgress) {
      let indexed = 0;
      try {
        // A leftover from an interrupted rebuild would hold stale documents.
        await client.deleteIndexIfExists(nextUid);
        await prepare(nextUid);
        const pending: { task: EnqueuedTask; count: number }[] = [];
        const confirmOldest = async () => {
          const oldest = pending.shift();
          if (!oldest) return;
          await confirm(oldest.task, "document update", INDEX_TIMEOUT_MS);
          indexed += oldest.count;
          onProgress?.(indexed);
        };
        for await (const batch of batches) {
          if (batch.length === 0) continue;
          pending.push({
            task: await client.index<IndexedPost>(nextUid).addDocuments(batch.map(toIndexed), { primaryKey: "id" }),
            count: batch.length,
          });
          while (pending.length > REBUILD_IN_FLIGHT) await confirmOldest();
        }
        while (pending.length > 0) await confirmOldest();
        // Searches keep reading the live index until this atomic swap; a missing live index is created empty to swap with.
        await ensureIndex(uid);
        await confirm(client.swapIndexes([{ indexes: [uid, nextUid], rename: false }]), "index swap", INDEX_TIMEOUT_MS);
      } catch (error) {
        await client.deleteIndexIfExists(nextUid).catch(() => false);
        throw error;
      }
      // After the swap nextUid holds the previous documents.
      await confirm(client.deleteIndex(nextUid), "old index deletion", INDEX_TIMEOUT_MS);
      return { indexed };
    },
  };
}
