/**
 * The moderators' review queue: flagged things grouped per thing (reasons, and each flagger's track record but not
 * their name), content held for review, and suggested how-to edits; and the decisions taken on them, each recorded in
 * the public moderation log without naming flaggers, each told to the flaggers and the author.
 */
import { and, desc, eq, getTableColumns, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type FlagReason, type Role, contentHolds, editSuggestions, flags, posts, users } from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { FLAG_REASON_LABELS, flagWeight } from "./flags.server";
import {
  type ContentRef,
  announceReviewChange,
  contentUrl,
  describeContent,
  decideHold,
  hideContent,
  isSilenced,
  sendNotice,
  silenceUser,
} from "./holds.server";
import { ANONYMOUS_NAME, anonymousInThread } from "./anonymity.server";
import { recordModeration } from "./moderation.server";
import { type Actor, canModeratePerson } from "./permissions.server";
import { PostingError, assertCan, assertCanModeratePerson } from "./post-errors.server";
import { STAFF_PROFILE_MESSAGE, applyProfileHiding } from "./profile-hiding.server";
import { isNewAccount } from "./trust-levels.server";
import { getTrustSettings } from "./trust-settings.server";
import { parseId } from "~/lib/ids";

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Flagged or held things waiting for a decision, each counted once (a held post with flags is one thing). */
const flaggedOrHeldCount = sql`(select count(*) from (
    select target_type, target_id from flags where status = 'pending'
    union
    select target_type, target_id from content_holds where status = 'pending') pending)`;

/** Things waiting for a decision: flagged or held things (each counted once) and pending suggested edits. */
export async function countPendingReview(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select (${flaggedOrHeldCount} + (select count(*) from edit_suggestions where status = 'pending'))::int as n`,
    ),
  );
  return row?.n ?? 0;
}

/** What the "Flagged and held" tab counts: all of them, not only the page listReviewQueue shows. */
export async function countFlaggedOrHeld(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select ${flaggedOrHeldCount}::int as n`));
  return row?.n ?? 0;
}

export type ReviewFlag = {
  id: number;
  reason: FlagReason;
  reasonLabel: string;
  details: string;
  /** The flagger's account was deleted, and the note they wrote (if any) with it (account-deletion.server.ts). */
  isNoteRemoved: boolean;
  duplicateOfId: number | null;
  createdAt: Date;
  /** The flagger's record before this flag was decided; never their name. */
  flaggerUpheld: number;
  flaggerDecided: number;
  /** When the flagger signed up, while their account is new (isNewAccount: its flags weigh less); null after that. */
  flaggerNewSince: Date | null;
  weight: number;
};

/**
 * Who wrote a reviewed thing. The asker of an anonymous question, on that question and on their own answers and
 * comments in its thread, is shown as the question page shows them, and nothing here identifies them: a moderator who
 * must know uses the logged reveal on the question's close page (anonymity.server.ts).
 */
export type ReviewAuthor =
  | {
      isAnonymous: false;
      id: string;
      name: string;
      handle: string | null;
      role: Role;
      isNew: boolean;
      isSilenced: boolean;
    }
  | { isAnonymous: true; name: typeof ANONYMOUS_NAME; handle: null; questionId: number };

export type ReviewItem = {
  ref: ContentRef;
  /** question, answer, how-to, comment, session question, profile */
  kindLabel: string;
  title: string;
  excerpt: string;
  url: string | null;
  author: ReviewAuthor;
  flags: ReviewFlag[];
  totalWeight: number;
  hold: { reason: string; message: string } | null;
  /** A session question its asker withdrew (no longer shown in the session). */
  isWithdrawn: boolean;
  oldest: Date;
};

/** Every pending flagged or held thing, oldest first (what waited longest is decided first). */
export async function listReviewQueue(db: Db, limit = 50): Promise<ReviewItem[]> {
  const pendingFlags = await db
    .select({
      ...getTableColumns(flags),
      isFlaggerDeleted: sql<boolean>`${users.deletedAt} is not null`,
      flaggerCreatedAt: users.createdAt,
    })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.flaggerId))
    .where(eq(flags.status, "pending"))
    .orderBy(flags.createdAt)
    .limit(500);
  const pendingHolds = await db
    .select()
    .from(contentHolds)
    .where(eq(contentHolds.status, "pending"))
    .orderBy(contentHolds.createdAt)
    .limit(500);
  const keys = new Map<string, ContentRef>();
  for (const row of [...pendingFlags, ...pendingHolds])
    keys.set(`${row.targetType}:${row.targetId}`, { type: row.targetType, id: row.targetId });
  const flaggerIds = [...new Set(pendingFlags.map((f) => f.flaggerId))];
  const histories = new Map<string, { upheld: number; dismissed: number }>();
  if (flaggerIds.length > 0) {
    const rows = await db
      .select({
        flaggerId: flags.flaggerId,
        upheld: sql<number>`count(*) filter (where ${flags.status} = 'upheld')::int`,
        dismissed: sql<number>`count(*) filter (where ${flags.status} = 'dismissed')::int`,
      })
      .from(flags)
      .where(inArray(flags.flaggerId, flaggerIds))
      .groupBy(flags.flaggerId);
    for (const row of rows) histories.set(row.flaggerId, { upheld: row.upheld, dismissed: row.dismissed });
  }
  const settings = await getTrustSettings(db);
  const newFlaggers = new Set<string>();
  for (const flaggerId of flaggerIds)
    if (await isNewAccount(db, flaggerId, new Date(), settings)) newFlaggers.add(flaggerId);
  const items: ReviewItem[] = [];
  for (const [key, ref] of keys) {
    if (items.length >= limit) break;
    const snap = await describeContent(db, ref);
    if (!snap) continue;
    const itemFlags = pendingFlags.filter((f) => `${f.targetType}:${f.targetId}` === key);
    const hold = pendingHolds.find((h) => `${h.targetType}:${h.targetId}` === key) ?? null;
    const author = await reviewAuthor(db, ref, snap.authorId);
    if (!author) continue;
    items.push({
      ref,
      kindLabel: snap.kindLabel,
      title: snap.title,
      excerpt: snap.excerpt,
      isWithdrawn: snap.isWithdrawn,
      url: await contentUrl(db, ref),
      author,
      flags: itemFlags.map((f) => {
        const history = histories.get(f.flaggerId) ?? { upheld: 0, dismissed: 0 };
        return {
          id: f.id,
          reason: f.reason,
          reasonLabel: FLAG_REASON_LABELS[f.reason],
          details: f.details,
          isNoteRemoved: f.isFlaggerDeleted,
          duplicateOfId: f.duplicateOfId,
          createdAt: f.createdAt,
          flaggerUpheld: history.upheld,
          flaggerDecided: history.upheld + history.dismissed,
          flaggerNewSince: newFlaggers.has(f.flaggerId) ? f.flaggerCreatedAt : null,
          weight: f.weight,
        };
      }),
      totalWeight: itemFlags.reduce((sum, f) => sum + f.weight, 0),
      hold: hold ? { reason: hold.reason, message: hold.message } : null,
      oldest: new Date(
        Math.min(...itemFlags.map((f) => f.createdAt.getTime()), hold?.createdAt.getTime() ?? Number.POSITIVE_INFINITY),
      ),
    });
  }
  return items.sort((a, b) => a.oldest.getTime() - b.oldest.getTime());
}

/** The author as the queue may show them: the anonymous asker of the thread in the question page's words only. */
async function reviewAuthor(db: Db, ref: ContentRef, authorId: string): Promise<ReviewAuthor | null> {
  const anonymousIn = await anonymousQuestionOf(db, ref, authorId);
  if (anonymousIn !== null) return { isAnonymous: true, name: ANONYMOUS_NAME, handle: null, questionId: anonymousIn };
  const [author] = await db
    .select({ id: users.id, name: users.name, handle: users.handle, role: users.role })
    .from(users)
    .where(eq(users.id, authorId));
  if (!author) return null;
  return {
    isAnonymous: false,
    ...author,
    isNew: await isNewAccount(db, author.id),
    isSilenced: await isSilenced(db, author.id),
  };
}

/**
 * The thread's question when the author of this post or comment is its anonymous asker (the rule of
 * anonymousInThread, as on the question page); null otherwise.
 */
async function anonymousQuestionOf(db: Db, ref: ContentRef, authorId: string): Promise<number | null> {
  const id = parseId(ref.id);
  if (id === null || (ref.type !== "post" && ref.type !== "comment")) return null;
  const post =
    ref.type === "post"
      ? sql`select p.id, p.parent_id from posts p where p.id = ${id}`
      : sql`select p.id, p.parent_id from comments c join posts p on p.id = c.post_id where c.id = ${id}`;
  const [row] = rowsOf<{ question_id: number; is_anonymous: boolean }>(
    await db.execute(sql`select coalesce(t.parent_id, t.id)::int as question_id,
        ${anonymousInThread(sql`t.id`, sql`${authorId}`)} as is_anonymous
      from (${post}) t`),
  );
  return row?.is_anonymous ? row.question_id : null;
}

/** Suggested how-to edits waiting for their author or a moderator (decided on the how-to's suggestions page). */
export async function listPendingSuggestedEdits(db: Db, limit = 50) {
  const rows = await db
    .select({
      id: editSuggestions.id,
      postId: editSuggestions.postId,
      title: posts.title,
      createdAt: editSuggestions.createdAt,
    })
    .from(editSuggestions)
    .innerJoin(posts, eq(posts.id, editSuggestions.postId))
    .where(eq(editSuggestions.status, "pending"))
    .orderBy(desc(editSuggestions.createdAt))
    .limit(limit);
  return rows.map((row) => ({ ...row, url: `${howtoPath(row.postId)}/suggestions` }));
}

export const REVIEW_DECISIONS = ["keep", "hide", "warn", "silence"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

const OUTCOME_FOR_FLAGGER: Record<ReviewDecision, string> = {
  keep: "A moderator looked at what you flagged and decided to keep it. Thank you for keeping an eye out.",
  hide: "A moderator agreed with your flag and removed what you reported. Thank you.",
  warn: "A moderator agreed with your flag, removed what you reported and warned its author. Thank you.",
  silence: "A moderator agreed with your flag, removed what you reported and silenced its author. Thank you.",
};

/** A decision on something no longer waiting (another moderator, or the same form sent twice, decided it first). */
export const ALREADY_DECIDED_MESSAGE = "Someone else already decided this one.";

export const OWN_CONTENT_KEEP_MESSAGE =
  "An admin decides whether to keep your own post or profile. You can still edit or delete it.";

/**
 * Decides a flagged or held thing: keep (flags dismissed, a hold released), hide (flags upheld, content hidden),
 * warn or silence its author (both also hide). A spam flag upheld on a new account's post silences that account and
 * holds its other posts. Flaggers and the author are told; the log names the moderator, never the flaggers.
 */
export async function decideReviewItem(
  db: Db,
  { actor, ref, decision, note = "" }: { actor: Actor; ref: ContentRef; decision: ReviewDecision; note?: string },
): Promise<{ silenced: boolean }> {
  assertCan(actor, "review.decide");
  if (decision === "silence") assertCan(actor, "user.silence");
  if (decision === "warn") assertCan(actor, "user.warn");
  // Posts, comments and session questions have numeric ids: anything else names nothing (and must not reach SQL).
  if (ref.type !== "user" && parseId(ref.id) === null)
    throw new PostingError("This is no longer there to review.", {}, 404);
  const snap = await describeContent(db, ref);
  if (!snap) throw new PostingError("This is no longer there to review.", {}, 404);
  const [author] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, snap.authorId));
  if (!author) throw new PostingError("This is no longer there to review.", {}, 404);
  // Warning or silencing the author, or upholding anything on a profile, acts on the person: only over someone the
  // moderator outranks, never on themselves (checked before any write). Removing a post or comment does not.
  if (decision === "warn" || decision === "silence" || (decision !== "keep" && ref.type === "user"))
    assertCanModeratePerson(actor, author);
  // As on the profile page: a staff profile is not hidden (its role changes first).
  if (decision !== "keep" && ref.type === "user" && (author.role === "moderator" || author.role === "admin"))
    throw new PostingError(STAFF_PROFILE_MESSAGE, {}, 403);
  // A moderator does not dismiss flags on, or release a hold of, their own post or profile: an admin does. (An admin
  // may: nobody outranks them, and a site with one admin would otherwise keep those flags for ever. The log names them.)
  if (decision === "keep" && actor.id === author.id && actor.role !== "admin")
    throw new PostingError(OWN_CONTENT_KEEP_MESSAGE, {}, 403);
  const url = await contentUrl(db, ref);
  return db.transaction(async (tx) => {
    const upheld = decision !== "keep";
    const decided = await tx
      .update(flags)
      .set({ status: upheld ? "upheld" : "dismissed", decidedBy: actor.id, decidedAt: new Date() })
      .where(and(eq(flags.targetType, ref.type), eq(flags.targetId, ref.id), eq(flags.status, "pending")))
      .returning({ flaggerId: flags.flaggerId, reason: flags.reason });
    const hold = await decideHold(tx, { ref, by: actor.id, outcome: upheld ? "removed" : "released" });
    // Both updates above take only what is still pending, and a second moderator's (or a double submit's) waits for
    // the first to commit. Nothing left: a keep has nothing to keep, and removing what was decided already would tell
    // its author and the log twice. (Removing what was never flagged or held is still a moderator's to do.)
    if (decided.length === 0 && !hold && (upheld ? await wasDecided(tx, ref) : ref.type !== "user"))
      throw new PostingError(ALREADY_DECIDED_MESSAGE, {}, 409);
    if (upheld) await hideContent(tx, ref);
    // A profile flag upheld: the bio, picture and pitch leave every page (profile-hiding.server.ts).
    if (upheld && ref.type === "user")
      await applyProfileHiding(tx, { userId: ref.id, by: actor.id, reason: note || "Flags upheld by a moderator." });
    for (const flaggerId of new Set(decided.map((f) => f.flaggerId)))
      await sendNotice(tx, {
        userId: flaggerId,
        kind: upheld ? "flag_upheld" : "flag_dismissed",
        message: OUTCOME_FOR_FLAGGER[decision],
        url: upheld ? null : url,
      });
    const reasons: Partial<Record<FlagReason, number>> = {};
    for (const f of decided) reasons[f.reason] = (reasons[f.reason] ?? 0) + 1;
    const what = snap.kindLabel === "profile" ? "your profile" : `your ${snap.kindLabel}`;
    if (decision === "keep" && hold)
      await sendNotice(tx, {
        userId: snap.authorId,
        kind: "released",
        message: `A moderator approved ${what}${snap.title ? ` in “${snap.title}”` : ""}; it is published now.`,
        url,
      });
    if (upheld && ref.type !== "user")
      await sendNotice(tx, {
        userId: snap.authorId,
        kind: "removed",
        message: `A moderator removed ${what}${snap.title ? ` in “${snap.title}”` : ""}.${note ? ` Note: ${note}` : ""}`,
      });
    if (decision === "warn")
      await sendNotice(tx, {
        userId: snap.authorId,
        kind: "warned",
        message: `A moderator warned you about ${what}. Please keep to the community guidelines.${note ? ` Note: ${note}` : ""}`,
      });
    const targetType = snap.kindLabel.replace(" ", "_");
    await recordModeration(tx, {
      actorId: actor.id,
      action: `review.${decision}`,
      targetType,
      targetId: ref.id,
      reason: note,
      details: { flags: reasons, ...(hold ? { held: hold.reason } : {}) },
    });
    let silenced = false;
    // Never someone this moderator could not silence by hand (isNewAccount counts members only, but the rule is this one),
    // nor the anonymous asker of the thread: the public log would name their account right after this decision on
    // their anonymous post. A moderator who must can look up who asked (which is logged) and silence them by hand.
    const spamUpheldOnNewAccount =
      upheld &&
      reasons.spam !== undefined &&
      canModeratePerson(actor, author) &&
      (await isNewAccount(tx, snap.authorId)) &&
      (await anonymousQuestionOf(tx, ref, snap.authorId)) === null;
    if (decision === "silence" || spamUpheldOnNewAccount) {
      silenced = true;
      await silenceUser(tx, {
        userId: snap.authorId,
        by: decision === "silence" ? actor.id : null,
        reason: decision === "silence" ? note || "Silenced by a moderator." : "Spam from a new account.",
      });
      await sendNotice(tx, {
        userId: snap.authorId,
        kind: "silenced",
        message:
          "Your account is silenced: you can read but not post, and your posts are held, until a moderator reviews your account.",
      });
      await recordModeration(tx, {
        actorId: decision === "silence" ? actor.id : null,
        action: "user.silence",
        targetType: "user",
        targetId: snap.authorId,
        reason: decision === "silence" ? note : "A spam flag was upheld on a new account's post.",
      });
    }
    await announceReviewChange(tx);
    return { silenced };
  });
}

/** Whether flags on this thing, or a hold of it, were decided already (read after the caller's updates waited). */
async function wasDecided(tx: Db, ref: ContentRef): Promise<boolean> {
  const [flag] = await tx
    .select({ id: flags.id })
    .from(flags)
    .where(and(eq(flags.targetType, ref.type), eq(flags.targetId, ref.id), ne(flags.status, "pending")))
    .limit(1);
  if (flag) return true;
  const [hold] = await tx
    .select({ id: contentHolds.id })
    .from(contentHolds)
    .where(
      and(eq(contentHolds.targetType, ref.type), eq(contentHolds.targetId, ref.id), ne(contentHolds.status, "pending")),
    )
    .limit(1);
  return hold !== undefined;
}

/** The flag weight a first-time flagger has, for the queue's explanation. */
export const FIRST_FLAG_WEIGHT = flagWeight({ upheld: 0, dismissed: 0 });
