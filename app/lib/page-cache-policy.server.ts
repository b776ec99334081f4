/**
 * How a public page opts into the anonymous page cache: its loader returns `publicPageHeaders(request, …)` (the tags
 * of the entities it shows and a lifetime) and the route exports `headers = publicPageHeadersFunction`, which passes
 * the directive to the server; the server reads it, strips it, and stores the page for signed-out readers only.
 *
 * Tags, and the database triggers that announce them (db/migrations, "page cache" section):
 * - `post:<id>`  a question or how-to thread: the post, its answers, comments, votes, tags, revisions, feedback, thanks;
 * - `lists`      any post, vote, comment or tag change (activity numbers: profiles; the pulse when its numbers are
 *                not cached, see cachedNumbersCaching);
 * - `list-rows`  a change to what question and how-to lists show: a post added or removed, a question's or how-to's row
 *                (title, score, answer count, accepted answer, last activity, deletion), an answer deleted or moved, a
 *                post's tags, how-to feedback (an answer's own score or body, a comment or a thanks are not in lists);
 * - `space:<id>` announced with `list-rows` for the spaces of the threads concerned: a space's own page;
 * - `sessions`   mentor sessions and their questions;
 * - `people`     expertise lists (the mentor directory, profiles);
 * - `*`          everything: spaces, tag descriptions, a person's name, handle or profile (shown on every page).
 */
import type { HeadersFunction } from "@remix-run/node";
import { CACHE_DIRECTIVE_HEADER, bypassReason, formatDirective } from "~/lib/page-cache.server";
import { withRetryAfter } from "~/lib/route-headers.server";

export const TAGS = {
  post: (id: number) => `post:${id}`,
  lists: "lists",
  listRows: "list-rows",
  space: (id: number) => `space:${id}`,
  sessions: "sessions",
  people: "people",
} as const;

/**
 * Lifetimes. Pages still render relative times ("3 minutes ago") on the server, and a few parts are not tracked
 * exactly (related questions, pulse numbers, session phases that change with the clock), so no page lives longer
 * than a minute for now; every tracked change is dropped at once regardless. Raise `tracked` once times are
 * rendered by the client from `<time datetime>`.
 */
export const LIFETIME_SECONDS = { tracked: 60, untracked: 60 } as const;

/**
 * How long a page showing numbers from an in-process cache of `ttlSeconds` (the pulse's) may be stored, and with which
 * tags. Until those numbers are computed again every render shows the same ones, so a write need not drop the page
 * (the pulse was dropped by every vote and comment, to be rendered again with unchanged numbers); it lives only as long
 * as its numbers have left, so it is never older than a fresh render would be. Site-wide changes ("*": a space renamed)
 * still drop it. With the numbers' cache off, every change to activity drops it, as for any other page.
 */
export function cachedNumbersCaching(
  ttlSeconds: number,
  computedAt: Date,
  now = Date.now(),
): { tags: string[]; maxAgeSeconds: number } {
  if (ttlSeconds <= 0) return { tags: [TAGS.lists], maxAgeSeconds: LIFETIME_SECONDS.untracked };
  const left = Math.floor((computedAt.getTime() + ttlSeconds * 1000 - now) / 1000);
  return { tags: [], maxAgeSeconds: Math.max(1, Math.min(left, LIFETIME_SECONDS.untracked)) };
}

/**
 * The loader's response headers declaring the page cacheable with these tags; empty for a request the cache would
 * not serve (a signed-in reader), so a personal page can never carry the directive.
 */
export function publicPageHeaders(
  request: Request,
  { tags, maxAgeSeconds }: { tags: string[]; maxAgeSeconds: number },
): Headers {
  const headers = new Headers();
  const cookie = request.headers.get("cookie") ?? "";
  const authorization = request.headers.get("authorization") ?? "";
  const isAnonymous = bypassReason({ method: "GET", headers: { cookie, authorization } }) === null;
  if (isAnonymous) headers.set(CACHE_DIRECTIVE_HEADER, formatDirective({ tags, maxAgeSeconds }));
  return headers;
}

/**
 * The route's `headers` export: passes the loader's directive (and Cache-Control, if it set one) to the server, and a
 * refused write's Retry-After to the browser.
 */
export const publicPageHeadersFunction: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const headers = withRetryAfter({}, actionHeaders);
  const directive = loaderHeaders.get(CACHE_DIRECTIVE_HEADER);
  if (directive) headers.set(CACHE_DIRECTIVE_HEADER, directive);
  const cacheControl = loaderHeaders.get("Cache-Control");
  if (cacheControl) headers.set("Cache-Control", cacheControl);
  return headers;
};
