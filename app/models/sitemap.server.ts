/**
 * The sitemap search engines read (sitemaps.org): the main pages, every open space, and the public questions and
 * how-tos (not a question closed as a duplicate: its address leads visitors to the original and asks not to be
 * indexed), each with when it last changed. One file holds at most 50,000 addresses (the protocol's limit): a bigger
 * forum gets a sitemap index at /sitemap.xml naming /sitemap/1.xml, /sitemap/2.xml… Posts are listed by id, so a
 * file's addresses stay put as people keep writing and a crawler re-reads only the files whose dates changed.
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

/** What /sitemap.xml is: the one file (its addresses), or an index of `files` files. */
export type SitemapShape =
  | { kind: "single"; urls: SitemapUrl[] }
  | { kind: "index"; files: { path: string; lastModified: Date | null }[] };

const listedPosts = sql`kind in ('question', 'howto') and parent_id is null and deleted_at is null
  and not exists (select 1 from question_closures c where c.question_id = posts.id and c.reason = 'duplicate')`;

async function fixedUrls(db: Db): Promise<SitemapUrl[]> {
  const spaces = await listSpaces(db);
  return [
    ...MAIN_PAGES.map((path) => ({ path, lastModified: null })),
    ...spaces.map((space) => ({ path: `/s/${space.slug}`, lastModified: null })),
  ];
}

/**
 * Whether everything fits one file; if not, the index's files. File 1 holds the main pages and spaces and then the
 * first posts; each further file the next `perFile` posts.
 */
export async function sitemapShape(db: Db, perFile = SITEMAP_MAX_URLS): Promise<SitemapShape> {
  const fixedList = await fixedUrls(db);
  const fixed = fixedList.length;
  const [counted] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from posts where ${listedPosts}`);
  const posts = counted?.n ?? 0;
  if (fixed + posts <= perFile) return { kind: "single", urls: await sitemapUrls(db, { perFile, fixed: fixedList }) };
  const fileCount = 1 + Math.ceil(Math.max(0, posts - (perFile - fixed)) / perFile);
  const dates = await queryRows<{ file: number; changed: Date | string }>(
    db,
    sql`select (row_number - 1 + ${fixed}::int) / ${perFile}::int + 1 as file, max(changed) as changed from (
      select row_number() over (order by id), greatest(last_activity_at, updated_at) as changed from posts
      where ${listedPosts}) numbered group by 1`,
  );
  const changed = new Map(dates.map((row) => [Number(row.file), new Date(row.changed)]));
  return {
    kind: "index",
    files: Array.from({ length: fileCount }, (_, i) => ({
      path: `/sitemap/${i + 1}.xml`,
      lastModified: changed.get(i + 1) ?? null,
    })),
  };
}

/**
 * The addresses in sitemap file `file` (1 for the single file): [] past the last one. `fixed`: the main pages and
 * spaces when the caller has them already.
 */
export async function sitemapUrls(
  db: Db,
  {
    file = 1,
    perFile = SITEMAP_MAX_URLS,
    fixed: known,
  }: { file?: number; perFile?: number; fixed?: SitemapUrl[] } = {},
): Promise<SitemapUrl[]> {
  const fixed = known ?? (await fixedUrls(db));
  const first = file === 1 ? fixed : [];
  // Posts before this file: file 1 has room for perFile - fixed of them, each later file for perFile.
  const skip = file === 1 ? 0 : perFile - fixed.length + (file - 2) * perFile;
  const take = perFile - first.length;
  if (skip < 0 || take <= 0) return first;
  const rows = await queryRows<{
    id: number;
    kind: "question" | "howto";
    title: string | null;
    changed: Date | string;
  }>(
    db,
    sql`select id, kind, title, greatest(last_activity_at, updated_at) as changed from posts
      where ${listedPosts} order by id limit ${take}::int offset ${skip}::int`,
  );
  return [
    ...first,
    ...rows.map((row) => ({
      path: row.kind === "howto" ? howtoPath(row.id) : questionPath(row.id, row.title),
      lastModified: new Date(row.changed),
    })),
  ];
}

const lastmod = (date: Date | null) => (date ? `<lastmod>${date.toISOString()}</lastmod>` : "");

export function sitemapXml(baseURL: string, urls: SitemapUrl[]): string {
  const entries = urls.map(
    ({ path, lastModified }) => `<url><loc>${escapeXml(`${baseURL}${path}`)}</loc>${lastmod(lastModified)}</url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join("\n")}\n</urlset>\n`;
}

export function sitemapIndexXml(baseURL: string, files: { path: string; lastModified: Date | null }[]): string {
  const entries = files.map(
    ({ path, lastModified }) =>
      `<sitemap><loc>${escapeXml(`${baseURL}${path}`)}</loc>${lastmod(lastModified)}</sitemap>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join("\n")}\n</sitemapindex>\n`;
}
