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

/** Turns the email off for the token's kind (or every kind); returns what was turned off, or null for a bad token. */
export async function unsubscribe(
  db: Db,
  secret: string,
  token: string,
  now = new Date(),
): Promise<UnsubscribeClaim | null> {
  const claim = verifyUnsubscribeToken(secret, token, now);
  if (!claim) return null;
  const kinds = claim.kind === "all" ? [...NOTIFICATION_KINDS] : [claim.kind];
  for (const kind of kinds) await setEmailPreference(db, claim.userId, kind, "never");
  return claim;
}
