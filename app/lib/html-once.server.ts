/**
 * Sends stored post HTML once per page. A page rendered on the server carries its loader data along for hydration, so a
 * post body would reach the browser twice: in the HTML and again, escaped, in the page data (a signed-in question page
 * with 30 answers: 25.6 KB gzipped instead of about 10). For a document request the loader keeps such HTML here (on
 * the request's load context, beside the data, never in it) and sends null in its data; the server render takes the HTML
 * from here and the browser from the page it was given (app/components/PostHtml.tsx). Data requests (client
 * navigations and revalidations, `*.data`) get the HTML in the data as before, so a changed body is shown.
 */
import type { AppLoadContext } from "@remix-run/node";

const documentRequests = new WeakSet<object>();
const keptByRequest = new WeakMap<object, Map<string, string>>();

/** Called by the Remix handler for every request that renders a document (not a `*.data` request). */
export function markDocumentRequest(context: AppLoadContext): void {
  documentRequests.add(context);
}

/** The HTML for the data: null (kept for the server render) in a document request, else `html` itself. */
export function htmlOnce(context: AppLoadContext, elementId: string, html: string): string | null {
  if (!documentRequests.has(context)) return html;
  keepForDocument(context, elementId, () => html);
  return null;
}

/**
 * Text only the server render shows (a page's structured data for search engines): made and kept for a document
 * request, never made for a data request, and never in the data.
 */
export function keepForDocument(context: AppLoadContext, elementId: string, make: () => string): void {
  if (!documentRequests.has(context)) return;
  let kept = keptByRequest.get(context);
  if (!kept) {
    kept = new Map();
    keptByRequest.set(context, kept);
  }
  kept.set(elementId, make());
}

/** What this request's loaders kept, by element id, for the server render (entry.server.tsx provides it). */
export function keptHtmlOf(context: AppLoadContext): ReadonlyMap<string, string> | null {
  return keptByRequest.get(context) ?? null;
}
