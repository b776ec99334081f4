/**
 * The sitemap search engines read (sitemaps.org): the main pages, every open space, and the public questions and
 * how-tos, most recently active first (not a question closed as a duplicate: its page asks not to be indexed, so
 * searchers land on the original), with when each last changed. One file holds at most 50,000 addresses (the
 * protocol's limit); past that the least recently active posts are left to be found through the lists.
 * Written by hand: a flat list of escaped addresses, which a sitemap library would not make simpler.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { howtoPath } from "~/lib/howtos";
import { questionPath } from "~/lib/qa";
import { listSpaces } from "./spaces.server";

export const SITEMAP_MAX_URLS = 50_000;
const MAIN_PAGES = ["/", "/questions", "/howtos", "/spaces", "/tags", "/mentors", "/sessions", "/glossary", "/pulse"];

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}

export type SitemapUrl = { path: string; lastModified: Date | null };

export async function sitemapUrls(db: Db): Promise<SitemapUrl[]> {
  const spaces = await listSpaces(db);
  const fixed: SitemapUrl[] = [
    ...MAIN_PAGES.map((path) => ({ path, lastModified: null })),
    ...spaces.map((space) => ({ path: `/s/${space.slug}`, lastModified: null })),
  ];
  const rows = await queryRows<{
    id: number;
    kind: "question" | "howto";
    title: string | null;
    changed: Date | string;
  }>(
    db,
    sql`select id, kind, title, greatest(last_activity_at, updated_at) as changed from posts
      where kind in ('question', 'howto') and parent_id is null and deleted_at is null
        and not exists (select 1 from question_closures c where c.question_id = posts.id and c.reason = 'duplicate')
      order by last_activity_at desc, id desc limit ${SITEMAP_MAX_URLS - fixed.length}`,
  );
  return [
    ...fixed,
    ...rows.map((row) => ({
      path: row.kind === "howto" ? howtoPath(row.id) : questionPath(row.id, row.title),
      lastModified: new Date(row.changed),
    })),
  ];
}

export function sitemapXml(baseURL: string, urls: SitemapUrl[]): string {
  const entries = urls.map(
    ({ path, lastModified }) =>
      `<url><loc>${escapeXml(`${baseURL}${path}`)}</loc>${lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : ""}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join("\n")}\n</urlset>\n`;
}
