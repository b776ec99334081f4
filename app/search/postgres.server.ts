/**
 * The embedded search engine: full-text search inside the database, identical on PGlite and PostgreSQL.
 * Documents live in `search_documents` (weighted tsvector: title A, tags B, body C, space D, GIN-indexed); the words
 * of all documents live in `search_terms`, from which typos are corrected (pg_trgm similarity) and the word being
 * typed is completed (prefix). Queries are built from words with plainto/phraseto_tsquery, never from raw input.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type QueryLexeme, markMatches, markedToHtml, tsqueryLexemes } from "./highlight";
import { type FacetCounts, SEARCH_KINDS, type SearchDocument, type SearchEngine, type SearchHit, type SearchKind, type SearchQuery } from "./types";

// The text parser reads "<b>" as an XML tag and skips what is inside "<script>…</script>"; posts quote markup as
// text, so angle brackets are blanked before parsing (the stored text keeps them for snippets).
const DOCUMENTS = "search_documents";
const TERMS = "search_terms";
/** The tables a rebuild fills before they replace the live ones. */
const NEXT_SUFFIX = "_next";

/** Words the vocabulary holds: what typo correction and completion can suggest. */
const VOCABULARY_WORD = "[[:alpha:]]{3,40}";
/** Corrected only if this long: shorter words have too many near neighbours ("vpn", "dns", "ssl"). */
const CORRECTABLE = /^[a-z]{4,40}$/;
/** How many vocabulary words a prefix expands to (most frequent first). */
const PREFIX_EXPANSIONS = 8;
/** Snippets are cut from the start of the body; a match further in still finds the post, the snippet shows its start. */
const SNIPPET_SOURCE_CHARS = 4000;
const SNIPPET_WORDS = 32;
/**
 * Matches ranked, counted and faceted per search. A common word can match a third of a large forum; ranking all of
 * them would cost hundreds of milliseconds, so relevance is judged among the newest MATCH_CAP matches (25 pages of
 * 20) and the count reads "500+".
 */
export const MATCH_CAP = 500;
/** Suggestions while typing and "similar questions" show a handful of the best matches: fewer candidates will do. */
const SUGGESTION_CAP = 200;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Upserts documents into a documents table and adds their words to a vocabulary table. */
async function writeDocuments(db: Db, documents: SearchDocument[], tables: { documents: string; terms: string }, onConflict: "update" | "skip"): Promise<void> {
  if (documents.length === 0) return;
  const table = sql.identifier(tables.documents);
  const terms = sql.identifier(tables.terms);
  const json = JSON.stringify(documents);
  const conflict =
    onConflict === "skip"
      ? sql`do nothing`
      : sql`do update set kind = excluded.kind, title = excluded.title, body = excluded.body, question_id = excluded.question_id,
          space_id = excluded.space_id, space_slug = excluded.space_slug, space_name = excluded.space_name, tags = excluded.tags,
          author_name = excluded.author_name, is_plain_language = excluded.is_plain_language, is_solved = excluded.is_solved,
          is_unanswered = excluded.is_unanswered, answer_count = excluded.answer_count, score = excluded.score,
          created_at = excluded.created_at, tsv = excluded.tsv`;
  await db.execute(sql`
    insert into ${table} (post_id, kind, title, body, question_id, space_id, space_slug, space_name, tags, author_name,
      is_plain_language, is_solved, is_unanswered, answer_count, score, created_at, tsv)
    select d.id, d.kind, d.title, d.body, d."questionId", d."spaceId", d."spaceSlug", d."spaceName", d.tags, d."authorName",
      d."isPlainLanguage", d."isSolved", d."isUnanswered", d."answerCount", d.score, to_timestamp(d."createdAt" / 1000.0),
      setweight(to_tsvector('english', translate(d.title, '<>', '  ')), 'A') || setweight(to_tsvector('english', array_to_string(d.tags, ' ')), 'B')
        || setweight(to_tsvector('english', translate(d.body, '<>', '  ')), 'C') || setweight(to_tsvector('english', d."spaceName"), 'D')
    from jsonb_to_recordset(${json}::jsonb) as d(id int, kind text, title text, body text, "questionId" int, "spaceId" int,
      "spaceSlug" text, "spaceName" text, tags text[], "authorName" text, "isPlainLanguage" boolean, "isSolved" boolean,
      "isUnanswered" boolean, "answerCount" int, score int, "createdAt" float8)
    order by d.id
    on conflict (post_id) ${conflict}`);
  // The vocabulary only grows (counts are "documents that held the word when indexed"); a rebuild recounts it exactly.
  await db.execute(sql`
    insert into ${terms} (term, stem, documents)
    select x.term, x.stem, count(*)::int from (
      select distinct d.id, lower(m[1]) as term, (ts_lexize('english_stem', lower(m[1])))[1] as stem
      from jsonb_to_recordset(${json}::jsonb) as d(id int, title text, body text, tags text[]),
        regexp_matches(d.title || ' ' || array_to_string(d.tags, ' ') || ' ' || d.body, ${VOCABULARY_WORD}, 'g') as m
    ) x
    where x.stem is not null
    group by x.term, x.stem
    order by x.term
    on conflict (term) do update set documents = ${terms}.documents + excluded.documents`);
}

async function tableExists(db: Db, name: string): Promise<boolean> {
  const [row] = rowsOf<{ found: boolean }>(await db.execute(sql`select to_regclass(${name}) is not null as found`));
  return row?.found ?? false;
}

type WordInfo = {
  ord: number;
  word: string;
  stem: string | null;
  known: boolean;
  suggestion: string | null;
  expansions: string[] | null;
  /** Documents holding the word (by stem), its correction, or (prefix) any completion: an upper bound on its matches; null when unknown. */
  documents: number | null;
  /** Phrase words are only counted, never corrected or completed. */
  isPhraseWord: boolean;
};

/**
 * For each word: its stem, whether the vocabulary knows it, a correction when it doesn't, completions for the last
 * word when typing, and how many documents hold it. `phraseWords` are only counted.
 */
async function inspectWords(db: Db, words: string[], isPrefix: boolean, phraseWords: string[]): Promise<WordInfo[]> {
  const prefixOrd = isPrefix ? words.length : 0;
  // A LIKE pattern for the words starting with c.word (whose "_" would otherwise match any one character).
  const pattern = sql`replace(replace(replace(c.word, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  return rowsOf<WordInfo>(
    await db.execute(sql`
      with w as (
        select w.ord::int as ord, w.word, w.ord > ${words.length} as is_phrase_word, s.stem,
          (select sum(t.documents)::int from search_terms t where t.stem = s.stem) as stem_documents
        from jsonb_array_elements_text(${JSON.stringify([...words, ...phraseWords])}::jsonb) with ordinality as w(word, ord)
        cross join lateral (select (ts_lexize('english_stem', w.word))[1] as stem) s
      ),
      c as (
        select w.*,
          case when not w.is_phrase_word and w.ord <> ${prefixOrd} and w.word ~ ${CORRECTABLE.source} and w.stem is not null and w.stem_documents is null
            then (select t.term from search_terms t where t.term % w.word order by similarity(t.term, w.word) desc, t.documents desc, t.term limit 1)
          end as suggestion
        from w
      )
      select c.ord, c.word, c.stem, c.is_phrase_word as "isPhraseWord", (c.stem is null or c.stem_documents is not null) as known, c.suggestion,
        case when c.ord = ${prefixOrd} then array(
          select t.term from search_terms t where t.term like ${pattern} and t.term <> c.word
          order by t.documents desc, t.term limit ${PREFIX_EXPANSIONS})
        end as expansions,
        case
          when c.ord = ${prefixOrd} then nullif(coalesce(c.stem_documents, 0) + coalesce((select sum(t.documents)::int from search_terms t where t.term like ${pattern} and t.term <> c.word), 0), 0)
          when c.suggestion is not null then coalesce(c.stem_documents, 0) + coalesce((select sum(t.documents)::int from search_terms t where t.stem = (ts_lexize('english_stem', c.suggestion))[1]), 0)
          else c.stem_documents
        end as documents
      from c
      order by c.ord`),
  );
}

/** A tsquery prefix term for a word: quoted, so nothing in it is read as an operator. */
function prefixTerm(word: string): string {
  return `'${word.replace(/['\\]/g, "")}':*`;
}

type Plan = {
  tsquery: SQL | null;
  correctedText: string | null;
  /** At most this many documents can match, by the vocabulary's counts (null when a word is not counted there). */
  upperBound: number | null;
};

/** The tsquery for the words and phrases (null when there is nothing to match, e.g. only stop words), and any corrections made. */
async function planQuery(db: Db, query: SearchQuery): Promise<Plan> {
  const phraseWords = query.phrases.map((phrase) => phrase.split(" "));
  const inspected = query.words.length + phraseWords.length > 0 ? await inspectWords(db, query.words, query.isPrefix, phraseWords.flat()) : [];
  const parts: SQL[] = query.phrases.map((phrase) => sql`phraseto_tsquery('english', ${phrase})`);
  // Each part's bound: a phrase matches no more documents than its rarest counted word.
  const bounds: (number | null)[] = [];
  let offset = query.words.length;
  for (const words of phraseWords) {
    const counted = inspected.slice(offset, offset + words.length).flatMap((info) => (info.documents === null ? [] : [info.documents]));
    bounds.push(counted.length > 0 ? Math.min(...counted) : null);
    offset += words.length;
  }
  let corrected = false;
  const shown: string[] = [];
  for (const info of inspected.filter((word) => !word.isPhraseWord)) {
    const alternatives: SQL[] = [sql`plainto_tsquery('english', ${info.word})`];
    if (info.expansions) {
      alternatives.push(sql`to_tsquery('simple', ${prefixTerm(info.word)})`);
      for (const term of info.expansions) alternatives.push(sql`plainto_tsquery('english', ${term})`);
    }
    if (info.suggestion) {
      alternatives.push(sql`plainto_tsquery('english', ${info.suggestion})`);
      corrected = true;
    }
    shown.push(info.suggestion ?? info.word);
    parts.push(alternatives.length === 1 ? alternatives[0]! : sql`(${sql.join(alternatives, sql` || `)})`);
    // Stop words match nothing and bound nothing.
    if (info.stem !== null || info.expansions) bounds.push(info.documents);
  }
  if (parts.length === 0) return { tsquery: null, correctedText: null, upperBound: null };
  const joined = sql.join(parts, query.matchAny ? sql` || ` : sql` && `);
  const correctedText = corrected ? [...query.phrases.map((phrase) => `"${phrase}"`), ...shown].join(" ") : null;
  const known = bounds.filter((bound): bound is number => bound !== null);
  const upperBound = query.matchAny
    ? known.length === bounds.length && known.length > 0
      ? known.reduce((sum, bound) => sum + bound, 0)
      : null
    : known.length > 0
      ? Math.min(...known)
      : null;
  return { tsquery: joined, correctedText, upperBound };
}

/**
 * How the newest `cap` matches are found. When a search matches many posts, walking the date (or score) index
 * newest-first and testing each post stops after about rows × cap / matches posts; when it matches few, fetching all
 * `matches` from the GIN index and sorting them is cheaper. Both cost about the same per post read. The true count
 * lies between the planner's estimate (which assumes words occur independently, so it is low for words that go
 * together, as searched words do) and the vocabulary's upper bound; walking when estimate × bound > rows × cap keeps
 * the worse of the two possible mistakes as cheap as possible.
 */
async function chooseCandidatePath(tx: Db, where: SQL[], cap: number, upperBound: number | null, documentCount: number): Promise<void> {
  const [row] = rowsOf<{ "QUERY PLAN": unknown }>(await tx.execute(sql`explain (format json) select 1 from search_documents d where ${sql.join(where, sql` and `)}`));
  const raw = row?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan?: { "Plan Rows"?: number } }[] | undefined;
  const estimate = plan?.[0]?.Plan?.["Plan Rows"] ?? 0;
  const bound = upperBound === null ? estimate : Math.max(estimate, upperBound);
  if (estimate * bound > documentCount * cap) await tx.execute(sql`set local enable_bitmapscan = off`);
  else await tx.execute(sql`set local enable_indexscan = off`);
}

function filtersOf(query: SearchQuery): SQL[] {
  const where: SQL[] = [];
  if (query.kinds && query.kinds.length > 0) where.push(sql`d.kind in (${sql.join(query.kinds.map((kind) => sql`${kind}`), sql`, `)})`);
  if (query.spaceSlug) where.push(sql`d.space_slug = ${query.spaceSlug}`);
  if (query.tag) where.push(sql`d.tags @> array[${query.tag}]::text[]`);
  if (query.isSolved !== undefined) where.push(sql`d.is_solved = ${query.isSolved}`);
  if (query.isUnanswered !== undefined) where.push(sql`d.is_unanswered = ${query.isUnanswered}`);
  if (query.isPlainLanguage !== undefined) where.push(sql`d.is_plain_language = ${query.isPlainLanguage}`);
  return where;
}

function orderOf(query: SearchQuery, hasText: boolean, alias: string): SQL {
  const a = sql.raw(alias);
  if (query.sort === "newest" || (query.sort === "relevance" && !hasText)) return sql`${a}.created_at desc, ${a}.post_id desc`;
  if (query.sort === "votes") return sql`${a}.score desc, ${a}.created_at desc, ${a}.post_id desc`;
  return sql`${a}.rank desc, ${a}.is_solved desc, ${a}.score desc, ${a}.post_id desc`;
}

type HitRow = {
  id: number;
  kind: SearchKind;
  question_id: number | null;
  title: string;
  body_text: string;
  space_slug: string;
  space_name: string;
  tags: string[];
  author_name: string;
  is_plain_language: boolean;
  is_solved: boolean;
  answer_count: number;
  score: number;
  created_ms: number | string;
};

type FacetRow = { kind: Record<string, number> | null; space: Record<string, number> | null; tag: Record<string, number> | null; solved: number; unanswered: number; plain: number };

/**
 * Highlights are marked here rather than with ts_headline, which cost half a millisecond per hit: the query's own
 * lexemes mark the words they stem from, and the snippet is cropped around the first match.
 */
function toHit(row: HitRow, lexemes: QueryLexeme[]): SearchHit {
  return {
    id: row.id,
    kind: row.kind,
    questionId: row.question_id,
    title: row.title,
    titleHtml: markedToHtml(markMatches(row.title, lexemes)),
    snippetHtml: markedToHtml(markMatches(row.body_text, lexemes, SNIPPET_WORDS)),
    spaceSlug: row.space_slug,
    spaceName: row.space_name,
    tags: row.tags,
    authorName: row.author_name,
    isPlainLanguage: row.is_plain_language,
    isSolved: row.is_solved,
    answerCount: row.answer_count,
    score: row.score,
    createdAt: Math.round(Number(row.created_ms)),
  };
}

function toFacets(row: FacetRow): FacetCounts {
  const kind: Partial<Record<SearchKind, number>> = {};
  for (const [value, count] of Object.entries(row.kind ?? {})) {
    const known = SEARCH_KINDS.find((k) => k === value);
    if (known) kind[known] = Number(count);
  }
  return { kind, space: row.space ?? {}, tag: row.tag ?? {}, solved: Number(row.solved), unanswered: Number(row.unanswered), plainLanguage: Number(row.plain) };
}

/** Index definitions of a live table, renamed for its `_next` twin (so a rebuilt table gets exactly the migrated indexes). */
async function indexDefinitions(db: Db, table: string): Promise<{ name: string; create: string }[]> {
  const rows = rowsOf<{ indexname: string; indexdef: string }>(
    await db.execute(sql`select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = ${table} and indexname <> ${`${table}_pkey`} order by indexname`),
  );
  return rows.map((row) => ({
    name: row.indexname,
    create: row.indexdef
      .replace(/^CREATE (UNIQUE )?INDEX \S+ ON (?:\S+\.)?(\S+) /, (_match, unique: string | undefined, onTable: string) => `CREATE ${unique ?? ""}INDEX ${row.indexname}${NEXT_SUFFIX} ON ${onTable}${NEXT_SUFFIX} `),
  }));
}

export function createPostgresSearch(db: Db): SearchEngine {
  const live = { documents: DOCUMENTS, terms: TERMS };
  const next = { documents: `${DOCUMENTS}${NEXT_SUFFIX}`, terms: `${TERMS}${NEXT_SUFFIX}` };

  let cachedCount: { rows: number; at: number } | null = null;
  /** The planner's row count of the documents table, re-read at most once a minute. */
  async function documentCount(tx: Db): Promise<number> {
    if (cachedCount && Date.now() - cachedCount.at < 60_000) return cachedCount.rows;
    const [table] = rowsOf<{ rows: number }>(await tx.execute(sql`select greatest(reltuples, 0)::float8 as rows from pg_class where oid = 'search_documents'::regclass`));
    cachedCount = { rows: Number(table?.rows ?? 0), at: Date.now() };
    return cachedCount.rows;
  }

  return {
    name: "postgres",

    // The tables come from the migrations; nothing to prepare.
    async setup() {},

    async count() {
      const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from search_documents`));
      return row?.n ?? 0;
    },

    async upsert(documents) {
      if (documents.length === 0) return;
      await writeDocuments(db, documents, live, "update");
      // A rebuild in progress must not miss this change: its copy gets it too (and keeps it over the older state it read).
      if (await tableExists(db, next.documents)) await writeDocuments(db, documents, next, "update").catch(() => {});
    },

    async remove(ids) {
      if (ids.length === 0) return;
      const list = `{${ids.filter((id) => Number.isSafeInteger(id)).join(",")}}`;
      await db.execute(sql`delete from search_documents where post_id = any(${list}::int[])`);
      if (await tableExists(db, next.documents)) await db.execute(sql`delete from ${sql.identifier(next.documents)} where post_id = any(${list}::int[])`).catch(() => {});
    },

    async search(query) {
      const plan = await planQuery(db, query);
      const hasText = plan.tsquery !== null;
      // Words that are all stop words ("how to") with no filter: nothing to look for.
      if (!hasText && filtersOf(query).length === 0) return { hits: [], total: 0, facets: query.withFacets ? toFacets({ kind: {}, space: {}, tag: {}, solved: 0, unanswered: 0, plain: 0 }) : null, correctedText: null };
      // The query is written out here, not read from the CTE, so the planner sees the words and can use the column's
      // statistics to choose between the GIN index (rare words) and walking the date index (common words).
      const where = [...(plan.tsquery ? [sql`d.tsv @@ (${plan.tsquery})`] : []), ...filtersOf(query)];
      // ts_rank (word frequency, by weight: title 1.0, tags 0.4, body 0.2, space 0.1; normalised by document length)
      // costs a sixth of ts_rank_cd (cover density) here, for rankings that differ little on forum-sized posts.
      const rank = hasText && query.sort === "relevance" ? sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', c.tsv, q.q, 1)` : sql`0::real`;
      // At most MATCH_CAP matches are ranked and counted: the newest ones (or the best voted, when sorting by votes).
      // The planner reads them from the date or score index when a word is common, from the GIN index when it is rare.
      // "nulls last" as in the indexes' definitions (the columns hold no nulls), or the planner cannot use them.
      const capOrder = query.sort === "votes" ? sql`d.score desc nulls last, d.post_id desc nulls last` : sql`d.created_at desc nulls last, d.post_id desc nulls last`;
      const offset = (query.page - 1) * query.perPage;
      const cap = query.withFacets ? MATCH_CAP : SUGGESTION_CAP;
      const facets = query.withFacets
        ? sql`(select json_build_object(
            'kind', (select json_object_agg(kind, n) from (select kind, count(*)::int as n from m group by kind) x),
            'space', (select json_object_agg(space_slug, n) from (select space_slug, count(*)::int as n from m group by space_slug order by n desc, space_slug limit 100) x),
            'tag', (select json_object_agg(tag, n) from (select tag, count(*)::int as n from (select unnest(tags) as tag from m) t group by tag order by n desc, tag limit 100) x),
            'solved', count(*) filter (where is_solved), 'unanswered', count(*) filter (where is_unanswered),
            'plain', count(*) filter (where is_plain_language)) from m)`
        : sql`null::json`;
      const result = await db.transaction(async (tx) => {
        if (plan.tsquery) await chooseCandidatePath(tx, where, cap, plan.upperBound, await documentCount(tx));
        return tx.execute(sql`
        with q as (select ${plan.tsquery ?? sql`''::tsquery`} as q),
        c as (
          select d.post_id, d.kind, d.space_slug, d.tags, d.is_solved, d.is_unanswered, d.is_plain_language, d.score, d.created_at, d.tsv
          from search_documents d
          where ${sql.join(where, sql` and `)}
          order by ${capOrder}
          limit ${cap}
        ),
        m as materialized (
          select c.post_id, c.kind, c.space_slug, c.tags, c.is_solved, c.is_unanswered, c.is_plain_language, c.score, c.created_at, ${rank} as rank
          from c, q
        ),
        page as (select * from m order by ${orderOf(query, hasText, "m")} limit ${query.perPage} offset ${offset})
        select (select count(*)::int from m) as total, ${facets} as facets, (select q::text from q) as query_text,
          (select coalesce(json_agg(h order by h.n), '[]'::json) from (
            select row_number() over (order by ${orderOf(query, hasText, "p")}) as n,
              d.post_id as id, d.kind, d.question_id, d.title, left(d.body, ${SNIPPET_SOURCE_CHARS}) as body_text, d.space_slug, d.space_name, d.tags, d.author_name,
              d.is_plain_language, d.is_solved, d.answer_count, d.score, (extract(epoch from d.created_at) * 1000)::float8 as created_ms
            from page p join search_documents d on d.post_id = p.post_id
          ) h) as hits`);
      });
      const [row] = rowsOf<{ total: number; facets: FacetRow | null; hits: HitRow[] | string; query_text: string | null }>(result);
      const lexemes = hasText ? tsqueryLexemes(row?.query_text ?? "") : [];
      const hits = typeof row?.hits === "string" ? (JSON.parse(row.hits) as HitRow[]) : (row?.hits ?? []);
      return {
        hits: hits.map((hit) => toHit(hit, lexemes)),
        total: row?.total ?? 0,
        isTotalCapped: (row?.total ?? 0) >= cap,
        facets: query.withFacets && row?.facets ? toFacets(row.facets) : null,
        correctedText: plan.correctedText,
      };
    },

    async rebuild(batches, onProgress) {
      const documentsIndexes = await indexDefinitions(db, DOCUMENTS);
      const termsIndexes = await indexDefinitions(db, TERMS);
      const nextDocuments = sql.identifier(next.documents);
      const nextTerms = sql.identifier(next.terms);
      const dropNext = async () => {
        await db.execute(sql`drop table if exists ${nextDocuments}`);
        await db.execute(sql`drop table if exists ${nextTerms}`);
      };
      // Leftovers of a rebuild that was interrupted.
      await dropNext();
      await db.execute(sql`drop table if exists search_documents_old`);
      await db.execute(sql`drop table if exists search_terms_old`);
      // Only the primary keys while loading: building the other indexes once at the end is much faster.
      await db.execute(sql`create table ${nextDocuments} (like search_documents including defaults including constraints)`);
      await db.execute(sql`alter table ${nextDocuments} add constraint ${sql.identifier(`${next.documents}_pkey`)} primary key (post_id)`);
      await db.execute(sql`create table ${nextTerms} (like search_terms including defaults including constraints)`);
      await db.execute(sql`alter table ${nextTerms} add constraint ${sql.identifier(`${next.terms}_pkey`)} primary key (term)`);
      let indexed = 0;
      try {
        for await (const batch of batches) {
          // "skip": a change the outbox already wrote here is newer than what this batch read.
          await writeDocuments(db, batch, next, "skip");
          indexed += batch.length;
          onProgress?.(indexed);
        }
        for (const index of [...documentsIndexes, ...termsIndexes]) await db.execute(sql.raw(index.create));
        await db.execute(sql`analyze ${nextDocuments}`);
        await db.execute(sql`analyze ${nextTerms}`);
        // Searches keep reading the old tables until this commits; queries already waiting on them finish on the old copy.
        await db.transaction(async (tx) => {
          for (const [table, indexes] of [
            [DOCUMENTS, documentsIndexes],
            [TERMS, termsIndexes],
          ] as const) {
            await tx.execute(sql`alter table ${sql.identifier(table)} rename to ${sql.identifier(`${table}_old`)}`);
            await tx.execute(sql`alter index ${sql.identifier(`${table}_pkey`)} rename to ${sql.identifier(`${table}_old_pkey`)}`);
            for (const index of indexes) await tx.execute(sql`alter index ${sql.identifier(index.name)} rename to ${sql.identifier(`${index.name}_old`)}`);
            await tx.execute(sql`alter table ${sql.identifier(`${table}${NEXT_SUFFIX}`)} rename to ${sql.identifier(table)}`);
            await tx.execute(sql`alter index ${sql.identifier(`${table}${NEXT_SUFFIX}_pkey`)} rename to ${sql.identifier(`${table}_pkey`)}`);
            for (const index of indexes) await tx.execute(sql`alter index ${sql.identifier(`${index.name}${NEXT_SUFFIX}`)} rename to ${sql.identifier(index.name)}`);
          }
        });
      } catch (error) {
        await dropNext().catch(() => {});
        throw error;
      }
      await db.execute(sql`drop table if exists search_documents_old`);
      await db.execute(sql`drop table if exists search_terms_old`);
      return { indexed };
    },
  };
}
