/**
 * The security headers every response carries (the CSP with its per-request nonce, framing, sniffing, referrer and
 * permission rules, HSTS on https), defined once for the Express stack and for page cache hits answered before it.
 */
import { randomBytes } from "node:crypto";

export type SecurityHeaders = {
  /** The Content-Security-Policy allowing the scripts that carry `nonce`. */
  policy: (nonce: string) => string;
  /** Every other header, the same for every response. */
  fixed: readonly (readonly [string, string])[];
};

/** A fresh CSP nonce: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * `formTargets`: where forms may post (this site and the single sign-on providers: the sign-in button's POST is
 * answered with a redirect to the provider, which browsers check against form-action too).
 */
export function securityHeaders({
  formTargets,
  isHttps,
}: {
  formTargets: string[];
  isHttps: boolean;
}): SecurityHeaders {
  const formAction = [...new Set(formTargets)].join(" ");
  const fixed: [string, string][] = [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["X-Frame-Options", "DENY"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"],
  ];
  if (isHttps) fixed.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  return {
    policy: (nonce) =>
      [
        "default-src 'self'",
        `script-src 'nonce-${nonce}' 'strict-dynamic'`,
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' https: data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        `form-action ${formAction}`,
        "frame-ancestors 'none'",
      ].join("; "),
    fixed,
  };
}
