/**
 * Imports a Stack Exchange site dump (Posts, Users, Comments, Tags and PostLinks XML, plain or gzipped) into a space:
 * questions, answers, accepted answers, scores, comments, tags and dates, authors as placeholder people who cannot sign
 * in, each post linked to its original with its author and licence (CC BY-SA), and duplicate links kept. Every row's
 * source id is recorded in `import_ids`, so running it again updates what it imported instead of duplicating it.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { sql } from "drizzle-orm";
import sax from "sax";
import TurndownService from "turndown";
import { type Db, queryRows } from "#db/client.server";
import { comments, importIds, posts, spaces, users } from "#db/schema";
import { HEADING_LEVEL, renderMarkdown, settlePictures } from "~/lib/markdown.server";
import { slugify } from "~/lib/slug";
import { normalizeTag } from "~/lib/tags";
import { picturesShownIn } from "./post-images.server";
import {
  type PictureCopyOptions,
  type PictureCopyReport,
  copyImportedPictures,
  pictureAddressesIn,
} from "./imported-pictures.server";
import { ensureTags } from "./tags.server";
import { renderCommentMarkdown } from "./comments.server";

export type ImportStage = "scan" | "users" | "pictures" | "posts" | "comments" | "links";
export type ImportProgress = (stage: ImportStage, done: number, total: number) => void;

export type StackExchangeImportOptions = {
  /** The folder holding Posts.xml(.gz) and the others. */
  dir: string;
  /** The site's host name, for links to the originals; defaults to the folder's name (as in the dumps). */
  site?: string;
  /** The space to import into (created when missing); defaults to a slug of the site's name. */
  spaceSlug?: string;
  /**
   * Copy in the pictures posts show from these hosts (app/models/imported-pictures.server.ts); without it, posts keep
   * showing them from the original site.
   */
  pictures?: Omit<PictureCopyOptions, "onProgress">;
  onProgress?: ImportProgress;
};

export type StackExchangeImportReport = {
  site: string;
  spaceId: number;
  spaceSlug: string;
  /** `updated` counts only rows this run changed; `unchanged` the ones it found as the dump has them. */
  people: { created: number; updated: number; unchanged: number };
  posts: { created: number; updated: number; unchanged: number; skipped: number };
  comments: { created: number; updated: number; unchanged: number };
  /** Links this run added, by kind, and the ones an earlier run had already added. */
  links: { duplicate: number; linked: number; known: number };
  /** Pictures copied in, when asked to. */
  pictures: PictureCopyReport;
  /** Ids of every imported question and answer (new or updated), for the search index and the pulse facts. */
  postIds: number[];
};

type Row = Record<string, string>;

/** PostLinks' LinkTypeId: 1 "linked", 3 "duplicate" (the only two the dumps hold). */
const LINK_KINDS: Record<string, "duplicate" | "linked"> = { "1": "linked", "3": "duplicate" };

/** Rows written per statement. */
const BATCH = 500;

/** Finds `<name>.xml` or `<name>.xml.gz` in the dump folder. */
export function dumpFile(dir: string, name: string): string | null {
  for (const file of [join(dir, `${name}.xml`), join(dir, `${name}.xml.gz`)]) if (existsSync(file)) return file;
  return null;
}

/**
 * Streams the `<row …/>` elements of a dump file, a batch at a time (the file is never read whole), reporting how many
 * bytes of the file were read. The file is decoded as one UTF-8 stream, so a character split between two reads stays
 * whole. A file that is not well-formed, or that ends before its root element closes (a cut-off download), is refused
 * before its last batch is handed on.
 */
export async function* readDumpRows(
  file: string,
  onBytes?: (read: number, total: number) => void,
): AsyncGenerator<Row[]> {
  const total = statSync(file).size;
  const raw = createReadStream(file);
  let read = 0;
  raw.on("data", (chunk) => (read += chunk.length));
  const input = file.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  const decoder = new StringDecoder("utf8");
  const parser = sax.parser(true, { trim: false, normalize: false });
  let pending: Row[] = [];
  let failure: Error | null = null;
  let first = true;
  parser.onopentag = (node) => {
    if (node.name !== "row") return;
    const row: Row = {};
    for (const [key, value] of Object.entries(node.attributes))
      row[key] = typeof value === "string" ? value : value.value;
    pending.push(row);
  };
  parser.onerror = (error) => {
    failure = error;
  };
  const refuse = (error: Error, ending: boolean) =>
    new Error(
      ending
        ? `${basename(file)} ends before its last row is complete (${error.message.split("\n")[0]}): the file looks cut off. Download or unpack it again.`
        : `${basename(file)} is not well-formed XML: ${error.message.split("\n")[0]}`,
    );
  const feed = (text: string) => {
    // The dumps start with a UTF-8 byte order mark, which is not XML.
    parser.write(first ? text.replace(/^\uFEFF/, "") : text);
    if (text.length > 0) first = false;
  };
  // A gzipped file that was cut off or damaged fails in the unpacking, before the XML parser sees its end.
  const unpacked = async function* () {
    try {
      yield* input;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${basename(file)} could not be unpacked (${reason}): the file looks cut off or damaged. Download it again.`,
        { cause: error },
      );
    }
  };
  for await (const chunk of unpacked()) {
    feed(decoder.write(chunk as Buffer));
    if (failure) throw refuse(failure, false);
    onBytes?.(read, total);
    if (pending.length >= BATCH) {
      yield pending;
      pending = [];
    }
  }
  feed(decoder.end());
  if (failure) throw refuse(failure, false);
  parser.close();
  if (failure) throw refuse(failure, true);
  if (pending.length > 0) yield pending;
}

/** Stack Exchange content licence by post date (the dumps before 2018 carry no ContentLicense attribute). */
export function licenseFor(createdAt: Date, stated?: string): string {
  if (stated) return stated;
  if (createdAt < new Date("2011-04-08T00:00:00Z")) return "CC BY-SA 2.5";
  if (createdAt < new Date("2018-05-02T00:00:00Z")) return "CC BY-SA 3.0";
  return "CC BY-SA 4.0";
}

/** "<windows><dns>" (older dumps) or "|windows|dns|" (newer ones) to our tag slugs. */
export function parseDumpTags(value: string | undefined): string[] {
  if (!value) return [];
  const names = value.includes("<") ? [...value.matchAll(/<([^>]+)>/g)].map((m) => m[1] ?? "") : value.split("|");
  return [...new Set(names.map(normalizeTag).filter(Boolean))];
}

/** Dump dates are UTC without a zone ("2017-08-26T18:54:01.123"). */
function dumpDate(value: string | undefined): Date {
  const date = new Date(value ? `${value.replace(/Z$/, "")}Z` : Date.now());
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

function toInt(value: string | undefined): number | null {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isSafeInteger(n) ? n : null;
}

/** What Stack Exchange's editor puts where a picture's description goes until the writer replaces it. */
const PLACEHOLDER_DESCRIPTION = /^\s*enter image description here\s*$/i;

/**
 * The dump's HTML as Markdown, so imported posts are stored like any other and rendered by the same pipeline. A picture
 * copied in (`pictures`: its original address to its address here) is shown, and linked to, from here.
 */
export function createHtmlToMarkdown(pictures: ReadonlyMap<string, string> = new Map()): (html: string) => string {
  const turndown = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
    emDelimiter: "*",
  });
  // Stack Exchange writes keyboard keys, superscripts and subscripts as HTML; keep them as such for the renderer to judge.
  turndown.keep(["kbd", "sup", "sub"]);
  // Turndown's own rules for images (and links to copied pictures), with two changes: a copied picture's address here
  // in place of the original's, and no description where Stack Exchange's editor left its placeholder ("enter image
  // description here"), which a screen reader would read out as if it described the picture.
  const attribute = (node: HTMLElement, name: string) => (node.getAttribute(name) ?? "").replace(/(\n+\s*)+/g, "\n");
  turndown.addRule("picture", {
    filter: "img",
    replacement: (_, node) => {
      const element = node as HTMLElement;
      const src = element.getAttribute("src") ?? "";
      const alt = attribute(element, "alt");
      const title = attribute(element, "title");
      return src
        ? `![${PLACEHOLDER_DESCRIPTION.test(alt) ? "" : alt}](${pictures.get(src) ?? src}${title ? ` "${title}"` : ""})`
        : "";
    },
  });
  if (pictures.size > 0) {
    turndown.addRule("linkToCopiedPicture", {
      filter: (node) => node.nodeName === "A" && pictures.has(node.getAttribute("href") ?? ""),
      replacement: (content, node) => {
        const element = node as HTMLElement;
        const title = attribute(element, "title").replace(/"/g, '\\"');
        return `[${content}](${pictures.get(element.getAttribute("href") ?? "")}${title ? ` "${title}"` : ""})`;
      },
    });
  }
  return (html) => turndown.turndown(html).trim() || "(empty)";
}

/** Our ids of rows a source already imported, by their id there. */
async function knownIds(db: Db, source: string, entity: "user" | "post" | "comment"): Promise<Map<string, string>> {
  const rows = await queryRows<{ external_id: string; local_id: string }>(
    db,
    sql`select external_id, local_id from import_ids where source = ${source} and entity = ${entity}`,
  );
  return new Map(rows.map((row) => [row.external_id, row.local_id]));
}

/**
 * Why `slug` can't be a space's address, or null when it can: it must be what the app's slugify (which makes every
 * space's address) leaves unchanged, so /s/:slug can serve it. Refused rather than changed, so the operator knows where
 * the import goes.
 */
export function spaceSlugProblem(slug: string): string | null {
  const suggestion = slugify(slug, 60);
  if (slug !== "" && slug === suggestion) return null;
  return (
    `"${slug}" can't be a space's address: use lower-case letters a-z, digits and single hyphens between them, ` +
    `at most 60 characters, for example "${suggestion || "apple-meta"}".`
  );
}

/** The space with this address, created (named after the site) when there is none: a second run reuses it. */
async function ensureSpace(db: Db, slug: string, site: string): Promise<{ id: number; slug: string }> {
  const [existing] = await queryRows<{ id: number; slug: string }>(
    db,
    sql`select id, slug from spaces where slug = ${slug}`,
  );
  if (existing) return existing;
  const [position] = await queryRows<{ next: number }>(
    db,
    sql`select coalesce(max(position), 0)::int + 1 as next from spaces`,
  );
  const [created] = await db
    .insert(spaces)
    .values({
      slug,
      name: site,
      description: `Imported from ${site} (CC BY-SA; each post links to its original).`,
      position: position?.next ?? 1,
    })
    .onConflictDoNothing({ target: spaces.slug })
    .returning({ id: spaces.id, slug: spaces.slug });
  if (created) return created;
  const [again] = await queryRows<{ id: number; slug: string }>(
    db,
    sql`select id, slug from spaces where slug = ${slug}`,
  );
  if (!again) throw new Error(`Could not create the space ${slug}.`);
  return again;
}

/**
 * Why this run can't import into `spaceSlug`, or null when it can: the site's questions an earlier run imported are in
 * other spaces. Updating them would leave them there while the report named this space (and new posts would land
 * apart from the old), so the operator picks: the space they are in, or moving them first with the site's own Move.
 */
async function importedElsewhere(db: Db, source: string, site: string, spaceSlug: string): Promise<string | null> {
  const spacesNow = await queryRows<{ slug: string }>(
    db,
    sql`select s.slug from import_ids i join posts p on p.id::text = i.local_id join spaces s on s.id = p.space_id
      where i.source = ${source} and i.entity = 'post' and p.kind = 'question'
      group by s.slug order by count(*) desc, s.slug`,
  );
  if (spacesNow.length === 0 || spacesNow.some((space) => space.slug === spaceSlug)) return null;
  const [most] = spacesNow;
  return (
    `${site} was imported into ${spacesNow.map((space) => `/s/${space.slug}`).join(" and ")}; ` +
    `run again with --space ${most?.slug}, or move the questions there with the site's own Move.`
  );
}

/** The default space slug for a site: "apple.meta.stackexchange.com" → "apple-meta". */
export function defaultSpaceSlug(site: string): string {
  return slugify(site.replace(/\.stackexchange\.com$/, "").replace(/\.com$/, ""), 60) || "imported";
}

/** A post's author as the dump names them: a user id, or only a display name (deleted accounts). */
function authorKey(row: Row, idAttribute: string, nameAttribute: string): string {
  const id = toInt(row[idAttribute]);
  if (id !== null && id > 0) return String(id);
  return `name:${(row[nameAttribute] ?? "").trim().slice(0, 100) || "unknown"}`;
}

export async function importStackExchange(
  db: Db,
  options: StackExchangeImportOptions,
): Promise<StackExchangeImportReport> {
  const site = (options.site ?? basename(options.dir.replace(/[\\/]+$/, ""))).toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(site)) throw new Error(`"${site}" is not a site host name; pass one with --site.`);
  const spaceSlug = options.spaceSlug ?? defaultSpaceSlug(site);
  const slugProblem = spaceSlugProblem(spaceSlug);
  if (slugProblem) throw new Error(`${slugProblem} Choose the space with --space.`);
  const postsFile = dumpFile(options.dir, "Posts");
  if (!postsFile) throw new Error(`No Posts.xml or Posts.xml.gz in ${options.dir}.`);
  const source = `stackexchange:${site}`;
  const spaceProblem = await importedElsewhere(db, source, site, spaceSlug);
  if (spaceProblem) throw new Error(spaceProblem);
  const progress = options.onProgress;
  const report: StackExchangeImportReport = {
    site,
    spaceId: 0,
    spaceSlug: "",
    people: { created: 0, updated: 0, unchanged: 0 },
    posts: { created: 0, updated: 0, unchanged: 0, skipped: 0 },
    comments: { created: 0, updated: 0, unchanged: 0 },
    links: { duplicate: 0, linked: 0, known: 0 },
    pictures: { copied: 0, known: 0, failed: [] },
    postIds: [],
  };

  // A file that turns out cut off or broken stops the import, saying what was written before it. Posts, Comments and
  // Users are read whole before anything is written, so only a broken PostLinks leaves an import part done.
  const read = async function* (file: string, stage?: ImportStage): AsyncGenerator<Row[]> {
    try {
      yield* readDumpRows(file, stage && ((done, total) => progress?.(stage, done, total)));
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${writtenSoFar(report)}`, {
        cause: error,
      });
    }
  };

  // 1. Who wrote something: only they become placeholder people (a site has many more accounts than authors).
  const authors = new Map<string, string>();
  /** The pictures posts show, each with the author of the first post showing it (when pictures are copied). */
  const pictureAuthors = new Map<string, string>();
  const commentsFile = dumpFile(options.dir, "Comments");
  for (const [file, idAttribute, nameAttribute] of [
    [postsFile, "OwnerUserId", "OwnerDisplayName"],
    [commentsFile, "UserId", "UserDisplayName"],
  ] as const) {
    if (!file) continue;
    for await (const rows of read(file, "scan")) {
      for (const row of rows) {
        if (file === postsFile && row.PostTypeId !== "1" && row.PostTypeId !== "2") continue;
        const key = authorKey(row, idAttribute, nameAttribute);
        if (options.pictures && file === postsFile && row.Body?.includes("://"))
          for (const address of pictureAddressesIn(row.Body))
            if (!pictureAuthors.has(address)) pictureAuthors.set(address, key);
        authors.set(key, key.startsWith("name:") ? key.slice(5) : (row[nameAttribute] ?? ""));
      }
    }
  }
  const usersFile = dumpFile(options.dir, "Users");
  if (usersFile) {
    for await (const rows of read(usersFile, "users")) {
      for (const row of rows) if (row.Id && authors.has(row.Id)) authors.set(row.Id, row.DisplayName ?? "");
    }
  }
  const space = await ensureSpace(db, spaceSlug, site);
  report.spaceId = space.id;
  report.spaceSlug = space.slug;
  const tagsFile = dumpFile(options.dir, "Tags");
  if (tagsFile)
    for await (const rows of read(tagsFile))
      await ensureTags(
        db,
        rows.map((row) => row.TagName ?? ""),
      );
  const people = await knownIds(db, source, "user");
  const authorEntries = [...authors.entries()];
  for (let i = 0; i < authorEntries.length; i += BATCH) {
    const batch = authorEntries.slice(i, i + BATCH).map(([key, name]) => ({
      key,
      name: name.trim().slice(0, 100) || (key.startsWith("name:") ? "Unknown" : `user${key}`),
    }));
    const fresh = batch.filter((person) => !people.has(person.key));
    const known = batch.filter((person) => people.has(person.key));
    if (fresh.length > 0) {
      const now = new Date();
      // No account row (so no password) and an address that cannot receive mail: nobody can sign in as them.
      const rows = fresh.map((person) => {
        const id = `se${crypto.randomUUID().replace(/-/g, "")}`;
        const tag = slugify(`${space.slug}-${person.key.replace(/^name:/, "n-")}`, 40);
        return {
          id,
          name: person.name,
          email: `${id}@imported.invalid`,
          handle: `${slugify(person.name, 18) || "user"}-${tag}`.slice(0, 60),
          createdAt: now,
          updatedAt: now,
        };
      });
      await db.insert(users).values(rows).onConflictDoNothing();
      await db.insert(importIds).values(
        fresh.map((person, j) => ({
          source,
          entity: "user" as const,
          externalId: person.key,
          localId: rows[j]?.id ?? "",
        })),
      );
      for (const [j, person] of fresh.entries()) people.set(person.key, rows[j]?.id ?? "");
      report.people.created += fresh.length;
    }
    if (known.length > 0) {
      const renamed = await queryRows<{ id: string }>(
        db,
        sql`update users u set name = x.name from jsonb_to_recordset(${JSON.stringify(known.map((p) => ({ id: people.get(p.key), name: p.name })))}::jsonb)
        as x(id text, name text) where u.id = x.id and u.name <> x.name returning u.id`,
      );
      report.people.updated += renamed.length;
      report.people.unchanged += known.length - renamed.length;
    }
  }

  // 2. The pictures posts show, copied in before the posts are written, so each post is written once with their copies.
  let pictures = new Map<string, string>();
  if (options.pictures && pictureAuthors.size > 0) {
    const wanted = new Map([...pictureAuthors].map(([address, key]) => [address, people.get(key) ?? ""]));
    const copied = await copyImportedPictures(db, wanted, {
      ...options.pictures,
      onProgress: (done, total) => progress?.("pictures", done, total),
    });
    pictures = copied.pictures;
    report.pictures = copied.report;
  }
  const html = createHtmlToMarkdown(pictures);

  // 3. Questions and answers, in the dump's order (an answer comes after its question); an early answer waits.
  const postIds = await knownIds(db, source, "post");
  const accepted: [string, string][] = [];
  let waiting: Row[] = [];
  const writePosts = async (rows: Row[]) => {
    const ready: Row[] = [];
    for (const row of rows) {
      if (row.PostTypeId !== "1" && row.PostTypeId !== "2") continue;
      if (row.PostTypeId === "2" && !postIds.has(row.ParentId ?? "")) waiting.push(row);
      else ready.push(row);
      if (row.PostTypeId === "1" && row.AcceptedAnswerId) accepted.push([row.Id ?? "", row.AcceptedAnswerId]);
    }
    await upsertPosts(db, ready, { source, site, spaceId: space.id, people, postIds, html, report });
  };
  for await (const rows of read(postsFile, "posts")) await writePosts(rows);
  if (waiting.length > 0) {
    const late = waiting;
    waiting = [];
    await writePosts(late);
    // Answers to questions the dump does not hold (deleted) have nowhere to go.
    report.posts.skipped += waiting.length;
  }
  const importedIds = [...postIds.values()].map(Number);
  report.postIds = importedIds;
  const idList = `{${importedIds.join(",")}}`;
  const acceptedLocal = accepted.flatMap(([question, answer]) => {
    const q = postIds.get(question);
    const a = postIds.get(answer);
    return q && a ? [{ q: Number(q), a: Number(a) }] : [];
  });
  await db.execute(sql`
    update posts q set accepted_answer_id = x.a, accepted_at = a.created_at
    from jsonb_to_recordset(${JSON.stringify(acceptedLocal)}::jsonb) as x(q int, a int) join posts a on a.id = x.a
    where q.id = x.q and a.parent_id = q.id and q.accepted_answer_id is distinct from x.a`);
  await db.execute(sql`
    update posts q set answer_count = (select count(*) from posts a where a.parent_id = q.id and a.deleted_at is null),
      last_activity_at = greatest(q.created_at, (select max(a.created_at) from posts a where a.parent_id = q.id))
    where q.id = any(${idList}::int[]) and q.kind = 'question'`);

  // 4. Comments.
  if (commentsFile) {
    const commentIds = await knownIds(db, source, "comment");
    for await (const rows of read(commentsFile, "comments")) {
      const items = rows.flatMap((row) => {
        const postId = postIds.get(row.PostId ?? "");
        const authorId = people.get(authorKey(row, "UserId", "UserDisplayName"));
        if (!postId || !authorId || !row.Id) return [];
        const body = (row.Text ?? "").trim() || "(empty)";
        return [
          {
            externalId: row.Id,
            postId: Number(postId),
            authorId,
            bodyMd: body,
            // A comment as the app stores one: inline formatting only (a list or a heading would break its line).
            bodyHtml: renderCommentMarkdown(body),
            createdAt: dumpDate(row.CreationDate),
          },
        ];
      });
      const fresh = items.filter((item) => !commentIds.has(item.externalId));
      const known = items.filter((item) => commentIds.has(item.externalId));
      if (fresh.length > 0) {
        const inserted = await db
          .insert(comments)
          .values(fresh.map(({ externalId: _externalId, ...item }) => ({ ...item, updatedAt: item.createdAt })))
          .returning({ id: comments.id });
        await db.insert(importIds).values(
          fresh.map((item, j) => ({
            source,
            entity: "comment" as const,
            externalId: item.externalId,
            localId: String(inserted[j]?.id ?? ""),
          })),
        );
        for (const [j, item] of fresh.entries()) commentIds.set(item.externalId, String(inserted[j]?.id ?? ""));
        report.comments.created += fresh.length;
      }
      if (known.length > 0) {
        const json = JSON.stringify(
          known.map((item) => ({ id: Number(commentIds.get(item.externalId)), md: item.bodyMd, html: item.bodyHtml })),
        );
        const changed = await queryRows<{ id: number }>(
          db,
          sql`update comments c set body_md = x.md, body_html = x.html from jsonb_to_recordset(${json}::jsonb) as x(id int, md text, html text)
          where c.id = x.id and c.body_md <> x.md returning c.id`,
        );
        report.comments.updated += changed.length;
        report.comments.unchanged += known.length - changed.length;
      }
    }
    await db.execute(
      sql`update posts p set comment_count = (select count(*) from comments c where c.post_id = p.id and c.deleted_at is null) where p.id = any(${idList}::int[])`,
    );
  }

  // 5. Duplicate and related links between imported questions (both ends must have been imported).
  const linksFile = dumpFile(options.dir, "PostLinks");
  if (linksFile) {
    for await (const rows of read(linksFile, "links")) {
      const links = rows.flatMap((row) => {
        const from = postIds.get(row.PostId ?? "");
        const to = postIds.get(row.RelatedPostId ?? "");
        const kind = LINK_KINDS[row.LinkTypeId ?? ""];
        return from && to && kind && from !== to
          ? [{ from: Number(from), to: Number(to), kind, at: dumpDate(row.CreationDate).toISOString() }]
          : [];
      });
      if (links.length === 0) continue;
      const inserted = await queryRows<{ kind: "duplicate" | "linked" }>(
        db,
        sql`insert into post_links (post_id, related_post_id, kind, created_at)
        select x."from", x."to", x.kind, x.at::timestamptz from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as x("from" int, "to" int, kind text, at text)
        on conflict do nothing returning kind`,
      );
      // Only what was really added counts as added; the rest an earlier run (or this dump, twice) already had.
      for (const link of inserted) report.links[link.kind] += 1;
      report.links.known += links.length - inserted.length;
    }
  }
  return report;
}

/** What an import that stopped part way had written, for its error message. */
function writtenSoFar(report: StackExchangeImportReport): string {
  const posts = report.posts.created + report.posts.updated;
  const comments = report.comments.created + report.comments.updated;
  const links = report.links.duplicate + report.links.linked;
  if (posts + comments + links + report.people.created + report.people.updated === 0)
    return "No people, posts, comments or links were written.";
  return (
    `Written before it stopped: people ${report.people.created + report.people.updated}, posts ${posts}, comments ${comments}, links ${links}. ` +
    "Running the import again once the file is whole is safe: it updates what it imported instead of copying it."
  );
}

type PostContext = {
  source: string;
  site: string;
  spaceId: number;
  people: Map<string, string>;
  postIds: Map<string, string>;
  html: (html: string) => string;
  report: StackExchangeImportReport;
};

/** Inserts new posts and updates ones imported before, with their tags and their source (original link, author, licence). */
async function upsertPosts(db: Db, rows: Row[], context: PostContext): Promise<void> {
  if (rows.length === 0) return;
  const markdown = rows.map((row) => context.html(row.Body ?? ""));
  // Copied pictures, as every writer settles them: with their sizes, or the note where a moderator took one down.
  const pictures = await picturesShownIn(db, markdown, { isLocking: false });
  const items = rows.flatMap((row, i) => {
    const authorId = context.people.get(authorKey(row, "OwnerUserId", "OwnerDisplayName"));
    if (!authorId || !row.Id) {
      context.report.posts.skipped += 1;
      return [];
    }
    const isQuestion = row.PostTypeId === "1";
    const bodyMd = markdown[i] ?? "";
    const createdAt = dumpDate(row.CreationDate);
    const ownerId = toInt(row.OwnerUserId);
    return [
      {
        externalId: row.Id,
        kind: isQuestion ? ("question" as const) : ("answer" as const),
        parentId: isQuestion ? null : Number(context.postIds.get(row.ParentId ?? "")),
        authorId,
        title: isQuestion ? (row.Title ?? "").trim().slice(0, 300) || "(untitled)" : null,
        bodyMd,
        bodyHtml: settlePictures(
          renderMarkdown(bodyMd, isQuestion ? HEADING_LEVEL.question : HEADING_LEVEL.answer),
          pictures,
        ),
        score: toInt(row.Score) ?? 0,
        createdAt,
        tags: isQuestion ? parseDumpTags(row.Tags) : [],
        source: {
          url: `https://${context.site}/${isQuestion ? "q" : "a"}/${row.Id}`,
          authorUrl: ownerId !== null && ownerId > 0 ? `https://${context.site}/users/${ownerId}` : null,
          license: licenseFor(createdAt, row.ContentLicense),
        },
      },
    ];
  });
  const fresh = items.filter((item) => !context.postIds.has(item.externalId));
  const known = items.filter((item) => context.postIds.has(item.externalId));
  if (fresh.length > 0) {
    const inserted = await db
      .insert(posts)
      .values(
        fresh.map((item) => ({
          kind: item.kind,
          spaceId: context.spaceId,
          parentId: item.parentId,
          authorId: item.authorId,
          title: item.title,
          bodyMd: item.bodyMd,
          bodyHtml: item.bodyHtml,
          score: item.score,
          createdAt: item.createdAt,
          updatedAt: item.createdAt,
          lastActivityAt: item.createdAt,
        })),
      )
      .returning({ id: posts.id });
    await db.insert(importIds).values(
      fresh.map((item, j) => ({
        source: context.source,
        entity: "post" as const,
        externalId: item.externalId,
        localId: String(inserted[j]?.id ?? ""),
      })),
    );
    for (const [j, item] of fresh.entries()) context.postIds.set(item.externalId, String(inserted[j]?.id ?? ""));
    context.report.posts.created += fresh.length;
    // A new answer joins its question, wherever the site's Move has put it since the first run.
    await db.execute(sql`update posts a set space_id = q.space_id from posts q
      where a.id = any(${`{${inserted.map((row) => row.id).join(",")}}`}::int[]) and q.id = a.parent_id and a.space_id <> q.space_id`);
  }
  if (known.length > 0) {
    const json = JSON.stringify(
      known.map((item) => ({
        id: Number(context.postIds.get(item.externalId)),
        title: item.title,
        md: item.bodyMd,
        html: item.bodyHtml,
        score: item.score,
        at: item.createdAt.toISOString(),
      })),
    );
    const changed = await queryRows<{ id: number }>(
      db,
      sql`update posts p set title = x.title, body_md = x.md, body_html = x.html, score = x.score, created_at = x.at::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x(id int, title text, md text, html text, score int, at text)
      where p.id = x.id and (p.body_md <> x.md or p.title is distinct from x.title or p.score <> x.score) returning p.id`,
    );
    context.report.posts.updated += changed.length;
    context.report.posts.unchanged += known.length - changed.length;
  }
  // Sources and tags, the same way for new and known posts.
  const all = [...fresh, ...known].map((item) => ({ ...item, id: Number(context.postIds.get(item.externalId)) }));
  const sources = all.map((item) => ({
    id: item.id,
    url: item.source.url,
    author: item.authorId,
    authorUrl: item.source.authorUrl,
    license: item.source.license,
  }));
  await db.execute(sql`insert into post_sources (post_id, url, author_name, author_url, license)
    select x.id, x.url, u.name, x."authorUrl", x.license from jsonb_to_recordset(${JSON.stringify(sources)}::jsonb) as x(id int, url text, author text, "authorUrl" text, license text)
      join users u on u.id = x.author
    on conflict (post_id) do update set url = excluded.url, author_name = excluded.author_name, author_url = excluded.author_url, license = excluded.license`);
  const questions = all.filter((item) => item.kind === "question");
  if (questions.length > 0) {
    const tagIds = new Map(
      (
        await ensureTags(
          db,
          questions.flatMap((item) => item.tags),
        )
      ).map((tag) => [tag.slug, tag.id]),
    );
    const links = questions.flatMap((item) =>
      item.tags.flatMap((tag) => (tagIds.has(tag) ? [{ post: item.id, tag: tagIds.get(tag) }] : [])),
    );
    await db.execute(
      sql`delete from post_tags where post_id = any(${`{${questions.map((item) => item.id).join(",")}}`}::int[])`,
    );
    if (links.length > 0) {
      await db.execute(sql`insert into post_tags (post_id, tag_id) select x.post, x.tag from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as x(post int, tag int)
        on conflict do nothing`);
    }
  }
}
