/**
 * The embedded search engine: full-text search inside the database, identical on PGlite and PostgreSQL. It ranks (or
 * sorts) the posts of search_documents for a planned query (query-plan.server.ts) in one SQL statement, a thread per
 * hit; the tables are written and rebuilt by search-tables.server.ts, rows become hits in search-hits.server.ts.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { tsqueryLexemes } from "./highlight";
import { isCommonWord } from "./query";
import { type SynonymSource, planQuery } from "./query-plan.server";
import { type FacetRow, type HitRow, SNIPPET_SOURCE_CHARS, toFacets, toHit } from "./search-hits.server";
import { rebuildDocuments, removeDocuments, upsertDocuments } from "./search-tables.server";
import type { SearchEngine, SearchQuery } from "./types";

export type PostgresSearchOptions = { synonyms?: SynonymSource };

/**
 * Sorted by date or votes, the newest (or best voted) MATCH_CAP matches are counted and faceted (the count reads
 * "500+"): the first pages are exact, and counting a third of a large forum would cost hundreds of milliseconds.
 */
export const MATCH_CAP = 500;
/**
 * Ranked searches rank every post holding a word, as long as the words' posts add up to this many; beyond it, the most
 * common words add only posts that hold them in a title or tag, two of them together when there are several, at most
 * COMMON_CANDIDATES of those (see `search`).
 */
const CANDIDATE_BUDGET = 2000;
/** The most posts a search's common words add by their titles and tags (see `search`). */
const COMMON_CANDIDATES = 1000;
/** Suggestions while typing and "similar questions" show a handful of the best matches: fewer candidates will do. */
const SUGGESTION_CAP = 200;

/** A word's tsquery alternatives restricted to title and tags ('vpn':AB): what a very common word contributes to the candidates. */
export function titleAndTagsOnly(tsq: string): string {
  return tsq.replace(/'(?:[^']|'')*'(:\*)?/g, (lexeme: string, star: string | undefined) =>
    star ? `${lexeme}AB` : `${lexeme}:AB`,
  );
}

/** Inverse document frequency (BM25's): rare words weigh more. */
function idf(documents: number, total: number): number {
  const df = Math.min(Math.max(documents, 0), total);
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/**
 * How the newest `cap` matches are found. When a search matches many posts, walking the date (or score) index
 * newest-first and testing each post stops after about rows × cap / matches posts; when it matches few, fetching all
 * `matches` from the GIN index and sorting them is cheaper. Both cost about the same per post read. The true count
 * lies between the planner's estimate (which assumes words occur independently, so it is low for words that go
 * together, as searched words do) and the vocabulary's upper bound; walking when estimate × bound > rows × cap keeps
 * the worse of the two possible mistakes as cheap as possible.
 */
async function chooseCandidatePath(
  tx: Db,
  where: SQL[],
  cap: number,
  upperBound: number | null,
  documentCount: number,
): Promise<void> {
  const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
    tx,
    sql`explain (format json) select 1 from search_documents d where ${sql.join(where, sql` and `)}`,
  );
  const raw = row?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan?: { "Plan Rows"?: number } }[] | undefined;
  const estimate = plan?.[0]?.Plan?.["Plan Rows"] ?? 0;
  const bound = upperBound === null ? estimate : Math.max(estimate, upperBound);
  if (estimate * bound > documentCount * cap) await tx.execute(sql`set local enable_bitmapscan = off`);
  else await tx.execute(sql`set local enable_indexscan = off`);
}

function filtersOf(query: SearchQuery): SQL[] {
  const where: SQL[] = [];
  if (query.kinds && query.kinds.length > 0)
    where.push(
      sql`d.kind in (${sql.join(
        query.kinds.map((kind) => sql`${kind}`),
        sql`, `,
      )})`,
    );
  if (query.spaceSlug) where.push(sql`d.space_slug = ${query.spaceSlug}`);
  if (query.tag) where.push(sql`d.tags @> array[${query.tag}]::text[]`);
  if (query.isSolved !== undefined) where.push(sql`d.is_solved = ${query.isSolved}`);
  if (query.isUnanswered !== undefined) where.push(sql`d.is_unanswered = ${query.isUnanswered}`);
  if (query.isPlainLanguage !== undefined) where.push(sql`d.is_plain_language = ${query.isPlainLanguage}`);
  return where;
}

/** The order of threads (rows of `t` below: a thread's best rank, newest post, best score). */
function orderOf(query: SearchQuery, hasText: boolean, alias: string): SQL {
  const a = sql.raw(alias);
  if (query.sort === "newest" || (query.sort === "relevance" && !hasText))
    return sql`${a}.created_at desc, ${a}.thread desc`;
  if (query.sort === "votes") return sql`${a}.score desc, ${a}.created_at desc, ${a}.thread desc`;
  return sql`${a}.rank desc, ${a}.is_solved desc, ${a}.score desc, ${a}.thread desc`;
}

/**
 * The stored words leave out common ones, so the phrase "out of office" would match any post about an office: a quoted
 * phrase with a common word is also checked, word for word in order, against the document's text (search_documents
 * as `d`). Both the database's ranking and the in-app index's use it.
 */
export function commonWordPhraseChecks(phrases: readonly string[]): SQL[] {
  return phrases
    .filter((phrase) => phrase.split(" ").some(isCommonWord))
    .map((phrase) => sql`to_tsvector('simple', d.title || ' ' || d.body) @@ phraseto_tsquery('simple', ${phrase})`);
}

export function createPostgresSearch(db: Db, options: PostgresSearchOptions = {}): SearchEngine {
  let cachedCount: { rows: number; at: number } | null = null;
  /** The planner's row count of the documents table, re-read at most once a minute. */
  async function documentCount(tx: Db): Promise<number> {
    if (cachedCount && Date.now() - cachedCount.at < 60_000) return cachedCount.rows;
    const [table] = await queryRows<{ rows: number }>(
      tx,
      sql`select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'search_documents'::regclass`,
    );
    cachedCount = { rows: Number(table?.rows ?? 0), at: Date.now() };
    return cachedCount.rows;
  }

  return {
    name: "postgres",

    // The tables come from the migrations; nothing to prepare.
    async setup() {},

    async count() {
      const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from search_documents`);
      return row?.n ?? 0;
    },

    async upsert(documents) {
      await upsertDocuments(db, documents);
    },

    async remove(ids) {
      await removeDocuments(db, ids);
    },

    async search(query) {
      const plan = await planQuery(db, query, options.synonyms);
      const hasText = plan.groups.length + plan.phrases.length > 0;
      // Words that are all stop words ("how to") with no filter: nothing to look for.
      if (!hasText && filtersOf(query).length === 0)
        return {
          hits: [],
          total: 0,
          facets: query.withFacets
            ? toFacets({ kind: {}, space: {}, tag: {}, solved: 0, unanswered: 0, plain: 0 })
            : null,
          correctedText: null,
        };
      const isRanked = hasText && query.sort === "relevance";
      const offset = (query.page - 1) * query.perPage;
      const cap = query.withFacets ? MATCH_CAP : SUGGESTION_CAP;
      const questionsAllowed = !query.kinds || query.kinds.length === 0 || query.kinds.includes("question");
      const phraseWhere = [
        ...plan.phrases.map((phrase) => sql`d.tsv @@ ${phrase}::tsquery`),
        ...commonWordPhraseChecks(query.phrases),
      ];
      let isTotalCapped = false;
      const result = await db.transaction(async (tx) => {
        const total = Math.max(await documentCount(tx), 1);
        let candidates: SQL;
        if (isRanked) {
          // Every post matching any word is ranked (BM25-style: rarer words weigh more, title above tags above body), except
          // that a word so common that its posts exceed the budget joins the candidates only where it is in a title or
          // tag: a post holding nothing but common words in its body could not rank on the first pages anyway.
          const byRarity = [...plan.groups].sort((a, b) => (a.documents ?? total) - (b.documents ?? total));
          let budget = CANDIDATE_BUDGET;
          const rare: string[] = [];
          const common: string[] = [];
          for (const group of byRarity) {
            budget -= group.documents ?? total;
            if (budget >= 0) rare.push(`(${group.tsq})`);
            else common.push(`(${titleAndTagsOnly(group.tsq)})`);
          }
          // Common words in titles or tags: two of them together when there are several (far fewer posts), else the one.
          const pairs = common.flatMap((a, i) => common.slice(i + 1).map((b) => `(${a} & ${b})`));
          const commonQuery = (pairs.length > 0 ? pairs : common).join(" | ");
          // Each word: its weight (idf) × how strongly the post holds it (ts_rank: title 1.0, tags 0.6, body 0.25, space 0.05,
          // repeats counting less and less). A solved or well-voted post gets at most a quarter more, never more.
          const terms = [
            ...plan.groups.map(
              (group) =>
                sql`${idf(group.documents ?? total / 20, total)}::float8 * ts_rank('{0.05, 0.25, 0.6, 1.0}', d.tsv, ${group.tsq}::tsquery, 0)`,
            ),
            ...plan.phrases.map((phrase) => sql`2.0 * ts_rank('{0.05, 0.25, 0.6, 1.0}', d.tsv, ${phrase}::tsquery, 0)`),
          ];
          const rank = sql`(${sql.join(terms, sql` + `)}) * (1 + least(0.25, 0.1 * d.is_solved::int + 0.05 * ln(1 + greatest(d.score, 0))))`;
          const filters = [...phraseWhere, ...filtersOf(query)];
          const where = (tsquery: string | null) =>
            sql.join([...(tsquery ? [sql`d.tsv @@ ${tsquery}::tsquery`] : []), ...filters], sql` and `);
          // The posts of the rarer words all take part; of the common words' title and tag matches, at most
          // COMMON_CANDIDATES (the newest): they are what a one- or all-common-word search ranks, and they score alike.
          const parts: SQL[] = [];
          if (rare.length > 0)
            parts.push(sql`select d.post_id from search_documents d where ${where(rare.join(" | "))}`);
          if (common.length > 0) {
            isTotalCapped = true;
            parts.push(
              sql`(select d.post_id from search_documents d where ${where(commonQuery)} order by d.created_at desc nulls last, d.post_id desc nulls last limit ${COMMON_CANDIDATES})`,
            );
          }
          if (parts.length === 0) parts.push(sql`select d.post_id from search_documents d where ${where(null)}`);
          candidates = sql`select d.post_id, d.kind, d.question_id, d.space_slug, d.tags, d.is_solved, d.is_unanswered, d.is_plain_language, d.score, d.created_at, ${rank} as rank
            from search_documents d where d.post_id in (${sql.join(parts, sql` union `)})`;
        } else {
          // Sorted by date or votes (or only filters): every word must match (as a filter would), and the newest (or best
          // voted) MATCH_CAP matches are counted; the order of the first pages is exact either way.
          const words = plan.groups.map((group) => `(${group.tsq})`);
          const where = [
            ...(words.length > 0 ? [sql`d.tsv @@ ${words.join(query.matchAny ? " | " : " & ")}::tsquery`] : []),
            ...phraseWhere,
            ...filtersOf(query),
          ];
          const counted = plan.groups.flatMap((group) => (group.documents === null ? [] : [group.documents]));
          const upperBound =
            counted.length === 0
              ? null
              : query.matchAny
                ? counted.reduce((sum, n) => sum + n, 0)
                : Math.min(...counted);
          if (hasText) await chooseCandidatePath(tx, where, cap, upperBound, total);
          // "nulls last" as in the indexes' definitions (the columns hold no nulls), or the planner cannot use them.
          const capOrder =
            query.sort === "votes"
              ? sql`d.score desc nulls last, d.post_id desc nulls last`
              : sql`d.created_at desc nulls last, d.post_id desc nulls last`;
          candidates = sql`select d.post_id, d.kind, d.question_id, d.space_slug, d.tags, d.is_solved, d.is_unanswered, d.is_plain_language, d.score, d.created_at, 0::float8 as rank
            from search_documents d where ${sql.join(where, sql` and `)} order by ${capOrder} limit ${cap}`;
        }
        const facets = query.withFacets
          ? sql`(select json_build_object(
              'kind', (select json_object_agg(kind, n) from (select kind, count(distinct thread)::int as n from x group by kind) k),
              'space', (select json_object_agg(space_slug, n) from (select space_slug, count(*)::int as n from t group by space_slug order by n desc, space_slug limit 100) k),
              'tag', (select json_object_agg(tag, n) from (select tag, count(*)::int as n from (select unnest(tags) as tag from t) u group by tag order by n desc, tag limit 100) k),
              'solved', count(*) filter (where is_solved), 'unanswered', count(*) filter (where is_unanswered),
              'plain', count(*) filter (where is_plain_language)) from t)`
          : sql`null::json`;
        // One hit per thread: a question and its answers are one hit (the question, with its best-matching answer), ranked by
        // the best of them; counts and facets count threads.
        return queryRows<{ total: number; matched: number; facets: FacetRow | null; hits: HitRow[] | string }>(
          tx,
          sql`
          with c as materialized (${candidates}),
          x as materialized (select c.*, case when c.kind = 'answer' and c.question_id > 0 then c.question_id else c.post_id end as thread from c),
          t as materialized (
            select thread, max(rank) as rank, bool_or(is_solved) as is_solved, max(score) as score, max(created_at) as created_at,
              (array_agg(post_id order by rank desc, post_id desc))[1] as best_id,
              (array_agg(post_id order by rank desc, post_id desc) filter (where kind = 'answer'))[1] as answer_id,
              min(space_slug) as space_slug, min(tags) as tags, bool_and(is_unanswered) as is_unanswered, bool_or(is_plain_language) as is_plain_language
            from x group by thread),
          page as (select * from t order by ${orderOf(query, hasText, "t")} limit ${query.perPage} offset ${offset}),
          h as (
            select p.*, coalesce(${questionsAllowed ? sql`(select q.post_id from search_documents q where q.post_id = p.thread and q.kind = 'question')` : sql`null::int`}, p.best_id) as hit_id
            from page p)
          select (select count(*)::int from t) as total, (select count(*)::int from c) as matched, ${facets} as facets,
            (select coalesce(json_agg(r order by r.n), '[]'::json) from (
              select row_number() over (order by ${orderOf(query, hasText, "h")}) as n,
                d.post_id as id, d.kind, d.question_id, d.title, left(d.body, ${SNIPPET_SOURCE_CHARS}) as body_text, d.space_slug, d.space_name, d.tags, d.author_name,
                d.is_plain_language, d.is_solved, d.answer_count, d.score, (extract(epoch from d.created_at) * 1000)::float8 as created_ms,
                a.post_id as answer_id, left(a.body, ${SNIPPET_SOURCE_CHARS}) as answer_text, a.is_solved as answer_is_accepted, a.score as answer_score
              from h join search_documents d on d.post_id = h.hit_id
              left join search_documents a on a.post_id = h.answer_id and h.answer_id <> h.hit_id
            ) r) as hits`,
        );
      });
      const [row] = result;
      const lexemes = hasText
        ? tsqueryLexemes([...plan.groups.map((group) => group.tsq), ...plan.phrases].join(" "))
        : [];
      const hits = typeof row?.hits === "string" ? (JSON.parse(row.hits) as HitRow[]) : (row?.hits ?? []);
      return {
        hits: hits.map((hit) => toHit(hit, lexemes)),
        total: row?.total ?? 0,
        isTotalCapped: isRanked ? isTotalCapped : (row?.matched ?? 0) >= cap,
        facets: query.withFacets && row?.facets ? toFacets(row.facets) : null,
        correctedText: plan.correctedText,
      };
    },

    rebuild: (batches, onProgress) => rebuildDocuments(db, batches, onProgress),
  };
}
