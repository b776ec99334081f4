/** Builds search documents from the database: what the index holds for each visible post, one post or all of them. */
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Db, queryRows } from "#db/client.server";
import { type HowtoStep, type PostKind, posts } from "#db/schema";
import { isWaitingForAnswer } from "~/models/question-lists.server";
import { stripMarkers } from "./highlight";
import { type SearchDocument, sessionDocumentId, sessionQuestionIdOf } from "./types";

/** The name an anonymous question shows instead of its asker's (app/models/anonymity.server.ts says why). */
const ANONYMOUS_AUTHOR = "someone from the community";

/**
 * A question closed as a duplicate (and its answers) stays out of the index: searches lead to the original instead.
 * `p` is the post, its thread is coalesce(parent, itself).
 */
const NOT_CLOSED_DUPLICATE = sql.raw(
  "not exists (select 1 from question_closures qc where qc.question_id = coalesce(p.parent_id, p.id) and qc.reason = 'duplicate')",
);

/** The post of a document query (`from posts p`), for conditions shared with the models. */
const post = alias(posts, "p");

/** Enough for any post the forms allow; keeps one pathological row from making a huge tsvector. */
const MAX_BODY_CHARS = 60_000;

type DocumentRow = {
  id: number;
  kind: PostKind;
  title: string | null;
  parent_title: string | null;
  body_html: string;
  summary: string | null;
  applies_to: string | null;
  prerequisites_html: string | null;
  steps: HowtoStep[] | null;
  parent_id: number | null;
  space_id: number;
  space_slug: string;
  space_name: string;
  tags: string[] | null;
  author_name: string;
  is_plain_language: boolean;
  is_solved: boolean;
  is_unanswered: boolean;
  answer_count: number;
  score: number;
  created_ms: number | string;
};

const BLOCK_TAG = /<\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|pre|blockquote|table|thead|tbody|tr|td|th|dt|dd|dl)\b[^>]*>/gi;
const ENTITY = /&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39|nbsp);/gi;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntity(_match: string, name: string): string {
  const lower = name.toLowerCase();
  if (lower.startsWith("#x")) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16) || 32);
  if (lower.startsWith("#")) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10) || 32);
  return NAMED[lower] ?? " ";
}

/**
 * Plain text of the sanitised HTML the Markdown renderer stored: block tags become spaces, other tags vanish,
 * entities are decoded. The stored HTML passed an allow-list sanitizer, so a tag is always a well-formed `<…>`.
 */
export function htmlToText(html: string): string {
  return html
    .replace(BLOCK_TAG, " ")
    .replace(/<[^>]*>/g, "")
    .replace(ENTITY, decodeEntity);
}

/** Text that is safe to index: no NUL (PostgreSQL text refuses it), no highlight markers, single spaces, bounded. */
function cleanText(text: string, max = MAX_BODY_CHARS): string {
  const clean = stripMarkers(text)
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? clean.slice(0, max) : clean;
}

function toDocument(row: DocumentRow): SearchDocument {
  const body =
    row.kind === "howto"
      ? [
          row.summary ?? "",
          row.applies_to ?? "",
          htmlToText(row.prerequisites_html ?? ""),
          ...(row.steps ?? []).map((step) => htmlToText(step.bodyHtml)),
        ].join(" ")
      : htmlToText(row.body_html);
  return {
    id: row.id,
    kind: row.kind,
    title: cleanText((row.kind === "answer" ? row.parent_title : row.title) ?? "", 500),
    body: cleanText(body),
    questionId: row.kind === "answer" ? row.parent_id : null,
    spaceId: row.space_id,
    spaceSlug: row.space_slug,
    spaceName: row.space_name,
    tags: row.tags ?? [],
    authorName: row.author_name,
    isPlainLanguage: row.is_plain_language,
    isSolved: row.is_solved,
    isUnanswered: row.is_unanswered,
    answerCount: row.answer_count,
    score: row.score,
    createdAt: Math.round(Number(row.created_ms)),
  };
}

/**
 * Visible posts with everything a document needs. Answers take their question's title, tags and plain-language
 * flag (so "tag:vpn" finds answers too); a post is visible when it and (for answers) its question are not deleted.
 */
async function selectDocuments(db: Db, where: SQL, limit?: number): Promise<SearchDocument[]> {
  const result = await queryRows<DocumentRow>(
    db,
    sql`
    select p.id, p.kind, p.title, q.title as parent_title, p.body_html, p.summary, p.applies_to, p.prerequisites_html, p.steps,
      p.parent_id, p.space_id, s.slug as space_slug, s.name as space_name,
      case when p.is_anonymous or (q.is_anonymous and q.author_id = p.author_id) then ${ANONYMOUS_AUTHOR} else u.name end as author_name,
      (select coalesce(array_agg(t.slug order by t.slug), '{}'::text[]) from post_tags pt join tags t on t.id = pt.tag_id
        where pt.post_id = coalesce(p.parent_id, p.id)) as tags,
      case when p.kind = 'answer' then coalesce(q.is_plain_language, false) else p.is_plain_language end as is_plain_language,
      case when p.kind = 'question' then p.accepted_answer_id is not null
           when p.kind = 'answer' then q.accepted_answer_id is not distinct from p.id else false end as is_solved,
      (p.kind = 'question' and ${isWaitingForAnswer(post)}) as is_unanswered,
      case when p.kind = 'question' then p.answer_count else 0 end as answer_count,
      case when p.kind = 'howto' then p.helpful_yes - p.helpful_no else p.score end as score,
      (extract(epoch from p.created_at) * 1000)::float8 as created_ms
    from posts p
    join spaces s on s.id = p.space_id
    join users u on u.id = p.author_id
    left join posts q on q.id = p.parent_id
    where p.deleted_at is null
      and (p.kind <> 'answer' or (q.id is not null and q.deleted_at is null))
      and ${NOT_CLOSED_DUPLICATE}
      and ${where}
    order by p.id
    ${limit === undefined ? sql`` : sql`limit ${limit}`}
  `,
  );
  return result.map(toDocument);
}

type SessionDocumentRow = {
  id: number;
  session_id: number;
  body: string;
  answer_html: string | null;
  session_title: string;
  space_id: number;
  space_slug: string;
  space_name: string;
  tags: string[] | null;
  host_name: string;
  votes: number;
  answered_ms: number | string;
};

/**
 * Answered questions of hosted Q&A sessions: the question is the title, the host's answer (and the session's title)
 * the body, the session's space and tags are theirs, the host is the author. Skipped and open questions are not indexed,
 * nor those moderation hid.
 */
async function selectSessionDocuments(db: Db, where: SQL, limit?: number): Promise<SearchDocument[]> {
  const result = await queryRows<SessionDocumentRow>(
    db,
    sql`
    select sq.id, sq.session_id, sq.body, sq.answer_html, s.title as session_title, s.space_id, sp.slug as space_slug, sp.name as space_name,
      s.tags, u.name as host_name, sq.votes, (extract(epoch from coalesce(sq.answered_at, sq.created_at)) * 1000)::float8 as answered_ms
    from session_questions sq
    join qa_sessions s on s.id = sq.session_id
    join spaces sp on sp.id = s.space_id
    join users u on u.id = s.host_id
    where sq.state = 'answered' and sq.hidden_at is null and ${where}
    order by sq.id
    ${limit === undefined ? sql`` : sql`limit ${limit}`}
  `,
  );
  return result.map((row) => ({
    id: sessionDocumentId(row.id),
    kind: "session" as const,
    title: cleanText(row.body, 300),
    body: cleanText(`${htmlToText(row.answer_html ?? "")} ${row.session_title}`),
    questionId: row.session_id,
    spaceId: row.space_id,
    spaceSlug: row.space_slug,
    spaceName: row.space_name,
    tags: [...(row.tags ?? [])].sort(),
    authorName: row.host_name,
    isPlainLanguage: false,
    isSolved: false,
    isUnanswered: false,
    answerCount: 0,
    score: row.votes,
    createdAt: Math.round(Number(row.answered_ms)),
  }));
}

function intArray(ids: number[]): string {
  return `{${ids.join(",")}}`;
}

/**
 * The documents for these ids (posts, and session answers by their negative id), and the ids that must leave the
 * index (missing, deleted, answers to a deleted question, session questions not or no longer answered, or hidden).
 */
export async function loadSearchDocuments(
  db: Db,
  documentIds: number[],
): Promise<{ documents: SearchDocument[]; missingOrHidden: number[] }> {
  const ids = [...new Set(documentIds.filter((id) => Number.isSafeInteger(id) && id !== 0))];
  if (ids.length === 0) return { documents: [], missingOrHidden: [] };
  const postIds = ids.filter((id) => sessionQuestionIdOf(id) === null);
  const sessionQuestionIds = ids.map(sessionQuestionIdOf).filter((id): id is number => id !== null);
  const documents = [
    ...(postIds.length > 0 ? await selectDocuments(db, sql`p.id = any(${intArray(postIds)}::int[])`) : []),
    ...(sessionQuestionIds.length > 0
      ? await selectSessionDocuments(db, sql`sq.id = any(${intArray(sessionQuestionIds)}::int[])`)
      : []),
  ];
  const found = new Set(documents.map((document) => document.id));
  return { documents, missingOrHidden: ids.filter((id) => !found.has(id)) };
}

/** Of these document ids, the ones readers may see now (the index can lag the database by a moment). */
export async function visibleDocumentIds(db: Db, documentIds: number[]): Promise<Set<number>> {
  const postIds = documentIds.filter((id) => id > 0);
  const sessionQuestionIds = documentIds.map(sessionQuestionIdOf).filter((id): id is number => id !== null);
  const visible = new Set<number>();
  if (postIds.length > 0) {
    const result = await queryRows<{ id: number }>(
      db,
      sql`
      select p.id from posts p left join posts q on q.id = p.parent_id
      where p.id = any(${intArray(postIds)}::int[]) and p.deleted_at is null and (p.kind <> 'answer' or (q.id is not null and q.deleted_at is null))
        and ${NOT_CLOSED_DUPLICATE}`,
    );
    for (const row of result) visible.add(row.id);
  }
  if (sessionQuestionIds.length > 0) {
    const result = await queryRows<{ id: number }>(
      db,
      sql`select id from session_questions where id = any(${intArray(sessionQuestionIds)}::int[]) and state = 'answered' and hidden_at is null`,
    );
    for (const row of result) visible.add(sessionDocumentId(row.id));
  }
  return visible;
}

/** Every visible post, then every answered session question, in batches by keyset: for rebuilding an index from scratch. */
export async function* allSearchDocuments(db: Db, batchSize = 500): AsyncGenerator<SearchDocument[]> {
  let after = 0;
  for (;;) {
    const batch = await selectDocuments(db, sql`p.id > ${after}`, batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1]?.id ?? after;
  }
  let afterQuestion = 0;
  for (;;) {
    const batch = await selectSessionDocuments(db, sql`sq.id > ${afterQuestion}`, batchSize);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    afterQuestion = sessionQuestionIdOf(batch[batch.length - 1]?.id ?? 0) ?? afterQuestion;
  }
}

/** How many documents a rebuild will index (for progress bars). */
export async function countSearchablePosts(db: Db): Promise<number> {
  const result = await queryRows<{ n: number }>(
    db,
    sql`
    select (select count(*) from posts p left join posts q on q.id = p.parent_id
      where p.deleted_at is null and (p.kind <> 'answer' or (q.id is not null and q.deleted_at is null)) and ${NOT_CLOSED_DUPLICATE})::int
      + (select count(*) from session_questions where state = 'answered' and hidden_at is null)::int as n`,
  );
  return result[0]?.n ?? 0;
}
