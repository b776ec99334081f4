/**
 * The sitemap search engines read (sitemaps.org): the main pages, every open space, the public questions and how-tos
 * (not a question closed as a duplicate: its address leads visitors to the original and asks not to be indexed), the
 * Q&A sessions that weren't cancelled, and the profiles of members with something public under their name, each with
 * when it last changed. One file holds at most 50,000 addresses (the protocol's limit): a bigger forum gets a sitemap
 * index at /sitemap.xml naming /sitemap/1.xml, /sitemap/2.xml… Addresses are listed in the order their pages were
 * created (a profile by when its member joined), so new ones go at the end and a file's addresses stay put as people
 * keep writing: a crawler re-reads only the files whose dates changed.
 * Written by hand: a flat list of escaped addresses, which a sitemap library would not make simpler.
 */
import { type SQL, sql } from "drizzle-orm";
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

/** The listed questions or how-tos: not deleted, and not a question closed as a duplicate. */
function listedPostsOfKind(kind: "question" | "howto"): SQL {
  return sql`kind = ${kind} and parent_id is null and deleted_at is null
    and not exists (select 1 from question_closures c where c.question_id = posts.id and c.reason = 'duplicate')`;
}

/** A session's page is listed unless it was cancelled (kept only so old links explain what happened). */
const listedSessions = sql`qa_sessions.cancelled_at is null`;

/**
 * A post shown under its author's name: not deleted (held ones are, until released), not asked anonymously, and an
 * answer only under a question that is still there (looked up by its id: "offset 0" keeps the database from reading
 * every post of the site into a table first, as it otherwise may when a member's posts are looked at).
 */
const namedPosts = sql`not posts.is_anonymous and posts.deleted_at is null and (posts.parent_id is null
  or exists (select 1 from posts q where q.id = posts.parent_id and q.deleted_at is null offset 0))`;

/**
 * A profile is listed when its member wrote something public under their name or hosts a listed session, and it is
 * neither hidden by a moderator nor suspended nor deleted (a deleted account has no handle, so no address). Each
 * member's posts and sessions are looked up through posts_author_idx and qa_sessions_host_idx ("offset 0" keeps the
 * database from reading every post and session of the site into a table first, as it otherwise may for a file that
 * needs a few members).
 */
const listedProfiles = sql`users.handle is not null and users.deleted_at is null and not users.banned
  and not exists (select 1 from hidden_profiles h where h.user_id = users.id)
  and (exists (select 1 from posts where posts.author_id = users.id and ${namedPosts} offset 0)
    or exists (select 1 from qa_sessions where qa_sessions.host_id = users.id and ${listedSessions} offset 0))`;

/**
 * Every listed address after the main pages and spaces (posts, sessions and profiles) with when its page was created;
 * a post's row says when it last changed too, while sessions and profiles (whose dates take a look-up each) are dated
 * by changedOf once a file has chosen its entries. With `upTo`, only the first `upTo` of each branch in ENTRY_ORDER (a
 * branch's type is fixed, so its own order is the list's): enough for any file that ends within the first `upTo`
 * entries. With `after`, only the entries after that one in ENTRY_ORDER. Each branch is then read in order from an
 * index, starting at `after` and stopping after `upTo` rows, instead of sorting the whole table: questions and how-tos
 * from posts_kind_created_idx (backwards: hence "nulls first", which changes nothing for these never-null columns),
 * sessions from qa_sessions_listed_created_idx, profiles from users_created_handle_idx.
 */
function listedEntries(upTo?: number, after?: EntryKey): SQL {
  const first = (order: SQL) => (upTo === undefined ? sql`` : sql`order by ${order} limit ${upTo}::int`);
  const posts = (kind: "question" | "howto") => sql`(select 'post' as type, id, null::text as handle, kind, title,
      created_at as created, greatest(last_activity_at, updated_at) as changed
    from posts where ${listedPostsOfKind(kind)} and ${isAfter(after, "post", sql`posts.created_at`, sql`posts.id`)}
    ${first(sql`created_at nulls first, id nulls first`)})`;
  return sql`${posts("question")}
  union all
  ${posts("howto")}
  union all
  (select 'session', id, null, null, null, created_at, null from qa_sessions
    where ${listedSessions} and ${isAfter(after, "session", sql`qa_sessions.created_at`, sql`qa_sessions.id`)}
    ${first(sql`created_at, id`)})
  union all
  (select 'profile', null, handle, null, null, created_at, null from users
    where ${listedProfiles} and ${isAfter(after, "profile", sql`users.created_at`, sql`users.handle`)}
    ${first(sql`created_at, handle`)})`;
}

/**
 * Where a file's entries end, in ENTRY_ORDER: the next file's come after it. `created` as the database wrote it (to the
 * microsecond, which a Date would round away).
 */
type EntryKey = { created: string; type: ListedEntry["type"]; id: number | null; handle: string | null };

/**
 * Whether a row of the branch of `type` comes after `key` in ENTRY_ORDER, as SQL (true without a key). `created`: the
 * branch's creation time column; `tiebreak`: the column ordering its rows created at the same time (id, or a profile's
 * handle). The first condition lets the branch's index start reading at the key; types are compared by the database,
 * as it sorts them.
 */
function isAfter(key: EntryKey | undefined, type: ListedEntry["type"], created: SQL, tiebreak: SQL): SQL {
  if (!key) return sql`true`;
  const keyTiebreak = type === "profile" ? sql`${key.handle}::text` : sql`${key.id}::int`;
  return sql`${created} >= ${key.created}::timestamptz and (${created} > ${key.created}::timestamptz
    or ${type}::text > ${key.type}::text or (${type}::text = ${key.type}::text and ${tiebreak} > ${keyTiebreak}))`;
}
const ENTRY_ORDER = sql`created, type, id, handle`;

/**
 * When the page of a listed entry (a row of listedEntries named `entry`) last changed: a post's row says; a session
 * changes with its questions and answers, a profile with the person's own edits, their newest public post and their
 * sessions.
 */
const changedOf = (entry: SQL) => sql`case ${entry}.type
  when 'post' then ${entry}.changed
  when 'session' then (select greatest(updated_at,
      (select max(greatest(q.created_at, q.edited_at, q.answered_at)) from session_questions q
       where q.session_id = qa_sessions.id and q.hidden_at is null and q.state <> 'withdrawn'))
    from qa_sessions where qa_sessions.id = ${entry}.id)
  else (select greatest(updated_at,
      (select max(posts.created_at) from posts where posts.author_id = users.id and ${namedPosts}),
      (select max(qa_sessions.updated_at) from qa_sessions where qa_sessions.host_id = users.id and ${listedSessions}))
    from users where users.handle = ${entry}.handle)
  end`;

type ListedEntry = {
  type: "post" | "session" | "profile";
  id: number | null;
  handle: string | null;
  kind: string | null;
  title: string | null;
  changed: Date | string;
};

function entryPath(entry: ListedEntry): string {
  if (entry.type === "profile") return `/u/${encodeURIComponent(entry.handle ?? "")}`;
  const id = entry.id ?? 0;
  if (entry.type === "session") return `/sessions/${id}`;
  return entry.kind === "howto" ? howtoPath(id) : questionPath(id, entry.title);
}

async function fixedUrls(db: Db): Promise<SitemapUrl[]> {
  const spaces = await listSpaces(db);
  return [
    ...MAIN_PAGES.map((path) => ({ path, lastModified: null })),
    ...spaces.map((space) => ({ path: `/s/${space.slug}`, lastModified: null })),
  ];
}

/**
 * Whether everything fits one file; if not, the index's files, each dated by its newest entry. File 1 holds the main
 * pages and spaces and then the first listed entries; each further file the next `perFile`. The files are read one
 * after the other, each from where the one before ended, so no step handles more than a few files' worth of entries
 * (it used to number and date the whole site's in one sort).
 */
export async function sitemapShape(db: Db, perFile = SITEMAP_MAX_URLS): Promise<SitemapShape> {
  const fixedList = await fixedUrls(db);
  const fixed = fixedList.length;
  // One entry more than file 1 has room for tells whether everything fits: no need to count the whole site.
  const room = Math.max(0, perFile - fixed);
  const [counted] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (${listedEntries(room + 1)}) entries`,
  );
  if (fixed + (counted?.n ?? 0) <= perFile)
    return { kind: "single", urls: await sitemapUrls(db, { perFile, fixed: fixedList }) };
  const changed = new Map<number, Date>();
  let entries = 0;
  let end: EntryKey | undefined;
  for (let file = 1; ; file++) {
    // How many entries this file holds, counted as sitemapUrls does: file 1 has room for perFile - fixed of them.
    const take = file * perFile - fixed - Math.max(0, (file - 1) * perFile - fixed);
    if (take <= 0) continue;
    const slice = await fileSlice(db, take, end);
    entries += slice.count;
    if (slice.changed !== null) changed.set(file, new Date(slice.changed));
    if (slice.count < take || !slice.end) break;
    end = slice.end;
  }
  const fileCount = 1 + Math.ceil(Math.max(0, entries - (perFile - fixed)) / perFile);
  return {
    kind: "index",
    files: Array.from({ length: fileCount }, (_, i) => ({
      path: `/sitemap/${i + 1}.xml`,
      lastModified: changed.get(i + 1) ?? null,
    })),
  };
}

/** The next `take` entries after `after` (from the first without it): how many there are, their newest change, the last. */
async function fileSlice(
  db: Db,
  take: number,
  after: EntryKey | undefined,
): Promise<{ count: number; changed: Date | string | null; end: EntryKey | null }> {
  const [row] = await queryRows<{ n: number; changed: Date | string | null } & Partial<EntryKey>>(
    db,
    sql`with slice as (
        select * from (${listedEntries(take, after)}) listed order by ${ENTRY_ORDER} limit ${take}::int)
      select (select count(*)::int from slice) as n, (select max(${changedOf(sql`slice`)}) from slice) as changed,
        last.created::text as created, last.type, last.id, last.handle
      from (select 1) one left join lateral (
        select * from slice order by created desc, type desc, id desc, handle desc limit 1) last on true`,
  );
  const end =
    row?.created && row.type
      ? { created: row.created, type: row.type, id: row.id ?? null, handle: row.handle ?? null }
      : null;
  return { count: row?.n ?? 0, changed: row?.changed ?? null, end };
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
  // Entries before this file: file 1 has room for perFile - fixed of them, each later file for perFile.
  const skip = file === 1 ? 0 : perFile - fixed.length + (file - 2) * perFile;
  const take = perFile - first.length;
  if (skip < 0 || take <= 0) return first;
  // The file's entries (from the first skip + take of each kind, in order), then the dates of those alone.
  const rows = await queryRows<ListedEntry>(
    db,
    sql`select type, id, handle, kind, title, ${changedOf(sql`entries`)} as changed from (
        select * from (${listedEntries(skip + take)}) listed
        order by ${ENTRY_ORDER} limit ${take}::int offset ${skip}::int) entries
      order by ${ENTRY_ORDER}`,
  );
  return [...first, ...rows.map((row) => ({ path: entryPath(row), lastModified: new Date(row.changed) }))];
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
