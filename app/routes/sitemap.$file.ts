/** /sitemap/N.xml: one file of a big forum's sitemap, named by the index at /sitemap.xml. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sitemapResponse } from "~/lib/sitemap-response.server";
import { sitemapUrls, sitemapXml } from "~/models/sitemap.server";

const notFound = () =>
  new Response("There is no sitemap file at this address; start from /sitemap.xml.", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const match = /^([1-9]\d{0,5})\.xml$/.exec(params.file ?? "");
  if (!match) return notFound();
  const { db, baseURL } = context.services;
  const urls = await sitemapUrls(db, { file: Number(match[1]) });
  if (urls.length === 0) return notFound();
  return sitemapResponse(request, sitemapXml(baseURL, urls));
}
