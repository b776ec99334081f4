/**
 * Keeping content out of sight until a moderator decides: holds (at posting, or by the weight of flags), silenced
 * accounts, and the notices that tell people what happened. Hidden content is soft-deleted the way a deletion is, so
 * every public surface (pages and their cache, lists, counts, search, feeds) drops it in the same transaction.
 */
import { type SQL, and, desc, eq, getTableColumns, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import {
  type ModeratedTarget,
  type NoticeKind,
  comments,
  contentHolds,
  moderationNotices,
  posts,
  officeHoursQuestions,
  userSilences,
  users,
} from "#db/schema";
import { firstGraphemes } from "~/lib/graphemes";
import { howtoPath } from "~/lib/howtos";
import { parseId } from "~/lib/ids";
import { answerAnchor, questionPath } from "~/lib/qa";
import { publish } from "~/lib/realtime.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { sessionDocumentId } from "~/search/types";
import { anonymousInThread } from "./anonymity.server";
import { refreshCommentCount } from "./comments.server";
import { dropWaitingInvitations, sendWaitingInvitations } from "./invitations.server";
import { newPostTargets, notifyFollowers, notifyMentions, notifyUsers } from "./notifications.server";
import { restorePost, softDeletePost } from "./posts.server";
import { refreshQuestionFacts } from "./pulse.server";
import { lockAccountForModeration } from "./rate-limits.server";

export type ContentRef = { type: ModeratedTarget; id: string };

/** The realtime topic moderators' headers and /review listen on: "something in the queue changed". */
export const REVIEW_TOPIC = "review";

export async function announceReviewChange(tx: Db): Promise<void> {
  await publish(tx, { topic: REVIEW_TOPIC, type: "changed" });
}

/**
 * Tells a person what moderation did (their flag's outcome, their post held or released) in /notifications. A deleted
 * account is told nothing (nobody reads it, and its address is a placeholder); a banned person keeps the notice on
 * /me/moderation but gets no notification, as notifications.server.ts tells banned people nothing.
 */
export async function sendNotice(
  tx: Db,
  { userId, kind, message, url = null }: { userId: string; kind: NoticeKind; message: string; url?: string | null },
): Promise<void> {
  const [person] = await tx
    .select({ isBanned: users.banned, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!person || person.deletedAt) return;
  const [notice] = await tx
    .insert(moderationNotices)
    .values({ userId, kind, message, url })
    .returning({ id: moderationNotices.id });
  if (person.isBanned) return;
  // One unread notification per notice, naming it (one decision may send two at the same instant); post_id stays null
  // so it never collides with a post's own notifications.
  await tx.execute(
    sql`insert into notifications (user_id, kind, notice_id) values (${userId}, 'moderation', ${notice?.id ?? null})`,
  );
}

export async function listNotices(db: Db, userId: string, limit = 50) {
  return db
    .select()
    .from(moderationNotices)
    .where(eq(moderationNotices.userId, userId))
    .orderBy(desc(moderationNotices.id))
    .limit(limit);
}

export type Snapshot = {
  kindLabel: string;
  title: string;
  excerpt: string;
  authorId: string;
  /** A session question its asker withdrew: out of the session already, its flags still to decide. */
  isWithdrawn: boolean;
};

/** How much of a post a review card shows. */
export const EXCERPT_GRAPHEMES = 600;

/**
 * What a moderated thing is (`snap`: its kind, its thread's title, the start of its text), where it can be seen (`url`,
 * null for what has no page of its own), and `anonymousIn`: its thread's question when its author is that question's
 * anonymous asker (anonymousInThread's rule, as on the question page), else null.
 */
export type ModeratedThing = { snap: Snapshot; url: string | null; anonymousIn: number | null };

/**
 * What these things are and where, in one query whatever their number and kinds (the review queue reads a page of cards
 * with it), in the order asked; null for a thing that is gone or whose id names nothing.
 */
export async function describeModeratedThings(db: Db, refs: readonly ContentRef[]): Promise<(ModeratedThing | null)[]> {
  const idsOf = (type: ContentRef["type"]) => {
    const ids = new Set<number | string>();
    for (const ref of refs) {
      const id = storedId(ref);
      if (ref.type === type && id !== null) ids.add(id);
    }
    return [...ids];
  };
  const inList = (ids: readonly (number | string)[]) =>
    sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
  // Only the excerpt's start leaves the database (a post may hold 30,000 characters): room for EXCERPT_GRAPHEMES of up
  // to seven code points each, emoji sequences included.
  const start = (column: SQL) => sql`left(${column}, ${EXCERPT_GRAPHEMES * 7})`;
  // Each kind's columns, then the page its URL names (a comment's post, or the post itself) and its thread's question.
  // Every branch names its columns: the first one listed may be any kind's.
  const branches: SQL[] = [];
  const postIds = idsOf("post");
  if (postIds.length > 0)
    branches.push(sql`select 'post' as target_type, p.id::text as target_id, p.kind as kind_label,
        coalesce(p.title, q.title, '') as title, ${start(sql`p.body_md`)} as excerpt, p.author_id, false as is_withdrawn,
        p.id as page_id, p.kind as page_kind, p.parent_id as page_parent_id, p.title as page_title,
        null::int as session_id, coalesce(p.parent_id, p.id)::int as question_id,
        ${anonymousInThread(sql`p.id`, sql`p.author_id`)} as is_anonymous
      from posts p left join posts q on q.id = p.parent_id where p.id in (${inList(postIds)})`);
  const commentIds = idsOf("comment");
  if (commentIds.length > 0)
    branches.push(sql`select 'comment' as target_type, c.id::text as target_id, 'comment' as kind_label,
        coalesce(p.title, q.title, '') as title, ${start(sql`c.body_md`)} as excerpt, c.author_id, false as is_withdrawn,
        p.id as page_id, p.kind as page_kind, p.parent_id as page_parent_id, p.title as page_title,
        null::int as session_id, coalesce(p.parent_id, p.id)::int as question_id,
        ${anonymousInThread(sql`p.id`, sql`c.author_id`)} as is_anonymous
      from comments c join posts p on p.id = c.post_id left join posts q on q.id = p.parent_id
      where c.id in (${inList(commentIds)})`);
  const sessionQuestionIds = idsOf("session_question");
  if (sessionQuestionIds.length > 0)
    branches.push(sql`select 'session_question' as target_type, q.id::text as target_id, 'session question' as kind_label,
        s.title, ${start(sql`q.body`)} as excerpt, q.author_id, q.state = 'withdrawn' as is_withdrawn,
        null::int as page_id, null::text as page_kind, null::int as page_parent_id, null::text as page_title,
        q.session_id, null::int as question_id, false as is_anonymous
      from session_questions q join qa_sessions s on s.id = q.session_id where q.id in (${inList(sessionQuestionIds)})`);
  const userIds = idsOf("user");
  if (userIds.length > 0)
    branches.push(sql`select 'user' as target_type, u.id as target_id, 'profile' as kind_label, u.name as title,
        ${start(sql`u.bio`)} as excerpt, u.id as author_id, false as is_withdrawn, null::int as page_id,
        null::text as page_kind, null::int as page_parent_id, null::text as page_title, null::int as session_id,
        null::int as question_id, false as is_anonymous
      from users u where u.id in (${inList(userIds)})`);
  if (branches.length === 0) return refs.map(() => null);
  const rows = await queryRows<ThingRow>(db, sql.join(branches, sql` union all `));
  const things = new Map<string, ModeratedThing>();
  for (const row of rows) {
    const ref: ContentRef = { type: row.target_type, id: row.target_id };
    things.set(`${ref.type}:${ref.id}`, {
      snap: {
        kindLabel: row.kind_label === "howto" ? "how-to" : row.kind_label,
        title: row.title,
        excerpt: firstGraphemes(row.excerpt, EXCERPT_GRAPHEMES),
        authorId: row.author_id,
        isWithdrawn: row.is_withdrawn,
      },
      url: placeUrl(ref, row),
      anonymousIn: row.is_anonymous ? row.question_id : null,
    });
  }
  return refs.map((ref) => {
    const id = storedId(ref);
    return id === null ? null : (things.get(`${ref.type}:${id}`) ?? null);
  });
}

/**
 * A thing's id as its table has it: a profile's text id, or the number in a post's, comment's or session question's
 * (null when it names nothing: it must not reach SQL).
 */
function storedId(ref: ContentRef): number | string | null {
  return ref.type === "user" ? ref.id : parseId(ref.id);
}

type ThingRow = {
  target_type: ContentRef["type"];
  target_id: string;
  kind_label: string;
  title: string;
  excerpt: string;
  author_id: string;
  is_withdrawn: boolean;
  page_id: number | null;
  page_kind: string | null;
  page_parent_id: number | null;
  page_title: string | null;
  session_id: number | null;
  question_id: number | null;
  is_anonymous: boolean;
};

/** Where a thing can be seen, from the page it is on (a comment's post, or the post itself) or its session. */
function placeUrl(ref: ContentRef, page: ThingRow): string | null {
  if (ref.type === "user") return null;
  if (ref.type === "session_question")
    return page.session_id === null ? null : `/sessions/${page.session_id}#q-${ref.id}`;
  if (page.page_id === null) return null;
  const anchor = ref.type === "comment" ? `#comment-${ref.id}` : "";
  if (page.page_kind === "howto") return `${howtoPath(page.page_id)}${anchor}`;
  if (page.page_kind === "answer" && page.page_parent_id !== null)
    return `${questionPath(page.page_parent_id)}${anchor || `#${answerAnchor(page.page_id)}`}`;
  return `${questionPath(page.page_id, page.page_title)}${anchor}`;
}

/** What a moderated thing is, for the queue and the flag form: its kind, its thread's title, the start of its text. */
export async function describeContent(db: Db, ref: ContentRef): Promise<Snapshot | null> {
  const [thing] = await describeModeratedThings(db, [ref]);
  return thing?.snap ?? null;
}

/** Where a post, comment or session question can be seen (null for what has no page of its own). */
export async function contentUrl(db: Db, ref: ContentRef): Promise<string | null> {
  const [thing] = await describeModeratedThings(db, [ref]);
  return thing?.url ?? null;
}

/** Takes content out of public sight (posts and comments soft-deleted; a session question hidden). */
export async function hideContent(tx: Db, ref: ContentRef): Promise<void> {
  const id = Number(ref.id);
  if (ref.type === "post") await softDeletePost(tx, { postId: id, by: null });
  else if (ref.type === "comment") await setCommentDeleted(tx, id, true);
  else if (ref.type === "session_question") await setSessionQuestionHidden(tx, id, true);
}

/** Puts hidden content back (a moderator kept it). */
export async function showContent(tx: Db, ref: ContentRef, by: string): Promise<void> {
  const id = Number(ref.id);
  if (ref.type === "post") await restorePost(tx, { postId: id, by, log: false });
  else if (ref.type === "comment") await setCommentDeleted(tx, id, false);
  else if (ref.type === "session_question") await setSessionQuestionHidden(tx, id, false);
}

/** Soft-deletes or restores a comment (only when that changes it), and refreshes its thread's counts. */
async function setCommentDeleted(tx: Db, commentId: number, deleted: boolean): Promise<void> {
  const [row] = await tx
    .update(comments)
    .set({ deletedAt: deleted ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(comments.id, commentId), deleted ? isNull(comments.deletedAt) : isNotNull(comments.deletedAt)))
    .returning({ postId: comments.postId });
  if (!row) return;
  await refreshCommentCount(tx, row.postId);
  await refreshQuestionFacts(tx, [row.postId]);
}

/**
 * Hides a session question from everyone but its asker and staff, or shows it again (only when that changes it). Its
 * state is left alone, so it comes back open, answered or skipped as it was; an answered one leaves search meanwhile.
 * The live session page is told (the event carries no text), and the page cache drops the sessions pages by trigger.
 */
async function setSessionQuestionHidden(tx: Db, questionId: number, hidden: boolean): Promise<void> {
  const [row] = await tx
    .update(officeHoursQuestions)
    .set({ hiddenAt: hidden ? new Date() : null })
    .where(
      and(
        eq(officeHoursQuestions.id, questionId),
        hidden ? isNull(officeHoursQuestions.hiddenAt) : isNotNull(officeHoursQuestions.hiddenAt),
      ),
    )
    .returning({ sessionId: officeHoursQuestions.officeHoursId });
  if (!row) return;
  await enqueueSearchUpdate(tx, [sessionDocumentId(questionId)]);
  await publish(tx, { topic: `session:${row.sessionId}`, type: hidden ? "hidden" : "shown", questionId });
}

export type HoldReason =
  | "flags"
  | "repeated_text"
  | "many_links"
  | "flagged_domain"
  | "new_account_links"
  | "first_question"
  | "silenced_author"
  | "banned_author";

/**
 * Holds content for review: hides it and records why. Idempotent: content already held keeps its first hold.
 * Returns whether a new hold was made.
 */
export async function holdContent(
  tx: Db,
  {
    ref,
    authorId,
    reason,
    message,
    isEdit = false,
  }: { ref: ContentRef; authorId: string; reason: HoldReason; message: string; isEdit?: boolean },
): Promise<boolean> {
  if (ref.type === "user") return false;
  const [row] = await tx
    .insert(contentHolds)
    .values({ targetType: ref.type, targetId: ref.id, authorId, reason, message })
    .onConflictDoNothing()
    .returning({ id: contentHolds.id });
  if (!row) return false;
  await hideContent(tx, ref);
  // Nobody hears of held content: its notifications (new question, answer, mention) are withdrawn with it. A held edit
  // withdraws only what the edit told (written in this transaction: created_at is its start); what people heard of the
  // post before stays theirs.
  if (ref.type === "post")
    await tx.execute(
      sql`delete from notifications where post_id = ${Number(ref.id)} ${isEdit ? sql`and created_at >= now()` : sql``}`,
    );
  if (ref.type === "comment") await tx.execute(sql`delete from notifications where comment_id = ${Number(ref.id)}`);
  await announceReviewChange(tx);
  return true;
}

/** The pending hold on this thing, as a condition (at most one: content_holds_pending_idx). */
function isPendingHoldOf(ref: ContentRef) {
  return and(
    eq(contentHolds.targetType, ref.type),
    eq(contentHolds.targetId, ref.id),
    eq(contentHolds.status, "pending"),
  );
}

export async function getPendingHold(db: Db, ref: ContentRef) {
  const [row] = await db.select().from(contentHolds).where(isPendingHoldOf(ref));
  return row ?? null;
}

/** Which of these posts are held for review (a pending hold), in one query however many are asked about. */
export async function heldPosts(db: Db, postIds: readonly number[]): Promise<Set<number>> {
  if (postIds.length === 0) return new Set();
  const rows = await db
    .select({ targetId: contentHolds.targetId })
    .from(contentHolds)
    .where(
      and(
        eq(contentHolds.targetType, "post"),
        inArray(
          contentHolds.targetId,
          postIds.map((id) => String(id)),
        ),
        eq(contentHolds.status, "pending"),
      ),
    );
  return new Set(rows.map((row) => Number(row.targetId)));
}

/**
 * Holds made by the screening as content is posted (spam.server.ts): what they hid was never announced. Flags and a
 * silence hold content that was public, whose people heard of it when it was posted.
 */
const HELD_AT_POSTING: readonly string[] = [
  "repeated_text",
  "many_links",
  "flagged_domain",
  "new_account_links",
  "first_question",
] satisfies HoldReason[];

/**
 * Whether a hold hid a post nobody had heard of: made as it was posted. (An edit is held for the same reasons, but
 * hides a post that was public before: its revisions are past the first.)
 */
async function hidUnannouncedPost(tx: Db, hold: { targetType: ModeratedTarget; targetId: string; reason: string }) {
  if (hold.targetType !== "post" || !HELD_AT_POSTING.includes(hold.reason)) return false;
  const [post] = await tx
    .select({ revisionCount: posts.revisionCount })
    .from(posts)
    .where(eq(posts.id, Number(hold.targetId)));
  return post?.revisionCount === 1;
}

/** Whether this post waits for review from a hold made as it was posted, so nobody but its author knows of it yet. */
export async function isHeldAsPosted(db: Db, postId: number): Promise<boolean> {
  const hold = await getPendingHold(db, { type: "post", id: String(postId) });
  return hold !== null && (await hidUnannouncedPost(db, hold));
}

/**
 * Ends a pending hold: "released" shows the content again, "removed" leaves it hidden. Returns the hold, if any.
 * Content released from a hold made as it was posted is announced now, as posting it would have (holdContent withdrew
 * those notifications); only a pending hold is decided, so this happens once. Removing such a question drops the
 * invitations that waited for the decision, so none is ever sent.
 */
export async function decideHold(
  tx: Db,
  { ref, by, outcome }: { ref: ContentRef; by: string; outcome: "released" | "removed" },
) {
  const [hold] = await tx
    .update(contentHolds)
    .set({ status: outcome, decidedBy: by, decidedAt: new Date() })
    .where(isPendingHoldOf(ref))
    .returning();
  if (hold && outcome === "released") {
    await showContent(tx, ref, by);
    if (HELD_AT_POSTING.includes(hold.reason)) await announceReleasedContent(tx, ref);
  }
  if (hold && outcome === "removed" && (await hidUnannouncedPost(tx, hold)))
    await dropWaitingInvitations(tx, Number(hold.targetId));
  return hold ?? null;
}

/**
 * Makes the notifications that posting this would have made, with the same helpers and for the same people as
 * askQuestion, postAnswer, createHowto and addComment: mentions first (someone both mentioned and following hears of
 * it once, as a mention), then the post's followers. The notifications' one-per-event index keeps anyone from hearing
 * of it twice. Nothing is announced while the content (or its thread) is still hidden.
 */
async function announceReleasedContent(tx: Db, ref: ContentRef): Promise<void> {
  const id = Number(ref.id);
  if (ref.type === "comment") {
    const [comment] = await tx
      .select({
        authorId: comments.authorId,
        postId: comments.postId,
        bodyMd: comments.bodyMd,
        postAuthorId: posts.authorId,
        questionId: sql<number>`coalesce(${posts.parentId}, ${posts.id})`,
      })
      .from(comments)
      .innerJoin(posts, eq(posts.id, comments.postId))
      .where(and(eq(comments.id, id), isNull(comments.deletedAt), isNull(posts.deletedAt)));
    if (!comment) return;
    const event = { actorId: comment.authorId, postId: comment.postId, commentId: id };
    await notifyMentions(tx, event, comment.bodyMd);
    await notifyUsers(tx, { ...event, kind: "comment" }, [comment.postAuthorId]);
    await notifyFollowers(tx, { ...event, kind: "comment" }, [{ type: "question", key: String(comment.questionId) }]);
    return;
  }
  if (ref.type !== "post") return;
  const [post] = await tx
    .select({
      kind: posts.kind,
      parentId: posts.parentId,
      authorId: posts.authorId,
      isAnonymous: posts.isAnonymous,
      bodyMd: posts.bodyMd,
      summary: posts.summary,
      prerequisitesMd: posts.prerequisitesMd,
      steps: posts.steps,
      revisionCount: posts.revisionCount,
    })
    .from(posts)
    .where(and(eq(posts.id, id), isNull(posts.deletedAt)));
  if (!post) return;
  const event = { actorId: post.authorId, postId: id };
  // An edit held for review (a post is never edited while held at posting): the post was announced when it was
  // posted, so only mentions the edit added are told now (those told before have their notification already).
  if (post.revisionCount > 1) {
    const steps = (post.steps ?? []).map((step) => step.bodyMd);
    const text =
      post.kind === "howto" ? [post.summary ?? "", post.prerequisitesMd ?? "", ...steps].join("\n\n") : post.bodyMd;
    await notifyMentions(tx, event, text);
    return;
  }
  if (post.kind === "answer" && post.parentId !== null) {
    await notifyMentions(tx, event, post.bodyMd);
    await notifyFollowers(tx, { ...event, kind: "answer" }, [
      { type: "question", key: String(post.parentId) },
      { type: "user", key: post.authorId },
    ]);
  } else if (post.kind === "question") {
    await notifyMentions(tx, event, post.bodyMd);
    // An anonymous question is not announced to the asker's followers: that alone would name them.
    const targets = (await newPostTargets(tx, id)).filter((target) => !post.isAnonymous || target.type !== "user");
    await notifyFollowers(tx, { ...event, kind: "new_post" }, targets);
    // "Ask <name>" while it was held: the invitation waited for this.
    await sendWaitingInvitations(tx, id);
  } else if (post.kind === "howto") {
    const steps = (post.steps ?? []).map((step) => step.bodyMd);
    await notifyMentions(tx, event, [post.summary ?? "", post.prerequisitesMd ?? "", ...steps].join("\n\n"));
    await notifyFollowers(tx, { ...event, kind: "new_post" }, await newPostTargets(tx, id));
  }
}

// ---------- silenced accounts ----------

export async function isSilenced(db: Db, userId: string, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ until: userSilences.until })
    .from(userSilences)
    .where(eq(userSilences.userId, userId));
  return row !== undefined && isSilenceInForce(row.until, now);
}

/** isSilenced's rule for a silence already loaded: one with no end, or ending later. */
export function isSilenceInForce(until: Date | null, now: Date): boolean {
  return until === null || until > now;
}

/** What holding a person's content hid: posts (questions, answers, how-tos) and comments, and session questions. */
export type HeldCount = { posts: number; sessionQuestions: number };

/**
 * Holds everything of this person's still visible (posts, comments, session questions) for one reason, so it leaves
 * every page, list, search and the page cache at once. Each is its own pending hold, so ending them (releaseHoldsOf)
 * shows again only what this reason hid: what was deleted or held already stays as it was.
 */
async function holdEverythingOf(
  tx: Db,
  { userId, reason, message }: { userId: string; reason: HoldReason; message: string },
): Promise<HeldCount> {
  // Every post this changes, locked before any of them changes: theirs, the questions their answers are on (hiding an
  // answer recounts its question) and the posts their comments are on; answers first, then questions and how-tos, each
  // in id order (a deletion takes an answer, then its question). Two bans or silences at once (an asker's and their
  // answerer's, say) then take the posts they share in one order, instead of each holding one the other needs next.
  await tx.execute(sql`
    select id from posts where id in (
      select id from posts where author_id = ${userId} and deleted_at is null
      union select parent_id from posts where author_id = ${userId} and deleted_at is null
      union select post_id from comments where author_id = ${userId} and deleted_at is null)
    order by parent_id is null, id
    for no key update`);
  const visiblePosts = await tx
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt)));
  const visibleComments = await tx
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.authorId, userId), isNull(comments.deletedAt)));
  const visibleSessionQuestions = await tx
    .select({ id: officeHoursQuestions.id })
    .from(officeHoursQuestions)
    .where(and(eq(officeHoursQuestions.authorId, userId), isNull(officeHoursQuestions.hiddenAt)));
  const refs: ContentRef[] = [
    ...visiblePosts.map((post) => ({ type: "post" as const, id: String(post.id) })),
    ...visibleComments.map((comment) => ({ type: "comment" as const, id: String(comment.id) })),
    ...visibleSessionQuestions.map((question) => ({ type: "session_question" as const, id: String(question.id) })),
  ];
  const held: HeldCount = { posts: 0, sessionQuestions: 0 };
  for (const ref of refs) {
    if (!(await holdContent(tx, { ref, authorId: userId, reason, message }))) continue;
    if (ref.type === "session_question") held.sessionQuestions++;
    else held.posts++;
  }
  return held;
}

/**
 * Ends this person's pending holds made for `reason` and shows their content again; holds for other reasons (their own
 * spam screening, flags, a silence) stay. Returns what was shown again.
 */
export async function releaseHoldsOf(
  tx: Db,
  { userId, reason, by }: { userId: string; reason: HoldReason; by: string },
): Promise<HeldCount> {
  const holds = await tx
    .select({ targetType: contentHolds.targetType, targetId: contentHolds.targetId })
    .from(contentHolds)
    .where(and(eq(contentHolds.authorId, userId), eq(contentHolds.status, "pending"), eq(contentHolds.reason, reason)));
  for (const hold of holds)
    await decideHold(tx, { ref: { type: hold.targetType, id: hold.targetId }, by, outcome: "released" });
  if (holds.length > 0) await announceReviewChange(tx);
  const sessionQuestions = holds.filter((hold) => hold.targetType === "session_question").length;
  return { posts: holds.length - sessionQuestions, sessionQuestions };
}

/**
 * Silences a person (they can read, not post) and holds everything of theirs still visible (posts, comments, session
 * questions), so a spammer's other posts leave every page with the one that was caught. `by` null: done automatically.
 */
export async function silenceUser(
  tx: Db,
  { userId, by, reason }: { userId: string; by: string | null; reason: string },
): Promise<void> {
  // Their writes in flight finish first and are held below with the rest; later ones wait and are refused (spam.server.ts).
  await lockAccountForModeration(tx, userId);
  await tx
    .insert(userSilences)
    .values({ userId, silencedBy: by, reason })
    .onConflictDoUpdate({ target: userSilences.userId, set: { silencedBy: by, reason, until: null } });
  await holdEverythingOf(tx, {
    userId,
    reason: "silenced_author",
    message: "Held with the rest of this account's posts while a moderator reviews it.",
  });
}

/**
 * Hides everything a banned person posted, the way a silence does, so lifting the ban (releaseHoldsOf with
 * "banned_author") shows only what the ban hid. The holds wait in the review queue, where a moderator may remove
 * something for good.
 */
export async function holdBannedAuthorsContent(tx: Db, userId: string): Promise<HeldCount> {
  return holdEverythingOf(tx, {
    userId,
    reason: "banned_author",
    message:
      "Hidden with the rest of this account's posts when the account was banned; lifting the ban shows it again.",
  });
}

export async function liftSilence(tx: Db, userId: string): Promise<boolean> {
  const rows = await tx.delete(userSilences).where(eq(userSilences.userId, userId)).returning();
  return rows.length > 0;
}

/**
 * A person's held content, newest first: what they see as "waiting for review". `postedAt` is when they wrote the thing
 * (the hold's own createdAt is when it was hidden); null if it is gone.
 */
export async function listMyHolds(db: Db, userId: string) {
  return db
    .select({
      ...getTableColumns(contentHolds),
      postedAt: sql<Date | null>`case ${contentHolds.targetType}
        when 'post' then (select p.created_at from posts p where p.id = ${contentHolds.targetId}::int)
        when 'comment' then (select c.created_at from comments c where c.id = ${contentHolds.targetId}::int)
        when 'session_question' then (select q.created_at from session_questions q where q.id = ${contentHolds.targetId}::int)
        end`.mapWith(contentHolds.createdAt),
    })
    .from(contentHolds)
    .where(eq(contentHolds.authorId, userId))
    .orderBy(desc(contentHolds.createdAt), desc(contentHolds.id))
    .limit(50);
}

/** Where to send the author after posting: their "waiting for review" page when the post was held, else null. */
export async function heldPostPath(db: Db, postId: number): Promise<string | null> {
  return (await getPendingHold(db, { type: "post", id: String(postId) })) ? "/me/moderation?held=1" : null;
}
