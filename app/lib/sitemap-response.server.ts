/**
 * A sitemap file as a response: XML, from the anonymous page cache (crawlers send no cookie) until the lists or the
 * sessions change (a profile hidden, suspended or deleted drops every cached page).
 */
import { LIFETIME_SECONDS, TAGS, publicPageHeaders } from "~/lib/page-cache-policy.server";

export function sitemapResponse(request: Request, xml: string): Response {
  const headers = publicPageHeaders(request, {
    tags: [TAGS.listRows, TAGS.lists, TAGS.sessions],
    maxAgeSeconds: LIFETIME_SECONDS.tracked,
  });
  headers.set("Content-Type", "application/xml; charset=utf-8");
  headers.set("Cache-Control", "no-cache");
  return new Response(xml, { headers });
}
