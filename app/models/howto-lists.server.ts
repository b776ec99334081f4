/** How-to lists (sorted keyset pages, helpfulness ranking), related content, and a how-to's revision history. */
import { type SQL, and, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type Difficulty, postTags, posts, spaces, tags, users } from "#db/schema";
import type { HowtoSort } from "~/lib/howtos";
import { decodeListCursor, encodeListCursor } from "./list-cursors.server";
import { getPostMeta } from "./posts.server";
import { listRevisions, newDiffBudget } from "./revisions.server";
import { tagsByPost } from "./tags.server";
import { isCursorTimestamp } from "~/lib/ids";
import { type FieldDiff, diffHowtoContent } from "./howto-suggestions.server";

export type HowtoRow = {
  id: number;
  title: string;
  summary: string;
  appliesTo: string | null;
  difficulty: Difficulty | null;
  estimatedMinutes: number | null;
  stepCount: number;
  helpfulYes: number;
  helpfulNo: number;
  isPlainLanguage: boolean;
  createdAt: Date;
  author: { name: string; handle: string | null };
  space: { slug: string; name: string };
  tags: string[];
};

/**
 * "Most helpful" ranks by the lower bound of the Wilson score interval (95%) of the yes share, in millionths,
 * so one lone "yes" does not outrank 40 yes and 2 no. An integer, so keyset cursors compare exactly.
 */
const helpfulRank: SQL<number> = sql<number>`(case when ${posts.helpfulYes} + ${posts.helpfulNo} = 0 then 0 else floor(1000000 * (
  (${posts.helpfulYes}::float8 + 1.9208) / (${posts.helpfulYes} + ${posts.helpfulNo})
  - 1.96 * sqrt(${posts.helpfulYes}::float8 * ${posts.helpfulNo} / (${posts.helpfulYes} + ${posts.helpfulNo}) + 0.9604)
    / (${posts.helpfulYes} + ${posts.helpfulNo})
) / (1 + 3.8416 / (${posts.helpfulYes} + ${posts.helpfulNo}))) end)::integer`;

/** The same ranking in JavaScript, for tests and displays. */
export function wilsonLowerBound(yes: number, no: number): number {
  const n = yes + no;
  if (n === 0) return 0;
  const z = 1.96;
  return ((yes + (z * z) / 2) / n - (z / n) * Math.sqrt((yes * no) / n + (z * z) / 4)) / (1 + (z * z) / n);
}

/** How-to list keys: a rank for "helpful", a timestamp for "newest". */
const isHowtoKey = (sort: HowtoSort) => (key: string) =>
  sort === "helpful" ? /^\d{1,7}$/.test(key) : isCursorTimestamp(key);

export type HowtoListOptions = {
  spaceId?: number;
  sort: HowtoSort;
  /** From a previous page's nextCursor. */
  cursor?: string | null;
  limit: number;
  /** Only how-tos written in plain language for business colleagues. */
  plainOnly?: boolean;
  tag?: string | null;
};

/** One page of how-tos, newest or most helpful first; keyset pages on (sort key, id), so pages never repeat or skip. */
export async function listHowtos(
  db: Db,
  options: HowtoListOptions,
): Promise<{ howtos: HowtoRow[]; nextCursor: string | null }> {
  const { sort } = options;
  const limit = Math.min(Math.max(Math.trunc(options.limit) || 20, 1), 100);
  const keyOf: SQL<string> =
    sort === "helpful"
      ? sql<string>`${helpfulRank}::text`
      : sql<string>`to_char(${posts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const sortExpr: SQL = sort === "helpful" ? helpfulRank : sql`${posts.createdAt}`;
  const cursor = decodeListCursor(options.cursor, sort, isHowtoKey(sort));
  const conditions: (SQL | undefined)[] = [eq(posts.kind, "howto"), isNull(posts.deletedAt)];
  if (options.spaceId !== undefined) conditions.push(eq(posts.spaceId, options.spaceId));
  if (options.plainOnly) conditions.push(eq(posts.isPlainLanguage, true));
  if (options.tag)
    conditions.push(
      sql`exists (select 1 from ${postTags} pt join ${tags} t on t.id = pt.tag_id where pt.post_id = ${posts.id} and t.slug = ${options.tag})`,
    );
  if (cursor) {
    const key = sort === "helpful" ? sql`${Number(cursor.key)}::integer` : sql`${cursor.key}::timestamptz`;
    conditions.push(sql`(${sortExpr}, ${posts.id}) < (${key}, ${cursor.id}::integer)`);
  }
  const rows = await db
    .select({
      id: posts.id,
      title: posts.title,
      summary: posts.summary,
      appliesTo: posts.appliesTo,
      difficulty: posts.difficulty,
      estimatedMinutes: posts.estimatedMinutes,
      stepCount: sql<number>`coalesce(jsonb_array_length(${posts.steps}), 0)`.mapWith(Number),
      helpfulYes: posts.helpfulYes,
      helpfulNo: posts.helpfulNo,
      isPlainLanguage: posts.isPlainLanguage,
      createdAt: posts.createdAt,
      authorName: users.name,
      authorHandle: users.handle,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
      sortKey: keyOf,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(...conditions))
    .orderBy(desc(sortExpr), desc(posts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeListCursor({ sort, key: last.sortKey, id: last.id }) : null;
  const tagMap = await tagsByPost(
    db,
    page.map((r) => r.id),
  );
  return {
    howtos: page.map((r) => ({
      id: r.id,
      title: r.title ?? "(untitled)",
      summary: r.summary ?? "",
      appliesTo: r.appliesTo,
      difficulty: r.difficulty,
      estimatedMinutes: r.estimatedMinutes,
      stepCount: r.stepCount,
      helpfulYes: r.helpfulYes,
      helpfulNo: r.helpfulNo,
      isPlainLanguage: r.isPlainLanguage,
      createdAt: r.createdAt,
      author: { name: r.authorName, handle: r.authorHandle },
      space: { slug: r.spaceSlug, name: r.spaceName },
      tags: tagMap.get(r.id) ?? [],
    })),
    nextCursor,
  };
}

export type RelatedItem = {
  kind: "howto" | "question";
  id: number;
  title: string;
  isPlainLanguage: boolean;
  sharedTags: number;
};

/** How-tos and questions (in any space) sharing the most tags with this post; most shared first, then best rated. */
export async function listRelatedContent(
  db: Db,
  howtoId: number,
  limit = 6,
  kinds: RelatedItem["kind"][] = ["howto", "question"],
): Promise<RelatedItem[]> {
  const shared = sql<number>`count(*)`.mapWith(Number);
  const rows = await db
    .select({ id: posts.id, kind: posts.kind, title: posts.title, isPlainLanguage: posts.isPlainLanguage, shared })
    .from(postTags)
    .innerJoin(posts, eq(posts.id, postTags.postId))
    .where(
      and(
        inArray(posts.kind, kinds),
        isNull(posts.parentId),
        isNull(posts.deletedAt),
        ne(posts.id, howtoId),
        sql`${postTags.tagId} in (select tag_id from ${postTags} where post_id = ${howtoId})`,
      ),
    )
    .groupBy(posts.id)
    .orderBy(desc(shared), desc(sql`${posts.score} + ${posts.helpfulYes} - ${posts.helpfulNo}`), desc(posts.id))
    .limit(limit);
  return rows.map((r) => ({
    kind: r.kind === "howto" ? "howto" : "question",
    id: r.id,
    title: r.title ?? "(untitled)",
    isPlainLanguage: r.isPlainLanguage,
    sharedTags: r.shared,
  }));
}

export type HowtoRevisionView = {
  number: number;
  note: string;
  createdAt: Date;
  editorName: string | null;
  editorHandle: string | null;
  /** The first revision: every field shown whole; later ones: only the changed fields, as word diffs. */
  changes: FieldDiff[];
};

/** Every revision of a how-to, newest first, each diffed against the one before (title, summary, meta, steps, tags). */
export async function getHowtoRevisionHistory(
  db: Db,
  howtoId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto" || (post.deletedAt && !includeDeleted)) return null;
  const revisions = await listRevisions(db, howtoId);
  // One allowance of diff work for the whole page, spent newest first: the versions read first get the finest diffs.
  const budget = newDiffBudget();
  const views: HowtoRevisionView[] = revisions
    .map((r, i) => ({ r, previous: revisions[i - 1] }))
    .reverse()
    .map(({ r, previous }) => ({
      number: r.number,
      note: r.note,
      createdAt: r.createdAt,
      editorName: r.editorName,
      editorHandle: r.editorHandle,
      changes: diffHowtoContent(previous?.content ?? null, r.content, budget),
    }));
  return {
    howto: { id: post.id, title: post.title ?? "(untitled)", isDeleted: post.deletedAt !== null },
    revisions: views,
  };
}
