/**
 * Per-user limits on writes (posting, voting, commenting), counted in the database so every app process agrees; the
 * count is also where a write checks, inside its transaction, that its account was not suspended meanwhile.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users, writeLimits } from "#db/schema";
import { PostingError, SUSPENDED_MESSAGE } from "./post-errors.server";

export type WriteRule = { max: number; windowSeconds: number };

export const WRITE_RULES = {
  question: { max: 10, windowSeconds: 60 * 60 },
  answer: { max: 30, windowSeconds: 60 * 60 },
  howto: { max: 10, windowSeconds: 60 * 60 },
  comment: { max: 30, windowSeconds: 10 * 60 },
  vote: { max: 60, windowSeconds: 10 * 60 },
  edit: { max: 60, windowSeconds: 60 * 60 },
  feedback: { max: 60, windowSeconds: 60 * 60 },
  thanks: { max: 60, windowSeconds: 10 * 60 },
  invite: { max: 10, windowSeconds: 60 * 60 },
  follow: { max: 120, windowSeconds: 60 * 60 },
  save: { max: 120, windowSeconds: 60 * 60 },
  // Profile saves: each one refreshes every cached page that shows the person's name, so a loop of renames would
  // keep the visitors' page cache empty. A few dozen an hour is more than anyone edits their profile.
  profile: { max: 30, windowSeconds: 60 * 60 },
  // Password and email changes in settings, and passkeys added or removed: only attempts with the right password count
  // (wrong ones are passwordCheck), so typos never use them up. Signing devices out is never limited: it only removes
  // access, and a person defending their account may need it again and again.
  account: { max: 10, windowSeconds: 60 * 60 },
  // Wrong current passwords typed in settings (changing the password or address, deleting the account): ten an hour
  // leaves room for typos and none for guessing (checkCountingFailures counts them before the check, so parallel
  // guesses cannot slip past).
  passwordCheck: { max: 10, windowSeconds: 60 * 60 },
  // Two-step sign-in settings (turning it on or off, a set-up code, new backup codes): apart from the other account
  // changes so a fumbled set-up never blocks a password change; each step asks for the password or a code.
  twoStep: { max: 20, windowSeconds: 60 * 60 },
  glossary: { max: 60, windowSeconds: 60 * 60 },
  flag: { max: 30, windowSeconds: 60 * 60 },
  // Moderators hiding and showing profiles (a spam wave can mean many in an hour).
  moderate: { max: 120, windowSeconds: 60 * 60 },
  // Moderators deciding in the review queue: a busy hour is a few hundred decisions, a script is more.
  review: { max: 300, windowSeconds: 60 * 60 },
  // Downloads of everything about a person (settings "Your data", or an admin on request): heavy, rarely needed.
  export: { max: 10, windowSeconds: 60 * 60 },
  // Editor helpers: generous, they fire while people type, but still bounded per person.
  preview: { max: 120, windowSeconds: 60 },
  draft: { max: 120, windowSeconds: 10 * 60 },
  // Backups of the whole database an admin asks for: each copies everything, so a handful an hour.
  backup: { max: 6, windowSeconds: 60 * 60 },
  // Pictures added to posts: a how-to with a screenshot per step is a few dozen; more is a script. Counted as one is
  // stored, so a refused upload (too big, past the person's storage, taken down) uses none of it.
  image: { max: 60, windowSeconds: 60 * 60 },
  // Every picture decoded for a post, stored or refused: decoding is the costly part, so refusals are bounded too.
  imageDecode: { max: 180, windowSeconds: 60 * 60 },
} as const satisfies Record<string, WriteRule>;
export type WriteKind = keyof typeof WRITE_RULES;

/**
 * What a suspended account is told it can't do (post, vote, rate, edit): consumeWriteLimit refuses these for an account
 * banned since the request read it. Questions also count a session's scheduling, comments a session question.
 */
const REFUSED_WHEN_SUSPENDED: ReadonlySet<WriteKind> = new Set<WriteKind>([
  "question",
  "answer",
  "howto",
  "comment",
  "edit",
  "vote",
  "feedback",
  "thanks",
  "flag",
]);

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(
      `We need a short pause before you can do that again. Please wait ${formatWait(retryAfterSeconds)} and try again.`,
    );
  }
}

/** "1 second", "45 seconds", then whole minutes rounded up (at least 2): never "1 seconds" or "1 minutes". */
export function formatWait(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * Refuses a write by an account that is banned now, whatever the request read at its start (PostingError, 403, the
 * words assertCan uses). Inside a write's transaction it reads the account row FOR SHARE and holds it until commit: a
 * ban (or silence) takes the row first (lockAccountForModeration), so it either waits for this write and then hides it
 * with the rest, or this write waits for the ban and is refused. Silence checks later in the same transaction
 * (screenNewContent, screenEdit) are exact for the same reason. Call it before the write locks any content row, so a
 * ban, which locks the account and then the content, cannot deadlock with it.
 */
export async function assertNotSuspended(tx: Db, userId: string): Promise<void> {
  const [account] = await tx.select({ banned: users.banned }).from(users).where(eq(users.id, userId)).for("share");
  if (account?.banned) throw new PostingError(SUSPENDED_MESSAGE, {}, 403);
}

/**
 * Takes a person's account row first in a ban's or silence's transaction: writes of theirs in flight (assertNotSuspended,
 * FOR SHARE) finish before it goes on, so hiding their content finds them, and writes that come later wait for the
 * decision and see it. FOR NO KEY UPDATE, not FOR UPDATE: rows that only refer to the account (another ban's notices to
 * them, a log entry naming them as moderator) take FOR KEY SHARE, which this lets through, so two decisions each
 * writing such rows about the other's person never wait for each other in a circle (a deadlock on PostgreSQL).
 */
export async function lockAccountForModeration(tx: Db, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("no key update");
}

/**
 * Counts one write of this kind for the user, or throws RateLimitedError with the seconds until the
 * window resets. One upsert statement, so concurrent requests cannot both slip under the limit. For what a suspended
 * account can't do, first refuses one banned since the request began (assertNotSuspended): call it first in the
 * write's transaction.
 */
export async function consumeWriteLimit(
  db: Db,
  { userId, kind, now = new Date() }: { userId: string; kind: WriteKind; now?: Date },
): Promise<void> {
  if (REFUSED_WHEN_SUSPENDED.has(kind)) await assertNotSuspended(db, userId);
  const rule: WriteRule = WRITE_RULES[kind];
  const key = `${kind}:${userId}`;
  const windowStartFloor = new Date(now.getTime() - rule.windowSeconds * 1000);
  const expired = sql`${writeLimits.windowStart} <= ${windowStartFloor.toISOString()}`;
  const [row] = await db
    .insert(writeLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: writeLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${writeLimits.count} + 1 end`,
        windowStart: sql`case when ${expired} then excluded.window_start else ${writeLimits.windowStart} end`,
      },
    })
    .returning({ count: writeLimits.count, windowStart: writeLimits.windowStart });
  if (!row) return;
  if (row.count > rule.max) {
    const resetsAt = row.windowStart.getTime() + rule.windowSeconds * 1000;
    throw new RateLimitedError(Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000)));
  }
}

/** Gives back one write of this kind, counted up front for an attempt that turned out not to count. */
export async function refundWriteLimit(db: Db, { userId, kind }: { userId: string; kind: WriteKind }): Promise<void> {
  await db
    .update(writeLimits)
    .set({ count: sql`greatest(${writeLimits.count} - 1, 0)` })
    .where(eq(writeLimits.key, `${kind}:${userId}`));
}

/**
 * Runs a check (a typed password) whose failures count against `kind`: the attempt is counted before it runs, so
 * parallel guesses cannot slip past the limit, and given back when it passed. Throws RateLimitedError past the limit.
 */
export async function checkCountingFailures(
  db: Db,
  { userId, kind, check }: { userId: string; kind: WriteKind; check: () => Promise<boolean> },
): Promise<boolean> {
  await consumeWriteLimit(db, { userId, kind });
  const passed = await check();
  if (passed) await refundWriteLimit(db, { userId, kind });
  return passed;
}
