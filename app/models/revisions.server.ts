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
 * Word-level diff (jsdiff's Myers diff over words and the white space between them), merged into runs: removed text
 * before the text that replaced it. No size limit: the work grows with the size of the change, not of the text. A lone
 * space between two changed words belongs to the change ("hourly" → "every hour", not "every" + " " + "hour").
 */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = before.split(/(\s+)/).filter((t) => t !== "");
  const b = after.split(/(\s+)/).filter((t) => t !== "");
  const changes = diffArrays(a, b);
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
    const text = change.value.join("");
    if (change.removed) removed += text;
    else if (change.added) added += text;
    else if ((removed || added) && /^\s+$/.test(text) && (changes[index + 1]?.added || changes[index + 1]?.removed)) {
      removed += text;
      added += text;
    } else {
      flush();
      push("same", text);
    }
  });
  flush();
  return parts;
}
