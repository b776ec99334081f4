/** A sitemap file as a response: XML, from the anonymous page cache (crawlers send no cookie) until the lists change. */
import { LIFETIME_SECONDS, TAGS, publicPageHeaders } from "~/lib/page-cache-policy.server";

export function sitemapResponse(request: Request, xml: string): Response {
  const headers = publicPageHeaders(request, {
    tags: [TAGS.listRows, TAGS.lists],
    maxAgeSeconds: LIFETIME_SECONDS.tracked,
  });
  headers.set("Content-Type", "application/xml; charset=utf-8");
  headers.set("Cache-Control", "no-cache");
  return new Response(xml, { headers });
}
