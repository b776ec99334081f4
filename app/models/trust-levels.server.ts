/** Earned trust levels 0–4 (Discourse's model): computed from what someone did here, stored, and recomputed when it changes. */
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { comments, posts, userTrust, users, votes } from "#db/schema";
import type { Actor } from "./permissions.server";

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
};

type Requirement = { accountAgeDays: number; postsWritten: number; upvotesReceived: number; acceptedAnswers: number };

/**
 * What each level asks for (all of it), and what it is called. Level 0 is everyone's start: an account younger than a
 * day, or one that has written nothing yet.
 */
export const TRUST_REQUIREMENTS: Record<Exclude<TrustLevel, 0>, Requirement> = {
  1: { accountAgeDays: 1, postsWritten: 1, upvotesReceived: 0, acceptedAnswers: 0 },
  2: { accountAgeDays: 7, postsWritten: 5, upvotesReceived: 3, acceptedAnswers: 0 },
  3: { accountAgeDays: 30, postsWritten: 20, upvotesReceived: 15, acceptedAnswers: 3 },
  4: { accountAgeDays: 90, postsWritten: 50, upvotesReceived: 50, acceptedAnswers: 10 },
};

export const TRUST_LEVEL_NAMES: Record<TrustLevel, string> = {
  0: "New",
  1: "Basic",
  2: "Member",
  3: "Regular",
  4: "Leader",
};

/** The level these counts earn: the highest whose every requirement is met. */
export function levelFor(counts: TrustCounts): TrustLevel {
  let level: TrustLevel = 0;
  for (const candidate of [1, 2, 3, 4] as const) {
    const need = TRUST_REQUIREMENTS[candidate];
    const meets =
      counts.accountAgeDays >= need.accountAgeDays &&
      counts.postsWritten >= need.postsWritten &&
      counts.upvotesReceived >= need.upvotesReceived &&
      counts.acceptedAnswers >= need.acceptedAnswers;
    if (!meets) break;
    level = candidate;
  }
  return level;
}

// Account age raises levels with time alone, so a stored level is trusted for an hour at most.
const STORED_FOR_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

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
  return {
    accountAgeDays: Math.floor((now.getTime() - user.createdAt.getTime()) / DAY_MS),
    postsWritten: (written?.n ?? 0) + (commented?.n ?? 0),
    upvotesReceived: upvotes?.n ?? 0,
    acceptedAnswers: accepted?.n ?? 0,
  };
}

/** Recomputes and stores a person's level now. */
export async function refreshTrustLevel(db: Db, userId: string, now = new Date()): Promise<TrustLevel> {
  const counts = await countTrustActivity(db, userId, now);
  if (!counts) return 0;
  const level = levelFor(counts);
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
 * Triggers drop the stored row when a vote, a post or an accepted answer may change it (migration 0019).
 */
export async function getTrustLevel(db: Db, userId: string, now = new Date()): Promise<TrustLevel> {
  const [stored] = await db
    .select({ level: userTrust.level, computedAt: userTrust.computedAt })
    .from(userTrust)
    .where(eq(userTrust.userId, userId))
    .limit(1);
  if (stored && now.getTime() - stored.computedAt.getTime() < STORED_FOR_MS) return toTrustLevel(stored.level);
  return refreshTrustLevel(db, userId, now);
}

/** Level 0: the account the new-account limits are for (younger than a day, or nothing written yet). */
export async function isNewAccount(db: Db, userId: string, now = new Date()): Promise<boolean> {
  return (await getTrustLevel(db, userId, now)) === 0;
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
  const next = level < 4 ? TRUST_REQUIREMENTS[(level + 1) as Exclude<TrustLevel, 0>] : null;
  return { level, name: TRUST_LEVEL_NAMES[level], counts, next };
}

function toTrustLevel(value: number): TrustLevel {
  return TRUST_LEVELS.find((level) => level === value) ?? 0;
}
