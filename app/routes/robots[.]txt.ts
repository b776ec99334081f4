/** /robots.txt: keeps crawlers out of private areas and points them at the sitemap (an absolute address, as asked). */
import type { LoaderFunctionArgs } from "@remix-run/node";

export function loader({ context }: LoaderFunctionArgs) {
  const body = [
    "User-agent: *",
    "Disallow: /admin",
    "Disallow: /settings",
    "Disallow: /api/",
    "",
    `Sitemap: ${context.services.baseURL}/sitemap.xml`,
    "",
  ].join("\n");
  return new Response(body, {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
