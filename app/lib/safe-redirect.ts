/**
 * The one rule for "where to go next" values (redirectTo after signing in, the Follow form's way back): only a
 * path on this site, or the fallback. Browsers forgive a lot when they resolve a Location (they drop tabs and
 * newlines, read `\` as `/`, treat `//host` as another origin), so anything that could become another origin is
 * refused rather than repaired.
 */

const BASE = "http://peerdesk.invalid";
const MAX_LENGTH = 2048;
// C0 and C1 controls, DEL, backslash, and the Unicode line and paragraph separators.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/;

/** Whether one layer of the value (as sent, or percent-decoded; each starts with "/") could lead a browser elsewhere. */
function looksHostile(value: string): boolean {
  return FORBIDDEN.test(value) || value.startsWith("//");
}

/**
 * A same-site path (with its query and fragment) to redirect to, or `fallback`. Encoded tricks (`%2F%2F`, `%5C`,
 * `%09`, double encoding) are decoded a few times and checked at every layer; the result is the path as the URL
 * parser normalised it, so it is always plain ASCII and safe to put in a Location header.
 */
export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_LENGTH || !to.startsWith("/")) return fallback;
  let layer = to;
  for (let depth = 0; depth < 4; depth++) {
    if (looksHostile(layer)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return fallback;
    }
    if (decoded === layer) break;
    layer = decoded;
  }
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
