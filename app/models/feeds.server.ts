/**
 * Atom feeds of new questions (all, a space's, a tag's) and new how-tos (all, a space's), for feed readers and for
 * Teams' or Outlook's RSS connectors: the newest 30, each with its post's stored HTML (sanitised when it was written).
 * Written by the `feed` package; only public posts (as the lists show them), never a deleted or held one.
 */
import { sql } from "drizzle-orm";
import { Feed } from "feed";
import { type Db, queryRows } from "#db/client.server";
import { howtoPath } from "~/lib/howtos";
import { xmlSafe } from "~/lib/plain-text";
import { questionPath } from "~/lib/qa";
import { listHowtos } from "./howto-lists.server";
import { listQuestions } from "./question-lists.server";

export const FEED_SIZE = 30;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type FeedEntry = {
  id: number;
  title: string;
  /** The page's address; `idPath` is its address that never changes (no title in it), the entry's Atom id. */
  path: string;
  idPath: string;
  html: string;
  summary: string;
  published: Date;
  /** Its last edit (the creation until then): feed readers show an entry again when this moves. */
  updated: Date;
  authorName: string;
  authorHandle: string | null;
  category: string[];
};

export type FeedScope = { spaceId?: number; spaceSlug?: string; spaceName?: string; tag?: string | null };

/**
 * Each post's stored HTML and its last edit (updated_at, which the sitemap's lastmod reads too). Not its answers'
 * activity: an entry holds only the post, so a new answer is no reason for a feed reader to show it again.
 */
async function storedHtml(db: Db, ids: number[]): Promise<Map<number, { html: string; updated: Date }>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{ id: number; body_html: string; updated_at: Date | string }>(
    db,
    sql`select id, body_html, updated_at from posts where id = any(${`{${ids.join(",")}}`}::int[]) and deleted_at is null`,
  );
  return new Map(rows.map((row) => [row.id, { html: row.body_html, updated: new Date(row.updated_at) }]));
}

/** The newest questions in scope, newest first. */
export async function questionFeedEntries(db: Db, scope: FeedScope): Promise<FeedEntry[]> {
  const { questions } = await listQuestions(db, {
    sort: "newest",
    spaceId: scope.spaceId,
    tag: scope.tag ?? null,
    limit: FEED_SIZE,
  });
  const stored = await storedHtml(
    db,
    questions.map((q) => q.id),
  );
  return questions.flatMap((q) => {
    const post = stored.get(q.id);
    if (post === undefined) return [];
    return [
      {
        id: q.id,
        title: q.title,
        path: questionPath(q.id, q.title),
        idPath: `/q/${q.id}`,
        html: post.html,
        summary: "",
        published: q.createdAt,
        updated: post.updated,
        authorName: q.author.name,
        authorHandle: q.author.handle,
        category: [q.space.name, ...q.tags],
      },
    ];
  });
}

/** The newest how-tos in scope, newest first; a how-to's entry is its summary and its steps. */
export async function howtoFeedEntries(db: Db, scope: FeedScope): Promise<FeedEntry[]> {
  const { howtos } = await listHowtos(db, {
    sort: "newest",
    spaceId: scope.spaceId,
    tag: scope.tag ?? null,
    limit: FEED_SIZE,
  });
  if (howtos.length === 0) return [];
  const rows = await queryRows<{ id: number; steps: { bodyHtml: string }[] | null; updated_at: Date | string }>(
    db,
    sql`select id, steps, updated_at from posts where id = any(${`{${howtos.map((h) => h.id).join(",")}}`}::int[]) and deleted_at is null`,
  );
  const stored = new Map(rows.map((row) => [row.id, { steps: row.steps ?? [], updated: new Date(row.updated_at) }]));
  return howtos.flatMap((h) => {
    const post = stored.get(h.id);
    if (post === undefined) return [];
    const list = post.steps.map((step) => `<li>${step.bodyHtml}</li>`).join("");
    return [
      {
        id: h.id,
        title: h.title,
        path: howtoPath(h.id),
        idPath: `/howtos/${h.id}`,
        html: list ? `<ol>${list}</ol>` : "",
        summary: h.summary,
        published: h.createdAt,
        updated: post.updated,
        authorName: h.author.name,
        authorHandle: h.author.handle,
        category: [h.space.name, ...h.tags],
      },
    ];
  });
}

/** The feed's Atom document: `selfPath` is its own address, `pagePath` the page it follows. */
export function atomFeed({
  baseURL,
  title,
  description,
  selfPath,
  pagePath,
  entries,
}: {
  baseURL: string;
  title: string;
  description: string;
  selfPath: string;
  pagePath: string;
  entries: FeedEntry[];
}): string {
  const feed = new Feed({
    id: `${baseURL}${selfPath}`,
    title,
    description,
    link: `${baseURL}${pagePath}`,
    feedLinks: { atom: `${baseURL}${selfPath}` },
    // The newest change to any entry: an edit to an older post is news to a feed reader too.
    updated: new Date(Math.max(0, ...entries.map((entry) => entry.updated.getTime()))),
    generator: "PeerDesk",
    language: "en",
    favicon: `${baseURL}/favicon.ico`,
  });
  for (const entry of entries) {
    feed.addItem({
      id: `${baseURL}${entry.idPath}`,
      // Atom marks a title and a summary as HTML (`type="html"`): plain text is escaped, so "Why does <br> break
      // my signature?" reads as written instead of breaking a line.
      title: escapeHtml(entry.title),
      link: `${baseURL}${entry.path}`,
      date: entry.updated,
      published: entry.published,
      description: entry.summary ? escapeHtml(entry.summary) : undefined,
      // Links in posts may be relative to the site (/q/12): a feed reader shows them elsewhere.
      content: entry.html.replace(/(\s(?:href|src)=")\/(?!\/)/g, `$1${baseURL}/`),
      author: [{ name: entry.authorName, link: entry.authorHandle ? `${baseURL}/u/${entry.authorHandle}` : undefined }],
      category: entry.category.map((name) => ({ name, term: name })),
    });
  }
  return xmlSafe(escapeCategoryAttributes(feed.atom1()));
}

/**
 * The `feed` package escapes only `&` in attributes, so a space named "Tips <and> tricks" would end the
 * `<category>` element early and make the document unreadable. Its attribute values never hold `"` (written as
 * `&quot;`), and no `<category` element can appear in an entry's content (that is CDATA of sanitised post HTML, where
 * such text is `&lt;category`), so the values are found exactly and their angle brackets escaped here.
 */
function escapeCategoryAttributes(xml: string): string {
  return xml.replace(/<category((?: [a-z]+="[^"]*")*)\/>/g, (_, attributes: string) => {
    const escaped = attributes.replace(
      /="([^"]*)"/g,
      (_match, value: string) => `="${value.replace(/</g, "&lt;").replace(/>/g, "&gt;")}"`,
    );
    return `<category${escaped}/>`;
  });
}
