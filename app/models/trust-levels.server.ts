/**
 * Earned trust levels 0–4 (Discourse's model): computed from what someone did here, stored, and recomputed when it
 * changes; and the one rule for a "new account", which the new-account limits (spam.server.ts) and level 1 share.
 */
import { and, countDistinct, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { comments, flags, posts, userTrust, users, votes } from "#db/schema";
import type { Actor } from "./permissions.server";
import { type TrustSettings, getTrustSettings } from "./trust-settings.server";

export type TrustLevel = 0 | 1 | 2 | 3 | 4;
export const TRUST_LEVELS: readonly TrustLevel[] = [0, 1, 2, 3, 4];

export type TrustCounts = {
  accountAgeDays: number;
  /** Questions, answers, how-tos and comments that are still up. */
  postsWritten: number;
  /** Upvotes on their posts from other people. */
  upvotesReceived: number;
  /** Their answers accepted by someone else's question. */
  acceptedAnswers: number;
  /** Flags they raised that a moderator upheld: they help keep the place tidy. */
  flagsUpheld: number;
  /** Their own posts and comments that moderators took down on a flag in the last FLAGGED_WINDOW_DAYS. */
  flaggedAgainst: number;
};

export type TrustRequirement = {
  accountAgeDays: number;
  postsWritten: number;
  upvotesReceived: number;
  acceptedAnswers: number;
  flagsUpheld: number;
  /** The most of their posts taken down on flags (recently) a level tolerates; null: no limit. */
  maxFlaggedAgainst: number | null;
};
export type TrustRequirements = Record<Exclude<TrustLevel, 0>, TrustRequirement>;

/** Posts taken down on flags count against a level for about half a year, then people get a fresh start. */
export const FLAGGED_WINDOW_DAYS = 180;

/**
 * What each level asks for (all of it) with the default settings. Level 0 is everyone's start: a new account (see
 * isNewAccount), or one that has written nothing yet. Level 1's age is the new-account period (a trust setting).
 */
export const TRUST_REQUIREMENTS: TrustRequirements = {
  1: {
    accountAgeDays: 1,
    postsWritten: 1,
    upvotesReceived: 0,
    acceptedAnswers: 0,
    flagsUpheld: 0,
    maxFlaggedAgainst: null,
  },
  2: {
    accountAgeDays: 7,
    postsWritten: 5,
    upvotesReceived: 3,
    acceptedAnswers: 0,
    flagsUpheld: 0,
    maxFlaggedAgainst: 2,
  },
  3: {
    accountAgeDays: 30,
    postsWritten: 20,
    upvotesReceived: 15,
    acceptedAnswers: 3,
    flagsUpheld: 0,
    maxFlaggedAgainst: 1,
  },
  4: {
    accountAgeDays: 90,
    postsWritten: 50,
    upvotesReceived: 50,
    acceptedAnswers: 10,
    flagsUpheld: 3,
    maxFlaggedAgainst: 0,
  },
};

/** The requirements with the settings in force: nobody leaves level 0 while still a new account. */
export function trustRequirements(settings: Pick<TrustSettings, "newAccountDays">): TrustRequirements {
  const atLeastNewPeriod = (need: TrustRequirement) => ({
    ...need,
    accountAgeDays: Math.max(need.accountAgeDays, Math.ceil(settings.newAccountDays)),
  });
  return {
    1: { ...TRUST_REQUIREMENTS[1], accountAgeDays: Math.ceil(settings.newAccountDays) },
    2: atLeastNewPeriod(TRUST_REQUIREMENTS[2]),
    3: atLeastNewPeriod(TRUST_REQUIREMENTS[3]),
    4: atLeastNewPeriod(TRUST_REQUIREMENTS[4]),
  };
}

export const TRUST_LEVEL_NAMES: Record<TrustLevel, string> = {
  0: "New",
  1: "Basic",
  2: "Member",
  3: "Regular",
  4: "Leader",
};

/** Whether these counts meet every requirement of one level. */
export function meetsRequirement(counts: TrustCounts, need: TrustRequirement): boolean {
  return (
    counts.accountAgeDays >= need.accountAgeDays &&
    counts.postsWritten >= need.postsWritten &&
    counts.upvotesReceived >= need.upvotesReceived &&
    counts.acceptedAnswers >= need.acceptedAnswers &&
    counts.flagsUpheld >= need.flagsUpheld &&
    (need.maxFlaggedAgainst === null || counts.flaggedAgainst <= need.maxFlaggedAgainst)
  );
}

/** The level these counts earn: the highest whose every requirement is met (and every level below it). */
export function levelFor(counts: TrustCounts, requirements: TrustRequirements = TRUST_REQUIREMENTS): TrustLevel {
  let level: TrustLevel = 0;
  for (const candidate of [1, 2, 3, 4] as const) {
    if (!meetsRequirement(counts, requirements[candidate])) break;
    level = candidate;
  }
  return level;
}

// Account age raises levels with time alone, so a stored level is trusted for an hour at most.
const STORED_FOR_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

/**
 * Whether a person is a new account, the one rule for it: a member who signed up less than the `newAccountDays`
 * setting ago (a day by default). The new-account limits apply to them (spam.server.ts), and they are level 0.
 * Mentors and staff are never new: they keep their roles.
 */
export async function isNewAccount(db: Db, userId: string, now = new Date(), settings?: TrustSettings) {
  const { newAccountDays } = settings ?? (await getTrustSettings(db));
  const [row] = await db
    .select({ role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row !== undefined && isNewAccountAt(row, now, newAccountDays);
}

/** isNewAccount's rule for a person already loaded (a list of them, in one query). */
export function isNewAccountAt(person: { role: string; createdAt: Date }, now: Date, newAccountDays: number): boolean {
  return person.role === "member" && person.createdAt.getTime() > now.getTime() - newAccountDays * DAY_MS;
}

/** Counts what a person did here (a handful of indexed counts). Null for an unknown person. */
export async function countTrustActivity(db: Db, userId: string, now = new Date()): Promise<TrustCounts | null> {
  const [user] = await db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return null;
  const [written] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(posts)
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt)));
  const [commented] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(comments)
    .where(and(eq(comments.authorId, userId), isNull(comments.deletedAt)));
  const [upvotes] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(votes)
    .innerJoin(posts, eq(posts.id, votes.postId))
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt), eq(votes.value, 1), ne(votes.userId, userId)));
  const answer = alias(posts, "answer");
  const [accepted] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(posts)
    .innerJoin(answer, eq(answer.id, posts.acceptedAnswerId))
    .where(
      and(eq(answer.authorId, userId), ne(posts.authorId, userId), isNull(posts.deletedAt), isNull(answer.deletedAt)),
    );
  const [upheld] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(flags)
    .where(and(eq(flags.flaggerId, userId), eq(flags.status, "upheld")));
  // One post taken down counts once, however many flags it had; profiles ("user" flags) count too.
  const [against] = await db
    .select({ n: countDistinct(sql`(${flags.targetType}, ${flags.targetId})`) })
    .from(flags)
    .where(
      and(
        eq(flags.targetAuthorId, userId),
        eq(flags.status, "upheld"),
        gt(flags.decidedAt, new Date(now.getTime() - FLAGGED_WINDOW_DAYS * DAY_MS)),
      ),
    );
  return {
    accountAgeDays: Math.floor((now.getTime() - user.createdAt.getTime()) / DAY_MS),
    postsWritten: (written?.n ?? 0) + (commented?.n ?? 0),
    upvotesReceived: upvotes?.n ?? 0,
    acceptedAnswers: accepted?.n ?? 0,
    flagsUpheld: upheld?.n ?? 0,
    flaggedAgainst: against?.n ?? 0,
  };
}

/** Recomputes and stores a person's level now. */
export async function refreshTrustLevel(db: Db, userId: string, now = new Date()): Promise<TrustLevel> {
  const counts = await countTrustActivity(db, userId, now);
  if (!counts) return 0;
  const level = levelFor(counts, trustRequirements(await getTrustSettings(db)));
  const row = {
    level,
    postsWritten: counts.postsWritten,
    upvotesReceived: counts.upvotesReceived,
    acceptedAnswers: counts.acceptedAnswers,
    computedAt: now,
  };
  await db
    .insert(userTrust)
    .values({ userId, ...row })
    .onConflictDoUpdate({ target: userTrust.userId, set: row });
  return level;
}

/**
 * A person's trust level: the stored one while it is fresh (one primary-key read), else recomputed and stored.
 * Triggers drop the stored row when a vote, a post, an accepted answer or a decided flag may change it (migrations).
 */
export async function getTrustLevel(db: Db, userId: string, now = new Date()): Promise<TrustLevel> {
  const [stored] = await db
    .select({ level: userTrust.level, computedAt: userTrust.computedAt })
    .from(userTrust)
    .where(eq(userTrust.userId, userId))
    .limit(1);
  return storedTrustLevel(stored ?? null, now) ?? refreshTrustLevel(db, userId, now);
}

/** A stored level while it is fresh enough to trust, else null (the caller refreshes it with getTrustLevel). */
export function storedTrustLevel(
  stored: { level: number; computedAt: Date } | null,
  now = new Date(),
): TrustLevel | null {
  if (stored && now.getTime() - stored.computedAt.getTime() < STORED_FOR_MS) return toTrustLevel(stored.level);
  return null;
}

/** The actor with their trust level, for the permission checks that depend on it. */
export async function withTrustLevel<A extends Actor>(db: Db, actor: A): Promise<A> {
  // Already looked up for this request (the question page's viewer passes its actor on): no second query.
  if (!actor || actor.trustLevel !== undefined) return actor;
  return { ...actor, trustLevel: await getTrustLevel(db, actor.id) };
}

/** For the profile: the level, the counts behind it, and what the next level still needs. */
export async function getTrustSummary(db: Db, userId: string, now = new Date()) {
  const level = await getTrustLevel(db, userId, now);
  const counts = await countTrustActivity(db, userId, now);
  const requirements = trustRequirements(await getTrustSettings(db));
  const next = level < 4 ? requirements[(level + 1) as Exclude<TrustLevel, 0>] : null;
  return { level, name: TRUST_LEVEL_NAMES[level], counts, next };
}

function toTrustLevel(value: number): TrustLevel {
  return TRUST_LEVELS.find((level) => level === value) ?? 0;
}
