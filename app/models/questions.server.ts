/** Questions: asking and editing them, the lists readers browse (keyset pages), one question's page, votes, deleting and history. */
import { type SQL, and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { type PostKind, comments, postTags, posts, spaces, tags, users } from "#db/schema";
import { markdownToText, renderMarkdown } from "~/lib/markdown.server";
import type { QuestionSort, TopPeriod } from "~/lib/qa";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { follow, newPostTargets, notifyFollowers, notifyMentions } from "./notifications.server";
import { listComments } from "./comments.server";
import { publicAuthorHandle, publicAuthorName } from "./anonymity.server";
import { once } from "./idempotency.server";
import { type Actor, can } from "./permissions.server";
import { PostRuleError, castVote, getPostMeta, restorePost, softDeletePost, votesBy } from "./posts.server";
import { PostingError, assertCan } from "./post-errors.server";
import {
  editNoteField,
  questionBodyField,
  spaceIdField,
  tagsFieldFor,
  titleField,
  validate,
} from "./post-fields.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { type DiffPart, diffWords, listRevisions, recordRevision } from "./revisions.server";
import { recordModeration } from "./moderation.server";
import { refreshQuestionFacts } from "./pulse.server";
import { setPostTags, tagsByPost, tagsOfPost } from "./tags.server";
import { requireOpenSpace } from "./spaces.server";
import { type ListCursor, decodeListCursor, encodeListCursor } from "./list-cursors.server";
import { screenNewContent } from "./spam.server";
import { isCursorTimestamp } from "~/lib/ids";
import { viewerStateFrom } from "./question-viewer-state.server";

export { PostingError } from "./post-errors.server";

// ---------- asking and editing ----------

/** A question's fields; tags may be left out of plain-language questions only. */
const questionSchema = (isPlainLanguage: boolean) =>
  z.object({
    spaceId: spaceIdField,
    title: titleField,
    body: questionBodyField,
    tags: tagsFieldFor(isPlainLanguage),
    isPlainLanguage: z.boolean().default(false),
  });

export type QuestionInput = {
  spaceId: number | string;
  title: string;
  body: string;
  tags: string | string[];
  isPlainLanguage: boolean;
};

/**
 * Asks a question: validates, then (once per idempotency key, so a double submit creates one question)
 * counts against the asker's hourly limit, stores it with revision #1, and queues it for search.
 */
export async function askQuestion(
  db: Db,
  input: QuestionInput & { actor: Actor; idempotencyKey?: string; now?: Date; isAnonymous?: boolean },
): Promise<{ questionId: number; isRepeat: boolean }> {
  const { actor } = input;
  assertCan(actor, "question.create");
  const isAnonymous = input.isAnonymous === true;
  if (isAnonymous) assertCan(actor, "question.askAnonymously");
  const fields = validate(questionSchema(input.isPlainLanguage === true), input);
  await requireOpenSpace(db, fields.spaceId, "question");
  const now = input.now ?? new Date();
  const create = async (tx: Db) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "question", now });
    const [post] = await tx
      .insert(posts)
      .values({
        kind: "question",
        spaceId: fields.spaceId,
        authorId: actor.id,
        title: fields.title,
        bodyMd: fields.body,
        bodyHtml: renderMarkdown(fields.body),
        isPlainLanguage: fields.isPlainLanguage,
        isAnonymous,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: posts.id });
    if (!post) throw new Error("question insert returned nothing");
    await setPostTags(tx, post.id, fields.tags);
    await recordRevision(tx, {
      postId: post.id,
      editorId: actor.id,
      content: { title: fields.title, bodyMd: fields.body, tags: fields.tags },
    });
    await enqueueSearchUpdate(tx, [post.id]);
    await refreshQuestionFacts(tx, [post.id]);
    // The asker hears of answers and comments; people following the space, a tag or the asker hear of the question.
    await follow(tx, actor.id, { type: "question", key: String(post.id) });
    await notifyMentions(tx, { actorId: actor.id, postId: post.id }, fields.body);
    // An anonymous question is not announced to the asker's followers: that alone would name them.
    const targets = (await newPostTargets(tx, post.id)).filter((target) => !isAnonymous || target.type !== "user");
    await notifyFollowers(tx, { kind: "new_post", actorId: actor.id, postId: post.id }, targets);
    // Last: a held question is hidden and its announcements withdrawn before anyone sees them.
    await screenNewContent(tx, { type: "post", id: String(post.id) });
    return { questionId: post.id };
  };
  if (input.idempotencyKey) {
    const { result, isRepeat } = await once(db, { userId: actor.id, key: input.idempotencyKey }, create);
    return { questionId: result.questionId, isRepeat };
  }
  return { ...(await db.transaction(create)), isRepeat: false };
}

/** What an edit form starts from: the post's current editable fields, and what permission checks need. */
export async function getPostForEditing(db: Db, postId: number) {
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      parentId: posts.parentId,
      authorId: posts.authorId,
      spaceId: posts.spaceId,
      title: posts.title,
      bodyMd: posts.bodyMd,
      isPlainLanguage: posts.isPlainLanguage,
      deletedAt: posts.deletedAt,
      revisionCount: posts.revisionCount,
    })
    .from(posts)
    .where(eq(posts.id, postId))
    .limit(1);
  if (!post) return null;
  const [question] =
    post.parentId !== null
      ? await db.select({ id: posts.id, title: posts.title }).from(posts).where(eq(posts.id, post.parentId)).limit(1)
      : [];
  return { ...post, tags: await tagsOfPost(db, post.id), question: question ?? { id: post.id, title: post.title } };
}

/**
 * Moves a question (and its answers) to another space: moderators tidy up where a question was asked. Its numbers
 * on /pulse move with it (a question counts for the space it is in now).
 */
export async function moveQuestion(
  db: Db,
  { questionId, spaceId, actor, reason = "" }: { questionId: number; spaceId: number; actor: Actor; reason?: string },
): Promise<{ fromSpaceId: number }> {
  assertCan(actor, "question.move", undefined, "Only moderators can move questions between spaces.");
  const [question] = await db
    .select({ id: posts.id, kind: posts.kind, spaceId: posts.spaceId, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, questionId))
    .limit(1);
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  await requireOpenSpace(db, spaceId, "question");
  if (question.spaceId === spaceId)
    throw new PostingError("The question is already in that space.", { spaceId: "Choose a different space." });
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(posts)
      .set({ spaceId })
      .where(sql`${posts.id} = ${question.id} or ${posts.parentId} = ${question.id}`)
      .returning({ id: posts.id });
    await enqueueSearchUpdate(
      tx,
      moved.map((row) => row.id),
    );
    await refreshQuestionFacts(tx, [question.id]);
    await recordModeration(tx, {
      actorId: actor!.id,
      action: "question.move",
      targetType: "question",
      targetId: String(question.id),
      reason,
      details: { from: question.spaceId, to: spaceId },
    });
  });
  return { fromSpaceId: question.spaceId };
}

/** Edits a question (its author, or staff): the new content becomes the next revision, with the editor's note. */
export async function editQuestion(
  db: Db,
  input: Omit<QuestionInput, "spaceId"> & { questionId: number; actor: Actor; note?: string; now?: Date },
): Promise<{ revision: number }> {
  const current = await getPostForEditing(db, input.questionId);
  if (current?.kind !== "question" || current.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  const { actor } = input;
  assertCan(actor, "post.edit", { ownerId: current.authorId }, "You can only edit your own questions.");
  const fields = validate(
    questionSchema(input.isPlainLanguage === true)
      .omit({ spaceId: true })
      .extend({ note: editNoteField }),
    input,
  );
  const isUnchanged =
    fields.title === current.title &&
    fields.body === current.bodyMd &&
    fields.isPlainLanguage === current.isPlainLanguage &&
    fields.tags.join(",") === current.tags.join(",");
  if (isUnchanged)
    throw new PostingError("You haven't changed anything yet.", {
      body: "Nothing changed: edit the title, body or tags, then save.",
    });
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "edit", now });
    await tx
      .update(posts)
      .set({
        title: fields.title,
        bodyMd: fields.body,
        bodyHtml: renderMarkdown(fields.body),
        isPlainLanguage: fields.isPlainLanguage,
        updatedAt: now,
        lastActivityAt: now,
      })
      .where(eq(posts.id, current.id));
    await setPostTags(tx, current.id, fields.tags);
    const revision = await recordRevision(tx, {
      postId: current.id,
      editorId: actor.id,
      note: fields.note,
      content: { title: fields.title, bodyMd: fields.body, tags: fields.tags },
    });
    await enqueueSearchUpdate(tx, [current.id]);
    await refreshQuestionFacts(tx, [current.id]);
    return { revision };
  });
}

// ---------- lists ----------

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

async function toQuestionRows(db: Db, rows: RawRow[]): Promise<QuestionRow[]> {
  const tagMap = await tagsByPost(
    db,
    rows.map((r) => r.id),
  );
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

const visibleQuestion = and(eq(posts.kind, "question"), isNull(posts.parentId), isNull(posts.deletedAt));

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
 * One page of questions: newest (asked), active (last answer or edit), unanswered (no visible answers,
 * newest first) or top (score, within a week, month or all time). Keyset pagination on (sort key, id),
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
  if (sort === "unanswered") conditions.push(eq(posts.answerCount, 0));
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

// ---------- one question's page ----------

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

export type PostPermissions = {
  myVote: 1 | -1 | 0;
  canVote: boolean;
  voteHint: string | null;
  canEdit: boolean;
  canDelete: boolean;
  canRestore: boolean;
  isDeleted: boolean;
  /** Answers: the viewer may say thanks (signed in, not their own). */
  canThank: boolean;
};
export type ViewerState = {
  isSignedIn: boolean;
  canAnswer: boolean;
  canComment: boolean;
  /** Only the asker accepts; true on the question's page when this viewer may accept or change the accepted answer. */
  canAccept: boolean;
  /** The asker (or staff) may invite mentors to the question. */
  canInvite: boolean;
  posts: Record<number, PostPermissions>;
  comments: Record<number, { canDelete: boolean }>;
};

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

// ---------- votes ----------

/**
 * Votes up or down on a question or answer. One vote per person: voting the other way changes it,
 * voting the same way again takes it back. Never on your own posts. Returns the new score and vote.
 */
export async function toggleVote(
  db: Db,
  { postId, actor, direction, now }: { postId: number; actor: Actor; direction: "up" | "down"; now?: Date },
) {
  const post = await getPostMeta(db, postId);
  if (!post || post.deletedAt || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post no longer exists.", {}, 404);
  if (actor && actor.id === post.authorId) throw new PostingError("You can't vote on your own post.", {}, 403);
  assertCan(actor, "post.vote", { ownerId: post.authorId });
  await consumeWriteLimit(db, { userId: actor.id, kind: "vote", now });
  const wanted = direction === "up" ? 1 : -1;
  const current = (await votesBy(db, { userId: actor.id, postIds: [postId] }))[postId] ?? 0;
  try {
    return await castVote(db, { postId, userId: actor.id, value: current === wanted ? 0 : wanted });
  } catch (error) {
    if (error instanceof PostRuleError) throw new PostingError(error.message, {}, 403);
    throw error;
  }
}

// ---------- deleting and restoring ----------

/** Soft-deletes a question or answer (its author, or staff). Staff deleting someone else's post leaves a moderation record. */
export async function deleteQuestionOrAnswer(
  db: Db,
  { postId, actor, reason = "" }: { postId: number; actor: Actor; reason?: string },
) {
  const post = await getPostMeta(db, postId);
  if (!post || post.deletedAt || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post doesn't exist or was already deleted.", {}, 404);
  assertCan(actor, "post.delete", { ownerId: post.authorId }, "You can only delete your own posts.");
  await softDeletePost(db, { postId, by: actor.id, isModeratorAction: actor.id !== post.authorId, reason });
  const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, post.spaceId)).limit(1);
  return { kind: post.kind, parentId: post.parentId, spaceSlug: space?.slug ?? null };
}

/** Moderators bring a deleted question or answer back; the moderation log records it. */
export async function restoreQuestionOrAnswer(db: Db, { postId, actor }: { postId: number; actor: Actor }) {
  const post = await getPostMeta(db, postId);
  if (!post?.deletedAt || (post.kind !== "question" && post.kind !== "answer"))
    throw new PostingError("This post isn't deleted.", {}, 404);
  assertCan(actor, "post.restore", { ownerId: post.authorId }, "Only moderators can restore posts.");
  await restorePost(db, { postId, by: actor.id });
  return { kind: post.kind, parentId: post.parentId };
}

// ---------- revision history ----------

export type RevisionView = {
  number: number;
  note: string;
  createdAt: Date;
  editorName: string | null;
  editorHandle: string | null;
  title: string | null;
  titleDiff: DiffPart[] | null;
  bodyDiff: DiffPart[];
  tags: string[];
  tagsAdded: string[];
  tagsRemoved: string[];
};

/** Every revision of a post, newest first, each with a word diff against the revision before it (the first shows its full text). */
export async function getRevisionHistory(
  db: Db,
  postId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      parentId: posts.parentId,
      deletedAt: posts.deletedAt,
    })
    .from(posts)
    .where(eq(posts.id, postId))
    .limit(1);
  if (!post || (post.deletedAt && !includeDeleted)) return null;
  const [parent] =
    post.parentId !== null
      ? await db
          .select({ id: posts.id, title: posts.title, deletedAt: posts.deletedAt })
          .from(posts)
          .where(eq(posts.id, post.parentId))
          .limit(1)
      : [];
  if (parent?.deletedAt && !includeDeleted) return null;
  const revisions = await listRevisions(db, postId);
  const views: RevisionView[] = revisions.map((r, i) => {
    const previous = revisions[i - 1];
    const tagsNow = r.content.tags ?? [];
    const tagsBefore = previous?.content.tags ?? [];
    return {
      number: r.number,
      note: r.note,
      createdAt: r.createdAt,
      editorName: r.editorName,
      editorHandle: r.editorHandle,
      title: r.content.title,
      // The original is shown whole; later versions as changes against the one before.
      titleDiff:
        r.content.title === null
          ? null
          : previous
            ? diffWords(previous.content.title ?? "", r.content.title)
            : [{ op: "same", text: r.content.title }],
      bodyDiff: previous
        ? diffWords(previous.content.bodyMd, r.content.bodyMd)
        : [{ op: "same", text: r.content.bodyMd }],
      tags: tagsNow,
      tagsAdded: previous ? tagsNow.filter((t) => !tagsBefore.includes(t)) : [],
      tagsRemoved: tagsBefore.filter((t) => !tagsNow.includes(t)),
    };
  });
  const kind: PostKind = post.kind;
  return {
    post: { id: post.id, kind, isDeleted: post.deletedAt !== null },
    question: parent ?? { id: post.id, title: post.title },
    revisions: views.reverse(),
  };
}
