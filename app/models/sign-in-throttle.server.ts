/**
 * Protection against password guessing, per account and per network address (ADDRESS_LOCK): wrong passwords for one
 * email are counted in the database (so every client address and every app process adds to the same count), and too
 * many in a short time lock that email for a while.
 *
 * A device the account was signed in from before (its known-device cookie, app/auth/known-device.server.ts) is counted
 * and locked on its own instead: strangers' guesses cannot lock the owner out of their own laptop, and a known device's
 * wrong passwords lock only that device. Its key is the account's with the device's id after it, so a password reset
 * lifts every lock of the account at once.
 */
import { createHash } from "node:crypto";
import { eq, like, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { signInFailures } from "#db/schema";

export const SIGN_IN_LOCK = {
  /** Wrong passwords allowed in one window; the one that reaches this number locks the account. */
  maxFailures: 10,
  windowMinutes: 15,
  lockMinutes: 15,
} as const;

/**
 * Wrong passwords from one network address before sign-ins from it are paused. A whole office shares one public
 * address, so this counts wrong passwords only (a morning of colleagues signing in counts nothing) and allows many
 * accounts' worth of typos; guessing across many accounts from one place (credential stuffing) is stopped. Browsers
 * that signed in before (known devices) are not paused by it.
 */
export const ADDRESS_LOCK = { maxFailures: 30, windowMinutes: 15, lockMinutes: 15 } as const;

type Lock = { maxFailures: number; windowMinutes: number; lockMinutes: number };

/** Rows for addresses nobody has tried for this long (and not locked) are deleted as new failures come in. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

/** Who is trying: an email address, from a device it was signed in from before (its id) or from anywhere else. */
export type SignInAttempt = { email: string; device?: string | null };

/** The key for an address: a hash, so addresses typed by strangers are not kept in clear. */
function emailHash(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

/** The account's key, or a known device's: the account's followed by the device's id. */
function attemptKey({ email, device }: SignInAttempt): string {
  return device ? `${emailHash(email)}:${device}` : emailHash(email);
}

/** A network address's key (its /64 for IPv6, as the caller groups it): hashed like an email, marked apart from them. */
function addressKey(address: string): string {
  return `address:${emailHash(address)}`;
}

async function lockedUntilOf(db: Db, key: string, now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: signInFailures.lockedUntil })
    .from(signInFailures)
    .where(eq(signInFailures.emailHash, key))
    .limit(1);
  return row?.lockedUntil && row.lockedUntil.getTime() > now.getTime() ? row.lockedUntil : null;
}

/** When this attempt's account (or known device) may try again, or null when it is not locked. */
export async function signInLockedUntil(db: Db, attempt: SignInAttempt, now = new Date()): Promise<Date | null> {
  return lockedUntilOf(db, attemptKey(attempt), now);
}

/** When password sign-ins from this network address may start again (ADDRESS_LOCK), or null when they are not paused. */
export async function addressLockedUntil(db: Db, address: string, now = new Date()): Promise<Date | null> {
  return lockedUntilOf(db, addressKey(address), now);
}

/** Counts one wrong password from this network address; returns the pause it caused (or null). */
export async function recordAddressFailure(
  db: Db,
  address: string,
  now = new Date(),
): Promise<{ failures: number; lockedUntil: Date | null }> {
  return countFailure(db, addressKey(address), ADDRESS_LOCK, now);
}

/**
 * Counts one wrong password for the attempt's account (or known device) and returns the lock it caused (or null). One
 * upsert statement, so concurrent failures from many addresses and processes are all counted; a window that has run
 * out starts again at 1.
 */
export async function recordSignInFailure(
  db: Db,
  attempt: SignInAttempt,
  now = new Date(),
): Promise<{ failures: number; lockedUntil: Date | null }> {
  return countFailure(db, attemptKey(attempt), SIGN_IN_LOCK, now);
}

async function countFailure(
  db: Db,
  key: string,
  lock: Lock,
  now: Date,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowFloor = new Date(now.getTime() - lock.windowMinutes * 60_000).toISOString();
  const lockUntil = new Date(now.getTime() + lock.lockMinutes * 60_000).toISOString();
  const expired = sql`${signInFailures.windowStartedAt} <= ${windowFloor}`;
  const next = sql`(case when ${expired} then 1 else ${signInFailures.failures} + 1 end)`;
  const [row] = await db
    .insert(signInFailures)
    .values({ emailHash: key, failures: 1, windowStartedAt: now, lockedUntil: null })
    .onConflictDoUpdate({
      target: signInFailures.emailHash,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${expired} then excluded.window_started_at else ${signInFailures.windowStartedAt} end`,
        lockedUntil: sql`case when ${next} >= ${lock.maxFailures} then ${lockUntil}::timestamptz else ${signInFailures.lockedUntil} end`,
      },
    })
    .returning({ failures: signInFailures.failures, lockedUntil: signInFailures.lockedUntil });
  await db.execute(sql`
    delete from sign_in_failures
    where window_started_at < ${new Date(now.getTime() - FORGET_AFTER_MS).toISOString()} and (locked_until is null or locked_until < ${now.toISOString()})`);
  const lockedUntil = row?.lockedUntil && row.lockedUntil.getTime() > now.getTime() ? row.lockedUntil : null;
  return { failures: row?.failures ?? 1, lockedUntil };
}

/** Forgets the wrong passwords of this attempt's account, or of its known device: after a successful sign-in. */
export async function clearSignInFailures(db: Db, attempt: SignInAttempt): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.emailHash, attemptKey(attempt)));
}

/** Forgets every wrong password of the account, its known devices' too: after a password reset. */
export async function clearAllSignInFailures(db: Db, email: string): Promise<void> {
  const key = emailHash(email);
  await db
    .delete(signInFailures)
    .where(or(eq(signInFailures.emailHash, key), like(signInFailures.emailHash, `${key}:%`)));
}

/** The message for a paused network address: when to try again, and what works meanwhile. */
export function addressLockedMessage(lockedUntil: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  const time = lockedUntil.toISOString().slice(11, 16);
  return (
    `Too many wrong passwords were tried from your network, so signing in from it is paused for ${minutes} ` +
    `${minutes === 1 ? "minute" : "minutes"} (until ${time} UTC) in browsers that have not signed in here before. ` +
    "A browser you have signed in with before still works, and so does “Forgot password?”."
  );
}

/**
 * The message for a locked account (or known device): when to try again, and what works meanwhile (a browser that signed
 * in before, for the account's lock; a new password, always).
 */
export function lockedMessage(lockedUntil: Date, { isKnownDevice = false } = {}, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  const time = lockedUntil.toISOString().slice(11, 16);
  const paused = `paused for ${minutes} ${minutes === 1 ? "minute" : "minutes"} (until ${time} UTC)`;
  if (isKnownDevice)
    return (
      `Too many wrong passwords were tried for this account in this browser, so signing in to it here is ${paused}. ` +
      "You can use “Forgot password?” to set a new password now."
    );
  return (
    `Too many wrong passwords were tried for this account, so signing in to it is ${paused} in browsers that have not signed in to it before. ` +
    "If it's your account, sign in from a browser you have used before, or use “Forgot password?” to set a new password now."
  );
}
