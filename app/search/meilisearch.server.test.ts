/**
 * The Meilisearch adapter's pure parts (filters, query text, settings, stored documents, hits, facet counts): checked
 * everywhere, since the engine contract suite needs a live Meilisearch server.
 */
import { MARK_END, MARK_START } from "./highlight";
import {
  type IndexedPost,
  SETTINGS,
  buildFilter,
  buildQueryText,
  filterString,
  fromMeilisearchId,
  sortFor,
  threadIdOf,
  toFacetCounts,
  toHit,
  toIndexed,
  toMeilisearchId,
} from "./meilisearch.server";
import type { SearchDocument, SearchQuery } from "./types";

function query(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return {
    words: [],
    phrases: [],
    sort: "relevance",
    page: 1,
    perPage: 20,
    withFacets: false,
    isPrefix: false,
    ...overrides,
  };
}

function document(overrides: Partial<SearchDocument> = {}): SearchDocument {
  return {
    id: 12,
    kind: "question",
    title: "VPN drops every hour",
    body: "The tunnel resets at the hour.",
    questionId: null,
    spaceId: 3,
    spaceSlug: "networking",
    spaceName: "Networking",
    tags: ["vpn"],
    authorName: "Ann",
    isPlainLanguage: false,
    isSolved: false,
    isUnanswered: true,
    answerCount: 0,
    score: 2,
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

describe("ids", () => {
  test("post ids stay numbers; an office-hours answer's negative id becomes an 's' string and back", () => {
    expect(toMeilisearchId(42)).toBe(42);
    expect(toMeilisearchId(-7)).toBe("s7");
    expect(fromMeilisearchId(42)).toBe(42);
    expect(fromMeilisearchId("s7")).toBe(-7);
    expect(fromMeilisearchId("42")).toBe(42);
    for (const id of [1, 999_999, -1, -31]) expect(fromMeilisearchId(toMeilisearchId(id))).toBe(id);
  });

  test("an answer shares its question's thread; everything else is its own thread", () => {
    expect(threadIdOf({ id: 30, kind: "answer", questionId: 12 })).toBe(12);
    expect(threadIdOf({ id: 12, kind: "question", questionId: null })).toBe(12);
    expect(threadIdOf({ id: -5, kind: "session", questionId: 4 })).toBe("s5");
    expect(threadIdOf({ id: 8, kind: "howto", questionId: null })).toBe(8);
  });
});

describe("filters", () => {
  test("no filter when the query names none", () => {
    expect(buildFilter(query())).toEqual([]);
  });

  test("each filter is ANDed; the kinds are ORed inside one group", () => {
    expect(
      buildFilter(
        query({
          kinds: ["question", "howto"],
          spaceSlug: "networking",
          tag: "vpn",
          isSolved: true,
          isUnanswered: false,
          isPlainLanguage: true,
        }),
      ),
    ).toEqual([
      ['kind = "question"', 'kind = "howto"'],
      'spaceSlug = "networking"',
      'tags = "vpn"',
      "isSolved = true",
      "isUnanswered = false",
      "isPlainLanguage = true",
    ]);
  });

  test("an empty list of kinds filters nothing", () => {
    expect(buildFilter(query({ kinds: [] }))).toEqual([]);
  });

  test("quotes and backslashes in a value cannot end the string literal", () => {
    expect(filterString('a"b')).toBe('"a\\"b"');
    expect(filterString("a\\")).toBe('"a\\\\"');
    expect(filterString('x" OR kind = "answer')).toBe('"x\\" OR kind = \\"answer"');
    expect(buildFilter(query({ tag: 'c#"' }))).toEqual(['tags = "c#\\""']);
  });
});

describe("query text and sort", () => {
  test("phrases in quotes come first, then the words, so the word being typed stays last", () => {
    expect(buildQueryText({ words: ["reset", "pass"], phrases: ["multi factor"] })).toBe('"multi factor" reset pass');
  });

  test("quotes inside words and phrases are dropped, blank ones too", () => {
    expect(buildQueryText({ words: ['a"b', " "], phrases: ['"', 'say "hi"'] })).toBe('"say hi" a b');
    expect(buildQueryText({ words: [], phrases: [] })).toBe("");
  });

  test("relevance leaves the ranking rules alone; newest and votes sort", () => {
    expect(sortFor(query())).toBeUndefined();
    expect(sortFor(query({ sort: "newest" }))).toEqual(["createdAt:desc"]);
    expect(sortFor(query({ sort: "votes" }))).toEqual(["score:desc", "createdAt:desc"]);
  });
});

describe("settings", () => {
  test("one hit per thread, solved posts ranked above others, every filter the adapter sends is filterable", () => {
    expect(SETTINGS.distinctAttribute).toBe("threadId");
    expect(SETTINGS.rankingRules).toContain("solvedRank:desc");
    const filterable = SETTINGS.filterableAttributes ?? [];
    const filter = buildFilter(
      query({
        kinds: ["question"],
        spaceSlug: "s",
        tag: "t",
        isSolved: true,
        isUnanswered: true,
        isPlainLanguage: true,
      }),
    );
    const clauses = (Array.isArray(filter) ? filter : [filter]).flatMap((part) =>
      Array.isArray(part) ? part : [part],
    );
    const sent = clauses.map((clause) => clause.split(" ")[0] ?? "");
    for (const attribute of [...sent, "threadId"]) expect(filterable).toContain(attribute);
  });

  test("every sort the adapter sends is sortable, and the last page the app allows is within maxTotalHits", () => {
    const sortable = SETTINGS.sortableAttributes ?? [];
    for (const sort of ["newest", "votes"] as const)
      for (const rule of sortFor(query({ sort })) ?? []) expect(sortable).toContain(rule.split(":")[0]);
    expect(SETTINGS.pagination?.maxTotalHits).toBeGreaterThanOrEqual(100 * 50);
  });

  test("title, tags and body are searched, in that order of importance", () => {
    const searchable = SETTINGS.searchableAttributes ?? [];
    expect(searchable.indexOf("title")).toBeLessThan(searchable.indexOf("tags"));
    expect(searchable.indexOf("tags")).toBeLessThan(searchable.indexOf("body"));
  });
});

describe("documents", () => {
  test("a stored document carries a numeric solved rank, its thread, and no highlight markers", () => {
    const stored = toIndexed(
      document({ id: 30, kind: "answer", questionId: 12, isSolved: true, title: `VPN ${MARK_START}x${MARK_END}` }),
    );
    expect(stored).toMatchObject({ id: 30, threadId: 12, solvedRank: 1, title: "VPN x", kind: "answer" });
    expect(toIndexed(document()).solvedRank).toBe(0);
    expect(toIndexed(document({ id: -4, kind: "session", questionId: 2 }))).toMatchObject({ id: "s4", threadId: "s4" });
  });

  test("a hit maps back to the post's id, with the highlighted title and snippet as safe HTML", () => {
    const stored: IndexedPost = toIndexed(document({ id: -4, kind: "session", questionId: 2 }));
    const hit = toHit({
      ...stored,
      _formatted: {
        title: `VPN ${MARK_START}drops${MARK_END} <b>`,
        body: `the ${MARK_START}tunnel${MARK_END}`,
      },
    });
    expect(hit.id).toBe(-4);
    expect(hit.questionId).toBe(2);
    expect(hit.titleHtml).toBe("VPN <mark>drops</mark> &lt;b&gt;");
    expect(hit.snippetHtml).toBe("the <mark>tunnel</mark>");
    expect(toHit(stored).snippetHtml).toBe("");
  });

  test("facet counts: known kinds only, the true side of each flag, zero when absent", () => {
    expect(
      toFacetCounts({
        kind: { question: 3, howto: 1, unknown: 9 },
        spaceSlug: { networking: 4 },
        tags: { vpn: 2 },
        isSolved: { true: 2, false: 2 },
        isUnanswered: { false: 4 },
      }),
    ).toEqual({
      kind: { question: 3, howto: 1 },
      space: { networking: 4 },
      tag: { vpn: 2 },
      solved: 2,
      unanswered: 0,
      plainLanguage: 0,
    });
  });
});
