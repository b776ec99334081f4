/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: registering one while signed in, signing in with one, the
 * settings list and removing one. Challenges live on the server and are deleted when answered, so each is used once;
 * the relying party (site) id and origin come from the configured base URL, never from the request.
 */
import { randomBytes } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { and, asc, count, eq, lt, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { passkeyChallenges, passkeys, users } from "#db/schema";

/** How long the browser has to answer a challenge (the WebAuthn prompt's own timeout is a little shorter). */
export const PASSKEY_CHALLENGE_SECONDS = 5 * 60;
export const MAX_PASSKEYS_PER_PERSON = 20;
export const PASSKEY_NAME_MAX = 60;

/** A ceremony that failed, with a message safe to show (it never says which check failed or whose passkey it was). */
export class PasskeyError extends Error {
  constructor(
    message: string,
    readonly code: "EXPIRED" | "NOT_RECOGNISED" | "INVALID" | "TOO_MANY",
  ) {
    super(message);
  }
}

const NOT_RECOGNISED = "That passkey wasn't accepted. Try again, or sign in another way.";
const EXPIRED = "This passkey request has expired. Please try again.";

/** The site's identity for WebAuthn: its host name (rp id) and exact origin, from the configured base URL. */
export function relyingParty(baseURL: string): { rpID: string; origin: string; rpName: string } {
  const url = new URL(baseURL);
  return { rpID: url.hostname, origin: url.origin, rpName: "PeerDesk" };
}

const TRANSPORTS = new Set<string>(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);
function transportsOf(values: readonly string[] | undefined): AuthenticatorTransportFuture[] {
  return (values ?? []).filter((value): value is AuthenticatorTransportFuture => TRANSPORTS.has(value));
}

async function storeChallenge(
  db: Db,
  { purpose, userId, challenge }: { purpose: "register" | "sign-in"; userId: string | null; challenge: string },
): Promise<string> {
  const id = randomBytes(18).toString("base64url");
  // Unanswered challenges are cleared as new ones are made, so the table never grows past what is in flight.
  await db.delete(passkeyChallenges).where(lt(passkeyChallenges.expiresAt, new Date()));
  await db.insert(passkeyChallenges).values({
    id,
    purpose,
    userId,
    challenge,
    expiresAt: new Date(Date.now() + PASSKEY_CHALLENGE_SECONDS * 1000),
  });
  return id;
}

/** Takes a challenge out of the table (one use, answered right or wrong); null when unknown, spent or expired. */
async function consumeChallenge(
  db: Db,
  { id, purpose, userId }: { id: string; purpose: "register" | "sign-in"; userId: string | null },
): Promise<string | null> {
  const [row] = await db
    .delete(passkeyChallenges)
    .where(and(eq(passkeyChallenges.id, id.slice(0, 100)), eq(passkeyChallenges.purpose, purpose)))
    .returning();
  if (!row || row.expiresAt.getTime() < Date.now() || row.userId !== userId) return null;
  return row.challenge;
}

export async function registrationOptions(
  db: Db,
  { baseURL, user }: { baseURL: string; user: { id: string; email: string; name: string } },
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const existing = await db
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  if (existing.length >= MAX_PASSKEYS_PER_PERSON)
    throw new PasskeyError(`You can have up to ${MAX_PASSKEYS_PER_PERSON} passkeys. Remove one first.`, "TOO_MANY");
  const { rpID, rpName } = relyingParty(baseURL);
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    // The same authenticator twice would only be a confusing second row.
    excludeCredentials: existing.map((row) => ({ id: row.credentialId, transports: transportsOf(row.transports) })),
    // Discoverable ("resident") keys, so signing in needs no email first; the device's PIN or fingerprint is asked.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    timeout: (PASSKEY_CHALLENGE_SECONDS - 30) * 1000,
  });
  const challengeId = await storeChallenge(db, { purpose: "register", userId: user.id, challenge: options.challenge });
  return { challengeId, options };
}

export type PasskeySummary = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null; synced: boolean };

export async function finishRegistration(
  db: Db,
  {
    baseURL,
    userId,
    challengeId,
    response,
    name,
  }: { baseURL: string; userId: string; challengeId: string; response: RegistrationResponseJSON; name: string },
): Promise<PasskeySummary> {
  const challenge = await consumeChallenge(db, { id: challengeId, purpose: "register", userId });
  if (!challenge) throw new PasskeyError(EXPIRED, "EXPIRED");
  const { rpID, origin } = relyingParty(baseURL);
  let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>["registrationInfo"];
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
    info = verified.verified ? verified.registrationInfo : undefined;
  } catch {
    info = undefined;
  }
  if (!info) throw new PasskeyError("Your device's answer couldn't be checked. Please try again.", "INVALID");
  const { credential } = info;
  const [{ n = 0 } = {}] = await db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
  if (n >= MAX_PASSKEYS_PER_PERSON)
    throw new PasskeyError(`You can have up to ${MAX_PASSKEYS_PER_PERSON} passkeys. Remove one first.`, "TOO_MANY");
  const [row] = await db
    .insert(passkeys)
    .values({
      userId,
      name: name.trim().slice(0, PASSKEY_NAME_MAX) || "Passkey",
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: transportsOf(credential.transports ?? response.response.transports),
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
    })
    .onConflictDoNothing({ target: passkeys.credentialId })
    .returning();
  if (!row) throw new PasskeyError("This passkey is already registered.", "INVALID");
  return toSummary(row);
}

export async function authenticationOptions(
  db: Db,
  { baseURL }: { baseURL: string },
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const { rpID } = relyingParty(baseURL);
  // No allow-list: the browser offers the person's discoverable passkeys, and nothing says whether an account exists.
  const options = await generateAuthenticationOptions({
    rpID,
    userVerification: "required",
    timeout: (PASSKEY_CHALLENGE_SECONDS - 30) * 1000,
  });
  const challengeId = await storeChallenge(db, { purpose: "sign-in", userId: null, challenge: options.challenge });
  return { challengeId, options };
}

/**
 * Checks a sign-in answer: the challenge (once), the passkey, its signature, user verification, the origin and rp id,
 * and the counter (one that does not move forward, when the authenticator keeps one, is refused as a clone).
 */
export async function finishAuthentication(
  db: Db,
  { baseURL, challengeId, response }: { baseURL: string; challengeId: string; response: AuthenticationResponseJSON },
): Promise<{ userId: string; passkeyId: number }> {
  const challenge = await consumeChallenge(db, { id: challengeId, purpose: "sign-in", userId: null });
  if (!challenge) throw new PasskeyError(EXPIRED, "EXPIRED");
  const [found] = await db
    .select({ passkey: passkeys, deletedAt: users.deletedAt })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(eq(passkeys.credentialId, String(response.id).slice(0, 1500)))
    .limit(1);
  // A deleted account keeps its row (posts stay under "Former member"): its passkeys never sign in again.
  if (found?.deletedAt) await db.delete(passkeys).where(eq(passkeys.id, found.passkey.id));
  const stored = found && !found.deletedAt ? found.passkey : null;
  if (!stored) throw new PasskeyError(NOT_RECOGNISED, "NOT_RECOGNISED");
  const { rpID, origin } = relyingParty(baseURL);
  let newCounter: number;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: stored.credentialId,
        publicKey: new Uint8Array(Buffer.from(stored.publicKey, "base64url")),
        counter: stored.counter,
        transports: transportsOf(stored.transports),
      },
    });
    if (!verified.verified) throw new PasskeyError(NOT_RECOGNISED, "NOT_RECOGNISED");
    newCounter = verified.authenticationInfo.newCounter;
  } catch {
    throw new PasskeyError(NOT_RECOGNISED, "NOT_RECOGNISED");
  }
  // Only moves the counter forward from the value just checked, so two answers racing cannot both pass.
  const updated = await db
    .update(passkeys)
    .set({ counter: newCounter, lastUsedAt: new Date() })
    .where(and(eq(passkeys.id, stored.id), eq(passkeys.counter, stored.counter)))
    .returning({ id: passkeys.id });
  if (updated.length === 0) throw new PasskeyError(NOT_RECOGNISED, "NOT_RECOGNISED");
  return { userId: stored.userId, passkeyId: stored.id };
}

function toSummary(row: typeof passkeys.$inferSelect): PasskeySummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    synced: row.deviceType === "multiDevice",
  };
}

export async function listPasskeys(db: Db, userId: string): Promise<PasskeySummary[]> {
  const rows = await db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(asc(passkeys.createdAt));
  return rows.map(toSummary);
}

export async function hasPasskey(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ one: sql<number>`1` }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1);
  return row !== undefined;
}

/** Removes one of the person's own passkeys; false when there is no such passkey of theirs. */
export async function removePasskey(db: Db, { userId, passkeyId }: { userId: string; passkeyId: number }) {
  const removed = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id });
  return removed.length > 0;
}
