/**
 * Which of better-auth's endpoints answer over HTTP at /api/auth/*: an allow-list of what browsers and JSON clients use
 * directly. Everything else (the admin plugin's /admin/*, change-email, delete-user, link-social, verify-password, …)
 * is a 404 there; PeerDesk's own forms still reach the few they need through the handler itself (callAuthEndpoint),
 * after their own checks. A list of what to refuse would go stale with every better-auth release and plugin; this one
 * only grows when PeerDesk decides to serve something.
 */

const PUBLIC_ENDPOINTS: ReadonlySet<string> = new Set([
  // Signing in, up and out with JSON (the sign-in lock, strength and name rules apply as for the forms), the session,
  // and a JSON sign-in's two-step code.
  "/sign-in/email",
  "/sign-up/email",
  "/sign-out",
  "/get-session",
  "/two-factor/verify-totp",
  "/two-factor/verify-backup-code",
  // components/Passkeys.tsx, in the browser.
  "/passkey/register-options",
  "/passkey/register",
  "/passkey/sign-in-options",
  "/passkey/sign-in",
]);

/** A single sign-on provider sends the browser back to /callback/<provider id> (ids as sso-config.server.ts allows). */
const SSO_CALLBACK = /^\/callback\/[a-z][a-z0-9-]{0,30}$/;

const AUTH_BASE_PATH = "/api/auth";

/** Whether the URL path (as requested, undecoded) names an endpoint served over HTTP. */
export function isPublicAuthEndpoint(pathname: string): boolean {
  if (!pathname.startsWith(`${AUTH_BASE_PATH}/`)) return false;
  const endpoint = pathname.slice(AUTH_BASE_PATH.length);
  return PUBLIC_ENDPOINTS.has(endpoint) || SSO_CALLBACK.test(endpoint);
}
