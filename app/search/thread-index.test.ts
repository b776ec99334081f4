import { describe, expect, test } from "vitest";
import { type IndexedPost, type RankFilters, type RankGroup, ThreadIndex, topK } from "./thread-index";
import { ReferenceThreadIndex } from "./thread-index.reference";
import type { SearchKind } from "./types";

/** mulberry32: the same "random" data on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

// Few words, so many posts share them and scores tie often (ties must break the same way too).
const WORDS = [
  "vpn",
  "vpns",
  "dns",
  "drop",
  "dropbox",
  "print",
  "printer",
  "wi-fi",
  "wi",
  "fi",
  "it''s",
  "mail",
  "email",
];
const TAGS = ["network", "mail", "printers", "security"];
const SPACES = ["it", "hr", "plain"];

function tsvectorOf(r: ReturnType<typeof random>): string {
  const lexemes = new Set<string>();
  const count = 1 + r.int(5);
  for (let i = 0; i < count; i++) lexemes.add(r.pick(WORDS));
  return [...lexemes]
    .map((lexeme) => {
      const positions = Array.from(
        { length: 1 + r.int(3) },
        (_, i) => `${i + 1 + r.int(50)}${r.pick(["A", "B", "C", "C", ""])}`,
      );
      return `'${lexeme}':${positions.join(",")}`;
    })
    .join(" ");
}

function postOf(r: ReturnType<typeof random>, id: number, questions: number[]): IndexedPost {
  const kind: SearchKind = questions.length > 0 && r.chance(0.5) ? "answer" : r.pick(["question", "howto", "question"]);
  return {
    id,
    kind,
    questionId: kind === "answer" ? r.pick(questions) : null,
    spaceSlug: r.pick(SPACES),
    tags: Array.from({ length: r.int(3) }, () => r.pick(TAGS)),
    isSolved: r.chance(0.3),
    isUnanswered: r.chance(0.3),
    isPlainLanguage: r.chance(0.2),
    score: r.int(7) - 2,
    tsv: tsvectorOf(r),
  };
}

function groupOf(r: ReturnType<typeof random>): RankGroup {
  return {
    alternatives: Array.from({ length: 1 + r.int(3) }, () =>
      Array.from({ length: r.chance(0.25) ? 2 + r.int(2) : 1 }, () => {
        const isPrefix = r.chance(0.2);
        const word = r.pick(WORDS);
        return { lexeme: isPrefix ? word.slice(0, 1 + r.int(word.length)) : word, isPrefix };
      }),
    ),
  };
}

function filtersOf(r: ReturnType<typeof random>): RankFilters {
  const filters: RankFilters = {};
  if (r.chance(0.2)) filters.kinds = [r.pick(["question", "answer", "howto"] as const)];
  if (r.chance(0.1)) filters.spaceSlug = r.pick(SPACES);
  if (r.chance(0.1)) filters.tag = r.pick(TAGS);
  if (r.chance(0.1)) filters.isSolved = r.chance(0.5);
  if (r.chance(0.1)) filters.isUnanswered = r.chance(0.5);
  if (r.chance(0.1)) filters.isPlainLanguage = r.chance(0.5);
  if (r.chance(0.1)) filters.onlyPosts = new Set(Array.from({ length: 500 }, () => 1 + r.int(2000)));
  return filters;
}

describe("the in-app ranking index", () => {
  test("ranks exactly as the straightforward version: same pages, totals and facets, through edits and compaction", () => {
    const r = random(15);
    const fast = new ThreadIndex();
    const reference = new ReferenceThreadIndex();
    const questions: number[] = [];
    const check = (searches: number) => {
      for (let i = 0; i < searches; i++) {
        const groups = Array.from({ length: 1 + r.int(4) }, () => groupOf(r));
        const filters = filtersOf(r);
        const page = { offset: r.pick([0, 0, 0, 20, 40]), limit: r.pick([8, 20]), withFacets: r.chance(0.5) };
        expect(fast.rank(groups, filters, page)).toEqual(reference.rank(groups, filters, page));
      }
    };
    for (let id = 1; id <= 2000; id++) {
      const post = postOf(r, id, questions);
      if (post.kind === "question") questions.push(id);
      fast.upsert(post);
      reference.upsert(post);
    }
    check(150);
    // Edits and removals: more than 1,000 dead slots, so the postings are compacted along the way.
    for (let i = 0; i < 1600; i++) {
      const id = 1 + r.int(2000);
      if (r.chance(0.3)) {
        fast.remove(id);
        reference.remove(id);
      } else {
        const post = postOf(r, id, questions);
        fast.upsert(post);
        reference.upsert(post);
      }
      if (i % 400 === 0) check(20);
    }
    expect(fast.size).toBe(reference.size);
    check(150);
  });

  test("a search for words nobody wrote finds nothing", () => {
    const index = new ThreadIndex();
    index.upsert(postOf(random(1), 1, []));
    const result = index.rank(
      [{ alternatives: [[{ lexeme: "zzz", isPrefix: false }]] }],
      {},
      {
        offset: 0,
        limit: 20,
        withFacets: true,
      },
    );
    expect(result.total).toBe(0);
    expect(result.threads).toEqual([]);
  });

  test("the page picked with a heap equals the first items of a full sort", () => {
    const r = random(7);
    for (let run = 0; run < 200; run++) {
      const count = r.int(300);
      // Few distinct scores, so the tie-break decides often.
      const scores = Array.from({ length: count }, () => r.int(10));
      const items = Int32Array.from({ length: count }, (_, i) => i);
      const before = (a: number, b: number) =>
        (scores[a] ?? 0) > (scores[b] ?? 0) || (scores[a] === scores[b] && a > b);
      const k = r.int(40);
      const sorted = [...items].sort((a, b) => (before(a, b) ? -1 : 1));
      expect(topK(items, count, k, before)).toEqual(sorted.slice(0, k));
    }
  });
});
