/**
 * A question's thread read through the query builder: the question with its answers and comments, and a viewer's
 * permissions on it. The one-query loaders the page uses (question-page.server.ts, question-viewer.server.ts) are
 * tested against these.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { comments, posts, spaces, users } from "#db/schema";
import { markdownToText } from "~/lib/markdown.server";
import { listComments } from "./comments.server";
import { publicAuthorHandle, publicAuthorName } from "./anonymity.server";
import { type Actor, can } from "./permissions.server";
import { votesBy } from "./posts.server";
import { tagsByPost } from "./tags.server";
import { viewerStateFrom } from "./question-viewer-state.server";
import type { ViewerState } from "./questions.types";
export type { PostPermissions, ViewerState } from "./questions.types";

/**
 * A question with its answers (accepted first, then score, then oldest) and the comments under each.
 * The same for every reader; with `includeDeleted` (staff only) removed posts and comments come too, marked.
 */
export async function getQuestionPage(
  db: Db,
  questionId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const [question] = await db
    .select({
      id: posts.id,
      title: posts.title,
      bodyMd: posts.bodyMd,
      bodyHtml: posts.bodyHtml,
      score: posts.score,
      answerCount: posts.answerCount,
      isPlainLanguage: posts.isPlainLanguage,
      acceptedAnswerId: posts.acceptedAnswerId,
      revisionCount: posts.revisionCount,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      deletedAt: posts.deletedAt,
      authorName: publicAuthorName,
      authorHandle: publicAuthorHandle,
      spaceId: posts.spaceId,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
      spaceArchivedAt: spaces.archivedAt,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(
      and(eq(posts.id, questionId), eq(posts.kind, "question"), includeDeleted ? undefined : isNull(posts.deletedAt)),
    )
    .limit(1);
  if (!question) return null;
  const answers = await db
    .select({
      id: posts.id,
      bodyHtml: posts.bodyHtml,
      score: posts.score,
      revisionCount: posts.revisionCount,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      deletedAt: posts.deletedAt,
      authorName: publicAuthorName,
      authorHandle: publicAuthorHandle,
      thanks: sql<number>`(select count(*) from answer_thanks t where t.answer_id = ${posts.id})::int`,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        eq(posts.parentId, questionId),
        eq(posts.kind, "answer"),
        includeDeleted ? undefined : isNull(posts.deletedAt),
      ),
    )
    .orderBy(
      desc(sql`${posts.id} = ${question.acceptedAnswerId ?? -1}`),
      desc(posts.score),
      asc(posts.createdAt),
      asc(posts.id),
    );
  const postIds = [question.id, ...answers.map((a) => a.id)];
  const [tagMap, commentRows] = await Promise.all([
    tagsByPost(db, [question.id]),
    listComments(db, postIds, { includeDeleted }),
  ]);
  const { bodyMd, ...questionFields } = question;
  return {
    question: { ...questionFields, tags: tagMap.get(question.id) ?? [], excerpt: markdownToText(bodyMd, 160) },
    answers: answers.map((a) => ({
      ...a,
      isAccepted: a.id === question.acceptedAnswerId,
      comments: commentRows.get(a.id) ?? [],
    })),
    questionComments: commentRows.get(question.id) ?? [],
  };
}
export type QuestionPageData = NonNullable<Awaited<ReturnType<typeof getQuestionPage>>>;

/** What this viewer may do on a question's page, and how they voted: the per-person part, kept out of the public page. */
export async function getViewerState(
  db: Db,
  { questionId, actor }: { questionId: number; actor: Actor },
): Promise<ViewerState | null> {
  const includeDeleted = can(actor, "post.viewDeleted");
  const rows = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      authorId: posts.authorId,
      deletedAt: posts.deletedAt,
      parentId: posts.parentId,
    })
    .from(posts)
    .where(
      and(
        sql`(${posts.id} = ${questionId} or ${posts.parentId} = ${questionId})`,
        includeDeleted ? undefined : isNull(posts.deletedAt),
      ),
    );
  if (!rows.some((r) => r.id === questionId && r.kind === "question")) return null;
  const commentRows = await db
    .select({ id: comments.id, authorId: comments.authorId })
    .from(comments)
    .where(
      inArray(
        comments.postId,
        rows.map((r) => r.id),
      ),
    );
  const myVotes = actor ? await votesBy(db, { userId: actor.id, postIds: rows.map((r) => r.id) }) : {};
  return viewerStateFrom(questionId, actor, rows, commentRows, myVotes);
}
