/**
 * The gate every new account passes (better-auth's user-create hook): a single sign-on provider must vouch for the
 * address (email_verified), and the address must be at an allowed domain or come with a usable invitation link.
 * Accounts made by admins (/admin/create-user) and operator scripts are not gated.
 */
import { APIError } from "better-auth/api";
import type { Db } from "#db/client.server";
import { admitNewAccount } from "~/models/signup-policy.server";

/** The sign-up action passes the invitation from its form in this header (a client sending it needs a real token). */
export const INVITATION_HEADER = "x-peerdesk-invitation";
/** Single sign-on carries the invitation through the provider's round trip in this short-lived cookie. */
export const INVITATION_COOKIE = "peerdesk.invitation";

export const EMAIL_NOT_VERIFIED_BY_PROVIDER = "EMAIL_NOT_VERIFIED_BY_PROVIDER";
export const SIGNUP_NOT_ALLOWED = "SIGNUP_NOT_ALLOWED";

function cookieValue(header: string | null | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      try {
        return decodeURIComponent(rest.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

type HookContext = { path?: string; headers?: Headers } | null | undefined;

export function joinGuard(db: Db) {
  return async (user: { email: string; emailVerified?: boolean | null }, ctx: HookContext): Promise<undefined> => {
    const path = ctx?.path ?? "";
    const viaSso = path.startsWith("/callback/");
    if (!viaSso && path !== "/sign-up/email") return undefined;
    // Without the provider's word that the address is theirs, anyone could claim any address (and its account).
    if (viaSso && user.emailVerified !== true) {
      throw new APIError("FORBIDDEN", {
        code: EMAIL_NOT_VERIFIED_BY_PROVIDER,
        message: "Your sign-in provider did not confirm your email address.",
      });
    }
    const invitation =
      ctx?.headers?.get(INVITATION_HEADER) ?? cookieValue(ctx?.headers?.get("cookie"), INVITATION_COOKIE);
    const admitted = await admitNewAccount(db, { email: user.email, invitationToken: invitation });
    if (!admitted.ok) throw new APIError("FORBIDDEN", { code: SIGNUP_NOT_ALLOWED, message: admitted.message });
    return undefined;
  };
}
