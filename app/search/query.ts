/**
 * Turns what someone typed (and the filter fields of the search form) into a `SearchQuery`: quoted phrases,
 * `tag:` / `space:` / `is:` operators, and free words. Never throws: bad input becomes a message or an
 * empty query, so no search input can cause an error page.
 */
import { normalizeTag } from "~/lib/tags";
import { SEARCH_KINDS, SEARCH_LIMITS, SEARCH_SORTS, type SearchKind, type SearchQuery } from "./types";

/**
 * The filters chosen in the form or the address (`tag=`, `solved=1`), not the operators typed in the text: what the
 * filter controls show, so an operator applies only while it is in the text.
 */
export type ChosenFilters = {
  kinds: SearchKind[];
  spaceSlug?: string;
  tag?: string;
  isSolved: boolean;
  isUnanswered: boolean;
  isPlainLanguage: boolean;
};

export type ParsedSearch = {
  query: SearchQuery;
  chosen: ChosenFilters;
  /** The text as the person typed it (trimmed, cut to the maximum), to put back in the box. */
  text: string;
  /** Something to tell the person (input too long, nothing searchable); the query may still run. */
  message: string | null;
  /** True when there is something to search for: words, phrases or at least one filter. */
  isSearchable: boolean;
};

/**
 * Letters and digits of any script, plus the joiners that keep "c#", "m365", "wi-fi", "10.0.0.1" whole, and the dot
 * that begins ".net" (a dot after a space, before a letter).
 */
const WORD = /(?:(?<![\p{L}\p{N}_.#+-])\.(?=\p{L}))?[\p{L}\p{N}](?:[\p{L}\p{N}#+._-]|['’](?=\p{L}))*/gu;

/**
 * English words too common to find anything by (PostgreSQL's English stop words, which the embedded engine leaves out
 * of every search): a search made only of them is not run.
 */
const COMMON_WORDS = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it
  its itself they them their theirs themselves what which who whom this that these those am is are was were be been
  being have has had having do does did doing a an the and but if or because as until while of at by for with about
  against between into through during before after above below to from up down in out on off over under again further
  then once here there when where why how all any both each few more most other some such no nor not only own same so
  than too very s t can will just don should now`.split(/\s+/),
);

/** Whether a word is too common to search for on its own ("the", "how", "to"). */
export function isCommonWord(word: string): boolean {
  return COMMON_WORDS.has(word);
}

/**
 * A word with an apostrophe stays whole: a possessive is its word ("outlook's" → "outlook"), a contraction ("won't",
 * "I'm", "you're") is a common word, left out; anything else ("o'brien") is kept as written.
 */
function withoutContraction(word: string): string {
  if (!word.includes("'")) return word;
  if (/'s$/.test(word)) return word.slice(0, -2);
  return /(?:n't|'re|'ve|'ll|'d|'m)$/.test(word) ? "" : word;
}

/** Words of a piece of text as the engines will see them: lower-case, no surrounding punctuation. */
export function searchWords(text: string): string[] {
  return (text.normalize("NFKC").toLowerCase().match(WORD) ?? [])
    .map((word) => withoutContraction(word.replace(/’/g, "'").replace(/[._-]+$/, "")))
    .filter(Boolean);
}

function firstOf<T extends string>(allowed: readonly T[], value: string | null | undefined): T | undefined {
  return allowed.find((item) => item === value);
}

function flag(value: string | null | undefined): boolean | undefined {
  return value === "1" || value === "true" || value === "on" || value === "yes" ? true : undefined;
}

/** Reads the search form: `q`, `kind` (repeatable), `space`, `tag`, `solved`, `unanswered`, `plain`, `sort`, `page`. */
export function parseSearchParams(
  params: URLSearchParams,
  options: { perPage?: number; withFacets?: boolean; isPrefix?: boolean } = {},
): ParsedSearch {
  const raw = params.get("q") ?? "";
  const kinds = params
    .getAll("kind")
    .flatMap((value) => value.split(","))
    .map((value) => firstOf(SEARCH_KINDS, value.trim()))
    .filter((kind): kind is SearchKind => kind !== undefined);
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  const perPage = Number.parseInt(params.get("perPage") ?? String(options.perPage ?? 20), 10);
  return parseSearchInput(raw, {
    kinds,
    spaceSlug: params.get("space") ?? undefined,
    tag: params.get("tag") ?? undefined,
    isSolved: flag(params.get("solved")),
    isUnanswered: flag(params.get("unanswered")),
    isPlainLanguage: flag(params.get("plain")),
    sort: firstOf(SEARCH_SORTS, params.get("sort")),
    page: Number.isFinite(page) ? page : 1,
    perPage: Number.isFinite(perPage) ? perPage : 20,
    withFacets: options.withFacets ?? true,
    isPrefix: options.isPrefix ?? false,
  });
}

/** Everything of a query but its text; all optional. */
type Filters = Partial<Omit<SearchQuery, "words" | "phrases" | "matchAny">>;

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Parses typed text plus explicit filters; operators in the text win over nothing, explicit filters win over operators. */
export function parseSearchInput(input: string, filters: Filters = {}): ParsedSearch {
  let message: string | null = null;
  let text = input.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  if (text.length > SEARCH_LIMITS.maxInputLength) {
    text = text.slice(0, SEARCH_LIMITS.maxInputLength);
    message = `That search is very long, so only its first ${SEARCH_LIMITS.maxInputLength} characters were used. A few key words work best.`;
  }

  const phrases: string[] = [];
  let tag: string | undefined;
  let spaceSlug: string | undefined;
  let kinds: SearchKind[] = [];
  let isSolved: boolean | undefined;
  let isUnanswered: boolean | undefined;

  // Balanced quotes make phrases; an unbalanced quote is just punctuation. In a question (a pasted title: Why is
  // this site called "Ask Different"?) quotes are prose, not a search operator: their words are searched as words.
  const isQuestion = /\?\s*$/.test(text);
  let rest = isQuestion
    ? text
    : text.replace(/["“”]([^"“”]*)["“”]/g, (_match, inner: string) => {
        const words = searchWords(inner);
        if (words.length > 0) phrases.push(words.join(" "));
        return " ";
      });
  // An operator the search does not know is said so, naming the ones it does, never silently dropped.
  const unknownOperators: string[] = [];
  rest = rest.replace(/(^|\s)(tag|space|in|kind|is):(\S*)/gi, (_match, lead: string, name: string, value: string) => {
    const key = name.toLowerCase();
    const clean = value.toLowerCase();
    // What the person typed, said back in a message: a pasted paragraph is cut short.
    const said = clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
    const kind = firstOf(SEARCH_KINDS, clean === "how-to" ? "howto" : clean);
    if (key === "tag") tag = normalizeTag(clean) || tag;
    else if ((key === "space" || key === "in") && SLUG.test(clean)) spaceSlug = clean;
    else if (key === "space" || key === "in")
      unknownOperators.push(
        `${key}:${said} isn't a space name here. Use the space's short name, like ${key}:networking.`,
      );
    else if (key === "kind" && kind) kinds = [...kinds, kind];
    else if (key === "kind")
      unknownOperators.push(
        `kind:${said} isn't a filter here. Try ${SEARCH_KINDS.map((k) => `kind:${k}`).join(", ")}.`,
      );
    else if (clean === "solved" || clean === "accepted") isSolved = true;
    else if (clean === "unanswered") isUnanswered = true;
    else unknownOperators.push(`is:${said} isn't a filter here. Try is:solved or is:unanswered.`);
    return lead;
  });
  // "-printer" looks like "leave printer out", which no engine does: say the word is searched for.
  const negated = [...new Set(searchWords((rest.match(/(?:^|\s)-+(?=\p{L})\S*/gu) ?? []).join(" ")))];
  const notes = [
    ...new Set(unknownOperators),
    ...(negated.length > 0 ? [`Searching for ${negated.join(" and ")}: excluding words with - isn't supported.`] : []),
  ];
  if (notes.length > 0) message = [message, ...notes].filter(Boolean).join(" ");

  const words = searchWords(rest).slice(0, SEARCH_LIMITS.maxWords);
  const explicitKinds = filters.kinds && filters.kinds.length > 0 ? [...new Set(filters.kinds)] : undefined;
  const explicitSpace = filters.spaceSlug && SLUG.test(filters.spaceSlug) ? filters.spaceSlug : undefined;
  const explicitTag = filters.tag ? normalizeTag(filters.tag) || undefined : undefined;
  const query: SearchQuery = {
    words,
    phrases: phrases.slice(0, 5),
    kinds: explicitKinds ?? (kinds.length > 0 ? [...new Set(kinds)] : undefined),
    spaceSlug: explicitSpace ?? spaceSlug,
    tag: explicitTag ?? tag,
    isSolved: filters.isSolved ?? isSolved,
    isUnanswered: filters.isUnanswered ?? isUnanswered,
    isPlainLanguage: filters.isPlainLanguage,
    sort: filters.sort ?? "relevance",
    page: Math.min(Math.max(1, Math.trunc(filters.page ?? 1)), SEARCH_LIMITS.maxPage),
    perPage: Math.min(Math.max(1, Math.trunc(filters.perPage ?? 20)), SEARCH_LIMITS.maxPerPage),
    withFacets: filters.withFacets ?? true,
    isPrefix: (filters.isPrefix ?? false) && words.length > 0 && /[\p{L}\p{N}]$/u.test(text),
  };
  const hasFilter = Boolean(
    query.kinds || query.spaceSlug || query.tag || query.isSolved || query.isUnanswered || query.isPlainLanguage,
  );
  // Only common words ("how do I", "the") and no filter: the embedded engine has nothing to look for, and any post
  // would match in Meilisearch; neither helps, so the search is not run and the person is told what to add.
  // A contraction ("won't") is a common word too, one that searchWords leaves out altogether.
  const isOnlyContractions = words.length === 0 && query.phrases.length === 0 && /\p{L}['’]\p{L}/u.test(rest);
  const isOnlyCommonWords =
    !hasFilter &&
    (isOnlyContractions ||
      (query.words.length + query.phrases.length > 0 &&
        [...query.words, ...query.phrases.flatMap((phrase) => phrase.split(" "))].every(isCommonWord)));
  const isSearchable = (query.words.length > 0 || query.phrases.length > 0 || hasFilter) && !isOnlyCommonWords;
  if (isOnlyCommonWords)
    message = [
      message,
      "Those words are too common to search for on their own. Add what it's about: a product, an error message, or what you were trying to do.",
    ]
      .filter(Boolean)
      .join(" ");
  else if (!isSearchable && text.length > 0 && !message)
    message = "Type a few words to search for; punctuation on its own doesn't match anything.";
  const chosen: ChosenFilters = {
    kinds: explicitKinds ?? [],
    spaceSlug: explicitSpace,
    tag: explicitTag,
    isSolved: filters.isSolved === true,
    isUnanswered: filters.isUnanswered === true,
    isPlainLanguage: filters.isPlainLanguage === true,
  };
  return { query, chosen, text, message, isSearchable };
}

/** The query back as text (for "showing results for", links and the search box). */
export function formatSearchQuery(query: Pick<SearchQuery, "words" | "phrases" | "tag" | "spaceSlug">): string {
  return [
    ...query.phrases.map((phrase) => `"${phrase}"`),
    ...query.words,
    ...(query.tag ? [`tag:${query.tag}`] : []),
    ...(query.spaceSlug ? [`space:${query.spaceSlug}`] : []),
  ].join(" ");
}
