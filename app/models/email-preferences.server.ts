/**
 * What email a person wants about their notifications (at once, in a daily digest, or never, per kind), and the
 * signed unsubscribe links in every message, which work without signing in.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import {
  EMAIL_DELIVERIES,
  type EmailDelivery,
  NOTIFICATION_KINDS,
  type NotificationKind,
  emailPreferences,
  users,
} from "#db/schema";

/** What each kind does by email until the person chooses. */
export const EMAIL_DEFAULTS: Record<NotificationKind, EmailDelivery> = {
  answer: "immediate",
  comment: "digest",
  accepted: "immediate",
  mention: "immediate",
  new_post: "digest",
  session_scheduled: "digest",
  invitation: "immediate",
  session_starting: "immediate",
  feedback_request: "digest",
  session_changed: "immediate",
  session_cancelled: "immediate",
  session_answered: "immediate",
  rating: "digest",
  thanks: "digest",
  // Someone waits on the author's decision, and the suggester on the outcome: both at once.
  suggestion: "immediate",
  suggestion_decided: "immediate",
  moderation: "immediate",
};

export async function getEmailPreferences(db: Db, userId: string): Promise<Record<NotificationKind, EmailDelivery>> {
  const rows = await db
    .select({ kind: emailPreferences.kind, delivery: emailPreferences.delivery })
    .from(emailPreferences)
    .where(eq(emailPreferences.userId, userId));
  const chosen = { ...EMAIL_DEFAULTS };
  for (const row of rows)
    if (NOTIFICATION_KINDS.includes(row.kind) && EMAIL_DELIVERIES.includes(row.delivery))
      chosen[row.kind] = row.delivery;
  return chosen;
}

export async function setEmailPreference(
  db: Db,
  userId: string,
  kind: NotificationKind,
  delivery: EmailDelivery,
): Promise<void> {
  await db
    .insert(emailPreferences)
    .values({ userId, kind, delivery, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [emailPreferences.userId, emailPreferences.kind],
      set: { delivery, updatedAt: new Date() },
    });
}

// ---------- unsubscribe links ----------

type UnsubscribeClaim = { userId: string; kind: NotificationKind | "all" };

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(`unsubscribe:${payload}`).digest("base64url");
}

/** A link token naming the person and kind, valid until `expiresAt`; anyone holding it may turn that email off. */
export function unsubscribeToken(secret: string, claim: UnsubscribeClaim, expiresAt: Date): string {
  const payload = Buffer.from(
    JSON.stringify({ u: claim.userId, k: claim.kind, e: Math.floor(expiresAt.getTime() / 1000) }),
  ).toString("base64url");
  return `${payload}.${sign(secret, payload)}`;
}

/** The claim of a genuine, unexpired token; null for anything tampered with, expired or malformed. */
export function verifyUnsubscribeToken(secret: string, token: string, now = new Date()): UnsubscribeClaim | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || token.length > 1000) return null;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      u?: unknown;
      k?: unknown;
      e?: unknown;
    };
    if (typeof data.u !== "string" || typeof data.e !== "number" || data.e * 1000 < now.getTime()) return null;
    const kind = data.k === "all" ? "all" : NOTIFICATION_KINDS.find((k) => k === data.k);
    return kind ? { userId: data.u, kind } : null;
  } catch {
    return null;
  }
}

/**
 * What a link's account is now: deleted accounts are kept anonymised (account-deletion.server.ts), so a link from an
 * older email can outlive its account. `lock` holds the row until commit, so a deletion waits for the caller's writes.
 */
async function isAccountGone(db: Db, userId: string, { lock = false } = {}): Promise<boolean> {
  const query = db.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, userId)).limit(1);
  const [account] = lock ? await query.for("share") : await query;
  return !account || account.deletedAt !== null;
}

/** A genuine link's claim, and whether its account was deleted since (no email goes there, so there's nothing to stop). */
export type UnsubscribeLink = UnsubscribeClaim & { isAccountDeleted?: true };

/** The claim of a genuine, unexpired link, marked when its account no longer exists; null for a bad token. */
export async function readUnsubscribeLink(
  db: Db,
  secret: string,
  token: string,
  now = new Date(),
): Promise<UnsubscribeLink | null> {
  const claim = verifyUnsubscribeToken(secret, token, now);
  if (!claim) return null;
  return (await isAccountGone(db, claim.userId)) ? { ...claim, isAccountDeleted: true } : claim;
}

/**
 * Turns the email off for the token's kind (or every kind); returns what was turned off, or null for a bad token. A
 * deleted account's link writes nothing (its settings went with it) and comes back marked `isAccountDeleted`.
 */
export async function unsubscribe(
  db: Db,
  secret: string,
  token: string,
  now = new Date(),
): Promise<UnsubscribeLink | null> {
  const claim = verifyUnsubscribeToken(secret, token, now);
  if (!claim) return null;
  const kinds = claim.kind === "all" ? [...NOTIFICATION_KINDS] : [claim.kind];
  return db.transaction(async (tx): Promise<UnsubscribeLink> => {
    if (await isAccountGone(tx, claim.userId, { lock: true })) return { ...claim, isAccountDeleted: true };
    for (const kind of kinds) await setEmailPreference(tx, claim.userId, kind, "never");
    return claim;
  });
}
