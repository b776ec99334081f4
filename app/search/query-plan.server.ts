/**
 * Turns a query's words into what the embedded engine searches for: each word's tsquery with typos corrected (never a
 * word the index, the glossary or English knows), synonyms, completions while typing, and compounds written either way.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { internationalSpelling, spacedCjkWords } from "./international-words";
import { searchWords } from "./query";
import { spellSymbolWord, spellSymbolWords } from "./symbol-words";
import { type TypoCandidate, allowedTypos, chooseCorrection, oneTypoAway } from "./typos";
import type { SearchQuery } from "./types";

/** Only words of letters are corrected (and only from 5 letters, see typos.ts): "vpn", "dns", "m365" are taken as typed. */
const CORRECTABLE = /^[a-z]{5,40}$/;
/** How many vocabulary words a prefix expands to (most frequent first). */
const PREFIX_EXPANSIONS = 8;
/**
 * At most this many unknown words of a search are corrected, the first typed; the rest are taken as typed (they match
 * nothing, as a word without a correction does). Each costs ~700 one-typo look-ups and, from 9 letters, a trigram search:
 * 32 random words cost about 1 s of database time.
 */
export const WORDS_CORRECTED_PER_SEARCH = 3;

/**
 * Words that mean the same, as groups ("wi-fi", "wifi", "wireless"): a search for one also finds the others, and no
 * word of a group is ever "corrected". The glossary provides them; a provider is called once per search.
 */
export type SynonymSource = () => string[][] | Promise<string[][]>;

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

type Correction = { term: string; documents: number };

/**
 * The corrections of words the vocabulary doesn't hold, by their position (ord): every vocabulary word within the allowed
 * typos (all words one typo away are looked up at once; for long words, two typos, the trigram index finds the near
 * ones), most frequent first, for all the words in one query.
 * The vocabulary keeps words of deleted posts and edited-away text until the next rebuild, so a candidate counts only
 * while a searchable post still holds it (one probe of the documents' word index each, in the same query): "Including
 * results for …" must never reveal removed text.
 */
async function correctWords(db: Db, words: { ord: number; word: string }[]): Promise<Map<number, Correction>> {
  const correctable = words.map(({ ord, word }) => ({
    ord,
    word,
    allowed: allowedTypos(word),
    near: oneTypoAway(word),
  }));
  const corrections = new Map<number, Correction>();
  if (correctable.length === 0) return corrections;
  const rows = await queryRows<TypoCandidate & { ord: number }>(
    db,
    sql`
      select w.ord, c.term, c.documents
      from jsonb_to_recordset(${JSON.stringify(correctable)}::jsonb) as w(ord int, word text, allowed int, near text[]),
        lateral (
          select term, documents from search_terms where term = any(w.near)
          union
          select term, documents from (
            select term, documents from search_terms where w.allowed > 1 and term % w.word
            order by similarity(term, w.word) desc limit 30) s
        ) c
      where exists (select 1 from search_documents d where d.tsv @@ plainto_tsquery('english', c.term))`,
  );
  for (const { ord, word } of correctable) {
    const candidates = rows.filter((row) => row.ord === ord);
    const term = chooseCorrection(word, candidates);
    const found = candidates.find((row) => row.term === term);
    if (term && found) corrections.set(ord, { term, documents: Number(found.documents) });
  }
  return corrections;
}

/**
 * The words of a synonym entry as the query parser reads them ("Wi-Fi" → "wi-fi"), without hyphens ("wifi"), and with
 * them as spaces ("two-step verification" typed as "two step verification").
 */
function synonymKeys(entry: string): string[] {
  const words = searchWords(entry).join(" ");
  return words ? [...new Set([words, words.replace(/-/g, ""), words.replace(/-/g, " ")])] : [];
}

/** A hyphenated word written joined ("e-mail" → "email"), as posts write it too; null for a word without hyphens. */
function joinedSpelling(word: string): string | null {
  const joined = word.replace(/-/g, "");
  return joined && joined !== word ? joined : null;
}

/**
 * The synonyms of glossary names of several words typed one after the other ("salary statement", "two-step
 * verification"), by the position (ord) of each word they cover: each of those words brings the name's other names,
 * as a single word brings its own. Word runs are checked up to the longest name's length.
 */
function phraseSynonymsByOrd(
  words: readonly string[],
  glossaryKeys: ReadonlySet<string>,
  synonymsOf: (text: string) => string[],
): Map<number, string[]> {
  const longest = Math.max(0, ...[...glossaryKeys].map((key) => key.split(" ").length));
  const byOrd = new Map<number, string[]>();
  for (let start = 0; start < words.length; start++)
    for (let n = 2; n <= Math.min(longest, words.length - start); n++) {
      const run = words.slice(start, start + n).join(" ");
      if (!glossaryKeys.has(run)) continue;
      const others = synonymsOf(run);
      for (let ord = start + 1; ord <= start + n; ord++) byOrd.set(ord, [...(byOrd.get(ord) ?? []), ...others]);
    }
  return byOrd;
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
  // Looked up by their spelling ("c#" as "csharp", "café" as "cafe", "打印机" as "打印 机", as the documents were
  // indexed), shown and corrected as typed.
  const spellings = query.words.map((word) => spellSymbolWord(internationalSpelling(word)));
  const infos = (await inspectWords(db, spellings, query.isPrefix)).map((info) => ({
    ...info,
    word: query.words[info.ord - 1] ?? info.word,
    tsq: withoutLoosePieces(info.tsq),
  }));
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
  const phraseSynonyms = phraseSynonymsByOrd(query.words, glossaryWords, synonymsOf);
  /**
   * What a word stands for besides itself: its synonyms, its joined spelling, and the synonyms of a glossary name it is
   * part of (not for a stop word of the name, "of" in "out of office": where every word must match, it would demand them).
   */
  const alsoOf = (info: WordInfo): string[] => {
    const joined = joinedSpelling(info.word);
    const ofPhrase = info.tsq ? (phraseSynonyms.get(info.ord) ?? []) : [];
    return [...new Set([...synonymsOf(info.word), ...ofPhrase, ...(joined ? [joined] : [])])];
  };
  const english = await loadEnglishWords();
  const unknown = infos.filter((info) => {
    const isTyping = query.isPrefix && info.ord === query.words.length;
    const isKnown =
      info.stem === null ||
      info.documents !== null ||
      phraseSynonyms.has(info.ord) ||
      glossaryWords.has(info.word) ||
      glossaryWords.has(info.word.replace(/-/g, ""));
    return (
      !isTyping && !isKnown && allowedTypos(info.word) > 0 && CORRECTABLE.test(info.word) && !english.has(info.word)
    );
  });
  const corrections = await correctWords(db, unknown.slice(0, WORDS_CORRECTED_PER_SEARCH));
  // The tsquery texts of everything else the words stand for, in one round trip.
  const extra = new Map<string, { tsq: string; documents: number | null }>();
  const extraTexts = [
    ...new Set([
      ...infos.flatMap((info) => [
        ...alsoOf(info),
        ...(info.expansions ?? []),
        ...(corrections.get(info.ord) ? [corrections.get(info.ord)?.term ?? ""] : []),
      ]),
      ...query.phrases,
    ]),
  ];
  if (extraTexts.length > 0) {
    const spelled = extraTexts.map((text) => ({
      text,
      // A phrase's Chinese and Japanese spaced into words, its other words as typed (they match as written).
      spelled: text.includes(" ")
        ? spellSymbolWords(spacedCjkWords(text))
        : spellSymbolWord(internationalSpelling(text)),
    }));
    const rows = await queryRows<{ text: string; tsq: string; documents: number | null }>(
      db,
      sql`
        select x.text, (case when position(' ' in x.spelled) > 0 then phraseto_tsquery('english', x.spelled) else plainto_tsquery('english', x.spelled) end)::text as tsq,
          (select sum(t.documents)::int from search_terms t where t.stem = (ts_lexize('english_stem', x.spelled))[1]) as documents
        from jsonb_to_recordset(${JSON.stringify(spelled)}::jsonb) as x(text text, spelled text)`,
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
      alternatives.push({ tsq: `${prefixTerm(spellSymbolWord(info.word))}`, documents: info.expansionDocuments });
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
    for (const synonym of alsoOf(info)) {
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
/**
 * Whether the posts write a split side by side is checked in at most this many posts holding both halves: two common
 * halves ("pass", "word") can share thousands of posts, and testing them all would cost more than the search.
 */
const ADJACENCY_SAMPLE = 300;
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
        exists (select 1 from (select d.tsv from search_documents d where d.tsv @@ q.together limit ${ADJACENCY_SAMPLE}) s
          where s.tsv @@ q.tsq) as found
      from jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb) as c(ord int, text text),
        lateral (select phraseto_tsquery('english', c.text) as tsq, plainto_tsquery('english', c.text) as together) q`,
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

/**
 * A word the database splits into pieces ("802.1x" → '802.1' & 'x', "o'brien" → 'o' & 'brien') without its
 * one-character pieces: on their own they would match any "3.x" or "o". A one-letter word is kept as it is.
 */
export function withoutLoosePieces(tsq: string): string {
  const pieces = tsq.split(" & ");
  if (pieces.length < 2 || !pieces.every((piece) => /^'(?:[^']|'')+'$/.test(piece))) return tsq;
  const kept = pieces.filter((piece) => !/^'(?:[^']|'')'$/.test(piece));
  return kept.length > 0 ? kept.join(" & ") : tsq;
}

/** A tsquery prefix term for a word: quoted, so nothing in it is read as an operator. */
function prefixTerm(word: string): string {
  return `'${word.replace(/['\\]/g, "")}':*`;
}
