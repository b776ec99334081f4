import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { queryRows } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type IndexedPost, type RankFilters, type RankGroup, ThreadIndex, parsePhrase, topK } from "./thread-index";
import { ReferenceThreadIndex } from "./thread-index.reference";
import type { SearchKind } from "./types";
import { seededRandom as random } from "~/lib/seeded-random";

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
    // As after a load: the postings give back their spare room, and grow again with the edits below.
    fast.trim();
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

  test("neighbouring words of the query close together in a title rank above the same words far apart", () => {
    const index = new ThreadIndex();
    const question = (id: number, tsv: string): IndexedPost => ({
      id,
      kind: "question",
      questionId: null,
      spaceSlug: "it",
      tags: [],
      isSolved: false,
      isUnanswered: false,
      isPlainLanguage: false,
      score: 0,
      tsv,
    });
    // The same words, counts and lengths; only where "site" and "name" stand differs. The close pair is the older
    // thread, which the tie-break alone would put second.
    index.upsert(question(1, "'chang':1A 'name':3A 'site':5A 'old':7A"));
    index.upsert(question(2, "'chang':1A 'name':2A 'old':4A 'site':7A"));
    const words = (...lexemes: string[]): RankGroup[] =>
      lexemes.map((lexeme) => ({ alternatives: [[{ lexeme, isPrefix: false }]] }));
    const page = { offset: 0, limit: 10, withFacets: false };
    expect(index.rank(words("site", "name"), {}, page).threads.map((thread) => thread.hitId)).toEqual([1, 2]);
    // Close together in the first title, but not neighbours in the query: no help ("chang" stands between them, and
    // "chang" stands close to "name" in both titles).
    expect(index.rank(words("site", "chang", "name"), {}, page).threads.map((thread) => thread.hitId)).toEqual([2, 1]);
    // One word alone has no neighbour: the tie-break decides.
    expect(index.rank(words("site"), {}, page).threads.map((thread) => thread.hitId)).toEqual([2, 1]);
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

  test("finds the posts holding a quoted phrase exactly as PostgreSQL's phrase search does", async () => {
    const database = await createTestDatabase();
    try {
      const r = random(3);
      // Stop words, a hyphenated word and repeats, so distances, gaps and repeated words all occur.
      const words = [
        "print",
        "spooler",
        "the",
        "error",
        "wi-fi",
        "drops",
        "every",
        "hour",
        "of",
        "it's",
        "print",
        "error",
      ];
      const text = (n: number) => Array.from({ length: n }, () => r.pick(words)).join(" ");
      const posts = Array.from({ length: 300 }, (_, i) => ({
        id: i + 1,
        kind: i % 3 === 2 ? ("answer" as const) : ("question" as const),
        title: text(1 + r.int(4)),
        tags: text(r.int(2)),
        body: text(r.int(12)),
        space: text(1 + r.int(2)),
      }));
      const phrases = Array.from({ length: 40 }, () => text(2 + r.int(3)));
      // The database writes both: each post's weighted tsvector, and which posts each phrase finds.
      const tsvs = await queryRows<{ id: number; tsv: string }>(
        database.db,
        sql`select p.id, (setweight(to_tsvector('english', p.title), 'A') || setweight(to_tsvector('english', p.tags), 'B')
          || setweight(to_tsvector('english', p.body), 'C') || setweight(to_tsvector('english', p.space), 'D'))::text as tsv
          from jsonb_to_recordset(${JSON.stringify(posts)}::jsonb) as p(id int, title text, tags text, body text, space text)`,
      );
      const index = new ThreadIndex();
      for (const post of posts)
        index.upsert({
          id: post.id,
          kind: post.kind,
          questionId: post.kind === "answer" ? post.id - 1 : null,
          spaceSlug: "it",
          tags: [],
          isSolved: false,
          isUnanswered: false,
          isPlainLanguage: false,
          score: 0,
          tsv: tsvs.find((row) => row.id === post.id)?.tsv ?? "",
        });
      // Changed posts leave dead entries behind; they must not be found.
      for (const post of posts.slice(0, 50)) index.remove(post.id);
      let phrasesFound = 0;
      for (const phrase of phrases) {
        const [{ tsq = "" } = {}] = await queryRows<{ tsq: string }>(
          database.db,
          sql`select phraseto_tsquery('english', ${phrase})::text as tsq`,
        );
        const expected = await queryRows<{ id: number }>(
          database.db,
          sql`select t.id from jsonb_to_recordset(${JSON.stringify(tsvs)}::jsonb) as t(id int, tsv text)
            where t.id > 50 and t.tsv::tsvector @@ ${tsq}::tsquery order by t.id`,
        );
        expect(parsePhrase(tsq), tsq).not.toBeNull();
        const found = [...(index.postsWithPhrases([tsq]) ?? [])].sort((a, b) => a - b);
        expect(found, `${phrase} → ${tsq}`).toEqual(expected.map((row) => row.id));
        if (found.length > 0) phrasesFound += 1;
      }
      expect(phrasesFound).toBeGreaterThan(5);
      // A shape phraseto_tsquery does not write is left to the database.
      expect(index.postsWithPhrases(["'print' & 'error'"])).toBeNull();
    } finally {
      await database.close();
    }
  }, 60_000);
});
