/** Suggested edits to how-tos: another member proposes a change, the author or a moderator accepts or rejects it. */
import { diffArrays } from "diff";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type RevisionContent, editSuggestions, posts, revisions, users } from "#db/schema";
import { whoChanged } from "./edit-versions.server";
import { mergeSuggestion } from "./howto-merge.server";
import { recordModeration } from "./moderation.server";
import { notifyUsers } from "./notifications.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { type DiffBudget, type DiffPart, diffText, newDiffBudget } from "./revisions.server";
import { type HowtoInput, contentSchema, noteField, toRevisionContent } from "./howto-validation.server";
import { applyContent, getHowtoForEditing, requireLiveHowto, sameContent } from "./howto-writing.server";
import type { FieldDiff } from "./howtos.types";
export type { FieldDiff } from "./howtos.types";

/** The content of these versions of a post, by number (versions that do not exist are left out). */
async function revisionContents(db: Db, postId: number, numbers: number[]): Promise<Map<number, RevisionContent>> {
  if (numbers.length === 0) return new Map();
  const rows = await db
    .select({ number: revisions.number, content: revisions.content })
    .from(revisions)
    .where(and(eq(revisions.postId, postId), inArray(revisions.number, [...new Set(numbers)])));
  return new Map(rows.map((row) => [row.number, row.content]));
}

/**
 * Another member suggests an edit: stored as pending (nothing on the how-to changes) until its author or a
 * moderator decides. A person has at most one pending suggestion per how-to; suggesting again replaces it.
 * `baseRevision` is the version the form opened on (the current one without it): accepting merges from it, so edits
 * made after it are kept where the suggestion does not change the same part.
 */
export async function suggestHowtoEdit(
  db: Db,
  input: HowtoInput & { howtoId: number; actor: Actor; note?: string; now?: Date; baseRevision?: number },
): Promise<{ suggestionId: number; replaced: boolean }> {
  const current = await requireLiveHowto(db, input.howtoId);
  const { actor } = input;
  if (actor && actor.id === current.authorId)
    throw new PostingError("This is your how-to: edit it directly instead of suggesting.", {}, 403);
  assertCan(actor, "howto.suggestEdit", { ownerId: current.authorId }, "You can't suggest edits to this how-to.");
  const fields = validate(contentSchema.extend({ note: noteField }), input);
  // The suggestion form has no "plain language" box: that stays the author's call, so the how-to's flag is kept.
  const content = { ...toRevisionContent(fields), isPlainLanguage: current.isPlainLanguage };
  const baseRevision =
    input.baseRevision !== undefined && input.baseRevision <= current.revisionCount
      ? input.baseRevision
      : current.revisionCount;
  const base = (await revisionContents(db, current.id, [baseRevision])).get(baseRevision) ?? current.content;
  if (sameContent(content, current.content) || sameContent(content, base))
    throw new PostingError("You haven't changed anything yet.", {
      form: "Nothing changed: edit a field, then send your suggestion.",
    });
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "edit", now });
    const [pending] = await tx
      .select({ id: editSuggestions.id })
      .from(editSuggestions)
      .where(
        and(
          eq(editSuggestions.postId, current.id),
          eq(editSuggestions.authorId, actor.id),
          eq(editSuggestions.status, "pending"),
        ),
      )
      .for("update");
    if (pending) {
      await tx
        .update(editSuggestions)
        .set({ content, note: fields.note, baseRevision, createdAt: now })
        .where(eq(editSuggestions.id, pending.id));
      await notifyUsers(tx, { kind: "suggestion", actorId: actor.id, postId: current.id }, [current.authorId]);
      return { suggestionId: pending.id, replaced: true };
    }
    const [row] = await tx
      .insert(editSuggestions)
      .values({ postId: current.id, authorId: actor.id, content, note: fields.note, baseRevision, createdAt: now })
      .returning({ id: editSuggestions.id });
    if (!row) throw new Error("suggestion insert returned nothing");
    await notifyUsers(tx, { kind: "suggestion", actorId: actor.id, postId: current.id }, [current.authorId]);
    return { suggestionId: row.id, replaced: false };
  });
}

/** The suggestion this person sent on this how-to that still waits for a decision, if any (their edit form starts from it). */
export async function getOwnPendingSuggestion(
  db: Db,
  { howtoId, userId }: { howtoId: number; userId: string },
): Promise<{ content: RevisionContent; note: string; baseRevision: number | null; createdAt: Date } | null> {
  const [row] = await db
    .select({
      content: editSuggestions.content,
      note: editSuggestions.note,
      baseRevision: editSuggestions.baseRevision,
      createdAt: editSuggestions.createdAt,
    })
    .from(editSuggestions)
    .where(
      and(
        eq(editSuggestions.postId, howtoId),
        eq(editSuggestions.authorId, userId),
        eq(editSuggestions.status, "pending"),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * The suggester takes back their suggestion while it still waits (nothing of it is kept: it never changed the how-to).
 * False when there was none waiting (already decided, or withdrawn in another tab).
 */
export async function withdrawSuggestion(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<boolean> {
  if (!actor) throw new PostingError("Sign in to withdraw a suggestion.", {}, 401);
  const removed = await db
    .delete(editSuggestions)
    .where(
      and(
        eq(editSuggestions.postId, howtoId),
        eq(editSuggestions.authorId, actor.id),
        eq(editSuggestions.status, "pending"),
      ),
    )
    .returning({ id: editSuggestions.id });
  return removed.length > 0;
}

const TEXT_FIELDS: { field: keyof RevisionContent; label: string }[] = [
  { field: "title", label: "Title" },
  { field: "summary", label: "Summary" },
  { field: "appliesTo", label: "Applies to" },
  { field: "difficulty", label: "Difficulty" },
  { field: "estimatedMinutes", label: "Time (minutes)" },
  { field: "prerequisitesMd", label: "Prerequisites" },
];

function fieldText(content: RevisionContent, field: keyof RevisionContent): string {
  const value = content[field];
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/**
 * Word diffs of every field that differs between two versions of a how-to. Steps are matched as a list first, so a step
 * added, removed or moved shows as just that, not as every later step rewritten. Without a `before`, every field of
 * `after` is shown whole (the original version). `budget` bounds the work (share one across a page of versions).
 */
export function diffHowtoContent(
  before: RevisionContent | null,
  after: RevisionContent,
  budget: DiffBudget = newDiffBudget(),
): FieldDiff[] {
  const out: FieldDiff[] = [];
  const add = (field: string, label: string, a: string, b: string) => {
    if (before === null) {
      if (b !== "") out.push({ field, label, parts: [{ op: "same", text: b }] });
    } else if (a !== b) out.push({ field, ...labelledDiff(label, [], a, b, budget) });
  };
  for (const { field, label } of TEXT_FIELDS)
    add(field, label, before ? fieldText(before, field) : "", fieldText(after, field));
  if (before === null)
    for (const [i, step] of (after.steps ?? []).entries()) add(`steps.${i}`, `Step ${i + 1}`, "", step);
  else out.push(...diffSteps(before.steps ?? [], after.steps ?? [], budget));
  const tagText = (list: string[]) => [...list].sort().join(", ");
  add("tags", "Tags", before ? tagText(before.tags) : "", tagText(after.tags));
  const plainLanguage = plainLanguageChange(before, after);
  if (plainLanguage) out.push({ field: "isPlainLanguage", label: "Plain language", parts: [plainLanguage] });
  return out;
}

type Step = { index: number; text: string; words: Map<string, number>; size: number };

/** Steps sharing at least this share of their words count as one step edited, rather than one removed and one added. */
const SAME_STEP_SIMILARITY = 0.5;

function toSteps(texts: string[]): Step[] {
  return texts.map((text, index) => {
    const words = new Map<string, number>();
    const list = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const word of list) words.set(word, (words.get(word) ?? 0) + 1);
    return { index, text, words, size: list.length };
  });
}

/** How alike two steps are, from 0 (no word in common) to 1 (the same words): shared words over all words (Dice). */
function similarity(a: Step, b: Step): number {
  if (a.text === b.text) return 1;
  if (a.size + b.size === 0) return 0;
  let shared = 0;
  for (const [word, count] of a.words) shared += Math.min(count, b.words.get(word) ?? 0);
  return (2 * shared) / (a.size + b.size);
}

const isSameStep = (a: Step, b: Step) => similarity(a, b) >= SAME_STEP_SIMILARITY;

/**
 * The steps' changes in the new order: steps are aligned as a list (jsdiff's diffArrays, a lightly edited step counting
 * as the same step), then a removed step that reappears elsewhere is shown as moved, a removed step directly replaced by
 * an unrelated one as that replacement, and only steps paired this way are diffed word by word.
 */
function diffSteps(beforeTexts: string[], afterTexts: string[], budget: DiffBudget): FieldDiff[] {
  const stepsBefore = toSteps(beforeTexts);
  const stepsAfter = toSteps(afterTexts);
  type Entry =
    | { kind: "paired"; old: Step; now: Step; isMoved: boolean }
    | { kind: "added"; now: Step }
    | { kind: "removed"; old: Step }
    | { kind: "movedAway" };
  const entries: Entry[] = [];
  let oldPos = 0;
  let newPos = 0;
  for (const change of diffArrays(stepsBefore, stepsAfter, { comparator: isSameStep })) {
    for (let k = 0; k < change.count; k++) {
      const old = stepsBefore[oldPos];
      const now = stepsAfter[newPos];
      if (change.removed && old) entries.push({ kind: "removed", old });
      else if (change.added && now) entries.push({ kind: "added", now });
      else if (old && now) entries.push({ kind: "paired", old, now, isMoved: false });
      if (!change.added) oldPos++;
      if (!change.removed) newPos++;
    }
  }
  // A step taken out in one place and put back (perhaps lightly edited) in another was moved.
  for (const [i, entry] of entries.entries()) {
    if (entry.kind !== "added") continue;
    const from = entries.findIndex((e) => e.kind === "removed" && isSameStep(e.old, entry.now));
    const removed = entries[from];
    if (removed?.kind !== "removed") continue;
    entries[i] = { kind: "paired", old: removed.old, now: entry.now, isMoved: true };
    entries[from] = { kind: "movedAway" };
  }
  const shown: FieldDiff[] = [];
  const removedSteps: FieldDiff[] = [];
  let replaceable: Step[] = [];
  const flushRemoved = () => {
    for (const old of replaceable) {
      const diff = { field: `steps.${old.index}`, label: `Step ${old.index + 1}`, parts: [removedPart(old)] };
      shown.push(diff);
      removedSteps.push(diff);
    }
    replaceable = [];
  };
  for (const entry of entries) {
    if (entry.kind === "movedAway") continue;
    if (entry.kind === "removed") replaceable.push(entry.old);
    else if (entry.kind === "added") {
      // An unrelated step where a removed one stood replaces it: the old text struck through, then the new one.
      const old = replaceable.shift();
      const parts: DiffPart[] = [...(old ? [removedPart(old)] : []), { op: "added", text: entry.now.text }];
      shown.push({ field: `steps.${entry.now.index}`, label: `Step ${entry.now.index + 1}`, parts });
    } else {
      flushRemoved();
      if (entry.old.text === entry.now.text && !entry.isMoved) continue;
      const from = entry.old.index + 1;
      const to = entry.now.index + 1;
      const notes = from === to ? [] : [`${entry.isMoved ? "moved from" : "was"} step ${from}`];
      shown.push({
        field: `steps.${entry.now.index}`,
        ...labelledDiff(`Step ${to}`, notes, entry.old.text, entry.now.text, budget),
      });
    }
  }
  flushRemoved();
  // A removed step is keyed by where it was, unless a step now in that place is listed too (keys must be unique).
  const taken = new Set(shown.filter((d) => !removedSteps.includes(d)).map((d) => d.field));
  for (const diff of removedSteps) if (taken.has(diff.field)) diff.field = `${diff.field}.removed`;
  return shown;
}

const removedPart = (step: Step): DiffPart => ({ op: "removed", text: step.text });

/** A field's word diff under its label, which says so when the change was too large to compare word by word. */
function labelledDiff(label: string, notes: string[], before: string, after: string, budget: DiffBudget) {
  const { parts, isWordByWord } = diffText(before, after, budget);
  const all = isWordByWord ? notes : [...notes, "too large to show word by word"];
  return { label: all.length > 0 ? `${label} (${all.join("; ")})` : label, parts };
}

/** What a version says about "plain language": nothing where either side does not record the flag (older versions). */
function plainLanguageChange(before: RevisionContent | null, after: RevisionContent): DiffPart | null {
  if (before === null) return after.isPlainLanguage ? { op: "same", text: "Written in plain language" } : null;
  if (before.isPlainLanguage === undefined || after.isPlainLanguage === undefined) return null;
  if (before.isPlainLanguage === after.isPlainLanguage) return null;
  // A sentence, not a word diff: struck-through "plain language" would read as the opposite of what happened.
  return {
    op: "same",
    text: after.isPlainLanguage ? "Marked as written in plain language" : "No longer marked as plain language",
  };
}

export type SuggestionView = {
  id: number;
  note: string;
  /** When it was sent, or last changed by its author (suggesting again replaces it): the version a decision is about. */
  createdAt: Date;
  authorName: string;
  authorHandle: string | null;
  /** The how-to was edited after the version this suggestion was written from. */
  isStale: boolean;
  /** Parts edited later and changed differently by the suggestion: accepting takes the suggestion's wording there. */
  replacesLaterEdits: string[];
  /** Everything the suggestion changes is already in the how-to: accepting would change nothing. */
  isAlreadyIn: boolean;
  /** What accepting changes on the how-to as it is now (later edits elsewhere are kept). */
  diff: FieldDiff[];
};

type PendingSuggestion = { content: RevisionContent; baseRevision: number | null };

/**
 * What accepting a suggestion would make of the how-to now: merged from the version it was written from. Without that
 * version (none is known: never for a suggestion sent since they carry it) the suggestion stands whole, and the diff
 * the review shows is exactly that.
 */
function mergedWithCurrent(
  current: { content: RevisionContent; revisionCount: number },
  suggestion: PendingSuggestion,
  bases: Map<number, RevisionContent>,
) {
  const base = suggestion.baseRevision === null ? undefined : bases.get(suggestion.baseRevision);
  // Suggestions never change "plain language": the flag is the how-to's now, even if the author changed it since.
  const isPlainLanguage = current.content.isPlainLanguage;
  if (!base || suggestion.baseRevision === current.revisionCount)
    return { content: { ...suggestion.content, isPlainLanguage }, replacesLaterEdits: [], isStale: false };
  const merged = mergeSuggestion(base, current.content, suggestion.content);
  return {
    content: { ...merged.content, isPlainLanguage },
    replacesLaterEdits: merged.replacesLaterEdits,
    isStale: true,
  };
}

/**
 * Pending suggestions on a how-to, oldest first, each with what accepting it would change on the current version
 * (`revision`, which decisions send back with each suggestion's `createdAt`). Its author or staff only.
 */
export async function listPendingSuggestions(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<{ title: string; revision: number; suggestions: SuggestionView[] }> {
  const current = await requireLiveHowto(db, howtoId);
  assertCan(
    actor,
    "howto.decideSuggestion",
    { ownerId: current.authorId },
    "Only the author or a moderator can review suggested edits.",
  );
  const rows = await db
    .select({
      id: editSuggestions.id,
      note: editSuggestions.note,
      content: editSuggestions.content,
      baseRevision: editSuggestions.baseRevision,
      createdAt: editSuggestions.createdAt,
      authorName: users.name,
      authorHandle: users.handle,
    })
    .from(editSuggestions)
    .innerJoin(users, eq(users.id, editSuggestions.authorId))
    .where(and(eq(editSuggestions.postId, howtoId), eq(editSuggestions.status, "pending")))
    .orderBy(asc(editSuggestions.createdAt), asc(editSuggestions.id));
  const bases = await revisionContents(
    db,
    howtoId,
    rows.flatMap((r) => (r.baseRevision === null ? [] : [r.baseRevision])),
  );
  // One allowance of diff work for the whole page, however many suggestions wait.
  const budget = newDiffBudget();
  return {
    title: current.title ?? "",
    revision: current.revisionCount,
    suggestions: rows.map((r) => {
      const merged = mergedWithCurrent(current, r, bases);
      return {
        id: r.id,
        note: r.note,
        createdAt: r.createdAt,
        authorName: r.authorName,
        authorHandle: r.authorHandle,
        isStale: merged.isStale,
        replacesLaterEdits: merged.replacesLaterEdits,
        isAlreadyIn: sameContent(merged.content, current.content),
        diff: diffHowtoContent(current.content, merged.content, budget),
      };
    }),
  };
}

/** Withdrawing a suggestion deletes it, so a decision on one that is gone can only say it may have been withdrawn. */
const SUGGESTION_GONE =
  "This suggestion is no longer there: its author withdrew it, or it was removed. Nothing was changed.";

/** What the review page showed when the decision was made: the suggestion's `createdAt` and the how-to's version. */
export type ShownVersions = { suggestedAt: Date; howtoRevision: number };

/**
 * The author or a moderator accepts a pending suggestion (merged into the how-to as it is now and applied as the next
 * revision, crediting the suggester as its editor) or rejects it (nothing on the how-to changes). Moderators deciding
 * on someone else's how-to leave a moderation record. With `shown` (the review page always sends it), a suggestion
 * changed since the page loaded is refused, and so is accepting after the how-to was edited since: either way the
 * reviewer would publish something they never saw.
 */
export async function decideSuggestion(
  db: Db,
  {
    suggestionId,
    actor,
    decision,
    shown,
    now = new Date(),
  }: { suggestionId: number; actor: Actor; decision: "accept" | "reject"; shown?: ShownVersions; now?: Date },
): Promise<{ howtoId: number; revision: number | null }> {
  const [suggestion] = await db
    .select({
      id: editSuggestions.id,
      postId: editSuggestions.postId,
      authorId: editSuggestions.authorId,
      status: editSuggestions.status,
    })
    .from(editSuggestions)
    .where(eq(editSuggestions.id, suggestionId))
    .limit(1);
  if (!suggestion) throw new PostingError(SUGGESTION_GONE, {}, 404);
  const current = await requireLiveHowto(db, suggestion.postId);
  assertCan(
    actor,
    "howto.decideSuggestion",
    { ownerId: current.authorId },
    "Only the author or a moderator can accept or reject suggested edits.",
  );
  if (suggestion.status !== "pending")
    throw new PostingError(`This suggestion was already ${suggestion.status}.`, {}, 409);
  return db.transaction(async (tx) => {
    // Lock the suggestion, so two people deciding at once cannot both apply it.
    const [locked] = await tx
      .select({
        status: editSuggestions.status,
        content: editSuggestions.content,
        note: editSuggestions.note,
        baseRevision: editSuggestions.baseRevision,
        createdAt: editSuggestions.createdAt,
      })
      .from(editSuggestions)
      .where(eq(editSuggestions.id, suggestionId))
      .for("update");
    // Withdrawn between the first look and this lock: gone, not decided.
    if (!locked) throw new PostingError(SUGGESTION_GONE, {}, 404);
    if (locked.status !== "pending") throw new PostingError("This suggestion was already decided.", {}, 409);
    // Suggesting again rewrites the row and its time, keeping its id; compared as read back (stored times are finer).
    if (shown && locked.createdAt.getTime() !== shown.suggestedAt.getTime()) {
      const who = await whoChanged(tx, "suggestion", suggestion.authorId, actor.id);
      throw new PostingError(
        `${who} after you opened the page. Here is the new version; look it over before you decide.`,
        {},
        409,
      );
    }
    let content = locked.content;
    let previous = content;
    if (decision === "accept") {
      // The how-to as it is now, read under its row's lock, so an edit saved at the same moment is merged, not lost.
      await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, current.id)).for("update");
      const latest = await getHowtoForEditing(tx, current.id);
      if (!latest || latest.deletedAt) throw new PostingError("This how-to doesn't exist or was deleted.", {}, 404);
      // Merged into a later version, the suggestion could replace parts edited since, which the page did not say.
      if (shown && latest.revisionCount !== shown.howtoRevision)
        throw new PostingError(
          "The how-to was edited after you opened the page. Here is what accepting this suggestion would change now; look it over before you decide.",
          {},
          409,
        );
      const bases = await revisionContents(tx, current.id, locked.baseRevision === null ? [] : [locked.baseRevision]);
      content = mergedWithCurrent(latest, locked, bases).content;
      previous = latest.content;
      if (sameContent(content, latest.content))
        throw new PostingError(
          "Everything this suggestion changes is already in the how-to, so accepting it would change nothing. Reject it to close it.",
          {},
          409,
        );
    }
    let revision: number | null = null;
    if (decision === "accept") {
      const note = locked.note ? `Suggested edit: ${locked.note}` : "Suggested edit";
      revision = await applyContent(tx, {
        howtoId: current.id,
        content,
        previous,
        editorId: suggestion.authorId,
        note,
        now,
      });
    }
    await tx
      .update(editSuggestions)
      .set({
        status: decision === "accept" ? "accepted" : "rejected",
        decidedBy: actor.id,
        decidedAt: now,
        revisionNumber: revision,
      })
      .where(eq(editSuggestions.id, suggestionId));
    await notifyUsers(tx, { kind: "suggestion_decided", actorId: actor.id, postId: current.id }, [suggestion.authorId]);
    if (actor.id !== current.authorId) {
      await recordModeration(tx, {
        actorId: actor.id,
        action: `howto.suggestion.${decision}`,
        targetType: "howto",
        targetId: String(current.id),
        details: { suggestionId },
      });
    }
    return { howtoId: current.id, revision };
  });
}
