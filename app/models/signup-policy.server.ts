/**
 * Who may join: the admin's list of allowed email domains, and invitation links (with an expiry and a number of uses)
 * for people at other domains. Every way of creating an account asks `admitNewAccount` (auth.server.ts's hook).
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { signupInvitations, signupPolicy } from "#db/schema";
import { recordModeration } from "./moderation.server";
import { INVITATION_LIMITS } from "~/lib/accounts";

export { INVITATION_LIMITS };

/** A domain as people type it ("Example.org", "@example.org") in the form kept: lowercase, no leading "@". */
export function normalizeDomain(value: string): string {
  return value.trim().toLowerCase().replace(/^@/, "");
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function isDomain(value: string): boolean {
  return DOMAIN.test(value);
}

/** The domain part of an address, lowercase. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

export async function getAllowedDomains(db: Db): Promise<string[]> {
  const [row] = await db.select({ domains: signupPolicy.allowedDomains }).from(signupPolicy).limit(1);
  return row?.domains ?? [];
}

/** Two lists of domains are the same list, whatever their order. */
function sameDomains(a: readonly string[], b: readonly string[]): boolean {
  const sortedA = [...new Set(a)].sort();
  const sortedB = [...new Set(b)].sort();
  return sortedA.length === sortedB.length && sortedA.every((domain, i) => domain === sortedB[i]);
}

/** What an admin is told when the list changed after their page showed it: the list as it is now, in words. */
function domainsChangedMessage(current: readonly string[], changedByThem: boolean): string {
  const who = changedByThem ? "You changed" : "Another admin changed";
  const where = changedByThem ? " in another tab or window" : "";
  const what =
    current.length > 0
      ? `${who} the allowed domains to ${current.join(", ")}${where}`
      : `${who} the allowed domains to none (anyone may sign up now)${where}`;
  return `${what} after you opened this page. Nothing was saved: check the list below and save again.`;
}

/** The allowed domains changed after the admin's page showed them, so their save was refused: `current` is the list now. */
export class AllowedDomainsChangedError extends Error {
  readonly status = 409;
  constructor(
    readonly current: string[],
    changedByThem: boolean,
  ) {
    super(domainsChangedMessage(current, changedByThem));
  }
}

/**
 * Replaces the list (empty: anyone may join). Domains are checked by the caller's schema; this only normalises.
 * `baseDomains` is the list the admin's page showed: if the list changed since, the save is refused
 * (AllowedDomainsChangedError) rather than silently dropping the other change; saving the list that is there already
 * (the same save twice) is done, with nothing written. Without it, the list is replaced whatever it is now.
 */
export async function setAllowedDomains(
  db: Db,
  { domains, by, baseDomains }: { domains: string[]; by: string; baseDomains?: string[] },
): Promise<string[]> {
  const unique = [...new Set(domains.map(normalizeDomain).filter(isDomain))].sort();
  const now = new Date();
  await db.transaction(async (tx) => {
    // The one settings row, made if missing and locked until commit: a save at the same moment waits, then sees this one.
    await tx.insert(signupPolicy).values({ id: 1 }).onConflictDoNothing({ target: signupPolicy.id });
    const [before] = await tx
      .select({ domains: signupPolicy.allowedDomains, updatedBy: signupPolicy.updatedBy })
      .from(signupPolicy)
      .where(eq(signupPolicy.id, 1))
      .for("update");
    const current = before?.domains ?? [];
    if (sameDomains(current, unique)) return;
    if (baseDomains !== undefined && !sameDomains(current, baseDomains.map(normalizeDomain).filter(isDomain)))
      throw new AllowedDomainsChangedError([...current].sort(), before?.updatedBy === by);
    await tx
      .update(signupPolicy)
      .set({ allowedDomains: unique, updatedAt: now, updatedBy: by })
      .where(eq(signupPolicy.id, 1));
    await recordModeration(tx, {
      actorId: by,
      action: "signup.domains",
      targetType: "site",
      targetId: "signup",
      details: { domains: unique.length },
    });
  });
  return unique;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** What an invitation keeps of each address that took one of its uses (signup_invitations.email_hashes). */
const invitationEmailHash = (email: string) => hashToken(email.trim().toLowerCase());

/**
 * Forgets that `email` joined with an invitation, as its account is deleted: its hash leaves every invitation, whose
 * count of uses stays as it is (the use happened).
 */
export async function forgetInvitationUses(db: Db, email: string): Promise<void> {
  const emailHash = invitationEmailHash(email);
  await db
    .update(signupInvitations)
    .set({ emailHashes: sql`array_remove(${signupInvitations.emailHashes}, ${emailHash})` })
    .where(sql`${emailHash} = any(${signupInvitations.emailHashes})`);
}

export type Invitation = {
  id: string;
  note: string;
  maxUses: number;
  uses: number;
  expiresAt: Date;
  createdAt: Date;
  revokedAt: Date | null;
};

/** A new invitation link's secret part (shown to the admin once; only its hash is kept). */
export async function createInvitation(
  db: Db,
  {
    by,
    maxUses,
    days,
    note = "",
    now = new Date(),
  }: { by: string; maxUses: number; days: number; note?: string; now?: Date },
): Promise<{ id: string; token: string }> {
  const token = randomBytes(24).toString("base64url");
  const id = randomUUID();
  await db.insert(signupInvitations).values({
    id,
    tokenHash: hashToken(token),
    note: note.trim().slice(0, INVITATION_LIMITS.noteMax),
    maxUses: Math.min(Math.max(1, Math.trunc(maxUses)), INVITATION_LIMITS.maxUses),
    expiresAt: new Date(now.getTime() + Math.min(Math.max(1, days), INVITATION_LIMITS.maxDays) * 86_400_000),
    createdBy: by,
    createdAt: now,
  });
  return { id, token };
}

export async function listInvitations(db: Db, { limit = 50 }: { limit?: number } = {}): Promise<Invitation[]> {
  return db
    .select({
      id: signupInvitations.id,
      note: signupInvitations.note,
      maxUses: signupInvitations.maxUses,
      uses: signupInvitations.uses,
      expiresAt: signupInvitations.expiresAt,
      createdAt: signupInvitations.createdAt,
      revokedAt: signupInvitations.revokedAt,
    })
    .from(signupInvitations)
    .orderBy(desc(signupInvitations.createdAt))
    .limit(limit);
}

/** Stops a link from working; false when there is no such invitation. */
export async function revokeInvitation(db: Db, { id, now = new Date() }: { id: string; now?: Date }): Promise<boolean> {
  const rows = await db
    .update(signupInvitations)
    .set({ revokedAt: now })
    .where(and(eq(signupInvitations.id, id), isNull(signupInvitations.revokedAt)))
    .returning({ id: signupInvitations.id });
  return rows.length > 0;
}

/** An invitation link's revocation, to say why revoking it did nothing: null when there is no such link. */
export async function invitationRevocation(db: Db, id: string): Promise<{ revokedAt: Date | null } | null> {
  const [row] = await db
    .select({ revokedAt: signupInvitations.revokedAt })
    .from(signupInvitations)
    .where(eq(signupInvitations.id, id))
    .limit(1);
  return row ?? null;
}

const usable = (now: Date) =>
  and(
    isNull(signupInvitations.revokedAt),
    gt(signupInvitations.expiresAt, now),
    lt(signupInvitations.uses, signupInvitations.maxUses),
  );

/** Whether a link still works (not expired, revoked or used up): the sign-up page says so before anyone types. */
export async function invitationIsUsable(db: Db, token: string, now = new Date()): Promise<boolean> {
  if (token.length === 0 || token.length > 200) return false;
  const rows = await db
    .select({ id: signupInvitations.id })
    .from(signupInvitations)
    .where(and(eq(signupInvitations.tokenHash, hashToken(token)), usable(now)))
    .limit(1);
  return rows.length > 0;
}

export const DOMAIN_REFUSED_MESSAGE =
  "This site is for colleagues with an address at its organisation's domains. If you were invited, open the invitation link you were sent and sign up from there.";

/**
 * Whether a new account with this address may be created: always while no domains are set, at an allowed domain, or
 * with a usable invitation, one of whose uses this takes (in one UPDATE, so two people cannot share the last use).
 * An address takes one use however often it asks: "Create account" pressed twice sends two sign-ups, only one of which
 * can make the account (the other finds the address taken), and the link's other uses stay for the people it was for.
 */
export async function admitNewAccount(
  db: Db,
  { email, invitationToken, now = new Date() }: { email: string; invitationToken?: string | null; now?: Date },
): Promise<{ ok: true } | { ok: false; message: string }> {
  const domains = await getAllowedDomains(db);
  if (domains.length === 0 || domains.includes(domainOf(email))) return { ok: true };
  if (invitationToken && invitationToken.length <= 200) {
    const tokenHash = hashToken(invitationToken);
    const emailHash = invitationEmailHash(email);
    const tookUse = sql`${emailHash} = any(${signupInvitations.emailHashes})`;
    const claimed = await db
      .update(signupInvitations)
      .set({
        uses: sql`${signupInvitations.uses} + 1`,
        emailHashes: sql`array_append(${signupInvitations.emailHashes}, ${emailHash})`,
      })
      .where(and(eq(signupInvitations.tokenHash, tokenHash), usable(now), sql`not (${tookUse})`))
      .returning({ id: signupInvitations.id });
    if (claimed.length > 0) return { ok: true };
    const [tookOneAlready] = await db
      .select({ id: signupInvitations.id })
      .from(signupInvitations)
      .where(
        and(
          eq(signupInvitations.tokenHash, tokenHash),
          isNull(signupInvitations.revokedAt),
          gt(signupInvitations.expiresAt, now),
          tookUse,
        ),
      )
      .limit(1);
    if (tookOneAlready) return { ok: true };
    return {
      ok: false,
      message: "This invitation link has expired or been used up. Ask the person who invited you for a new one.",
    };
  }
  return { ok: false, message: DOMAIN_REFUSED_MESSAGE };
}

/**
 * Why a member may not switch their sign-in address to this one, or null when they may: while the admins limit who may
 * join to some domains, a new address must be at one of them, so an account cannot move off the organisation's
 * domains. Staying at the domain the account already uses (someone who joined with an invitation) is always fine.
 */
export async function emailChangeRefusal(
  db: Db,
  { currentEmail, newEmail }: { currentEmail: string; newEmail: string },
): Promise<string | null> {
  const domains = await getAllowedDomains(db);
  const domain = domainOf(newEmail);
  if (domains.length === 0 || domains.includes(domain) || domain === domainOf(currentEmail)) return null;
  const list = domains.map((d) => `@${d}`).join(", ");
  return `This site only takes sign-in addresses at ${list}. Choose an address there.`;
}
