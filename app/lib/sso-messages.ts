/** What the sign-in page says when single sign-on comes back with an error code (never the provider's own text). */

const MESSAGES: Record<string, string> = {
  account_not_linked:
    "An account with this email address already exists, and we could not safely connect it to your single sign-on: either the provider did not confirm the address, or the account's own address isn't confirmed yet. Sign in with your password instead (or confirm your address first).",
  EMAIL_NOT_VERIFIED_BY_PROVIDER:
    "Your sign-in provider did not confirm that this email address is yours, so we can't use it here. Ask your IT team to verify the address at the provider, then try again.",
  SIGNUP_NOT_ALLOWED:
    "This site is for colleagues with an address at its organisation's domains. If you were invited, open the invitation link you were sent and sign in from there.",
  signup_disabled: "New accounts can't be created this way. Ask the site's administrators for access.",
  BANNED_USER: "This account has been suspended. Contact the site administrators if you think this is a mistake.",
  access_denied: "Signing in was cancelled at your sign-in provider. You can try again.",
  sso_unavailable: "Single sign-on isn't available just now. Please try again in a moment.",
};

const FALLBACK =
  "We couldn't complete single sign-on (the sign-in link may have expired or been used already). Please try again.";

/** The message for an `error` query value, or null when there is none. */
export function ssoErrorMessage(code: string | null): string | null {
  if (!code) return null;
  return Object.hasOwn(MESSAGES, code) ? (MESSAGES[code] ?? FALLBACK) : FALLBACK;
}
