/**
 * Two-step sign-in after single sign-on. The rule: a person who turned on two-step sign-in here is asked for their
 * code after signing in at their identity provider, unless the provider's signed ID token says it already checked a
 * second factor (the `amr` claim, RFC 8176: "mfa", or two different methods such as "pwd" and "otp"). So a company
 * that enforces MFA at its provider is not asked twice, and a provider sign-in with a password alone never skips
 * the code. A trusted device ("trust this device for 30 days") is honoured as after a password.
 */
import { createHmac } from "node:crypto";
import { type getSessionFromCtx, isAPIError } from "better-auth/api";
import { deleteSessionCookie, expireCookie } from "better-auth/cookies";
import { generateRandomString } from "better-auth/crypto";

type Claims = Record<string, unknown>;

/** Methods that are a factor by themselves; "mfa" says several were used. */
const METHODS = new Set([
  "face",
  "fpt",
  "geo",
  "hwk",
  "iris",
  "kba",
  "mca",
  "otp",
  "pin",
  "pwd",
  "rba",
  "retina",
  "sc",
  "sms",
  "swk",
  "tel",
  "user",
  "vbm",
  "wia",
]);

/** Whether the provider says the person proved more than one factor at sign-in. */
export function providerCheckedTwoFactors(claims: Claims): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === "string") : [];
  if (amr.includes("mfa")) return true;
  return new Set(amr.filter((method) => METHODS.has(method))).size >= 2;
}

/** Read during the callback's profile mapping, taken by the after-hook of the same request (see sso.server.ts). */
const checkedByProvider = new Map<string, { mfa: boolean; at: number }>();
const TTL_MS = 5 * 60_000;

export function rememberProviderMfa(providerId: string, subject: string, claims: Claims): void {
  const now = Date.now();
  for (const [key, entry] of checkedByProvider) if (now - entry.at > TTL_MS) checkedByProvider.delete(key);
  checkedByProvider.set(`${providerId}\n${subject}`, { mfa: providerCheckedTwoFactors(claims), at: now });
}

export function takeProviderMfa(providerId: string, subject: string): boolean {
  const key = `${providerId}\n${subject}`;
  const entry = checkedByProvider.get(key);
  checkedByProvider.delete(key);
  return entry?.mfa === true && Date.now() - entry.at <= TTL_MS;
}

type HookContext = Parameters<typeof getSessionFromCtx>[0];

/** Same names, lifetimes and records as better-auth's two-factor plugin uses after a password. */
const TWO_FACTOR_COOKIE = "two_factor";
const TRUST_DEVICE_COOKIE = "trust_device";
const CODE_STEP_SECONDS = 10 * 60;

async function isTrustedDevice(ctx: HookContext, userId: string): Promise<boolean> {
  const cookie = ctx.context.createAuthCookie(TRUST_DEVICE_COOKIE);
  const value = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  const [token, identifier] = (typeof value === "string" ? value : "").split("!");
  if (!token || !identifier) return false;
  // better-auth's HMAC-SHA-256, base64url without padding (as its two-factor plugin signs the trust cookie).
  const expected = createHmac("sha256", ctx.context.secret).update(`${userId}!${identifier}`).digest("base64url");
  if (token !== expected) return false;
  const record = await ctx.context.internalAdapter.findVerificationValue(identifier);
  return record !== null && record !== undefined && record.value === userId && record.expiresAt > new Date();
}

/** Where the callback was about to send the person (better-auth answers it as a redirect). */
function intendedPath(ctx: HookContext, returned: unknown): string {
  const location = isAPIError(returned) && returned.headers ? new Headers(returned.headers).get("location") : null;
  if (!location) return "/";
  const url = new URL(location, ctx.context.baseURL);
  return url.origin === new URL(ctx.context.baseURL).origin ? `${url.pathname}${url.search}` : "/";
}

/**
 * Called after a single sign-on callback made a session: when the code is still needed, the session is undone and
 * the person is sent to the code step with the same short-lived challenge a password sign-in gets.
 */
export async function askForCodeAfterSso(
  ctx: HookContext,
  { providerMfa, returned }: { providerMfa: boolean; returned: unknown },
): Promise<void> {
  const data = ctx.context.newSession;
  if (data?.user.twoFactorEnabled !== true || providerMfa) return;
  if (await isTrustedDevice(ctx, data.user.id)) return;
  const next = intendedPath(ctx, returned);
  deleteSessionCookie(ctx, true);
  await ctx.context.internalAdapter.deleteSession(data.session.token);
  ctx.context.setNewSession(null);
  expireCookie(ctx, ctx.context.createAuthCookie(TRUST_DEVICE_COOKIE));
  const identifier = `2fa-${generateRandomString(20)}`;
  const expiresAt = new Date(Date.now() + CODE_STEP_SECONDS * 1000);
  await ctx.context.internalAdapter.createVerificationValue({ value: data.user.id, identifier, expiresAt });
  await ctx.context.internalAdapter.createVerificationValue({
    value: "0",
    identifier: `2fa-attempts-${identifier}`,
    expiresAt,
  });
  const cookie = ctx.context.createAuthCookie(TWO_FACTOR_COOKIE, { maxAge: CODE_STEP_SECONDS });
  await ctx.setSignedCookie(cookie.name, identifier, ctx.context.secret, cookie.attributes);
  throw ctx.redirect(`/signin/two-factor?redirectTo=${encodeURIComponent(next)}`);
}
