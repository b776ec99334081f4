/**
 * The first look at everything a person writes, inside the writing transaction: silenced accounts and new accounts'
 * daily limit are refused; likely spam (the same text again, many links, links to domains flagged as spam, links in a
 * new account's posts) is saved but held for review. Edits of posts get the same look (screenEdit). Needs no outside
 * service.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { isHeldFirstQuestion } from "./first-question-hold.server";
import { type ContentRef, type HoldReason, holdContent, isSilenced } from "./holds.server";
import { PostingError } from "./post-errors.server";
import { isNewAccount } from "./trust-levels.server";
import { type TrustSettings, getTrustSettings } from "./trust-settings.server";

/** Staff and mentors are trusted with what they write; the heuristics look at everyone else. */
const TRUSTED_ROLES = new Set(["mentor", "moderator", "admin"]);
/** Shorter texts ("Thanks, that worked!") repeat innocently. */
const REPEAT_MIN_LENGTH = 40;
const DAY_MS = 24 * 60 * 60_000;

/** http(s) links and images in rendered HTML (relative links to our own pages don't count). */
export function linksIn(html: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/\b(?:href|src)="(https?:\/\/[^"]+)"/gi)) links.push(match[1] ?? "");
  return links;
}

export function domainOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return null;
  }
}

/** Lowercase with single spaces, so "the same text" survives re-typed spacing and capitals. */
export function normalizeText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

type Written = { authorId: string; role: string; text: string; html: string; createdAt: Date };

async function loadWritten(tx: Db, ref: ContentRef): Promise<Written | null> {
  const id = Number(ref.id);
  let query: ReturnType<typeof sql>;
  if (ref.type === "post")
    query = sql`select p.author_id, u.role, p.created_at,
        concat_ws(' ', p.title, p.body_md, p.summary, p.prerequisites_md) as text,
        concat_ws(' ', p.body_html, p.prerequisites_html,
          (select string_agg(s->>'bodyHtml', ' ') from jsonb_array_elements(coalesce(p.steps, '[]'::jsonb)) s)) as html
      from posts p join users u on u.id = p.author_id where p.id = ${id}`;
  else if (ref.type === "comment")
    query = sql`select c.author_id, u.role, c.created_at, c.body_md as text, c.body_html as html
      from comments c join users u on u.id = c.author_id where c.id = ${id}`;
  else if (ref.type === "session_question")
    query = sql`select q.author_id, u.role, q.created_at, q.body as text, '' as html
      from session_questions q join users u on u.id = q.author_id where q.id = ${id}`;
  else return null;
  const [row] = await queryRows<{
    author_id: string;
    role: string;
    created_at: Date | string;
    text: string;
    html: string;
  }>(tx, query);
  if (!row) return null;
  return {
    authorId: row.author_id,
    role: row.role,
    text: row.text,
    html: row.html,
    createdAt: new Date(row.created_at),
  };
}

/** Everything the person wrote in the 24 hours up to `at` (this one included). */
async function writtenInDay(tx: Db, userId: string, at: Date): Promise<number> {
  const from = new Date(at.getTime() - DAY_MS).toISOString();
  const to = at.toISOString();
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select (
        (select count(*) from posts where author_id = ${userId} and created_at > ${from}::timestamptz and created_at <= ${to}::timestamptz)
      + (select count(*) from comments where author_id = ${userId} and created_at > ${from}::timestamptz and created_at <= ${to}::timestamptz)
      + (select count(*) from session_questions where author_id = ${userId} and created_at > ${from}::timestamptz and created_at <= ${to}::timestamptz)
      )::int as n`,
  );
  return row?.n ?? 0;
}

/**
 * Earlier copies of the same text (posts and comments, anyone's) within the day before `at`. The comparison is on
 * `md5(normalized body)`, the expression the posts_body_fingerprint_idx and comments_body_fingerprint_idx indexes
 * hold (migration "repeated_text_index"): keep the two identical or the check scans every post ever written.
 */
async function earlierCopies(tx: Db, ref: ContentRef, text: string, at: Date): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, earlierCopiesQuery(ref, text, at));
  return row?.n ?? 0;
}

/** The query behind earlierCopies, on its own so a test can check its plan uses the indexes. */
export function earlierCopiesQuery(ref: ContentRef, text: string, at: Date): SQL {
  const from = new Date(at.getTime() - DAY_MS).toISOString();
  const to = at.toISOString();
  const fingerprint = normalizeText(text);
  const selfPost = ref.type === "post" ? Number(ref.id) : 0;
  const selfComment = ref.type === "comment" ? Number(ref.id) : 0;
  return sql`select (
      (select count(*) from posts where ${bodyFingerprint(sql`body_md`)} = md5(${fingerprint})
        and created_at > ${from}::timestamptz and created_at <= ${to}::timestamptz and id <> ${selfPost})
    + (select count(*) from comments where ${bodyFingerprint(sql`body_md`)} = md5(${fingerprint})
        and created_at > ${from}::timestamptz and created_at <= ${to}::timestamptz and id <> ${selfComment})
    )::int as n`;
}

/** normalizeText in SQL, hashed so an index entry stays small whatever the body's length. */
export function bodyFingerprint(column: SQL): SQL {
  return sql`md5(lower(btrim(regexp_replace(${column}, '\\s+', ' ', 'g'))))`;
}

/** Domains linked from posts and comments that moderators removed on someone else's spam flag. */
export async function flaggedDomains(db: Db, exceptAuthorId: string): Promise<Set<string>> {
  const rows = await queryRows<{ html: string }>(
    db,
    sql`
      select p.body_html as html from flags f join posts p on f.target_type = 'post' and p.id::text = f.target_id
        where f.status = 'upheld' and f.reason = 'spam' and f.flagger_id <> ${exceptAuthorId}
      union all
      select c.body_html from flags f join comments c on f.target_type = 'comment' and c.id::text = f.target_id
        where f.status = 'upheld' and f.reason = 'spam' and f.flagger_id <> ${exceptAuthorId}`,
  );
  const domains = new Set<string>();
  for (const row of rows)
    for (const link of linksIn(row.html)) {
      const domain = domainOf(link);
      if (domain) domains.add(domain);
    }
  return domains;
}

export type ScreenResult = { held: false } | { held: true; reason: HoldReason; message: string };

const SAVED =
  "Your post is saved and a moderator will look at it soon; you'll get a notification when it is published.";
const SAVED_EDIT =
  "Your edit is saved and a moderator will look at it soon; you'll get a notification when it is published.";

/** Refuses a write by someone moderators silenced (the writing transaction rolls back). */
export async function assertNotSilenced(tx: Db, userId: string, at: Date): Promise<void> {
  if (await isSilenced(tx, userId, at))
    throw new PostingError(
      "Your account is silenced while moderators review it, so you can't post, flag, thank or rate anything for now. You can still read everything.",
      {},
      403,
    );
}

/**
 * Looks at content just written, in its transaction. Throws a PostingError (the write rolls back) for a silenced
 * author or a new account over its daily limit; holds likely spam for review. Call it last in the writing transaction.
 */
export async function screenNewContent(tx: Db, ref: ContentRef): Promise<ScreenResult> {
  const written = await loadWritten(tx, ref);
  if (!written) return { held: false };
  await assertNotSilenced(tx, written.authorId, written.createdAt);
  if (TRUSTED_ROLES.has(written.role)) return { held: false };
  const settings = await getTrustSettings(tx);
  const isNew = await isNewAccount(tx, written.authorId, written.createdAt, settings);
  if (isNew && (await writtenInDay(tx, written.authorId, written.createdAt)) > settings.newAccountDailyPosts)
    throw new PostingError(
      `New accounts can post ${settings.newAccountDailyPosts} times a day. Please come back tomorrow; nothing you typed was lost.`,
      {},
      429,
    );
  const verdict = await judge(tx, { ref, written, isNew, settings, at: written.createdAt, before: null });
  if (!verdict) return { held: false };
  await holdContent(tx, { ref, authorId: written.authorId, ...verdict });
  return { held: true, ...verdict };
}

/** A post as it was before an edit: what screenEdit compares the edit with (only what an edit adds is new). */
export type BeforeEdit = { html: string; body: string };

/** Reads a post's links and text in the edit's transaction, before the edit writes over them. */
export async function readBeforeEdit(tx: Db, postId: number): Promise<BeforeEdit> {
  const written = await loadWritten(tx, { type: "post", id: String(postId) });
  return { html: written?.html ?? "", body: await postBody(tx, postId) };
}

/**
 * Looks at an edit of a post just saved, in its transaction, with the checks new content gets, on the editor's account:
 * a silenced editor is refused (the edit rolls back). The author's own edit is held for review as a new post would be
 * when it adds a link (new account's links, too many links, a flagged domain) or changes the text to a copy of today's;
 * an edit is not a new post, so there is no daily limit and no first-question hold. Someone else's edit (staff, a
 * regular) is not held, nor is an accepted suggestion (never screened: its author or a moderator read it first): the
 * hold would hide the author's post and put the author before the moderators for words they did not write. Call it
 * last, with what readBeforeEdit read before the edit wrote.
 */
export async function screenEdit(
  tx: Db,
  { postId, editorId, before, now }: { postId: number; editorId: string; before: BeforeEdit; now: Date },
): Promise<ScreenResult> {
  await assertNotSilenced(tx, editorId, now);
  const ref: ContentRef = { type: "post", id: String(postId) };
  const written = await loadWritten(tx, ref);
  if (!written || written.authorId !== editorId || TRUSTED_ROLES.has(written.role)) return { held: false };
  const settings = await getTrustSettings(tx);
  const isNew = await isNewAccount(tx, editorId, now, settings);
  const verdict = await judge(tx, { ref, written, isNew, settings, at: now, before });
  if (!verdict) return { held: false };
  await holdContent(tx, { ref, authorId: written.authorId, ...verdict, isEdit: true });
  return { held: true, ...verdict };
}

/**
 * Why this content should wait for a moderator, or null. `at` is when it was written (the edit's time for an edit);
 * for an edit (`before`), the link checks run only when it adds a link, so fixing a typo in a post a moderator already
 * published does not hide it again, and the repeated-text check only when its text changed.
 */
async function judge(
  tx: Db,
  {
    ref,
    written,
    isNew,
    settings,
    at,
    before,
  }: {
    ref: ContentRef;
    written: Written;
    isNew: boolean;
    settings: TrustSettings;
    at: Date;
    before: BeforeEdit | null;
  },
): Promise<{ reason: HoldReason; message: string } | null> {
  const saved = before ? SAVED_EDIT : SAVED;
  const links = linksIn(written.html);
  const earlierLinks = new Set(before ? linksIn(before.html) : []);
  const isAddingLinks = links.some((link) => !earlierLinks.has(link));
  if (isAddingLinks && isNew && links.length > settings.newAccountMaxLinks)
    return {
      reason: "new_account_links",
      message: `Posts with links or images from accounts newer than ${settings.newAccountDays === 1 ? "a day" : `${settings.newAccountDays} days`} are checked by a moderator first. ${saved}`,
    };
  if (isAddingLinks && links.length > settings.maxLinks)
    return {
      reason: "many_links",
      message: `Posts with more than ${settings.maxLinks} links are checked by a moderator first. ${saved}`,
    };
  if (isAddingLinks) {
    const flagged = await flaggedDomains(tx, written.authorId);
    const hit = links.map(domainOf).find((domain) => domain !== null && flagged.has(domain));
    if (hit)
      return {
        reason: "flagged_domain",
        message: `Your post links to ${hit}, which members reported as spam before, so a moderator checks it first. ${saved}`,
      };
  }
  // Members repeat themselves innocently (one question asked in two spaces); a new account doing it is a spam wave.
  const body = ref.type === "post" ? await postBody(tx, Number(ref.id)) : written.text;
  const isNewText = !before || normalizeText(body) !== normalizeText(before.body);
  if (isNew && isNewText && normalizeText(body).length >= REPEAT_MIN_LENGTH) {
    const copies = await earlierCopies(tx, ref, body, at);
    if (copies >= settings.repeatedTextCount)
      return {
        reason: "repeated_text",
        message: `The same text was posted ${copies === 1 ? "once" : `${copies} times`} in the last day, so a moderator checks this copy first. ${saved}`,
      };
  }
  if (
    !before &&
    isNew &&
    ref.type === "post" &&
    (await isHeldFirstQuestion(tx, { postId: Number(ref.id), authorId: written.authorId }))
  )
    return {
      reason: "first_question",
      message: `This is your first question in this space, and here a moderator checks new members' first questions before others see them. ${SAVED}`,
    };
  return null;
}

async function postBody(tx: Db, postId: number): Promise<string> {
  const [row] = await queryRows<{ body_md: string }>(tx, sql`select body_md from posts where id = ${postId}`);
  return row?.body_md ?? "";
}
