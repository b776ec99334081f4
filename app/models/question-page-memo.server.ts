/**
 * Each question's public page data (app/models/question-page.server.ts) kept in memory per app process, so signed-in
 * readers, whose pages are rendered every time, don't rebuild it per request. It is dropped exactly as the page
 * cache's pages are: by the tags the database announces on the page cache's channel from every writing transaction
 * (`post:<thread>`, `*`), heard by every process; a write's response already waits until this process heard them
 * (the page cache's barrier), so a writer and everyone after them read the new data. While the channel's connection
 * is down nothing is kept. Duplicate links (titles of other questions) are tagged with those questions too; an
 * entry also lives at most a minute, for writes no trigger announces (a Stack Exchange import's links).
 */
import type { Database, Db } from "#db/client.server";
import { PAGE_CACHE_CHANNEL, onForgetKept, parseAnnouncement } from "~/lib/page-cache.server";
import { TAGS } from "~/lib/page-cache-policy.server";
import { TaggedMemo } from "~/lib/tagged-memo.server";
import { type Closure, getClosure } from "./closure.server";
import { type InvitationView, listInvitations } from "./invitations.server";
import { type QuestionPage, loadQuestionPage } from "./question-page.server";

const MAX_QUESTIONS = 2_000;
const MAX_AGE_MS = 60_000;

/** Memos by database handle: only a process that follows the announcements (followQuestionPageChanges) has one. */
const memos = new WeakMap<Db, TaggedMemo<Kept>>();

/** What is kept per question: its page, its invitations, its closure (wrapped, since "open" is null). */
type Kept = QuestionPage | InvitationView[] | { closure: Closure | null };

/**
 * Starts keeping question pages for this database, listening on the page cache's channel; returns how to stop.
 * Call it only where writes' responses wait for their announcements (the page cache's barrier in server.js).
 */
export async function followQuestionPageChanges(
  database: Pick<Database, "db" | "listen">,
): Promise<() => Promise<void>> {
  const memo = new TaggedMemo<Kept>({ maxEntries: MAX_QUESTIONS, maxAgeMs: MAX_AGE_MS });
  const stop = await database.listen(
    PAGE_CACHE_CHANNEL,
    (payload) => {
      const tags = parseAnnouncement(payload)?.tags;
      if (tags) memo.invalidate(tags);
    },
    {
      // Announcements may be missed while the connection is down: keep nothing until it is back.
      onLost: () => {
        memos.delete(database.db);
        memo.clear();
      },
      onRestored: () => {
        memo.clear();
        memos.set(database.db, memo);
      },
    },
  );
  memos.set(database.db, memo);
  // A write whose announcements weren't confirmed in time (the page cache's barrier): keep nothing from before it.
  const stopForgetting = onForgetKept(() => memo.clear());
  return async () => {
    stopForgetting();
    memos.delete(database.db);
    memo.clear();
    await stop();
  };
}

/** The question's public page data: from memory when this process keeps it, else (and on a miss) from the database. */
export async function getQuestionPage(
  db: Db,
  questionId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
): Promise<QuestionPage | null> {
  const memo = memos.get(db);
  if (!memo) return loadQuestionPage(db, questionId, { includeDeleted });
  const key = `page:${questionId}${includeDeleted ? ":staff" : ""}`;
  const kept = memo.get(key);
  if (kept && "question" in kept) return kept;
  const ticket = memo.ticket();
  const page = await loadQuestionPage(db, questionId, { includeDeleted });
  if (page) {
    const tags = [TAGS.post(questionId), ...page.provenance.duplicateOf.map((original) => TAGS.post(original.id))];
    memo.set(key, page, tags, ticket);
  }
  return page;
}

/** The mentors invited to answer (public on the page; their answers and names are announced like the page's). */
export async function getQuestionInvitations(db: Db, questionId: number): Promise<InvitationView[]> {
  const memo = memos.get(db);
  if (!memo) return listInvitations(db, questionId);
  const key = `invitations:${questionId}`;
  const kept = memo.get(key);
  if (Array.isArray(kept)) return kept;
  const ticket = memo.ticket();
  const invitations = await listInvitations(db, questionId);
  memo.set(key, invitations, [TAGS.post(questionId)], ticket);
  return invitations;
}

/**
 * Whether (and why) the question is closed: public (the banner), announced with the question's tag when it is closed,
 * reopened or edited, and with its original's when a duplicate's original changes its title.
 */
export async function getQuestionClosure(db: Db, questionId: number): Promise<Closure | null> {
  const memo = memos.get(db);
  if (!memo) return getClosure(db, questionId);
  const key = `closure:${questionId}`;
  const kept = memo.get(key);
  if (kept && "closure" in kept) return kept.closure;
  const ticket = memo.ticket();
  const closure = await getClosure(db, questionId);
  const tags = [TAGS.post(questionId), ...(closure?.original ? [TAGS.post(closure.original.id)] : [])];
  memo.set(key, { closure }, tags, ticket);
  return closure;
}
