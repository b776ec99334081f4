/**
 * The search contract every engine implements (Meilisearch, or PostgreSQL full-text search inside the
 * database): what a document holds, what a query asks, and what a result returns.
 */

export const SEARCH_KINDS = ["question", "answer", "howto", "discussion", "session"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SEARCH_SORTS = ["relevance", "newest", "votes"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/**
 * One post as the index sees it; built from the database by `app/search/documents.server.ts`. Besides posts, the
 * index holds the answered questions of hosted Q&A sessions (kind "session"); they share the id space by taking
 * negative ids (see `sessionDocumentId`), so the outbox, the engines and the visibility check stay one path.
 */
export type SearchDocument = {
  /** posts.id, or for a session answer minus session_questions.id. */
  id: number;
  kind: SearchKind;
  /** The post's title; for answers, the title of their question. */
  title: string;
  /** Plain text (Markdown stripped): body, and for how-tos summary, applies-to, prerequisites and steps. */
  body: string;
  /** Answers: the question they answer; session answers: their session; others: null. Links a hit to its page. */
  questionId: number | null;
  spaceId: number;
  spaceSlug: string;
  spaceName: string;
  tags: string[];
  authorName: string;
  isPlainLanguage: boolean;
  /** Question with an accepted answer, or the accepted answer itself. */
  isSolved: boolean;
  /** Question with no answers yet (false for other kinds). */
  isUnanswered: boolean;
  answerCount: number;
  /** Votes for questions/answers; for how-tos, "yes" minus "no" of "Did this help?". */
  score: number;
  /** Milliseconds since the epoch. */
  createdAt: number;
};

/** The document id of an answered session question (negative, so it never meets a post id). */
export function sessionDocumentId(sessionQuestionId: number): number {
  return -sessionQuestionId;
}

/** The session question behind a document id, or null for a post. */
export function sessionQuestionIdOf(documentId: number): number | null {
  return documentId < 0 ? -documentId : null;
}

/** What a person asked for, after `parseSearchInput` pulled operators and phrases out of the text. */
export type SearchQuery = {
  /** Free words, in order, without operators or quotes (may be empty when only filters are given). */
  words: string[];
  /** Quoted phrases, each must appear as typed (word order kept). */
  phrases: string[];
  kinds?: SearchKind[];
  spaceSlug?: string;
  tag?: string;
  isSolved?: boolean;
  isUnanswered?: boolean;
  isPlainLanguage?: boolean;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  perPage: number;
  /** Facet counts cost a little; suggestions and "similar questions" skip them. */
  withFacets: boolean;
  /** The last word is a prefix still being typed (search-as-you-type). */
  isPrefix: boolean;
  /**
   * Any of the words may match instead of all of them, best matches first ("similar questions" from a whole
   * sentence). Phrases, if any, still must match. Absent means false.
   */
  matchAny?: boolean;
};

/** A result: what the index stores of the post (its searchable text aside), with matches highlighted. */
export type SearchHit = Pick<
  SearchDocument,
  | "id"
  | "kind"
  | "questionId"
  | "title"
  | "spaceSlug"
  | "spaceName"
  | "tags"
  | "authorName"
  | "isPlainLanguage"
  | "isSolved"
  | "answerCount"
  | "score"
  | "createdAt"
> & {
  /** HTML-safe: text escaped, matches wrapped in <mark>…</mark>, nothing else. */
  titleHtml: string;
  /** HTML-safe cropped excerpt around the first match (about 30 words), matches in <mark>. */
  snippetHtml: string;
  /**
   * One hit per thread: for a question, its best-matching answer when one of its answers matched (null or absent when
   * none did). `snippetHtml` is the answer's excerpt, highlighted like the question's.
   */
  answer?: { id: number; snippetHtml: string; isAccepted: boolean; score: number } | null;
};

export type FacetCounts = {
  kind: Partial<Record<SearchKind, number>>;
  space: Record<string, number>;
  tag: Record<string, number>;
  solved: number;
  unanswered: number;
  plainLanguage: number;
};

export type SearchResult = {
  /** One per thread (a question and its answers are one hit). */
  hits: SearchHit[];
  /** Matching threads across all pages (may be an estimate from Meilisearch beyond 1,000). */
  total: number;
  /** The engine stopped counting at `total`: there are at least that many (shown as "2,000+"). */
  isTotalCapped?: boolean;
  facets: FacetCounts | null;
  /** When typo correction changed words, what was searched instead (shown as "Showing results for …"). */
  correctedText: string | null;
  /** No post held every word, so these hold some of them (set by `searchPosts`, not by engines). */
  isPartialMatch?: boolean;
};

export interface SearchEngine {
  readonly name: "postgres" | "meilisearch";
  /** Creates the index and applies its settings; idempotent, called at start. */
  setup(): Promise<void>;
  /** Adds or replaces documents; resolves only once the engine has confirmed them. */
  upsert(documents: SearchDocument[]): Promise<void>;
  /** How many documents the live index holds. */
  count(): Promise<number>;
  /** Removes documents by post id; resolves only once confirmed. Unknown ids are fine. */
  remove(ids: number[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Rebuilds the whole index from `batches` without downtime: searches keep answering from the old index
   * until the new one is complete, then it takes over.
   */
  rebuild(
    batches: AsyncIterable<SearchDocument[]>,
    onProgress?: (indexed: number) => void,
  ): Promise<{ indexed: number }>;
  /**
   * Engines that expand synonyms themselves (Meilisearch's synonyms setting) take the glossary's groups here, at start
   * and after each glossary change; each group is a list of lowercase names that mean the same.
   */
  setSynonyms?(groups: string[][]): Promise<void>;
}

export const SEARCH_LIMITS = { maxInputLength: 500, maxWords: 32, maxPerPage: 50, maxPage: 100 } as const;
