/** /sitemap.xml: every public question and how-to for search engines (app/models/sitemap.server.ts). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders } from "~/lib/page-cache-policy.server";
import { sitemapUrls, sitemapXml } from "~/models/sitemap.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, baseURL } = context.services;
  const xml = sitemapXml(baseURL, await sitemapUrls(db));
  // Served from the anonymous page cache (crawlers send no cookie) until the lists change.
  const headers = publicPageHeaders(request, {
    tags: [TAGS.listRows, TAGS.lists],
    maxAgeSeconds: LIFETIME_SECONDS.tracked,
  });
  headers.set("Content-Type", "application/xml; charset=utf-8");
  headers.set("Cache-Control", "no-cache");
  return new Response(xml, { headers });
}
