/**
 * The embedded search engine: full-text search inside the database, identical on PGlite and PostgreSQL.
 * Documents live in `search_documents` (weighted tsvector: title A, tags B, body C, space D, GIN-indexed); the words
 * of all documents live in `search_terms`, from which typos are corrected (pg_trgm similarity) and the word being
 * typed is completed (prefix). Queries are built from words with plainto/phraseto_tsquery, never from raw input.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { type QueryLexeme, markMatches, markedToHtml, tsqueryLexemes } from "./highlight";
import { searchWords } from "./query";
import { type TypoCandidate, allowedTypos, chooseCorrection, oneTypoAway } from "./typos";
import {
  type FacetCounts,
  SEARCH_KINDS,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchKind,
  type SearchQuery,
} from "./types";

// The text parser reads "<b>" as an XML tag and skips what is inside "<script>…</script>"; posts quote markup as
// text, so angle brackets are blanked before parsing (the stored text keeps them for snippets).
const DOCUMENTS = "search_documents";
const TERMS = "search_terms";
/** The tables a rebuild fills before they replace the live ones. */
const NEXT_SUFFIX = "_next";

/** Words the vocabulary holds: what typo correction and completion can suggest. */
const VOCABULARY_WORD = "[[:alpha:]]{3,40}";
/** Only words of letters are corrected (and only from 5 letters, see typos.ts): "vpn", "dns", "m365" are taken as typed. */
const CORRECTABLE = /^[a-z]{5,40}$/;
/** How many vocabulary words a prefix expands to (most frequent first). */
const PREFIX_EXPANSIONS = 8;
/** Snippets are cut from the start of the body; a match further in still finds the post, the snippet shows its start. */
export const SNIPPET_SOURCE_CHARS = 4000;
const SNIPPET_WORDS = 32;
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

/** The hyphenated words of a text written without hyphens ("Wi-Fi and e-mail" → "WiFi email"), once each. */
export function joinedHyphenWords(text: string): string {
  return [
    ...new Set((text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu) ?? []).map((word) => word.replace(/-/g, ""))),
  ].join(" ");
}

/** Upserts documents into a documents table and adds their words to a vocabulary table. */
async function writeDocuments(
  db: Db,
  documents: SearchDocument[],
  tables: { documents: string; terms: string },
  onConflict: "update" | "skip",
): Promise<void> {
  if (documents.length === 0) return;
  const table = sql.identifier(tables.documents);
  const terms = sql.identifier(tables.terms);
  // "Wi-Fi" is also indexed as "wifi" (and "e-mail" as "email"), so the joined spelling people type finds it.
  const json = JSON.stringify(
    documents.map((d) => ({ ...d, titleJoined: joinedHyphenWords(d.title), bodyJoined: joinedHyphenWords(d.body) })),
  );
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
      setweight(to_tsvector('english', translate(d.title, '<>', '  ') || ' ' || d."titleJoined"), 'A') || setweight(to_tsvector('english', array_to_string(d.tags, ' ')), 'B')
        || setweight(to_tsvector('english', translate(d.body, '<>', '  ') || ' ' || d."bodyJoined"), 'C') || setweight(to_tsvector('english', d."spaceName"), 'D')
    from jsonb_to_recordset(${json}::jsonb) as d(id int, kind text, title text, "titleJoined" text, body text, "bodyJoined" text, "questionId" int, "spaceId" int,
      "spaceSlug" text, "spaceName" text, tags text[], "authorName" text, "isPlainLanguage" boolean, "isSolved" boolean,
      "isUnanswered" boolean, "answerCount" int, score int, "createdAt" float8)
    order by d.id
    on conflict (post_id) ${conflict}`);
  // The vocabulary only grows (counts are "documents that held the word when indexed"); a rebuild recounts it exactly.
  await db.execute(sql`
    insert into ${terms} (term, stem, documents)
    select x.term, x.stem, count(*)::int from (
      select distinct d.id, lower(m[1]) as term, (ts_lexize('english_stem', lower(m[1])))[1] as stem
      from jsonb_to_recordset(${json}::jsonb) as d(id int, title text, "titleJoined" text, body text, "bodyJoined" text, tags text[]),
        regexp_matches(d.title || ' ' || d."titleJoined" || ' ' || array_to_string(d.tags, ' ') || ' ' || d.body || ' ' || d."bodyJoined", ${VOCABULARY_WORD}, 'g') as m
    ) x
    where x.stem is not null
    group by x.term, x.stem
    order by x.term
    on conflict (term) do update set documents = ${terms}.documents + excluded.documents`);
}

async function tableExists(db: Db, name: string): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(db, sql`select to_regclass(${name}) is not null as found`);
  return row?.found ?? false;
}

/**
 * Words that mean the same, as groups ("wi-fi", "wifi", "wireless"): a search for one also finds the others, and no
 * word of a group is ever "corrected". The glossary provides them; a provider is called once per search.
 */
export type SynonymSource = () => string[][] | Promise<string[][]>;
export type PostgresSearchOptions = { synonyms?: SynonymSource };

type WordInfo = {
  ord: number;
  word: string;
  stem: string | null;
  /** The word's own tsquery as text ('' for a stop word). */
  tsq: string;
  /** Documents holding the word's stem; null when the vocabulary doesn't know it. */
  documents: number | null;
  /** The last word while typing: vocabulary words it begins, most frequent first. */
  expansions: string[] | null;
  expansionDocuments: number | null;
};

/** For each word: its stem and tsquery, how many documents hold it, and (last word while typing) its completions. */
async function inspectWords(db: Db, words: string[], isPrefix: boolean): Promise<WordInfo[]> {
  if (words.length === 0) return [];
  const prefixOrd = isPrefix ? words.length : 0;
  // A LIKE pattern for the words starting with w.word (whose "_" would otherwise match any one character).
  const pattern = sql`replace(replace(replace(w.word, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
  return await queryRows<WordInfo>(
    db,
    sql`
      with w as (
        select w.ord::int as ord, w.word, s.stem, plainto_tsquery('english', w.word)::text as tsq,
          (select sum(t.documents)::int from search_terms t where t.stem = s.stem) as documents
        from jsonb_array_elements_text(${JSON.stringify(words)}::jsonb) with ordinality as w(word, ord)
        cross join lateral (select (ts_lexize('english_stem', w.word))[1] as stem) s
      )
      select w.ord, w.word, w.stem, w.tsq, w.documents,
        case when w.ord = ${prefixOrd} then array(
          select t.term from search_terms t where t.term like ${pattern} and t.term <> w.word order by t.documents desc, t.term limit ${PREFIX_EXPANSIONS})
        end as expansions,
        case when w.ord = ${prefixOrd} then (select sum(t.documents)::int from search_terms t where t.term like ${pattern} and t.term <> w.word) end as "expansionDocuments"
      from w
      order by w.ord`,
  );
}

let englishWords: Promise<Set<string>> | null = null;

/**
 * Common English words (the word lists of zxcvbn-ts, already here for password strength): a real word the forum has
 * not used yet ("forgot", "reset") is taken as typed, never "corrected" into a neighbour the index holds.
 */
function loadEnglishWords(): Promise<Set<string>> {
  englishWords ??= import("@zxcvbn-ts/language-en").then(({ dictionary }) => {
    const lists = [dictionary["commonWords-en"], dictionary["wikipedia-en"]];
    return new Set(lists.flatMap((list) => (Array.isArray(list) ? list.map(String) : [])));
  });
  return englishWords;
}

/**
 * The correction of a word the vocabulary doesn't hold: every vocabulary word within the allowed typos (all words one
 * typo away are looked up at once; for long words, two typos, the trigram index finds the near ones), most frequent first.
 */
async function correctWord(db: Db, word: string): Promise<{ term: string; documents: number } | null> {
  const allowed = allowedTypos(word);
  if (allowed === 0 || !CORRECTABLE.test(word)) return null;
  const near = oneTypoAway(word);
  const rows = await queryRows<TypoCandidate>(
    db,
    sql`
      select term, documents from search_terms where term = any(${`{${near.join(",")}}`}::text[])
      ${allowed > 1 ? sql`union select term, documents from (select term, documents from search_terms where term % ${word} order by similarity(term, ${word}) desc limit 30) s` : sql``}`,
  );
  const term = chooseCorrection(word, rows);
  const found = rows.find((row) => row.term === term);
  return term && found ? { term, documents: Number(found.documents) } : null;
}

/** A word's tsquery alternatives restricted to title and tags ('vpn':AB): what a very common word contributes to the candidates. */
export function titleAndTagsOnly(tsq: string): string {
  return tsq.replace(/'(?:[^']|'')*'(:\*)?/g, (lexeme: string, star: string | undefined) =>
    star ? `${lexeme}AB` : `${lexeme}:AB`,
  );
}

/** The words of a synonym entry as the query parser reads them ("Wi-Fi" → "wi-fi"), and without hyphens ("wifi"). */
function synonymKeys(entry: string): string[] {
  const words = searchWords(entry).join(" ");
  return words ? [words, words.replace(/-/g, "")] : [];
}

type Group = {
  /** The word as typed (or its correction) for "showing results for". */
  shown: string;
  /** tsquery text: the word, its correction, its synonyms and completions, OR-ed. */
  tsq: string;
  /** Documents holding any alternative (an estimate: a document holding two is counted twice); null when unknown. */
  documents: number | null;
};

export type Plan = {
  /** One per searched word, stop words left out. */
  groups: Group[];
  /** Quoted phrases as tsquery text; each must match. */
  phrases: string[];
  correctedText: string | null;
};

/** The tsquery of each word and phrase, with typos corrected, synonyms and (while typing) completions added. */
export async function planQuery(db: Db, query: SearchQuery, synonyms: SynonymSource | undefined): Promise<Plan> {
  const infos = await inspectWords(db, query.words, query.isPrefix);
  const groupsOfSynonyms = synonyms ? await synonyms() : [];
  const synonymsOf = (word: string): string[] => {
    const keys = new Set(synonymKeys(word));
    const found = groupsOfSynonyms.filter((group) =>
      group.some((entry) => synonymKeys(entry).some((key) => keys.has(key))),
    );
    return [
      ...new Set(
        found
          .flat()
          .map((entry) => searchWords(entry).join(" "))
          .filter((entry) => entry && !keys.has(entry)),
      ),
    ];
  };
  const glossaryWords = new Set(groupsOfSynonyms.flat().flatMap(synonymKeys));
  const corrections = new Map<number, { term: string; documents: number }>();
  for (const info of infos) {
    const isTyping = query.isPrefix && info.ord === query.words.length;
    const isKnown =
      info.stem === null ||
      info.documents !== null ||
      glossaryWords.has(info.word) ||
      glossaryWords.has(info.word.replace(/-/g, ""));
    if (isTyping || isKnown || allowedTypos(info.word) === 0 || (await loadEnglishWords()).has(info.word)) continue;
    const correction = await correctWord(db, info.word);
    if (correction) corrections.set(info.ord, correction);
  }
  // The tsquery texts of everything else the words stand for, in one round trip.
  const extra = new Map<string, { tsq: string; documents: number | null }>();
  const extraTexts = [
    ...new Set([
      ...infos.flatMap((info) => [
        ...synonymsOf(info.word),
        ...(info.expansions ?? []),
        ...(corrections.get(info.ord) ? [corrections.get(info.ord)?.term ?? ""] : []),
      ]),
      ...query.phrases,
    ]),
  ];
  if (extraTexts.length > 0) {
    const rows = await queryRows<{ text: string; tsq: string; documents: number | null }>(
      db,
      sql`
        select x.text, (case when position(' ' in x.text) > 0 then phraseto_tsquery('english', x.text) else plainto_tsquery('english', x.text) end)::text as tsq,
          (select sum(t.documents)::int from search_terms t where t.stem = (ts_lexize('english_stem', x.text))[1]) as documents
        from jsonb_array_elements_text(${JSON.stringify(extraTexts)}::jsonb) as x(text)`,
    );
    for (const row of rows) extra.set(row.text, { tsq: row.tsq, documents: row.documents });
  }
  const groups: Group[] = [];
  const groupOf = new Map<number, Group>();
  let corrected = false;
  for (const info of infos) {
    const alternatives: { tsq: string; documents: number | null }[] = [];
    if (info.tsq) alternatives.push({ tsq: info.tsq, documents: info.documents });
    if (info.expansions) {
      // The completions by their stems too: "onedriv" begins "onedrive", whose stem "onedr" it does not begin.
      alternatives.push({ tsq: `${prefixTerm(info.word)}`, documents: info.expansionDocuments });
      for (const term of info.expansions) {
        const found = extra.get(term);
        if (found?.tsq) alternatives.push({ tsq: found.tsq, documents: 0 });
      }
    }
    const correction = corrections.get(info.ord);
    if (correction) {
      const found = extra.get(correction.term);
      if (found?.tsq) alternatives.push({ tsq: found.tsq, documents: correction.documents });
      corrected = true;
    }
    for (const synonym of synonymsOf(info.word)) {
      const found = extra.get(synonym);
      if (found?.tsq) alternatives.push({ tsq: found.tsq, documents: found.documents ?? 0 });
    }
    if (alternatives.length === 0) continue;
    const counted = alternatives.map((alternative) => alternative.documents);
    const group = {
      shown: correction?.term ?? info.word,
      tsq: alternatives.map((alternative) => `(${alternative.tsq})`).join(" | "),
      documents: counted.every((n) => n === null) ? null : counted.reduce<number>((sum, n) => sum + (n ?? 0), 0),
    };
    groups.push(group);
    groupOf.set(info.ord, group);
  }
  await addCompoundVariants(db, query, infos, groups, groupOf);
  const phrases = query.phrases.flatMap((phrase) => (extra.get(phrase)?.tsq ? [extra.get(phrase)?.tsq ?? ""] : []));
  const correctedText = corrected
    ? [
        ...query.phrases.map((phrase) => `"${phrase}"`),
        ...infos.map((info) => corrections.get(info.ord)?.term ?? info.word),
      ].join(" ")
    : null;
  return { groups, phrases, correctedText };
}

/** Words that may be one half of a compound: letters only ("superuser" = "super" + "user"), at least this long. */
const COMPOUND_HALF = 3;
/** Two searched words this close (next to each other, or one word between) may be a compound written apart. */
const JOIN_WINDOW = 2;
/** At most this many ways to split one word are checked against the posts. */
const SPLITS_CHECKED = 3;

/**
 * People write compounds both ways ("SuperUser" and "Super User", "log in" and "login"). Two searched words side by
 * side whose joined spelling the vocabulary holds add it as one more word; a searched word that splits into two
 * vocabulary words the posts also write side by side gets that pair as an alternative of its own group. Only spellings
 * the posts use are added, so "password" never becomes "pass" and "word".
 */
async function addCompoundVariants(
  db: Db,
  query: SearchQuery,
  infos: WordInfo[],
  groups: Group[],
  groupOf: Map<number, Group>,
): Promise<void> {
  const isPlain = (word: string) => /^\p{L}+$/u.test(word);
  const typing = query.isPrefix ? query.words.length : 0;
  // A joined spelling is one more word, so only where words are optional (ranking), never where all must match. Its
  // halves may stand apart, in either order, as a phrasal verb's do ("voting it down" for "downvoting", "log me in").
  const joins = new Set<string>();
  if (query.sort === "relevance")
    infos.forEach((info, i) => {
      for (const other of infos.slice(i + 1, i + 1 + JOIN_WINDOW)) {
        const isAdjacent = other.ord === info.ord + 1;
        const shortest = isAdjacent ? 2 : COMPOUND_HALF;
        if (other.ord === typing || !isPlain(info.word) || !isPlain(other.word)) continue;
        if (info.word.length < shortest || other.word.length < shortest) continue;
        joins.add(info.word + other.word);
        if (!isAdjacent) joins.add(other.word + info.word);
      }
    });
  const splits = infos.flatMap((info) => {
    if (info.ord === typing || !isPlain(info.word) || info.word.length < 2 * COMPOUND_HALF) return [];
    const points = Array.from({ length: info.word.length - 2 * COMPOUND_HALF + 1 }, (_, i) => i + COMPOUND_HALF);
    return points.map((at) => ({ ord: info.ord, halves: [info.word.slice(0, at), info.word.slice(at)] as const }));
  });
  const terms = [...new Set([...joins, ...splits.flatMap((split) => split.halves)])];
  if (terms.length === 0) return;
  const known = new Map(
    (
      await queryRows<{ term: string; documents: number }>(
        db,
        sql`select term, documents from search_terms where term = any(${`{${terms.join(",")}}`}::text[])`,
      )
    ).map((row) => [row.term, Number(row.documents)]),
  );
  const documentsOf = (term: string) => known.get(term) ?? 0;
  const candidates = [
    ...[...joins]
      .filter((joined) => joined.length > 3 && documentsOf(joined) > 0)
      .map((joined) => ({ ord: 0, text: joined })),
    ...infos.flatMap((info) =>
      splits
        .filter((way) => way.ord === info.ord && way.halves.every((half) => documentsOf(half) > 0))
        .sort((a, b) => Math.min(...b.halves.map(documentsOf)) - Math.min(...a.halves.map(documentsOf)))
        .slice(0, SPLITS_CHECKED)
        .map((way) => ({ ord: info.ord, text: way.halves.join(" ") })),
    ),
  ];
  if (candidates.length === 0) return;
  // Each variant's tsquery, and whether some post writes it (side by side, for a split).
  const rows = await queryRows<{ ord: number; text: string; tsq: string; found: boolean }>(
    db,
    sql`
      select c.ord::int as ord, c.text, q.tsq::text as tsq,
        exists (select 1 from search_documents d where d.tsv @@ q.tsq) as found
      from jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb) as c(ord int, text text),
        lateral (select phraseto_tsquery('english', c.text) as tsq) q`,
  );
  for (const row of rows) {
    if (!row.tsq || !row.found) continue;
    if (row.ord === 0) {
      groups.push({ shown: row.text, tsq: row.tsq, documents: documentsOf(row.text) });
      continue;
    }
    const group = groupOf.get(row.ord);
    // The pair's posts are at most those of its rarer half.
    if (group) group.tsq = `${group.tsq} | (${row.tsq})`;
    if (group && group.documents !== null) group.documents += Math.min(...row.text.split(" ").map(documentsOf));
  }
}

/** A tsquery prefix term for a word: quoted, so nothing in it is read as an operator. */
function prefixTerm(word: string): string {
  return `'${word.replace(/['\\]/g, "")}':*`;
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

export type HitRow = {
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
  answer_id: number | null;
  answer_text: string | null;
  answer_is_accepted: boolean | null;
  answer_score: number | null;
};

export type FacetRow = {
  kind: Record<string, number> | null;
  space: Record<string, number> | null;
  tag: Record<string, number> | null;
  solved: number;
  unanswered: number;
  plain: number;
};

/**
 * Highlights are marked here rather than with ts_headline, which cost half a millisecond per hit: the query's own
 * lexemes mark the words they stem from, and the snippet is cropped around the first match.
 */
export function toHit(row: HitRow, lexemes: QueryLexeme[]): SearchHit {
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
    answer:
      row.answer_id === null
        ? null
        : {
            id: row.answer_id,
            snippetHtml: markedToHtml(markMatches(row.answer_text ?? "", lexemes, SNIPPET_WORDS)),
            isAccepted: row.answer_is_accepted ?? false,
            score: row.answer_score ?? 0,
          },
  };
}

export function toFacets(row: FacetRow): FacetCounts {
  const kind: Partial<Record<SearchKind, number>> = {};
  for (const [value, count] of Object.entries(row.kind ?? {})) {
    const known = SEARCH_KINDS.find((k) => k === value);
    if (known) kind[known] = Number(count);
  }
  return {
    kind,
    space: row.space ?? {},
    tag: row.tag ?? {},
    solved: Number(row.solved),
    unanswered: Number(row.unanswered),
    plainLanguage: Number(row.plain),
  };
}

/** Index definitions of a live table, renamed for its `_next` twin (so a rebuilt table gets exactly the migrated indexes). */
async function indexDefinitions(db: Db, table: string): Promise<{ name: string; create: string }[]> {
  const rows = await queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = ${table} and indexname <> ${`${table}_pkey`} order by indexname`,
  );
  return rows.map((row) => ({
    name: row.indexname,
    create: row.indexdef.replace(
      /^CREATE (UNIQUE )?INDEX \S+ ON (?:\S+\.)?(\S+) /,
      (_match, unique: string | undefined, onTable: string) =>
        `CREATE ${unique ?? ""}INDEX ${row.indexname}${NEXT_SUFFIX} ON ${onTable}${NEXT_SUFFIX} `,
    ),
  }));
}

export function createPostgresSearch(db: Db, options: PostgresSearchOptions = {}): SearchEngine {
  const live = { documents: DOCUMENTS, terms: TERMS };
  const next = { documents: `${DOCUMENTS}${NEXT_SUFFIX}`, terms: `${TERMS}${NEXT_SUFFIX}` };

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
      if (documents.length === 0) return;
      await writeDocuments(db, documents, live, "update");
      // A rebuild in progress must not miss this change: its copy gets it too (and keeps it over the older state it read).
      if (await tableExists(db, next.documents)) await writeDocuments(db, documents, next, "update").catch(() => {});
    },

    async remove(ids) {
      if (ids.length === 0) return;
      const list = `{${ids.filter((id) => Number.isSafeInteger(id)).join(",")}}`;
      await db.execute(sql`delete from search_documents where post_id = any(${list}::int[])`);
      if (await tableExists(db, next.documents))
        await db
          .execute(sql`delete from ${sql.identifier(next.documents)} where post_id = any(${list}::int[])`)
          .catch(() => {});
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
      const phraseWhere = plan.phrases.map((phrase) => sql`d.tsv @@ ${phrase}::tsquery`);
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
      await db.execute(
        sql`create table ${nextDocuments} (like search_documents including defaults including constraints)`,
      );
      await db.execute(
        sql`alter table ${nextDocuments} add constraint ${sql.identifier(`${next.documents}_pkey`)} primary key (post_id)`,
      );
      await db.execute(sql`create table ${nextTerms} (like search_terms including defaults including constraints)`);
      await db.execute(
        sql`alter table ${nextTerms} add constraint ${sql.identifier(`${next.terms}_pkey`)} primary key (term)`,
      );
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
            await tx.execute(
              sql`alter index ${sql.identifier(`${table}_pkey`)} rename to ${sql.identifier(`${table}_old_pkey`)}`,
            );
            for (const index of indexes)
              await tx.execute(
                sql`alter index ${sql.identifier(index.name)} rename to ${sql.identifier(`${index.name}_old`)}`,
              );
            await tx.execute(
              sql`alter table ${sql.identifier(`${table}${NEXT_SUFFIX}`)} rename to ${sql.identifier(table)}`,
            );
            await tx.execute(
              sql`alter index ${sql.identifier(`${table}${NEXT_SUFFIX}_pkey`)} rename to ${sql.identifier(`${table}_pkey`)}`,
            );
            for (const index of indexes)
              await tx.execute(
                sql`alter index ${sql.identifier(`${index.name}${NEXT_SUFFIX}`)} rename to ${sql.identifier(index.name)}`,
              );
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
