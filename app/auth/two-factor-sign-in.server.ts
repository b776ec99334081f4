/** The second step of signing in with two-step sign-in on: recognising it, and checking the code or backup code. */
import type { AppLoadContext } from "@remix-run/node";
import { callAuthEndpoint, readAuthError } from "./session.server";
import { TOTP_CODE_USED } from "./totp-replay.server";

/** better-auth answers a correct password of a two-step account with `{ twoFactorRedirect: true }` and no session. */
export async function asksForSecondStep(response: Response): Promise<boolean> {
  try {
    const body: unknown = await response.clone().json();
    return typeof body === "object" && body !== null && "twoFactorRedirect" in body && body.twoFactorRedirect === true;
  } catch {
    return false;
  }
}

/** The challenge cookie better-auth sets between the password and the code (signed; checked by better-auth). */
export function hasSecondStepChallenge(request: Request): boolean {
  return /(?:^|;\s*)(?:__Secure-)?peerdesk\.two_factor=/.test(request.headers.get("cookie") ?? "");
}

/** Six digits are a code from the app; anything else shaped like "abcde-12345" is a backup code. */
export function codeKind(code: string): "totp" | "backup" | null {
  if (/^\d{6}$/.test(code)) return "totp";
  if (/^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/.test(code)) return "backup";
  return null;
}

export type SecondStepResult =
  | { ok: true; response: Response }
  | {
      ok: false;
      status: number;
      reason: "wrong-code" | "code-used" | "expired" | "locked" | "rate-limited" | "failed";
      retryAfter: number | null;
    };

/** Checks a code against the pending sign-in; on success the response carries the new session's cookies. */
export async function verifySecondStep(
  request: Request,
  context: AppLoadContext,
  { code, trustDevice }: { code: string; trustDevice: boolean },
): Promise<SecondStepResult> {
  const kind = codeKind(code);
  if (!kind) return { ok: false, status: 400, reason: "wrong-code", retryAfter: null };
  // Backup codes are stored as made ("abcde-12345"); accept them typed without the dash too.
  const normalized = kind === "backup" && !code.includes("-") ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
  const response = await callAuthEndpoint(
    request,
    context,
    kind === "totp" ? "/two-factor/verify-totp" : "/two-factor/verify-backup-code",
    { code: normalized, trustDevice },
  );
  if (response.ok) return { ok: true, response };
  const error = await readAuthError(response);
  if (error.status === 429 && error.code === "ACCOUNT_TEMPORARILY_LOCKED")
    return { ok: false, status: 429, reason: "locked", retryAfter: null };
  if (error.status === 429) return { ok: false, status: 429, reason: "rate-limited", retryAfter: error.retryAfter };
  if (error.code === "INVALID_TWO_FACTOR_COOKIE" || error.code === "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE")
    return { ok: false, status: 400, reason: "expired", retryAfter: null };
  if (error.code === TOTP_CODE_USED) return { ok: false, status: 400, reason: "code-used", retryAfter: null };
  if (error.code === "INVALID_CODE" || error.code === "INVALID_BACKUP_CODE")
    return { ok: false, status: 400, reason: "wrong-code", retryAfter: null };
  return { ok: false, status: error.status >= 500 ? 502 : 400, reason: "failed", retryAfter: null };
}
