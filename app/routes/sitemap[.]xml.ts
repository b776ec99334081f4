/**
 * /sitemap.xml: every public question, how-to, Q&A session and member profile for search engines, or past 50,000
 * addresses an index of the files that list them (/sitemap/N.xml; app/models/sitemap.server.ts).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sitemapResponse } from "~/lib/sitemap-response.server";
import { sitemapIndexXml, sitemapShape, sitemapXml } from "~/models/sitemap.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, baseURL } = context.services;
  const shape = await sitemapShape(db);
  const xml = shape.kind === "single" ? sitemapXml(baseURL, shape.urls) : sitemapIndexXml(baseURL, shape.files);
  return sitemapResponse(request, xml);
}
