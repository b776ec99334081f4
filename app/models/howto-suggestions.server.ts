/** Suggested edits to how-tos: another member proposes a change, the author or a moderator accepts or rejects it. */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type RevisionContent, editSuggestions, users } from "#db/schema";
import { recordModeration } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { diffWords } from "./revisions.server";
import { type HowtoInput, contentSchema, noteField, toRevisionContent } from "./howto-validation.server";
import { applyContent, requireLiveHowto, sameContent } from "./howto-writing.server";
import type { FieldDiff } from "./howtos.types";
export type { FieldDiff } from "./howtos.types";

/**
 * Another member suggests an edit: stored as pending (nothing on the how-to changes) until its author or a
 * moderator decides. A person has at most one pending suggestion per how-to; suggesting again replaces it.
 */
export async function suggestHowtoEdit(
  db: Db,
  input: HowtoInput & { howtoId: number; actor: Actor; note?: string; now?: Date },
): Promise<{ suggestionId: number; replaced: boolean }> {
  const current = await requireLiveHowto(db, input.howtoId);
  const { actor } = input;
  if (actor && actor.id === current.authorId)
    throw new PostingError("This is your how-to: edit it directly instead of suggesting.", {}, 403);
  assertCan(actor, "howto.suggestEdit", { ownerId: current.authorId }, "You can't suggest edits to this how-to.");
  const fields = validate(contentSchema.extend({ note: noteField }), input);
  const content = toRevisionContent(fields);
  if (sameContent(content, current.content))
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
        .set({ content, note: fields.note, createdAt: now })
        .where(eq(editSuggestions.id, pending.id));
      return { suggestionId: pending.id, replaced: true };
    }
    const [row] = await tx
      .insert(editSuggestions)
      .values({ postId: current.id, authorId: actor.id, content, note: fields.note, createdAt: now })
      .returning({ id: editSuggestions.id });
    if (!row) throw new Error("suggestion insert returned nothing");
    return { suggestionId: row.id, replaced: false };
  });
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
 * Word diffs of every field that differs between two versions of a how-to (steps compared by position).
 * Without a `before`, every field of `after` is shown whole (the original version).
 */
export function diffHowtoContent(before: RevisionContent | null, after: RevisionContent): FieldDiff[] {
  const out: FieldDiff[] = [];
  const add = (field: string, label: string, a: string, b: string) => {
    if (before === null) {
      if (b !== "") out.push({ field, label, parts: [{ op: "same", text: b }] });
    } else if (a !== b) out.push({ field, label, parts: diffWords(a, b) });
  };
  for (const { field, label } of TEXT_FIELDS)
    add(field, label, before ? fieldText(before, field) : "", fieldText(after, field));
  const stepsBefore = before?.steps ?? [];
  const stepsAfter = after.steps ?? [];
  for (let i = 0; i < Math.max(stepsBefore.length, stepsAfter.length); i++)
    add(`steps.${i}`, `Step ${i + 1}`, stepsBefore[i] ?? "", stepsAfter[i] ?? "");
  const tagText = (list: string[]) => [...list].sort().join(", ");
  add("tags", "Tags", before ? tagText(before.tags) : "", tagText(after.tags));
  return out;
}

export type SuggestionView = {
  id: number;
  note: string;
  createdAt: Date;
  authorName: string;
  authorHandle: string | null;
  /** The how-to was edited after this suggestion was made: accepting it would overwrite that edit. */
  isStale: boolean;
  diff: FieldDiff[];
};

/** Pending suggestions on a how-to, oldest first, each with a diff against the current version. Its author or staff only. */
export async function listPendingSuggestions(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<{ title: string; suggestions: SuggestionView[] }> {
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
      createdAt: editSuggestions.createdAt,
      authorName: users.name,
      authorHandle: users.handle,
    })
    .from(editSuggestions)
    .innerJoin(users, eq(users.id, editSuggestions.authorId))
    .where(and(eq(editSuggestions.postId, howtoId), eq(editSuggestions.status, "pending")))
    .orderBy(asc(editSuggestions.createdAt), asc(editSuggestions.id));
  return {
    title: current.title ?? "",
    suggestions: rows.map((r) => ({
      id: r.id,
      note: r.note,
      createdAt: r.createdAt,
      authorName: r.authorName,
      authorHandle: r.authorHandle,
      isStale: current.updatedAt.getTime() > r.createdAt.getTime(),
      diff: diffHowtoContent(current.content, r.content),
    })),
  };
}

/**
 * The author or a moderator accepts a pending suggestion (applied as the next revision, crediting the
 * suggester as its editor) or rejects it (nothing on the how-to changes). Moderators deciding on someone
 * else's how-to leave a moderation record.
 */
export async function decideSuggestion(
  db: Db,
  {
    suggestionId,
    actor,
    decision,
    now = new Date(),
  }: { suggestionId: number; actor: Actor; decision: "accept" | "reject"; now?: Date },
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
  if (!suggestion) throw new PostingError("This suggestion doesn't exist.", {}, 404);
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
      .select({ status: editSuggestions.status, content: editSuggestions.content, note: editSuggestions.note })
      .from(editSuggestions)
      .where(eq(editSuggestions.id, suggestionId))
      .for("update");
    if (locked?.status !== "pending") throw new PostingError("This suggestion was already decided.", {}, 409);
    await tx
      .update(editSuggestions)
      .set({ status: decision === "accept" ? "accepted" : "rejected", decidedBy: actor.id, decidedAt: now })
      .where(eq(editSuggestions.id, suggestionId));
    let revision: number | null = null;
    if (decision === "accept") {
      const note = locked.note ? `Suggested edit: ${locked.note}` : "Suggested edit";
      revision = await applyContent(tx, {
        howtoId: current.id,
        content: locked.content,
        editorId: suggestion.authorId,
        note,
        now,
      });
    }
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
