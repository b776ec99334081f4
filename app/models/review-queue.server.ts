/**
 * The moderators' review queue: flagged things grouped per thing (reasons, and each flagger's track record but not
 * their name), content held for review, and suggested how-to edits; and the decisions taken on them, each recorded in
 * the public moderation log without naming flaggers, each told to the flaggers and the author.
 */
import { type SQL, and, desc, eq, getTableColumns, inArray, ne, or, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import {
  type FlagReason,
  type Role,
  contentHolds,
  editSuggestions,
  comments,
  flags,
  moderationLog,
  posts,
  userSilences,
  users,
} from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { FLAG_REASON_LABELS, flagWeight } from "./flags.server";
import {
  type ContentRef,
  announceReviewChange,
  describeModeratedThings,
  decideHold,
  hideContent,
  isSilenceInForce,
  sendNotice,
  silenceUser,
} from "./holds.server";
import { ANONYMOUS_NAME } from "./anonymity.server";
import { recordModeration } from "./moderation.server";
import { type Actor, canModeratePerson } from "./permissions.server";
import { PostingError, assertCan, assertCanModeratePerson } from "./post-errors.server";
import { lockAccountForModeration } from "./rate-limits.server";
import { STAFF_PROFILE_MESSAGE, applyProfileHiding } from "./profile-hiding.server";
import { isNewAccount, isNewAccountAt } from "./trust-levels.server";
import { type TrustSettings, getTrustSettings } from "./trust-settings.server";
import { parseId } from "~/lib/ids";

/**
 * Whether a flagged thing was deleted by a person since (its author, or staff from its own page; who deleted a comment
 * isn't recorded): nothing is left to decide, so it no longer waits in the queue, and a decision sent from an older
 * page is refused (decideReviewItem). Content hidden by a hold or a decision is not this: the system hides it unnamed.
 */
function isDeletedByPerson(type: SQL, id: SQL): SQL {
  const numeric = (kind: string) => sql`(case when ${type} = ${kind} and ${id} ~ '^[0-9]{1,9}$' then ${id}::int end)`;
  return sql`(exists (select 1 from posts p
      where p.id = ${numeric("post")} and p.deleted_at is not null and p.deleted_by is not null)
    or exists (select 1 from comments c
      where c.id = ${numeric("comment")} and c.deleted_at is not null
        and not exists (select 1 from content_holds h
          where h.target_type = 'comment' and h.target_id = ${id} and h.status = 'pending')))`;
}

/** Flagged or held things waiting for a decision, each counted once (a held post with flags is one thing). */
const flaggedOrHeldCount = sql`(select count(*) from (
    select target_type, target_id from flags where status = 'pending'
    union
    select target_type, target_id from content_holds where status = 'pending') pending
  where not ${isDeletedByPerson(sql`pending.target_type`, sql`pending.target_id`)})`;

/** Things waiting for a decision: flagged or held things (each counted once) and pending suggested edits. */
export async function countPendingReview(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select (${flaggedOrHeldCount} + (select count(*) from edit_suggestions where status = 'pending'))::int as n`,
  );
  return row?.n ?? 0;
}

/** What the "Flagged and held" tab counts: all of them, not only the page listReviewQueue shows. */
export async function countFlaggedOrHeld(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select ${flaggedOrHeldCount}::int as n`);
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

/**
 * The `limit` flagged or held things that waited longest, oldest first (what waited longest is decided first): each
 * thing's wait starts at the earliest of its pending flags and its hold, so flags and holds are weighed together.
 */
export async function listReviewQueue(db: Db, limit = 50): Promise<ReviewItem[]> {
  const now = new Date();
  const settings = await getTrustSettings(db);
  const items: ReviewItem[] = [];
  // A thing whose content or author is gone is left out, and the next oldest takes its place.
  for (let offset = 0; items.length < limit; ) {
    const refs = await oldestWaiting(db, { limit: limit - items.length, offset });
    if (refs.length === 0) break;
    offset += refs.length;
    items.push(...(await describeReviewItems(db, refs, { now, settings })));
  }
  return items.sort((a, b) => a.oldest.getTime() - b.oldest.getTime());
}

/** One page of waiting things, by how long each has waited (ties in a fixed order, so pages neither skip nor repeat). */
async function oldestWaiting(db: Db, { limit, offset }: { limit: number; offset: number }): Promise<ContentRef[]> {
  const rows = await queryRows<{ target_type: ContentRef["type"]; target_id: string }>(
    db,
    sql`select target_type, target_id from (
        select target_type, target_id, created_at from flags where status = 'pending'
        union all
        select target_type, target_id, created_at from content_holds where status = 'pending') waiting
      where not ${isDeletedByPerson(sql`waiting.target_type`, sql`waiting.target_id`)}
      group by target_type, target_id
      order by min(created_at), target_type, target_id
      limit ${limit} offset ${offset}`,
  );
  return rows.map((row) => ({ type: row.target_type, id: row.target_id }));
}

const keyOf = (ref: { targetType: ContentRef["type"]; targetId: string } | ContentRef) =>
  "targetType" in ref ? `${ref.targetType}:${ref.targetId}` : `${ref.type}:${ref.id}`;

/**
 * The queue's cards for these things, in their order: the same few queries however many there are (flags, holds,
 * flaggers' records, what each thing is and where, authors).
 */
async function describeReviewItems(
  db: Db,
  refs: ContentRef[],
  { now, settings }: { now: Date; settings: TrustSettings },
): Promise<ReviewItem[]> {
  const isTarget = (table: typeof flags | typeof contentHolds) =>
    or(...refs.map((ref) => and(eq(table.targetType, ref.type), eq(table.targetId, ref.id))));
  const pendingFlags = await db
    .select({
      ...getTableColumns(flags),
      isFlaggerDeleted: sql<boolean>`${users.deletedAt} is not null`,
      flaggerCreatedAt: users.createdAt,
      flaggerRole: users.role,
    })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.flaggerId))
    .where(and(eq(flags.status, "pending"), isTarget(flags)))
    .orderBy(flags.createdAt, flags.id);
  const pendingHolds = await db
    .select()
    .from(contentHolds)
    .where(and(eq(contentHolds.status, "pending"), isTarget(contentHolds)));
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
  const described = await describeModeratedThings(db, refs);
  const authors = await reviewAuthors(
    db,
    described.flatMap((thing) => (thing && thing.anonymousIn === null ? [thing.snap.authorId] : [])),
    { now, settings },
  );
  const items: ReviewItem[] = [];
  for (const [index, ref] of refs.entries()) {
    const key = keyOf(ref);
    const thing = described[index];
    if (!thing) continue;
    const { snap, anonymousIn } = thing;
    const itemFlags = pendingFlags.filter((f) => keyOf(f) === key);
    const hold = pendingHolds.find((h) => keyOf(h) === key) ?? null;
    // Decided between the page's queries: no longer waiting.
    if (itemFlags.length === 0 && !hold) continue;
    const author: ReviewAuthor | undefined =
      anonymousIn !== null
        ? { isAnonymous: true, name: ANONYMOUS_NAME, handle: null, questionId: anonymousIn }
        : authors.get(snap.authorId);
    if (!author) continue;
    items.push({
      ref,
      kindLabel: snap.kindLabel,
      title: snap.title,
      excerpt: snap.excerpt,
      isWithdrawn: snap.isWithdrawn,
      url: thing.url,
      author,
      flags: itemFlags.map((f) => {
        const history = histories.get(f.flaggerId) ?? { upheld: 0, dismissed: 0 };
        const isNewFlagger = isNewAccountAt(
          { role: f.flaggerRole, createdAt: f.flaggerCreatedAt },
          now,
          settings.newAccountDays,
        );
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
          flaggerNewSince: isNewFlagger ? f.flaggerCreatedAt : null,
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
  return items;
}

/** The named authors as the queue shows them, in one query: whether each is a new account and silenced (isSilenced's rule). */
async function reviewAuthors(
  db: Db,
  authorIds: string[],
  { now, settings }: { now: Date; settings: TrustSettings },
): Promise<Map<string, ReviewAuthor>> {
  const authors = new Map<string, ReviewAuthor>();
  if (authorIds.length === 0) return authors;
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      handle: users.handle,
      role: users.role,
      createdAt: users.createdAt,
      isSilencedRow: sql<boolean>`${userSilences.userId} is not null`,
      silencedUntil: userSilences.until,
    })
    .from(users)
    .leftJoin(userSilences, eq(userSilences.userId, users.id))
    .where(inArray(users.id, [...new Set(authorIds)]));
  for (const { createdAt, isSilencedRow, silencedUntil, ...author } of rows)
    authors.set(author.id, {
      isAnonymous: false,
      ...author,
      isNew: isNewAccountAt({ role: author.role, createdAt }, now, settings.newAccountDays),
      isSilenced: isSilencedRow && isSilenceInForce(silencedUntil, now),
    });
  return authors;
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

/** A decision on something no longer waiting, decided first by someone the queue can't name (a deleted account). */
export const ALREADY_DECIDED_MESSAGE = "Someone else already decided this one.";

/** What a decision did, after "you" or "they": for the message to a moderator whose decision came second. */
const DECISION_DONE: Record<ReviewDecision, string> = {
  keep: "kept it",
  hide: "hid it",
  warn: "hid it and warned the author",
  silence: "hid it and silenced the author",
};

/** The decision taken already on something, by whom: the newest decided flag or hold, and the log's entry for it. */
type EarlierDecision = { byId: string | null; byName: string | null; decision: ReviewDecision | null };

/**
 * Why a decision on something decided already is refused, naming who decided it and how (when the log says): the
 * moderator themself (another tab, a different button on a stale page) or someone else.
 */
function alreadyDecidedMessage(earlier: EarlierDecision | null, actorId: string): string {
  const how = earlier?.decision ? DECISION_DONE[earlier.decision] : null;
  if (earlier?.byId === actorId)
    return how ? `You already decided this one: you ${how}.` : "You already decided this one.";
  if (!earlier?.byName) return ALREADY_DECIDED_MESSAGE;
  return how
    ? `${earlier.byName} already decided this one: they ${how}.`
    : `${earlier.byName} already decided this one.`;
}

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
  // What it is, where it is, and whether its author is the thread's anonymous asker: one query.
  const [thing] = await describeModeratedThings(db, [ref]);
  if (!thing) throw new PostingError("This is no longer there to review.", {}, 404);
  const { snap, url } = thing;
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
  const targetType = snap.kindLabel.replace(" ", "_");
  const outcome = await db.transaction(async (tx): Promise<{ silenced: boolean } | { refusal: string }> => {
    const upheld = decision !== "keep";
    // Upheld may silence the author (below): their account is locked first, before any of their content, as a ban does.
    if (upheld) await lockAccountForModeration(tx, snap.authorId);
    // Deleted meanwhile (its author's own deletion, say): nothing is left to decide. Read under the thing's row lock, so
    // a deletion either landed before this and is seen, or waits for this decision. Its flags and hold are closed (the
    // refusal commits that), and nobody is told anything or logged: a hide would tell its author of a removal they did.
    const deletion = await lockAndReadDeletion(tx, ref);
    if (deletion) {
      await closeWaitingOn(tx, ref, actor.id);
      return { refusal: deletedMeanwhileMessage(deletion, { kind: snap.kindLabel, authorId: snap.authorId, actor }) };
    }
    const decided = await tx
      .update(flags)
      .set({ status: upheld ? "upheld" : "dismissed", decidedBy: actor.id, decidedAt: new Date() })
      .where(and(eq(flags.targetType, ref.type), eq(flags.targetId, ref.id), eq(flags.status, "pending")))
      .returning({ flaggerId: flags.flaggerId, reason: flags.reason });
    const hold = await decideHold(tx, { ref, by: actor.id, outcome: upheld ? "removed" : "released" });
    // Both updates above take only what is still pending, and a second moderator's (or a double submit's) waits for
    // the first to commit. Nothing left: a keep has nothing to keep, and removing what was decided already would tell
    // its author and the log twice. (Removing what was never flagged or held is still a moderator's to do.)
    // The same moderator's same decision again (a double tap, a retried request) is done already: it succeeds as the
    // first did, and nobody is told twice. Anyone else's, or another decision, is refused naming who decided it.
    if (decided.length === 0 && !hold && (upheld ? await wasDecided(tx, ref) : ref.type !== "user")) {
      const earlier = await earlierDecision(tx, ref, targetType);
      if (earlier?.byId === actor.id && earlier.decision === decision) return { silenced: false };
      throw new PostingError(alreadyDecidedMessage(earlier, actor.id), {}, 409);
    }
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
      thing.anonymousIn === null &&
      (await isNewAccount(tx, snap.authorId));
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
  if ("refusal" in outcome) throw new PostingError(outcome.refusal, {}, 409);
  return outcome;
}

/** Who deleted a post (null: not recorded, as for comments), when one was deleted by a person. */
type Deletion = { byId: string | null; byName: string | null };

/**
 * Locks the flagged post or comment's row until the decision commits and says whether a person deleted it (see
 * isDeletedByPerson); null when it is there, hidden by the system (a hold, an earlier decision) or not a post or comment.
 */
async function lockAndReadDeletion(tx: Db, ref: ContentRef): Promise<Deletion | null> {
  const id = parseId(ref.id);
  if (id === null) return null;
  if (ref.type === "post") {
    const [post] = await tx
      .select({ deletedAt: posts.deletedAt, deletedBy: posts.deletedBy })
      .from(posts)
      .where(eq(posts.id, id))
      .for("update");
    if (!post?.deletedAt || post.deletedBy === null) return null;
    const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, post.deletedBy));
    return { byId: post.deletedBy, byName: person?.name ?? null };
  }
  if (ref.type === "comment") {
    const [comment] = await tx
      .select({ deletedAt: comments.deletedAt })
      .from(comments)
      .where(eq(comments.id, id))
      .for("update");
    if (!comment?.deletedAt) return null;
    const [hold] = await tx
      .select({ id: contentHolds.id })
      .from(contentHolds)
      .where(
        and(
          eq(contentHolds.targetType, "comment"),
          eq(contentHolds.targetId, ref.id),
          eq(contentHolds.status, "pending"),
        ),
      );
    return hold ? null : { byId: null, byName: null };
  }
  return null;
}

/**
 * Closes what waits on a thing deleted meanwhile: its pending flags ("closed": neither upheld nor dismissed, so no
 * flagger's record or author's standing changes) and its hold (removed: it stays out of sight), so it leaves the queue.
 */
async function closeWaitingOn(tx: Db, ref: ContentRef, actorId: string): Promise<void> {
  await tx
    .update(flags)
    .set({ status: "closed", decidedBy: actorId, decidedAt: new Date() })
    .where(and(eq(flags.targetType, ref.type), eq(flags.targetId, ref.id), eq(flags.status, "pending")));
  await decideHold(tx, { ref, by: actorId, outcome: "removed" });
  await announceReviewChange(tx);
}

/** Why a decision on something deleted meanwhile decided nothing, naming who deleted it as far as it is known. */
function deletedMeanwhileMessage(
  deletion: Deletion,
  { kind, authorId, actor }: { kind: string; authorId: string; actor: NonNullable<Actor> },
): string {
  const rest = "so there is nothing to decide: its flags were closed and it has left the queue.";
  if (deletion.byId === actor.id) return `You deleted this ${kind} after you opened the queue, ${rest}`;
  const by =
    deletion.byId === null
      ? ""
      : deletion.byId === authorId
        ? " by its author"
        : ` by ${deletion.byName ?? "a moderator"}`;
  return `This ${kind} was deleted${by} after you opened the queue, ${rest}`;
}

/**
 * Who last decided this thing (the newest decided flag or hold) and, when the log has their review decision on it as
 * `targetType` (how decideReviewItem logs it), which one. Null when nothing on it was ever decided.
 */
async function earlierDecision(tx: Db, ref: ContentRef, targetType: string): Promise<EarlierDecision | null> {
  const onThis = (table: typeof flags | typeof contentHolds) =>
    and(eq(table.targetType, ref.type), eq(table.targetId, ref.id), ne(table.status, "pending"));
  const [flag] = await tx
    .select({ byId: flags.decidedBy, at: flags.decidedAt })
    .from(flags)
    .where(onThis(flags))
    .orderBy(sql`${flags.decidedAt} desc nulls last`)
    .limit(1);
  const [hold] = await tx
    .select({ byId: contentHolds.decidedBy, at: contentHolds.decidedAt })
    .from(contentHolds)
    .where(onThis(contentHolds))
    .orderBy(sql`${contentHolds.decidedAt} desc nulls last`)
    .limit(1);
  const newest = [flag, hold]
    .filter((row) => row !== undefined)
    .sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0))[0];
  if (!newest) return null;
  const { byId } = newest;
  if (byId === null) return { byId, byName: null, decision: null };
  const [person] = await tx.select({ name: users.name }).from(users).where(eq(users.id, byId));
  const [logged] = await tx
    .select({ action: moderationLog.action })
    .from(moderationLog)
    .where(
      and(
        eq(moderationLog.targetType, targetType),
        eq(moderationLog.targetId, ref.id),
        eq(moderationLog.actorId, byId),
        sql`${moderationLog.action} like 'review.%'`,
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(1);
  const decision = REVIEW_DECISIONS.find((d) => logged?.action === `review.${d}`) ?? null;
  return { byId, byName: person?.name ?? null, decision };
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
