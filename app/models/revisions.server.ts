/** Revisions: every version of a post's editable content, with who and when, and a word-level diff between two. */
import { diffArrays } from "diff";
import { and, asc, desc, eq, max, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { type RevisionContent, editSuggestions, posts, revisions, users } from "#db/schema";
import { handleInThread, nameInThread } from "./anonymity.server";
import { EditConflictError } from "./post-errors.server";
import type { DiffPart } from "./revisions.types";
export type { DiffPart } from "./revisions.types";

/** Stores the post's content as its next revision; call inside the transaction that changes the post. */
export async function recordRevision(
  tx: Db,
  {
    postId,
    editorId,
    content,
    note = "",
  }: { postId: number; editorId: string | null; content: RevisionContent; note?: string },
): Promise<number> {
  // Lock the post row so two simultaneous edits get consecutive numbers instead of colliding.
  await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, postId)).for("update");
  const [existing] = await tx
    .select({ n: max(revisions.number) })
    .from(revisions)
    .where(eq(revisions.postId, postId));
  const number = (existing?.n ?? 0) + 1;
  await tx.insert(revisions).values({ postId, number, editorId, note, content });
  await tx.update(posts).set({ revisionCount: number }).where(eq(posts.id, postId));
  return number;
}

/**
 * Refuses an edit begun from an older version than the post has now (`baseRevision`, the version the form opened on),
 * so a second tab or a second editor never silently replaces a change they have not seen. Call first inside the edit's
 * transaction: it locks the post row, so two saves from the same version cannot both pass. Without a base (an old form,
 * a script) there is nothing to compare and the edit goes ahead.
 */
export async function assertEditingLatest(
  tx: Db,
  {
    postId,
    baseRevision,
    editorId,
    noun,
  }: { postId: number; baseRevision: number | undefined; editorId: string; noun: string },
): Promise<void> {
  if (baseRevision === undefined) return;
  const [post] = await tx
    .select({ revisionCount: posts.revisionCount })
    .from(posts)
    .where(eq(posts.id, postId))
    .for("update");
  const current = post?.revisionCount ?? 0;
  if (current === baseRevision) return;
  const decider = alias(users, "decider");
  const [latest] = await tx
    .select({
      editorId: revisions.editorId,
      editorName: nameInThread(sql`${revisions.postId}`, sql`${revisions.editorId}`, sql`${users.name}`),
      deciderId: editSuggestions.decidedBy,
      deciderName: nameInThread(sql`${revisions.postId}`, sql`${editSuggestions.decidedBy}`, sql`${decider.name}`),
    })
    .from(revisions)
    .leftJoin(users, eq(users.id, revisions.editorId))
    .leftJoin(
      editSuggestions,
      and(
        eq(editSuggestions.postId, revisions.postId),
        eq(editSuggestions.revisionNumber, revisions.number),
        eq(editSuggestions.status, "accepted"),
      ),
    )
    .leftJoin(decider, eq(decider.id, editSuggestions.decidedBy))
    .where(eq(revisions.postId, postId))
    .orderBy(desc(revisions.number))
    .limit(1);
  const who = whoSavedNewer(latest, editorId, noun);
  throw new EditConflictError(
    `${who} after you opened this form, so your changes are not saved yet. What you typed is still here: compare it ` +
      `with version ${current} in the history, then save again to replace that version with yours, or cancel to keep it.`,
    current,
  );
}

/**
 * Who made the version an edit conflicts with, from the reader's side. An accepted suggestion is credited to the
 * suggester but was saved by whoever accepted it: naming the suggester would blame someone who saved nothing.
 */
function whoSavedNewer(
  latest:
    | { editorId: string | null; editorName: string | null; deciderId: string | null; deciderName: string | null }
    | undefined,
  readerId: string,
  noun: string,
): string {
  if (latest?.deciderId) {
    const suggester = latest.editorId === readerId ? "your" : `${latest.editorName ?? "someone"}'s`;
    if (latest.deciderId === readerId)
      return `You accepted ${suggester} suggested edit to this ${noun} (in another tab or window)`;
    return `${latest.deciderName ?? "Someone"} accepted ${suggester} suggested edit to this ${noun}`;
  }
  if (latest?.editorId === readerId) return `You saved a newer version of this ${noun} (in another tab or window)`;
  return `${latest?.editorName ?? "Someone"} saved a newer version of this ${noun}`;
}

export async function listRevisions(db: Db, postId: number) {
  return db
    .select({
      number: revisions.number,
      note: revisions.note,
      content: revisions.content,
      createdAt: revisions.createdAt,
      editorName: nameInThread(sql`${revisions.postId}`, sql`${revisions.editorId}`, sql`${users.name}`),
      editorHandle: handleInThread(sql`${revisions.postId}`, sql`${revisions.editorId}`, sql`${users.handle}`),
    })
    .from(revisions)
    .leftJoin(users, eq(users.id, revisions.editorId))
    .where(eq(revisions.postId, postId))
    .orderBy(asc(revisions.number));
}

/**
 * How much word-by-word comparing one page may do, counted in words added or removed. Comparing is quadratic in the
 * size of a change, so two long, very different texts (or fifty versions of them) would block the server for seconds:
 * once the allowance is spent, what is left is shown whole, old then new, which is still correct.
 */
export type DiffBudget = { edits: number };

/** Enough for a page of many ordinary edits; spending all of it costs tens of milliseconds, not seconds. */
const EDITS_PER_PAGE = 2_000;
/** The most changed lines, or changed words inside one changed passage, looked for before showing that part whole. */
const EDITS_PER_PASSAGE = 200;

export function newDiffBudget(edits = EDITS_PER_PAGE): DiffBudget {
  return { edits };
}

/** Shown beside a diff where some part was too large to compare word by word. */
export const TOO_LARGE_TO_COMPARE =
  "This change is too large to show word by word, so the earlier text is shown struck through, followed by the new text.";

export type TextDiff = { parts: DiffPart[]; isWordByWord: boolean };

type Change = { op: DiffPart["op"]; text: string };

/**
 * jsdiff's diff of two token lists, giving up (undefined) past `limit` edits or what is left of the budget, which pays
 * for the search: the edits found, or the whole limit when it gave up.
 */
function boundedDiff(a: string[], b: string[], limit: number, budget: DiffBudget): Change[] | undefined {
  const maxEditLength = Math.max(0, Math.min(limit, budget.edits));
  const changes = diffArrays(a, b, { maxEditLength });
  if (!changes) {
    budget.edits -= maxEditLength;
    return undefined;
  }
  const out = changes.map((c): Change => {
    const op = c.added ? "added" : c.removed ? "removed" : "same";
    return { op, text: c.value.join("") };
  });
  budget.edits -= changes.reduce((sum, c) => sum + (c.added || c.removed ? c.count : 0), 0);
  return out;
}

/** The changed middle shown whole: the words both start and end with stay unchanged around it. */
function wholeChange(a: string[], b: string[]): Change[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [
    { op: "same", text: a.slice(0, start).join("") },
    { op: "removed", text: a.slice(start, a.length - end).join("") },
    { op: "added", text: b.slice(start, b.length - end).join("") },
    { op: "same", text: a.slice(a.length - end).join("") },
  ];
}

const words = (text: string) => text.split(/(\s+)/).filter((t) => t !== "");
const lines = (text: string) => text.split(/(?<=\n)/).filter((t) => t !== "");

/**
 * Line by line first, then word by word inside each changed passage, each step within the budget; a passage (or the
 * whole text) too different to compare in it is shown whole.
 */
function changesBetween(
  before: string,
  after: string,
  budget: DiffBudget,
): { changes: Change[]; isWordByWord: boolean } {
  const byLine = boundedDiff(lines(before), lines(after), EDITS_PER_PASSAGE, budget);
  if (!byLine) return { changes: wholeChange(words(before), words(after)), isWordByWord: false };
  const changes: Change[] = [];
  let isWordByWord = true;
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed && added) {
      const a = words(removed);
      const b = words(added);
      const byWord = boundedDiff(a, b, EDITS_PER_PASSAGE, budget);
      if (!byWord) isWordByWord = false;
      changes.push(...(byWord ?? wholeChange(a, b)));
    } else changes.push({ op: "removed", text: removed }, { op: "added", text: added });
    removed = "";
    added = "";
  };
  for (const change of byLine) {
    if (change.op === "removed") removed += change.text;
    else if (change.op === "added") added += change.text;
    else {
      flush();
      changes.push(change);
    }
  }
  flush();
  return { changes: changes.filter((c) => c.text !== ""), isWordByWord };
}

/**
 * Word-level diff (jsdiff's Myers diff over lines, then over words and the white space between them), merged into runs:
 * removed text before the text that replaced it. The work is bounded by `budget` (share one across a page); a part
 * beyond it is shown whole, and `isWordByWord` is false. A lone space between two changed words belongs to the change
 * ("hourly" → "every hour", not "every" + " " + "hour").
 */
export function diffText(before: string, after: string, budget: DiffBudget = newDiffBudget()): TextDiff {
  const { changes, isWordByWord } = changesBetween(before, after, budget);
  const parts: DiffPart[] = [];
  const push = (op: DiffPart["op"], text: string) => {
    const last = parts[parts.length - 1];
    if (!text) return;
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  let removed = "";
  let added = "";
  const flush = () => {
    // White space both sides end with is unchanged text, shown after the change.
    const trailing = /\s*$/.exec(removed)?.[0] ?? "";
    const shared = trailing && added.endsWith(trailing) ? trailing : "";
    push("removed", removed.slice(0, removed.length - shared.length));
    push("added", added.slice(0, added.length - shared.length));
    push("same", shared);
    removed = "";
    added = "";
  };
  changes.forEach((change, index) => {
    const next = changes[index + 1];
    if (change.op === "removed") removed += change.text;
    else if (change.op === "added") added += change.text;
    else if ((removed || added) && /^\s+$/.test(change.text) && next && next.op !== "same") {
      removed += change.text;
      added += change.text;
    } else {
      flush();
      push("same", change.text);
    }
  });
  flush();
  return { parts, isWordByWord };
}

/** The parts of `diffText`, for callers with no place to say a change was shown whole. */
export function diffWords(before: string, after: string, budget: DiffBudget = newDiffBudget()): DiffPart[] {
  return diffText(before, after, budget).parts;
}
