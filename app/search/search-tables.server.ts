/**
 * The embedded engine's tables: writing documents into search_documents (weighted tsvector: title A, tags B, body C,
 * space D) and their words into search_terms, and rebuilding both aside (`_next`) so searches keep answering until
 * the new copies take over in one transaction.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { internationalWords } from "./international-words";
import { spellSymbolWords } from "./symbol-words";
import type { SearchDocument } from "./types";

// The text parser reads "<b>" as an XML tag and skips what is inside "<script>…</script>"; posts quote markup as
// text, so angle brackets are blanked before parsing (the stored text keeps them for snippets).
const DOCUMENTS = "search_documents";
const TERMS = "search_terms";
/** The tables a rebuild fills before they replace the live ones. */
const NEXT_SUFFIX = "_next";

/** Words the vocabulary holds: what typo correction and completion can suggest. */
const VOCABULARY_WORD = "[[:alpha:]]{3,40}";
const LIVE = { documents: DOCUMENTS, terms: TERMS };
const NEXT = { documents: `${DOCUMENTS}${NEXT_SUFFIX}`, terms: `${TERMS}${NEXT_SUFFIX}` };

/** The hyphenated words of a text written without hyphens ("Wi-Fi and e-mail" → "WiFi email"), once each. */
export function joinedHyphenWords(text: string): string {
  return [
    ...new Set((text.match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu) ?? []).map((word) => word.replace(/-/g, ""))),
  ].join(" ");
}

/** What a text is indexed as besides its words: hyphenated words joined, international words spelled for the parser. */
function alsoIndexedAs(text: string): string {
  return `${joinedHyphenWords(text)} ${internationalWords(text)}`;
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
  // "Wi-Fi" is also indexed as "wifi" (and "e-mail" as "email"), so the joined spelling people type finds it, "café" as
  // "cafe" and "打印机" as "打印 机" (international-words.ts); "C#" is indexed as "csharp" (symbol-words.ts), the stored
  // text keeping what was written.
  const json = JSON.stringify(
    documents.map((d) => ({
      ...d,
      titleIndexed: spellSymbolWords(d.title),
      bodyIndexed: spellSymbolWords(d.body),
      titleAlso: alsoIndexedAs(d.title),
      bodyAlso: alsoIndexedAs(d.body),
    })),
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
      setweight(to_tsvector('english', translate(d."titleIndexed", '<>', '  ') || ' ' || d."titleAlso"), 'A') || setweight(to_tsvector('english', array_to_string(d.tags, ' ')), 'B')
        || setweight(to_tsvector('english', translate(d."bodyIndexed", '<>', '  ') || ' ' || d."bodyAlso"), 'C') || setweight(to_tsvector('english', d."spaceName"), 'D')
    from jsonb_to_recordset(${json}::jsonb) as d(id int, kind text, title text, "titleIndexed" text, "titleAlso" text, body text, "bodyIndexed" text,
      "bodyAlso" text, "questionId" int, "spaceId" int,
      "spaceSlug" text, "spaceName" text, tags text[], "authorName" text, "isPlainLanguage" boolean, "isSolved" boolean,
      "isUnanswered" boolean, "answerCount" int, score int, "createdAt" float8)
    order by d.id
    on conflict (post_id) ${conflict}`);
  // The vocabulary only grows (counts are "documents that held the word when indexed"); a rebuild recounts it exactly.
  await db.execute(sql`
    insert into ${terms} (term, stem, documents)
    select x.term, x.stem, count(*)::int from (
      select distinct d.id, lower(m[1]) as term, (ts_lexize('english_stem', lower(m[1])))[1] as stem
      from jsonb_to_recordset(${json}::jsonb) as d(id int, "titleIndexed" text, "titleAlso" text, "bodyIndexed" text, "bodyAlso" text, tags text[]),
        regexp_matches(d."titleIndexed" || ' ' || d."titleAlso" || ' ' || array_to_string(d.tags, ' ') || ' ' || d."bodyIndexed" || ' ' || d."bodyAlso", ${VOCABULARY_WORD}, 'g') as m
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

/** Writes documents to the live tables (and to a rebuild's copies while one runs). */
export async function upsertDocuments(db: Db, documents: SearchDocument[]): Promise<void> {
  if (documents.length === 0) return;
  await writeDocuments(db, documents, LIVE, "update");
  // A rebuild in progress must not miss this change: its copy gets it too (and keeps it over the older state it read).
  if (await tableExists(db, NEXT.documents)) await writeDocuments(db, documents, NEXT, "update").catch(() => {});
}

/** Removes documents from the live tables (and from a rebuild's copies while one runs). */
export async function removeDocuments(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const list = `{${ids.filter((id) => Number.isSafeInteger(id)).join(",")}}`;
  await db.execute(sql`delete from search_documents where post_id = any(${list}::int[])`);
  if (await tableExists(db, NEXT.documents))
    await db
      .execute(sql`delete from ${sql.identifier(NEXT.documents)} where post_id = any(${list}::int[])`)
      .catch(() => {});
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

/** Fills fresh copies of both tables from `batches`, builds their indexes, then swaps them in. */
export async function rebuildDocuments(
  db: Db,
  batches: AsyncIterable<SearchDocument[]>,
  onProgress?: (indexed: number) => void,
): Promise<{ indexed: number }> {
  const documentsIndexes = await indexDefinitions(db, DOCUMENTS);
  const termsIndexes = await indexDefinitions(db, TERMS);
  const nextDocuments = sql.identifier(NEXT.documents);
  const nextTerms = sql.identifier(NEXT.terms);
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
  await db.execute(
    sql`alter table ${nextDocuments} add constraint ${sql.identifier(`${NEXT.documents}_pkey`)} primary key (post_id)`,
  );
  await db.execute(sql`create table ${nextTerms} (like search_terms including defaults including constraints)`);
  await db.execute(
    sql`alter table ${nextTerms} add constraint ${sql.identifier(`${NEXT.terms}_pkey`)} primary key (term)`,
  );
  let indexed = 0;
  try {
    for await (const batch of batches) {
      // "skip": a change the outbox already wrote here is newer than what this batch read.
      await writeDocuments(db, batch, NEXT, "skip");
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
}
