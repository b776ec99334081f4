/**
 * Two-step sign-in around better-auth's two-factor plugin: the site rule that staff must use it, what a person's
 * settings page shows (on, off, half set up), and the QR code and secret an authenticator app reads.
 */
import { eq, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { type Db, queryRows } from "#db/client.server";
import { type Role, securitySettings, twoFactors, users } from "#db/schema";
import { recordModeration } from "./moderation.server";

export type SecuritySettings = { requireTwoFactorForStaff: boolean };

/** Roles the staff rule covers: everyone with more than a member's permissions. */
export const STAFF_ROLES: readonly Role[] = ["mentor", "moderator", "admin"];

export async function getSecuritySettings(db: Db): Promise<SecuritySettings> {
  const [row] = await db
    .select({ requireTwoFactorForStaff: securitySettings.requireTwoFactorForStaff })
    .from(securitySettings)
    .where(eq(securitySettings.id, 1));
  return { requireTwoFactorForStaff: row?.requireTwoFactorForStaff ?? false };
}

/** A rule about two-step sign-in said no. */
export class TwoFactorRuleError extends Error {}

/**
 * Turns the staff rule on or off (logged). An admin must use two-step sign-in before requiring it, so nobody
 * locks themselves out of the admin pages by accident.
 */
export async function setStaffTwoFactorRequirement(
  db: Db,
  { required, by }: { required: boolean; by: string },
): Promise<{ staffWithout: number }> {
  return db.transaction(async (tx) => {
    if (required) {
      const [admin] = await tx.select({ enabled: users.twoFactorEnabled }).from(users).where(eq(users.id, by)).limit(1);
      if (!admin?.enabled)
        throw new TwoFactorRuleError(
          "Turn on two-step sign-in for your own account first (Settings → Two-step sign-in), then require it for staff.",
        );
    }
    const before = await getSecuritySettings(tx);
    await tx
      .insert(securitySettings)
      .values({ id: 1, requireTwoFactorForStaff: required, updatedBy: by, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: securitySettings.id,
        set: { requireTwoFactorForStaff: required, updatedBy: by, updatedAt: new Date() },
      });
    if (before.requireTwoFactorForStaff !== required)
      await recordModeration(tx, {
        actorId: by,
        action: required ? "security.requireStaffTwoFactor" : "security.relaxStaffTwoFactor",
        targetType: "site",
        targetId: "security",
      });
    return { staffWithout: await countStaffWithoutTwoFactor(tx) };
  });
}

/** Mentors, moderators and admins who have not turned two-step sign-in on (the admin page says how many). */
export async function countStaffWithoutTwoFactor(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from users
    where role in ('mentor', 'moderator', 'admin') and not two_factor_enabled and not banned and deleted_at is null`,
  );
  return row?.n ?? 0;
}

/** "on": signing in asks for a code; "pending": a secret was made but never confirmed by a code; "off". */
export type TwoFactorState = "on" | "pending" | "off";

export async function getTwoFactorState(db: Db, userId: string): Promise<TwoFactorState> {
  const [row] = await db
    .select({ enabled: users.twoFactorEnabled, verified: twoFactors.verified })
    .from(users)
    .leftJoin(twoFactors, eq(twoFactors.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (row?.enabled) return "on";
  if (row && row.verified === false) return "pending";
  return "off";
}

export type TotpSetup = {
  /** The otpauth:// address the QR code holds. */
  uri: string;
  /** The secret in base32, in groups of four, for typing into an app by hand. */
  secretForHumans: string;
  /** An SVG image as a data: URL (allowed by the CSP's img-src), so no script or extra request is needed. */
  qrDataUrl: string;
};

const OTPAUTH = /^otpauth:\/\/totp\/[^?#\s]{1,200}\?[^#\s]{1,600}$/;

/** The QR code and typed secret for a TOTP address, or null for anything that is not one. */
export async function describeTotpUri(uri: string): Promise<TotpSetup | null> {
  if (!OTPAUTH.test(uri)) return null;
  let secret: string | null;
  try {
    secret = new URL(uri).searchParams.get("secret");
  } catch {
    return null;
  }
  if (!secret || !/^[A-Z2-7]{16,128}=*$/i.test(secret)) return null;
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return {
    uri,
    secretForHumans: (
      secret
        .toUpperCase()
        .replace(/=+$/, "")
        .match(/.{1,4}/g) ?? []
    ).join(" "),
    qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
  };
}

/** The text file of backup codes people download: the codes, and what they are for. */
export function backupCodesFile(codes: readonly string[], { email, date }: { email: string; date: Date }): string {
  return [
    "PeerDesk backup codes",
    `For: ${email}`,
    `Made: ${date.toISOString().slice(0, 10)}`,
    "",
    "Each code works once, instead of the code from your authenticator app.",
    "Keep them somewhere safe, away from your phone.",
    "",
    ...codes,
    "",
  ].join("\n");
}

/** Whether the person has a password (accounts made through single sign-on may not): forms ask for it only then. */
export async function hasPassword(db: Db, userId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(
    db,
    sql`select 1 as one from accounts where user_id = ${userId} and provider_id = 'credential' and password is not null limit 1`,
  );
  return rows.length > 0;
}
