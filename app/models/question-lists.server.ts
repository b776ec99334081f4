/**
 * Question lists readers browse: recent questions, sorted keyset pages with cursors, and related questions; a closed
 * question is listed as closed (and a closed duplicate with the original its page sends readers to).
 */
import { type SQL, and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { type CloseReason, postTags, posts, questionClosures, spaces, tags, users } from "#db/schema";
import type { QuestionSort, TopPeriod } from "~/lib/qa";
import { publicAuthorHandle, publicAuthorName } from "./anonymity.server";
import { resolveOriginal } from "./closure.server";
import { tagsByPost } from "./tags.server";
import { type ListCursor, decodeListCursor, encodeListCursor } from "./list-cursors.server";
import { isCursorTimestamp } from "~/lib/ids";

/** Why a listed question is closed; for a duplicate, the original its page sends readers to (null when gone). */
export type ListedClosure = { reason: CloseReason; original: { id: number; title: string } | null };

export type QuestionRow = {
  id: number;
  title: string;
  score: number;
  answerCount: number;
  isSolved: boolean;
  isPlainLanguage: boolean;
  createdAt: Date;
  lastActivityAt: Date;
  author: { name: string; handle: string | null };
  space: { slug: string; name: string };
  tags: string[];
  /** Null while the question is open. */
  closure: ListedClosure | null;
};

const rowColumns = {
  id: posts.id,
  title: posts.title,
  score: posts.score,
  answerCount: posts.answerCount,
  acceptedAnswerId: posts.acceptedAnswerId,
  isPlainLanguage: posts.isPlainLanguage,
  createdAt: posts.createdAt,
  lastActivityAt: posts.lastActivityAt,
  authorName: publicAuthorName,
  authorHandle: publicAuthorHandle,
  spaceSlug: spaces.slug,
  spaceName: spaces.name,
};
type RawRow = {
  id: number;
  title: string | null;
  score: number;
  answerCount: number;
  acceptedAnswerId: number | null;
  isPlainLanguage: boolean;
  createdAt: Date;
  lastActivityAt: Date;
  authorName: string;
  authorHandle: string | null;
  spaceSlug: string;
  spaceName: string;
};

/** How each closed question among `ids` was closed; a duplicate's original is followed as its page follows it. */
async function closuresOf(db: Db, ids: number[]): Promise<Map<number, ListedClosure>> {
  const closures = new Map<number, ListedClosure>();
  if (ids.length === 0) return closures;
  const closed = await db
    .select({ id: questionClosures.questionId, reason: questionClosures.reason })
    .from(questionClosures)
    .where(inArray(questionClosures.questionId, ids));
  // Closing is rare: a page holds a closed duplicate or two at most, so one lookup each is cheap.
  for (const row of closed)
    closures.set(row.id, {
      reason: row.reason,
      original: row.reason === "duplicate" ? await resolveOriginal(db, row.id) : null,
    });
  return closures;
}

async function toQuestionRows(db: Db, rows: RawRow[]): Promise<QuestionRow[]> {
  const ids = rows.map((r) => r.id);
  const tagMap = await tagsByPost(db, ids);
  const closures = await closuresOf(db, ids);
  return rows.map((r) => ({
    id: r.id,
    title: r.title ?? "(untitled)",
    score: r.score,
    answerCount: r.answerCount,
    isSolved: r.acceptedAnswerId !== null,
    isPlainLanguage: r.isPlainLanguage,
    createdAt: r.createdAt,
    lastActivityAt: r.lastActivityAt,
    author: { name: r.authorName, handle: r.authorHandle },
    space: { slug: r.spaceSlug, name: r.spaceName },
    tags: tagMap.get(r.id) ?? [],
    closure: closures.get(r.id) ?? null,
  }));
}

const visibleQuestion = and(eq(posts.kind, "question"), isNull(posts.parentId), isNull(posts.deletedAt));

/**
 * Still waiting for an answer: none yet, and not closed (a closed question takes no answers; a reopened one has no
 * closure row, so it is back), as the pulse's backlog counts them. The one rule of "unanswered": this list's sort and
 * search's unanswered filter (app/search/documents.server.ts, over its own alias of posts) both use it.
 */
export function isWaitingForAnswer(question: { id: AnyPgColumn; answerCount: AnyPgColumn } = posts): SQL {
  return sql`(${question.answerCount} = 0 and not exists (select 1 from ${questionClosures} qc where qc.question_id = ${question.id}))`;
}

/** Most recently active questions first, optionally within one space or among given ids. */
export async function listRecentQuestions(
  db: Db,
  { spaceId, ids, limit = 20 }: { spaceId?: number; ids?: number[]; limit?: number } = {},
): Promise<QuestionRow[]> {
  if (ids && ids.length === 0) return [];
  const rows = await db
    .select(rowColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(
      and(
        visibleQuestion,
        spaceId === undefined ? undefined : eq(posts.spaceId, spaceId),
        ids ? inArray(posts.id, ids) : undefined,
      ),
    )
    // "nulls last" so the order matches the activity indexes (else every question is read and sorted).
    .orderBy(sql`${posts.lastActivityAt} desc nulls last`, sql`${posts.id} desc nulls last`)
    .limit(limit);
  return toQuestionRows(db, rows);
}

export type QuestionListOptions = {
  spaceId?: number;
  tag?: string | null;
  sort?: QuestionSort;
  period?: TopPeriod;
  /** Opaque cursors from a previous page: `after` = the next page, `before` = the previous one. */
  after?: string | null;
  before?: string | null;
  limit?: number;
  now?: Date;
};
export type QuestionPage = { questions: QuestionRow[]; nextCursor: string | null; prevCursor: string | null };

/** Question list keys: a score for "top", a timestamp for the rest. */
const isQuestionKey = (sort: QuestionSort) => (key: string) =>
  sort === "top" ? /^-?\d{1,9}$/.test(key) : isCursorTimestamp(key);

/** The cursor of a question list page, or null when it is unreadable, tampered or of another sort. */
export function decodeQuestionCursor(
  raw: string | null | undefined,
  sort: QuestionSort,
): ListCursor<QuestionSort> | null {
  return decodeListCursor(raw, sort, isQuestionKey(sort));
}

const PERIOD_DAYS: Record<TopPeriod, number | null> = { week: 7, month: 30, all: null };

/**
 * One page of questions: newest (asked), active (last answer or edit), unanswered (no visible answers and not
 * closed, newest first) or top (score, within a week, month or all time). Keyset pagination on (sort key, id),
 * so pages never repeat or skip a question while the list is unchanged, however deep the reader goes.
 */
export async function listQuestions(db: Db, options: QuestionListOptions = {}): Promise<QuestionPage> {
  const sort = options.sort ?? "active";
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const sortColumn = sort === "top" ? posts.score : sort === "active" ? posts.lastActivityAt : posts.createdAt;
  const keyOf: SQL<string> =
    sort === "top"
      ? sql<string>`${posts.score}::text`
      : sql<string>`to_char(${sortColumn} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const before = decodeQuestionCursor(options.before, sort);
  const after = before ? null : decodeQuestionCursor(options.after, sort);
  const cursor = before ?? after;
  const keyParam = (key: string) => (sort === "top" ? sql`${Number(key)}::integer` : sql`${key}::timestamptz`);
  const conditions: (SQL | undefined)[] = [visibleQuestion];
  if (options.spaceId !== undefined) conditions.push(eq(posts.spaceId, options.spaceId));
  if (options.tag)
    conditions.push(
      sql`exists (select 1 from ${postTags} pt join ${tags} t on t.id = pt.tag_id where pt.post_id = ${posts.id} and t.slug = ${options.tag})`,
    );
  if (sort === "unanswered") conditions.push(isWaitingForAnswer());
  const days = sort === "top" ? PERIOD_DAYS[options.period ?? "all"] : null;
  if (days !== null)
    conditions.push(
      sql`${posts.createdAt} >= ${new Date((options.now ?? new Date()).getTime() - days * 86_400_000).toISOString()}::timestamptz`,
    );
  if (after) conditions.push(sql`(${sortColumn}, ${posts.id}) < (${keyParam(after.key)}, ${after.id}::integer)`);
  if (before) conditions.push(sql`(${sortColumn}, ${posts.id}) > (${keyParam(before.key)}, ${before.id}::integer)`);
  // "nulls last" (the columns are never null) so the order matches the indexes drizzle-kit generates.
  const order = before
    ? [sql`${sortColumn} asc nulls first`, sql`${posts.id} asc nulls first`]
    : [sql`${sortColumn} desc nulls last`, sql`${posts.id} desc nulls last`];
  const fetched = await db
    .select({ ...rowColumns, sortKey: keyOf })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(limit + 1);
  const hasMore = fetched.length > limit;
  const page = fetched.slice(0, limit);
  if (before) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const edge = (row: { sortKey: string; id: number } | undefined) =>
    row ? encodeListCursor({ sort, key: row.sortKey, id: row.id }) : null;
  // Going back, there is always a later page (the one we came from); going forward, always an earlier one.
  const nextCursor = before ? edge(last) : hasMore ? edge(last) : null;
  const prevCursor = before ? (hasMore ? edge(first) : null) : cursor ? edge(first) : null;
  return { questions: await toQuestionRows(db, page), nextCursor, prevCursor };
}

/** Questions in the same space sharing the most tags with this one (most shared first, then score). */
export async function listRelatedQuestions(
  db: Db,
  questionId: number,
  limit = 5,
  knownSpaceId?: number,
): Promise<QuestionRow[]> {
  // The question's page already knows its space: one query fewer.
  const [question] =
    knownSpaceId === undefined
      ? await db.select({ spaceId: posts.spaceId }).from(posts).where(eq(posts.id, questionId)).limit(1)
      : [{ spaceId: knownSpaceId }];
  if (!question) return [];
  const shared = sql<number>`count(*)`.mapWith(Number);
  const matches = await db
    .select({ id: posts.id, shared })
    .from(postTags)
    .innerJoin(posts, eq(posts.id, postTags.postId))
    .where(
      and(
        visibleQuestion,
        eq(posts.spaceId, question.spaceId),
        ne(posts.id, questionId),
        sql`${postTags.tagId} in (select tag_id from ${postTags} where post_id = ${questionId})`,
      ),
    )
    .groupBy(posts.id)
    .orderBy(desc(shared), desc(posts.score), desc(posts.id))
    .limit(limit);
  const rank = new Map(matches.map((m, i) => [m.id, i]));
  const rows = await listRecentQuestions(db, { ids: matches.map((m) => m.id), limit });
  return rows.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
}
