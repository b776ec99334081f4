/**
 * A code from an authenticator app is accepted once (RFC 6238 §5.2): better-auth 1.7 accepts a right code as often as
 * it is sent within its window, so someone who saw a code typed could sign in with it too. Before better-auth checks a
 * code, the time step it belongs to is claimed for the account in one UPDATE; a step already claimed (or an earlier
 * one) is refused. A wrong code claims nothing, so it cannot push the last step around.
 */
import { createOTP } from "@better-auth/utils/otp";
import { APIError, getSessionFromCtx } from "better-auth/api";
import { symmetricDecrypt } from "better-auth/crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { twoFactors } from "#db/schema";

type HookContext = Parameters<typeof getSessionFromCtx>[0];

export const TOTP_CODE_USED = "TOTP_CODE_USED";
export const TOTP_CODE_USED_MESSAGE = "That code was just used. Wait for the next one on your app.";

/** better-auth's defaults, which PeerDesk keeps: 30-second steps, 6 digits, one step either side of now. */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const WINDOW = 1;

/**
 * The time step whose code this is (within better-auth's window), or null when it is no code of this secret. The codes
 * come from the same library better-auth checks them with (the decrypted secret's UTF-8 bytes, as it uses them).
 */
export async function stepOfCode(secret: string, code: string, now = Date.now()): Promise<number | null> {
  const otp = createOTP(secret, { digits: DIGITS, period: PERIOD_SECONDS });
  const current = Math.floor(now / 1000 / PERIOD_SECONDS);
  for (let step = current - WINDOW; step <= current + WINDOW; step++) if ((await otp.hotp(step)) === code) return step;
  return null;
}

/** The account a code is for: the signed-in person (setting it up), or the pending sign-in of the two-step cookie. */
async function accountOf(ctx: HookContext): Promise<string | null> {
  const session = await getSessionFromCtx(ctx).catch(() => null);
  if (session) return session.user.id;
  const cookie = ctx.context.createAuthCookie("two_factor");
  const challenge = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (typeof challenge !== "string" || challenge.length === 0) return null;
  const pending = await ctx.context.internalAdapter.findVerificationValue(challenge).catch(() => null);
  return pending?.value ?? null;
}

/** Claims the code's time step for the account, or refuses a code whose step was used already (before hook). */
export async function refuseUsedTotpCode(db: Db, ctx: HookContext, code: string | null): Promise<void> {
  if (!code || !/^\d{6}$/.test(code)) return;
  const userId = await accountOf(ctx);
  if (!userId) return;
  const [row] = await db
    .select({ id: twoFactors.id, secret: twoFactors.secret })
    .from(twoFactors)
    .where(eq(twoFactors.userId, userId))
    .limit(1);
  if (!row) return;
  // A secret that cannot be read (or an imported "base32:" one, which PeerDesk never makes) is left to better-auth.
  const secret = await symmetricDecrypt({ key: ctx.context.secretConfig, data: row.secret }).catch(() => null);
  if (!secret || secret.startsWith("base32:")) return;
  const step = await stepOfCode(secret, code);
  if (step === null) return;
  const claimed = await db
    .update(twoFactors)
    .set({ lastTotpStep: step })
    .where(and(eq(twoFactors.id, row.id), or(isNull(twoFactors.lastTotpStep), lt(twoFactors.lastTotpStep, step))))
    .returning({ id: twoFactors.id });
  if (claimed.length === 0)
    throw new APIError("BAD_REQUEST", { code: TOTP_CODE_USED, message: TOTP_CODE_USED_MESSAGE });
}
