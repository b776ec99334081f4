/** Server rendering: streams HTML for browsers, waits for everything for bots; also exports start-up for server.js. */
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { logEvent, logRequest } from "~/lib/log.server";
import { NonceProvider } from "~/lib/nonce";
import { installRouteMatchCache } from "~/lib/route-matching.server";
import { installLazyPageData } from "~/lib/lazy-page-data.server";
import { installServerRoutesMemo } from "~/lib/server-routes-memo.server";
import { keptHtmlOf } from "~/lib/html-once.server";
import { hasAccountCookie } from "~/lib/page-cache.server";
import { BatchedHtmlStream } from "~/lib/batched-html-stream.server";
import { KeptHtmlProvider } from "~/components/PostHtml";
import { HtmlFragmentsProvider } from "~/lib/cached-html";
import { htmlFragmentCache } from "~/lib/cached-html.server";

export { startApp } from "~/server/app.server";
export { CLIENT_IP_HEADER } from "~/auth/auth.server";
export { ConfigError } from "~/lib/env.server";
export { logEvent, logRequest };
export { newNonce, securityHeaders } from "~/server/security-headers.server";
export { fetchRenderer, finalErrorHandler, remixHandler, requestGuards } from "~/server/http-guards.server";
export { createPageCache } from "~/server/page-cache-http.server";
export { AdmissionQueue, admissionMiddleware } from "~/server/admission.server";
export { removeUnfinishedRestores } from "~/models/backups.server";
// For bench/floor-server.ts, which runs a page's loaders as a document request does (see html-once.server.ts).
export { markDocumentRequest } from "~/lib/html-once.server";

const ABORT_DELAY = 5_000;
const LEGACY_DATA_WARNING = "Warning: Single fetch-enabled apps should not be making ?_data requests";

/**
 * A refusal the router made itself (an unknown address, a route without an action) carries words for developers
 * (`No route matches URL "/…"`) that Remix would send to the browser in the page's data. Remix hands every such error
 * to handleError before it serialises it, so they are dropped here: the error page shows its own words for the status.
 */
function dropRouterWords(error: unknown): void {
  if (!isRouteErrorResponse(error) || !("internal" in error) || error.internal !== true) return;
  error.data = null;
  Reflect.deleteProperty(error, "error");
}

/**
 * Every error a loader, action or render threw: logged here with its details (the browser gets a generic page
 * outside development). Refusals we meant (4xx responses) and requests the client gave up on are not errors.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  dropRouterWords(error);
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  // Remix reports a legacy `?_data=` request through here (the server refuses them before Remix, see
  // isLegacyDataRequest; other callers of the handler may not); anyone can send one, so it is a warning line.
  if (error instanceof Error && error.message.startsWith(LEGACY_DATA_WARNING)) {
    logEvent("warn", "legacy ?_data request", { path: new URL(request.url).pathname });
    return;
  }
  // The Error itself: the logger writes its stack and causes without the values a failed query was given.
  const detail = error instanceof Error ? error : String(error);
  logEvent("error", "request failed", { method: request.method, path: new URL(request.url).pathname, error: detail });
};

installRouteMatchCache();
// Pages without the client runtime (signed-out readers) never encode their data for it.
installLazyPageData();
installServerRoutesMemo();

/**
 * A page for a signed-in person names them in its header (their initial, unread count and menu), so no cache keeps
 * it: `private, no-store`, whatever the route said for its readers in general (the pulse and the glossary's `no-cache`
 * is for signed-out readers). `no-cache` let Chromium's back button bring back a signed-in page after signing out on a
 * shared computer, the person's name and unread count on it; browsers that keep `no-store` pages for Back drop them
 * when the sign-in cookie changes.
 */
function keepPersonalPagesPrivate(request: Request, headers: Headers): void {
  if (!hasAccountCookie(request.headers.get("cookie") ?? "")) return;
  headers.set("Cache-Control", "private, no-store");
}

/** Legacy `?_data=` requests are refused before Remix (isLegacyDataRequest in http-guards.server.ts). */
export function handleDataRequest(response: Response, { request }: { request: Request }): Response {
  keepPersonalPagesPrivate(request, response.headers);
  return response;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  keepPersonalPagesPrivate(request, responseHeaders);
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  const kept = keptHtmlOf(loadContext);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Gives up on a render still going after ABORT_DELAY; cleared once the page is written, so the render's state is
    // not kept alive (and aborted for nothing) for seconds after every request.
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        {/* Post HTML the loaders kept out of the page data (see html-once.server.ts). */}
        <KeptHtmlProvider value={kept}>
          {/* Parts of pages rendered once per distinct input (see cached-html.server.ts). */}
          <HtmlFragmentsProvider value={htmlFragmentCache.forRequest(kept)}>
            <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
          </HtmlFragmentsProvider>
        </KeptHtmlProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new BatchedHtmlStream();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          body.receive(pipe, () => clearTimeout(timer));
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered)
            logEvent("error", "render failed", {
              path: new URL(request.url).pathname,
              error: error instanceof Error ? (error.stack ?? error.message) : String(error),
            });
        },
      },
    );
  });
}
