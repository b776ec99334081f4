/**
 * Reading a question's closure: whether and why it is closed, where a closed duplicate leads (its original), and
 * the refusal an answer to a closed question meets. Closing and reopening themselves are in close.server.ts.
 */
import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type CloseReason, posts, questionClosures, revisions } from "#db/schema";
import { questionPath } from "~/lib/qa";
import { PostingError } from "./post-errors.server";

export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  duplicate: "a duplicate of another question",
  off_topic: "off-topic for PeerDesk",
  needs_details: "needing more details",
};

/**
 * "123", "#123" or a path on this site ("/q/123/slug"): the question's id, or null. A link with a host is not read
 * here (another website's /q/123 is not our question 123): questionRefOnSite checks its host first.
 */
export function parseQuestionRef(raw: string): number | null {
  const text = raw.trim();
  const number = /^#?(\d{1,9})$/.exec(text);
  // "//host/q/1" is a link to another host, not a path.
  const path = text.startsWith("//") ? null : /^\/q\/(\d{1,9})(?:[/?#]|$)/.exec(text);
  const id = Number((number ?? path)?.[1] ?? Number.NaN);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * The question a "which question?" field names: its number, "#123", a path, or a full link whose host is this site's
 * own (`siteUrl`, the configured APP_URL; left out, only numbers and paths are read). "elsewhere" for a link to another
 * website, null when it names no question.
 */
export function questionRefOnSite(raw: string, siteUrl: string | undefined): number | "elsewhere" | null {
  const text = raw.trim();
  const local = parseQuestionRef(text);
  if (local !== null || /^#?\d+$/.test(text) || (text.startsWith("/") && !text.startsWith("//"))) return local;
  let link: URL;
  try {
    // With or without its scheme: "peerdesk.example.org/q/12" and "//peerdesk.example.org/q/12" name a host too.
    link = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text.replace(/^\/\//, "")}`);
  } catch {
    return null;
  }
  const id = parseQuestionRef(link.pathname);
  if (id === null) return null;
  return siteUrl !== undefined && link.host === new URL(siteUrl).host ? id : "elsewhere";
}

export type Closure = {
  reason: CloseReason;
  details: string;
  closedAt: Date;
  byVote: boolean;
  /** The original a duplicate points to (followed through chains of duplicates); null when gone. */
  original: { id: number; title: string } | null;
  /** The asker (or a trusted member) edited it after it was closed: it may be reopened by vote. */
  isEditedSinceClose: boolean;
};

/** A question that exists and is not deleted (its title filled in), or a 404 PostingError. */
export async function questionOrThrow(db: Db, questionId: number) {
  const [question] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      deletedAt: posts.deletedAt,
      authorId: posts.authorId,
    })
    .from(posts)
    .where(eq(posts.id, questionId))
    .limit(1);
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  return { ...question, title: question.title ?? "(untitled)" };
}

/** The question a duplicate leads to: its original, or the original's original (a few hops), never itself. */
export async function resolveOriginal(db: Db, questionId: number): Promise<{ id: number; title: string } | null> {
  const seen = new Set([questionId]);
  let current = questionId;
  let found: { id: number; title: string } | null = null;
  for (let hop = 0; hop < 5; hop++) {
    const [row] = await db
      .select({ next: questionClosures.duplicateOfId, title: posts.title, deletedAt: posts.deletedAt })
      .from(questionClosures)
      .innerJoin(posts, eq(posts.id, questionClosures.duplicateOfId))
      .where(and(eq(questionClosures.questionId, current), eq(questionClosures.reason, "duplicate")))
      .limit(1);
    if (!row || row.next === null || row.deletedAt || seen.has(row.next)) break;
    seen.add(row.next);
    current = row.next;
    found = { id: row.next, title: row.title ?? "(untitled)" };
  }
  return found;
}

/** Whether (and why) a question is closed; null when it is open. */
export async function getClosure(db: Db, questionId: number): Promise<Closure | null> {
  const [row] = await db.select().from(questionClosures).where(eq(questionClosures.questionId, questionId)).limit(1);
  if (!row) return null;
  const [edited] = await db
    .select({ n: count() })
    .from(revisions)
    .where(and(eq(revisions.postId, questionId), gt(revisions.createdAt, row.closedAt)));
  return {
    reason: row.reason,
    details: row.details,
    closedAt: row.closedAt,
    byVote: row.closedBy === null,
    original: row.reason === "duplicate" ? await resolveOriginal(db, questionId) : null,
    isEditedSinceClose: (edited?.n ?? 0) > 0,
  };
}

/** Answering a closed question is refused with the reason, in plain words. */
export async function assertOpenForAnswers(db: Db, questionId: number): Promise<void> {
  const [row] = await db
    .select({ reason: questionClosures.reason })
    .from(questionClosures)
    .where(eq(questionClosures.questionId, questionId))
    .limit(1);
  if (!row) return;
  throw new PostingError(
    row.reason === "duplicate"
      ? "This question was closed as a duplicate, so it takes no new answers. Please answer the original question instead."
      : `This question was closed as ${CLOSE_REASON_LABELS[row.reason]}, so it takes no new answers until it is reopened.`,
    {},
    409,
  );
}

/**
 * The original a closed duplicate's readers are sent to (null when the question isn't one, or its original is gone).
 * An address with ?stay=1 shows the duplicate itself: see closedDuplicateOf.
 */
export function originalReaderIsSentTo(closure: Closure | null): { id: number; title: string } | null {
  return closure?.reason === "duplicate" ? closure.original : null;
}

/**
 * For a question's page: its closure, where a closed duplicate's visitors go (the original, unless the address asks
 * to stay with ?stay=1), and, on an original reached from a duplicate (?duplicate=id), that duplicate — only when it
 * really is closed as a duplicate of this question, so the note can't be forged from the address. `closure` when the
 * caller has it already (the page keeps it in memory: question-page-memo.server.ts).
 */
export async function closedDuplicateOf(
  db: Db,
  questionId: number,
  url: URL,
  closure: Closure | null | undefined = undefined,
) {
  if (closure === undefined) return closedDuplicateOf(db, questionId, url, await getClosure(db, questionId));
  const original = originalReaderIsSentTo(closure);
  if (original && url.searchParams.get("stay") !== "1") {
    // The rest of the address (?ref=teams, a campaign's tags) goes along: only its own way back is replaced.
    const query = new URLSearchParams({ duplicate: String(questionId) });
    for (const [name, value] of url.searchParams)
      if (name !== "stay" && name !== "duplicate") query.append(name, value);
    return {
      closure,
      cameFrom: null,
      askedAbout: null,
      redirectTo: `${questionPath(original.id, original.title)}?${query}`,
    };
  }
  const fromId = parseQuestionRef(url.searchParams.get("duplicate") ?? "");
  let cameFrom: { id: number; title: string } | null = null;
  if (fromId !== null && fromId !== questionId && (await resolveOriginal(db, fromId))?.id === questionId) {
    // A deleted (or held) duplicate's title is no one's business: the note is shown only while it is public.
    const [row] = await db
      .select({ title: posts.title })
      .from(posts)
      .where(and(eq(posts.id, fromId), isNull(posts.deletedAt)))
      .limit(1);
    if (row) cameFrom = { id: fromId, title: row.title ?? "(untitled)" };
  }
  // `askedAbout`: the duplicate the address names, shown or not: a cached page depends on it (its restore, deletion or
  // closing changes what the page says), so the page is tagged with it.
  return { closure, cameFrom, askedAbout: fromId !== null && fromId !== questionId ? fromId : null, redirectTo: null };
}
