/**
 * Per-account protection against password guessing: wrong passwords for one email are counted in the database (so every
 * client address and every app process adds to the same count), and too many in a short time lock that email for a while.
 */
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { signInFailures } from "#db/schema";

export const SIGN_IN_LOCK = {
  /** Wrong passwords allowed in one window; the one that reaches this number locks the account. */
  maxFailures: 10,
  windowMinutes: 15,
  lockMinutes: 15,
} as const;

/** Rows for addresses nobody has tried for this long (and not locked) are deleted as new failures come in. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

/** The key for an address: a hash, so addresses typed by strangers are not kept in clear. */
function emailHash(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

/** When the account behind `email` may be tried again, or null when it is not locked. */
export async function signInLockedUntil(db: Db, email: string, now = new Date()): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: signInFailures.lockedUntil })
    .from(signInFailures)
    .where(eq(signInFailures.emailHash, emailHash(email)))
    .limit(1);
  return row?.lockedUntil && row.lockedUntil.getTime() > now.getTime() ? row.lockedUntil : null;
}

/**
 * Counts one wrong password for `email` and returns the lock it caused (or null). One upsert statement, so
 * concurrent failures from many addresses and processes are all counted; a window that has run out starts again at 1.
 */
export async function recordSignInFailure(
  db: Db,
  email: string,
  now = new Date(),
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowFloor = new Date(now.getTime() - SIGN_IN_LOCK.windowMinutes * 60_000).toISOString();
  const lockUntil = new Date(now.getTime() + SIGN_IN_LOCK.lockMinutes * 60_000).toISOString();
  const expired = sql`${signInFailures.windowStartedAt} <= ${windowFloor}`;
  const next = sql`(case when ${expired} then 1 else ${signInFailures.failures} + 1 end)`;
  const [row] = await db
    .insert(signInFailures)
    .values({ emailHash: emailHash(email), failures: 1, windowStartedAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: signInFailures.emailHash,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${expired} then excluded.window_started_at else ${signInFailures.windowStartedAt} end`,
        lockedUntil: sql`case when ${next} >= ${SIGN_IN_LOCK.maxFailures} then ${lockUntil}::timestamptz else ${signInFailures.lockedUntil} end`,
      },
    })
    .returning({ failures: signInFailures.failures, lockedUntil: signInFailures.lockedUntil });
  await db.execute(sql`
    delete from sign_in_failures
    where window_started_at < ${new Date(now.getTime() - FORGET_AFTER_MS).toISOString()} and (locked_until is null or locked_until < ${now.toISOString()})`);
  const lockedUntil = row?.lockedUntil && row.lockedUntil.getTime() > now.getTime() ? row.lockedUntil : null;
  return { failures: row?.failures ?? 1, lockedUntil };
}

/** Forgets the wrong passwords for `email`: after a successful sign-in or a password reset. */
export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.emailHash, emailHash(email)));
}

/** The message for a locked account: when to try again, and that resetting the password works meanwhile. */
export function lockedMessage(lockedUntil: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  const time = lockedUntil.toISOString().slice(11, 16);
  return (
    `Too many wrong passwords were tried for this account, so signing in to it is paused for ${minutes} ${minutes === 1 ? "minute" : "minutes"} ` +
    `(until ${time} UTC). If it's your account, you can use “Forgot password?” to set a new password now.`
  );
}
