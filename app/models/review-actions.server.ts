/**
 * The review queue's tools beyond keep and hide: closing a flagged question from the queue, the reopen queue (closed
 * questions edited or voted to reopen since they were closed), and lifting a member's silence. Each is logged.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import {
  type CloseReason,
  type FlagReason,
  type Role,
  contentHolds,
  flags,
  moderationLog,
  userSilences,
  users,
} from "#db/schema";
import { heldWords } from "~/lib/held-words";
import { questionPath } from "~/lib/qa";
import { closeQuestion } from "./close.server";
import { CLOSE_REASON_LABELS } from "./closure.server";
import { announceReviewChange, decideHold, liftSilence, sendNotice } from "./holds.server";
import { recordModeration } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan, assertCanModeratePerson } from "./post-errors.server";
import { ALREADY_DECIDED_MESSAGE } from "./review-queue.server";

/**
 * A moderator closes a flagged question from the queue (as a duplicate, off-topic, or needing details): closing is
 * the decision, so its pending flags are upheld and their flaggers told; the question stays visible, closed.
 */
export async function closeFromReview(
  db: Db,
  input: { actor: Actor; questionId: number; reason: string; duplicateOf?: string; details?: string; siteUrl?: string },
): Promise<{ upheldFlags: number }> {
  const { actor, questionId } = input;
  assertCan(actor, "review.decide");
  assertCan(actor, "question.close", undefined, "Only moderators close questions from the review queue.");
  await closeQuestion(db, input);
  return db.transaction(async (tx) => {
    const decided = await tx
      .update(flags)
      .set({ status: "upheld", decidedBy: actor.id, decidedAt: new Date() })
      .where(and(eq(flags.targetType, "post"), eq(flags.targetId, String(questionId)), eq(flags.status, "pending")))
      .returning({ flaggerId: flags.flaggerId, reason: flags.reason });
    const [closed] = await queryRows<{ title: string | null; reason: CloseReason }>(
      tx,
      sql`select p.title, c.reason from question_closures c join posts p on p.id = c.question_id
        where c.question_id = ${questionId}`,
    );
    const how = closed ? CLOSE_REASON_LABELS[closed.reason] : "closed";
    const url = questionPath(questionId, closed?.title ?? null);
    for (const flaggerId of new Set(decided.map((f) => f.flaggerId)))
      await sendNotice(tx, {
        userId: flaggerId,
        kind: "flag_upheld",
        message: `A moderator agreed with your flag and closed the question as ${how}. Thank you.`,
        url,
      });
    if (decided.length > 0) {
      const reasons: Partial<Record<FlagReason, number>> = {};
      for (const f of decided) reasons[f.reason] = (reasons[f.reason] ?? 0) + 1;
      // The closing itself is logged by closeQuestion; this entry says the flags were settled by it (no flaggers).
      await recordModeration(tx, {
        actorId: actor.id,
        action: "review.close",
        targetType: "question",
        targetId: String(questionId),
        details: { flags: reasons },
      });
    }
    await announceReviewChange(tx);
    return { upheldFlags: decided.length };
  });
}

export type ReopenCandidate = {
  questionId: number;
  title: string;
  url: string;
  reason: CloseReason;
  reasonLabel: string;
  closedAt: Date;
  reopenVotes: number;
  isEditedSinceClose: boolean;
};

/**
 * Closed questions waiting for a reopen decision: edited since they were closed, or with reopen votes, and not
 * already looked at by a moderator since that edit or vote (a "keep closed" in the log settles them).
 */
const reopenCandidates = sql`
  with candidates as (
    select c.question_id, p.title, c.reason, c.closed_at,
      (select count(*) from close_votes v where v.question_id = c.question_id and v.kind = 'reopen')::int
        as reopen_votes,
      (select max(r.created_at) from revisions r where r.post_id = c.question_id and r.created_at > c.closed_at)
        as last_edit,
      (select max(v.created_at) from close_votes v where v.question_id = c.question_id and v.kind = 'reopen')
        as last_vote
    from question_closures c join posts p on p.id = c.question_id
    where p.deleted_at is null)
  select question_id, title, reason, closed_at, reopen_votes, last_edit is not null as edited
  from candidates k
  where (last_edit is not null or reopen_votes > 0)
    and not exists (
      select 1 from moderation_log m
      where m.action = 'question.keepClosed' and m.target_type = 'question'
        and m.target_id = k.question_id::text
        and m.created_at >= greatest(k.closed_at, coalesce(k.last_edit, k.closed_at), coalesce(k.last_vote, k.closed_at)))`;

/** The reopen queue, the longest closed first (up to `limit`). */
export async function listReopenQueue(db: Db, limit = 50): Promise<ReopenCandidate[]> {
  const rows = await queryRows<{
    question_id: number;
    title: string | null;
    reason: CloseReason;
    closed_at: string | Date;
    reopen_votes: number;
    edited: boolean;
  }>(db, sql`${reopenCandidates} order by closed_at limit ${limit}`);
  return rows.map((row) => ({
    questionId: row.question_id,
    title: row.title ?? "(untitled)",
    url: `${questionPath(row.question_id, row.title)}?stay=1`,
    reason: row.reason,
    reasonLabel: CLOSE_REASON_LABELS[row.reason],
    closedAt: new Date(row.closed_at),
    reopenVotes: row.reopen_votes,
    isEditedSinceClose: row.edited,
  }));
}

/** How many questions the reopen queue holds (its tab's number): all of them, not only the page listed. */
export async function countReopenQueue(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from (${reopenCandidates}) q`);
  return row?.n ?? 0;
}

/** A moderator looked at a closed question's edit (or its reopen votes) and keeps it closed: the votes are cleared. */
export async function keepClosed(
  db: Db,
  { actor, questionId, note = "" }: { actor: Actor; questionId: number; note?: string },
) {
  assertCan(actor, "question.reopen", undefined, "Only moderators decide on reopening.");
  await db.transaction(async (tx) => {
    const [closure] = await queryRows<{ question_id: number }>(
      tx,
      sql`select question_id from question_closures where question_id = ${questionId} for update`,
    );
    if (!closure) throw new PostingError("This question is open already.", {}, 409);
    // Kept closed already since its last edit and votes (a second click, or two moderators): once is the decision.
    const waiting = await queryRows<unknown>(
      tx,
      sql`select 1 from (${reopenCandidates}) q where q.question_id = ${questionId}`,
    );
    if (waiting.length === 0) throw new PostingError(ALREADY_DECIDED_MESSAGE, {}, 409);
    await tx.execute(sql`delete from close_votes where question_id = ${questionId} and kind = 'reopen'`);
    await recordModeration(tx, {
      actorId: actor.id,
      action: "question.keepClosed",
      targetType: "question",
      targetId: String(questionId),
      reason: note,
    });
  });
}

export type SilencedMember = {
  userId: string;
  name: string;
  handle: string | null;
  role: Role;
  reason: string;
  since: Date;
  isAutomatic: boolean;
  /** Held because of the silence: posts and comments, and session questions. */
  heldPosts: number;
  heldSessionQuestions: number;
};

/** Everyone silenced now, longest first, with how many of their posts and session questions wait because of it. */
export async function listSilencedMembers(db: Db, limit = 100): Promise<SilencedMember[]> {
  const rows = await db
    .select({
      userId: userSilences.userId,
      name: users.name,
      handle: users.handle,
      role: users.role,
      reason: userSilences.reason,
      since: userSilences.createdAt,
      silencedBy: userSilences.silencedBy,
    })
    .from(userSilences)
    .innerJoin(users, eq(users.id, userSilences.userId))
    .where(sql`${userSilences.until} is null or ${userSilences.until} > now()`)
    .orderBy(asc(userSilences.createdAt))
    .limit(limit);
  const ids = rows.map((r) => r.userId);
  const held =
    ids.length === 0
      ? []
      : await db
          .select({
            authorId: contentHolds.authorId,
            posts: sql<number>`(count(*) filter (where ${contentHolds.targetType} <> 'session_question'))::int`,
            sessionQuestions: sql<number>`(count(*) filter (where ${contentHolds.targetType} = 'session_question'))::int`,
          })
          .from(contentHolds)
          .where(
            and(
              inArray(contentHolds.authorId, ids),
              eq(contentHolds.status, "pending"),
              eq(contentHolds.reason, "silenced_author"),
            ),
          )
          .groupBy(contentHolds.authorId);
  return rows.map((row) => ({
    userId: row.userId,
    name: row.name,
    handle: row.handle,
    role: row.role,
    reason: row.reason,
    since: row.since,
    isAutomatic: row.silencedBy === null,
    heldPosts: held.find((h) => h.authorId === row.userId)?.posts ?? 0,
    heldSessionQuestions: held.find((h) => h.authorId === row.userId)?.sessionQuestions ?? 0,
  }));
}

const NOT_SILENCED = "This member is not silenced.";

/** A lift refused because the silence was lifted already: `liftedAt` is when (null when the log doesn't say). */
export class SilenceLiftedMeanwhileError extends PostingError {
  constructor(
    message: string,
    readonly liftedAt: Date | null,
  ) {
    super(message, {}, 409);
  }
}

/**
 * Why there was no silence to lift, for a page opened before: who lifted it (this moderator in another tab, or someone
 * else) and when, from the newest lift in the moderation log; else that the member is not silenced.
 */
async function notSilencedError(db: Db, person: { id: string; name: string }, actorId: string) {
  const [lifted] = await db
    .select({ byId: moderationLog.actorId, byName: users.name, at: moderationLog.createdAt })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(
      and(
        eq(moderationLog.action, "user.unsilence"),
        eq(moderationLog.targetType, "user"),
        eq(moderationLog.targetId, person.id),
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(1);
  if (!lifted) return new PostingError(NOT_SILENCED, {}, 409);
  const who = lifted.byId === actorId ? "You" : (lifted.byName ?? "Another moderator");
  const where = lifted.byId === actorId ? " (in another tab or window)" : "";
  return new SilenceLiftedMeanwhileError(
    `${who} already lifted the silence on ${person.name}${where}, so there was nothing to lift.`,
    lifted.at,
  );
}

/**
 * A moderator lifts a silence: the member may post again, and what was held only because of the silence is published
 * (posts held for their own reasons, such as links from a new account, stay in the queue). The member is told. A
 * silence lifted already is refused (409) saying who lifted it and when (SilenceLiftedMeanwhileError).
 */
export async function liftSilenceFromReview(
  db: Db,
  { actor, userId, note = "" }: { actor: Actor; userId: string; note?: string },
): Promise<{ released: number }> {
  assertCan(actor, "user.silence", undefined, "Only moderators lift a silence.");
  // Never one's own silence, nor one this moderator could not have given (an admin's, or a fellow moderator's).
  const [person] = await db
    .select({ id: users.id, name: users.name, role: users.role, banned: users.banned })
    .from(users)
    .where(eq(users.id, userId));
  if (!person) throw new PostingError(NOT_SILENCED, {}, 409);
  assertCanModeratePerson(actor, person);
  const outcome = await db.transaction(async (tx) => {
    if (!(await liftSilence(tx, userId))) return null;
    // A banned member's posts stay hidden while the ban lasts: what the silence held is the ban's to show again.
    if (person.banned) {
      await tx
        .update(contentHolds)
        .set({ reason: "banned_author" })
        .where(
          and(
            eq(contentHolds.authorId, userId),
            eq(contentHolds.status, "pending"),
            eq(contentHolds.reason, "silenced_author"),
          ),
        );
    }
    const holds = await tx
      .select({ targetType: contentHolds.targetType, targetId: contentHolds.targetId })
      .from(contentHolds)
      .where(
        and(
          eq(contentHolds.authorId, userId),
          eq(contentHolds.status, "pending"),
          eq(contentHolds.reason, "silenced_author"),
        ),
      );
    for (const hold of holds)
      await decideHold(tx, { ref: { type: hold.targetType, id: hold.targetId }, by: actor.id, outcome: "released" });
    const questions = holds.filter((hold) => hold.targetType === "session_question").length;
    const published = `${heldWords(holds.length - questions, questions)} held with it ${holds.length === 1 ? "is" : "are"} published again`;
    await sendNotice(tx, {
      userId,
      kind: "unsilenced",
      message: `A moderator lifted the silence on your account: you can post again${holds.length > 0 ? `, and ${published}` : ""}.${note ? ` Note: ${note}` : ""}`,
    });
    await recordModeration(tx, {
      actorId: actor.id,
      action: "user.unsilence",
      targetType: "user",
      targetId: userId,
      reason: note,
      details: { released: holds.length },
    });
    await announceReviewChange(tx);
    return { released: holds.length };
  });
  // Read after the lift that found nothing has committed, so a lift it waited for is in the log.
  if (!outcome) throw await notSilencedError(db, person, actor.id);
  return outcome;
}
