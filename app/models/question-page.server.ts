/**
 * The public part of a question's page in one query (question, answers with their thanks, comments, tags, sources and
 * duplicate links), with glossary terms marked once per process and change, and each term's explanation sent once per
 * page: a signed-in reader's page is rendered per request, so every query and every repeated string counts.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { glossaryNoteHtml, markGlossaryTermsShared, sharedNoteId } from "~/lib/glossary-html.server";
import { markdownToText } from "~/lib/markdown.server";
import { ANONYMOUS_NAME } from "./anonymity.server";
import type { CommentView } from "./comments.server";
import { type GlossaryEntry, type GlossaryIndex, getGlossaryIndex } from "./glossary.server";
import type { DuplicateLink, PostSource, ThreadProvenance } from "./post-sources.server";

export type QuestionPageQuestion = {
  id: number;
  title: string | null;
  bodyHtml: string;
  score: number;
  answerCount: number;
  isPlainLanguage: boolean;
  acceptedAnswerId: number | null;
  revisionCount: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  authorName: string;
  authorHandle: string | null;
  spaceId: number;
  spaceSlug: string;
  spaceName: string;
  spaceArchivedAt: Date | null;
  tags: string[];
  excerpt: string;
};

export type QuestionPageAnswer = {
  id: number;
  bodyHtml: string;
  score: number;
  revisionCount: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  authorName: string;
  authorHandle: string | null;
  thanks: number;
  isAccepted: boolean;
  comments: CommentView[];
};

export type QuestionPage = {
  question: QuestionPageQuestion;
  answers: QuestionPageAnswer[];
  questionComments: CommentView[];
  provenance: ThreadProvenance;
  /** Each glossary term used on the page, explained once (the posts' term buttons open these by id). */
  glossaryNotesHtml: string;
};

type QuestionRow = {
  id: number;
  title: string | null;
  body_md: string;
  body_html: string;
  score: number;
  answer_count: number;
  is_plain_language: boolean;
  accepted_answer_id: number | null;
  revision_count: number;
  created_at: Date | string;
  updated_at: Date | string;
  deleted_at: Date | string | null;
  author_name: string;
  author_handle: string | null;
  space_id: number;
  space_slug: string;
  space_name: string;
  space_archived_at: Date | string | null;
  tags: string[] | null;
  // [id, bodyHtml, score, revisionCount, createdMs, updatedMs, deletedMs, authorName, authorHandle, thanks]
  answers: [number, string, number, number, number, number, number | null, string, string | null, number][] | null;
  // [id, postId, bodyHtml, createdMs, deletedMs, authorName, authorHandle]
  comments: [number, number, string, number, number | null, string, string | null][] | null;
  // [postId, url, authorName, authorUrl, license]
  sources: [number, string, string, string | null, string][] | null;
  duplicates: DuplicateLink[] | null;
};

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const toDateOrNull = (value: Date | string | null) => (value === null ? null : toDate(value));
const fromMs = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Everything public on a question's page, or null when there is no such question (or it is deleted and the reader
 * isn't staff). Answers come accepted first, then by score, then oldest; comments oldest first.
 */
export async function loadQuestionPage(
  db: Db,
  questionId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
): Promise<QuestionPage | null> {
  // Times inside the JSON parts travel as epoch milliseconds: exact, and independent of the session's time zone.
  const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
  const [row] = await queryRows<QuestionRow>(
    db,
    sql`
    with q as (
      select p.id, p.title, p.body_md, p.body_html, p.score, p.answer_count, p.is_plain_language, p.accepted_answer_id,
        p.revision_count, p.created_at, p.updated_at, p.deleted_at,
        case when p.is_anonymous then ${ANONYMOUS_NAME} else u.name end as author_name,
        case when p.is_anonymous then null else u.handle end as author_handle,
        p.is_anonymous, p.author_id, p.space_id, s.slug as space_slug, s.name as space_name, s.archived_at as space_archived_at
      from posts p join users u on u.id = p.author_id join spaces s on s.id = p.space_id
      where p.id = ${questionId} and p.kind = 'question' and (${includeDeleted}::boolean or p.deleted_at is null)
    ),
    a as (
      select p.id, p.body_html, p.score, p.revision_count, p.created_at, p.updated_at, p.deleted_at,
        case when q.is_anonymous and p.author_id = q.author_id then ${ANONYMOUS_NAME} else u.name end as name,
        case when q.is_anonymous and p.author_id = q.author_id then null else u.handle end as handle, (select count(*) from answer_thanks t where t.answer_id = p.id)::int as thanks
      from posts p join users u on u.id = p.author_id cross join q
      where p.parent_id = ${questionId} and p.kind = 'answer' and (${includeDeleted}::boolean or p.deleted_at is null)
    ),
    thread as (select id from q union all select id from a)
    select q.*,
      (select array_agg(t.slug order by t.slug) from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = q.id)
        as tags,
      (select json_agg(json_build_array(a.id, a.body_html, a.score, a.revision_count, ${ms("a.created_at")},
          ${ms("a.updated_at")}, ${ms("a.deleted_at")}, a.name, a.handle, a.thanks)
        order by a.id = coalesce(q.accepted_answer_id, -1) desc, a.score desc, a.created_at, a.id) from a) as answers,
      (select json_agg(json_build_array(c.id, c.post_id, c.body_html, ${ms("c.created_at")}, ${ms("c.deleted_at")},
          case when q.is_anonymous and c.author_id = q.author_id then ${ANONYMOUS_NAME} else u.name end,
          case when q.is_anonymous and c.author_id = q.author_id then null else u.handle end)
          order by c.created_at, c.id)
        from comments c join users u on u.id = c.author_id
        where c.post_id in (select id from thread) and (${includeDeleted}::boolean or c.deleted_at is null)) as comments,
      (select json_agg(json_build_array(s.post_id, s.url, s.author_name, s.author_url, s.license))
        from post_sources s where s.post_id in (select id from thread)) as sources,
      (select json_agg(json_build_object('id', d.id, 'title', d.title) order by l.created_at, d.id)
        from post_links l join posts d on d.id = l.related_post_id
        where l.post_id = q.id and l.kind = 'duplicate' and d.deleted_at is null and d.kind = 'question') as duplicates
    from q`,
  );
  if (!row) return null;

  const commentsByPost = new Map<number, CommentView[]>();
  for (const [id, postId, bodyHtml, createdMs, deletedMs, authorName, authorHandle] of row.comments ?? []) {
    const list = commentsByPost.get(postId) ?? [];
    list.push({ id, bodyHtml, createdAt: new Date(createdMs), deletedAt: fromMs(deletedMs), authorName, authorHandle });
    commentsByPost.set(postId, list);
  }
  const glossary = await getGlossaryIndex(db);
  const used = new Map<string, GlossaryEntry>();
  const question: QuestionPageQuestion = {
    id: row.id,
    title: row.title,
    bodyHtml: markedHtml(glossary, row.id, row.body_html, used),
    score: row.score,
    answerCount: row.answer_count,
    isPlainLanguage: row.is_plain_language,
    acceptedAnswerId: row.accepted_answer_id,
    revisionCount: row.revision_count,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: toDateOrNull(row.deleted_at),
    authorName: row.author_name,
    authorHandle: row.author_handle,
    spaceId: row.space_id,
    spaceSlug: row.space_slug,
    spaceName: row.space_name,
    spaceArchivedAt: toDateOrNull(row.space_archived_at),
    tags: row.tags ?? [],
    excerpt: markdownToText(row.body_md, 160),
  };
  const answers = (row.answers ?? []).map(
    ([id, bodyHtml, score, revisionCount, createdMs, updatedMs, deletedMs, authorName, authorHandle, thanks]) => ({
      id,
      bodyHtml: markedHtml(glossary, id, bodyHtml, used),
      score,
      revisionCount,
      createdAt: new Date(createdMs),
      updatedAt: new Date(updatedMs),
      deletedAt: fromMs(deletedMs),
      authorName,
      authorHandle,
      thanks,
      isAccepted: id === row.accepted_answer_id,
      comments: commentsByPost.get(id) ?? [],
    }),
  );
  const sources: Record<number, PostSource> = {};
  for (const [postId, url, authorName, authorUrl, license] of row.sources ?? [])
    sources[postId] = { url, authorName, authorUrl, license };
  return {
    question,
    answers,
    questionComments: commentsByPost.get(row.id) ?? [],
    provenance: { sources, duplicateOf: row.duplicates ?? [] },
    glossaryNotesHtml: [...used.values()].map((entry) => glossaryNoteHtml(entry, sharedNoteId(entry.slug))).join(""),
  };
}

type Marked = { source: string; html: string; entries: GlossaryEntry[] };
/** Marked post HTML per glossary version and post, so a busy thread isn't scanned for terms on every request. */
const markedCache = new WeakMap<GlossaryIndex, Map<number, Marked>>();
const MARKED_MAX_POSTS = 20_000;

function markedHtml(glossary: GlossaryIndex, postId: number, source: string, used: Map<string, GlossaryEntry>): string {
  let posts = markedCache.get(glossary);
  if (!posts) {
    posts = new Map();
    markedCache.set(glossary, posts);
  }
  let marked = posts.get(postId);
  if (marked?.source !== source) {
    const found = new Map<string, GlossaryEntry>();
    marked = {
      source,
      html: markGlossaryTermsShared(source, glossary.htmlMatcher, found),
      entries: [...found.values()],
    };
    if (posts.size >= MARKED_MAX_POSTS) posts.clear();
    posts.set(postId, marked);
  }
  for (const entry of marked.entries) used.set(entry.slug, entry);
  return marked.html;
}

/** The ids of a question's answers and comments everyone sees (as on its public page), to tell a reader what is new. */
export type ThreadIds = { answers: number[]; comments: number[] };

/**
 * What a question's public page would show now, by id: its answers and the comments on it and on those answers, none
 * deleted or held. An open page compares them with its own when its live stream (re)connects.
 */
export async function loadThreadIds(db: Db, questionId: number): Promise<ThreadIds> {
  const [row] = await queryRows<{ answers: number[] | null; comments: number[] | null }>(
    db,
    sql`
    with thread as (
      select id from posts where id = ${questionId} and kind = 'question' and deleted_at is null
      union all
      select id from posts where parent_id = ${questionId} and kind = 'answer' and deleted_at is null
    )
    select
      (select array_agg(id order by id) from thread where id <> ${questionId}) as answers,
      (select array_agg(c.id order by c.id) from comments c
        where c.post_id in (select id from thread) and c.deleted_at is null) as comments`,
  );
  return { answers: row?.answers ?? [], comments: row?.comments ?? [] };
}
