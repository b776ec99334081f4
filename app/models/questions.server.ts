/** Questions and their answers, as readers see them: lists per space or site-wide, and one question's thread. */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { postTags, posts, spaces, tags, users } from "#db/schema";

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
};

async function tagsByPost(db: Db, postIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>();
  if (postIds.length === 0) return map;
  const rows = await db
    .select({ postId: postTags.postId, slug: tags.slug })
    .from(postTags)
    .innerJoin(tags, eq(tags.id, postTags.tagId))
    .where(inArray(postTags.postId, postIds))
    .orderBy(asc(tags.slug));
  for (const row of rows) map.set(row.postId, [...(map.get(row.postId) ?? []), row.slug]);
  return map;
}

/** Most recently active questions first, optionally within one space. */
export async function listRecentQuestions(
  db: Db,
  { spaceId, ids, limit = 20 }: { spaceId?: number; ids?: number[]; limit?: number } = {},
): Promise<QuestionRow[]> {
  if (ids && ids.length === 0) return [];
  const rows = await db
    .select({
      id: posts.id,
      title: posts.title,
      score: posts.score,
      answerCount: posts.answerCount,
      acceptedAnswerId: posts.acceptedAnswerId,
      isPlainLanguage: posts.isPlainLanguage,
      createdAt: posts.createdAt,
      lastActivityAt: posts.lastActivityAt,
      authorName: users.name,
      authorHandle: users.handle,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(eq(posts.kind, "question"), isNull(posts.parentId), isNull(posts.deletedAt), spaceId === undefined ? undefined : eq(posts.spaceId, spaceId), ids ? inArray(posts.id, ids) : undefined))
    .orderBy(desc(posts.lastActivityAt), desc(posts.id))
    .limit(limit);
  const tagMap = await tagsByPost(db, rows.map((r) => r.id));
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
  }));
}

/** A question with its answers: the accepted answer first, then by score, then oldest first. */
export async function getQuestionThread(db: Db, questionId: number) {
  const [question] = await db
    .select({
      id: posts.id,
      title: posts.title,
      bodyHtml: posts.bodyHtml,
      bodyMd: posts.bodyMd,
      score: posts.score,
      isPlainLanguage: posts.isPlainLanguage,
      acceptedAnswerId: posts.acceptedAnswerId,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      authorName: users.name,
      authorHandle: users.handle,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(eq(posts.id, questionId), eq(posts.kind, "question"), isNull(posts.deletedAt)))
    .limit(1);
  if (!question) return null;
  const answers = await db
    .select({
      id: posts.id,
      bodyHtml: posts.bodyHtml,
      score: posts.score,
      createdAt: posts.createdAt,
      authorName: users.name,
      authorHandle: users.handle,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.parentId, questionId), isNull(posts.deletedAt)))
    .orderBy(
      desc(sql`${posts.id} = ${question.acceptedAnswerId ?? -1}`),
      desc(posts.score),
      asc(posts.createdAt),
    );
  const tagMap = await tagsByPost(db, [question.id]);
  return { question: { ...question, tags: tagMap.get(question.id) ?? [] }, answers };
}

/**
 * Plain full-text search over question titles and bodies. The search issue replaces this with the
 * SearchEngine (indexed tsvector or Meilisearch); until then it is a sequential scan, fine for small sites.
 */
export async function searchQuestions(db: Db, query: string, limit = 20): Promise<QuestionRow[]> {
  const q = query.trim().slice(0, 200);
  if (!q) return [];
  const matches = await db
    .select({ id: posts.id })
    .from(posts)
    .where(
      and(
        eq(posts.kind, "question"),
        isNull(posts.deletedAt),
        sql`to_tsvector('english', coalesce(${posts.title}, '') || ' ' || ${posts.bodyMd}) @@ websearch_to_tsquery('english', ${q})`,
      ),
    )
    .orderBy(desc(posts.score), desc(posts.id))
    .limit(limit);
  const rows = await listRecentQuestions(db, { ids: matches.map((m) => m.id), limit });
  const rank = new Map(matches.map((m, i) => [m.id, i]));
  return rows.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
}
