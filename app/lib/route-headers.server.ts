/**
 * Retry-After on every "too many" answer. Remix passes an action's headers to the page only through the route's
 * `headers` export, so a route without one loses them: pages with forms export one of these (or call
 * withRetryAfter from their own).
 */
import type { HeadersFunction } from "@remix-run/node";

/** The status and header of a refusal for doing something too often. */
export function tooManyRequests(retryAfterSeconds: number | null | undefined): ResponseInit {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds ?? 60));
  return { status: 429, headers: { "Retry-After": String(seconds) } };
}

/** `headers` with the action's Retry-After, when it sent one. */
export function withRetryAfter(headers: HeadersInit, actionHeaders: Headers): Headers {
  const merged = new Headers(headers);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) merged.set("Retry-After", retryAfter);
  return merged;
}

/** What Remix sends for a route without a `headers` export (its parent's), plus the action's Retry-After. */
export const formPageHeaders: HeadersFunction = ({ parentHeaders, actionHeaders }) =>
  withRetryAfter(parentHeaders, actionHeaders);

/** The loader's own headers (e.g. `private, no-store`), plus the action's Retry-After. */
export const loaderAndRetryAfterHeaders: HeadersFunction = ({ loaderHeaders, actionHeaders }) =>
  withRetryAfter(loaderHeaders, actionHeaders);
