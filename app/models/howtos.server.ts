/**
 * How-tos: step-by-step guides with a summary, "applies to", difficulty, time, prerequisites and numbered steps;
 * writing and editing them, suggested edits from other members, "Did this help?" feedback, lists and history.
 */
import { type SQL, and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  DIFFICULTIES,
  type Difficulty,
  type HowtoStep,
  type RevisionContent,
  editSuggestions,
  howtoFeedback,
  postTags,
  posts,
  spaces,
  tags,
  users,
} from "#db/schema";
import { HOWTO_LIMITS, type HowtoSort } from "~/lib/howtos";
import { renderMarkdown } from "~/lib/markdown.server";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { follow, newPostTargets, notifyFollowers, notifyMentions } from "./notifications.server";
import { once } from "./idempotency.server";
import { recordModeration } from "./moderation.server";
import { type Actor, can } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { tidyMarkdown, validate } from "./post-fields.server";
import { requireOpenSpace } from "./spaces.server";
import { decodeListCursor, encodeListCursor } from "./list-cursors.server";
import { getPostMeta, restorePost, softDeletePost } from "./posts.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { type DiffPart, diffWords, listRevisions, recordRevision } from "./revisions.server";
import { parseTagList, setPostTags, tagsByPost } from "./tags.server";
import { screenNewContent } from "./spam.server";
import { idField } from "~/lib/ids";
import { isCursorTimestamp } from "~/lib/ids";

export type { SignedInActor } from "./post-errors.server";

// ---------- validation ----------

const L = HOWTO_LIMITS;

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function lengthRule({ min, max, what, missing }: { min: number; max: number; what: string; missing: string }) {
  return (text: string, ctx: z.RefinementCtx) => {
    const length = text.trim().length;
    if (length === 0) ctx.addIssue({ code: "custom", message: missing });
    else if (length < min)
      ctx.addIssue({ code: "custom", message: `${what} needs at least ${min} characters (it has ${length}).` });
    else if (text.length > max)
      ctx.addIssue({
        code: "custom",
        message: `${what} can be at most ${max.toLocaleString("en")} characters (it has ${text.length.toLocaleString("en")}).`,
      });
  };
}

const text = (missing: string) => z.string({ required_error: missing, invalid_type_error: missing });

const contentSchema = z.object({
  title: text("Please give your how-to a title.")
    .transform(oneLine)
    .superRefine(
      lengthRule({
        min: L.titleMin,
        max: L.titleMax,
        what: "The title",
        missing: "Please give your how-to a title, for example “Set up a shared mailbox in Outlook”.",
      }),
    ),
  summary: text("Please write a short summary.")
    .transform(oneLine)
    .superRefine(
      lengthRule({
        min: L.summaryMin,
        max: L.summaryMax,
        what: "The summary",
        missing: "Please write a one-paragraph summary: what this achieves and who it is for.",
      }),
    ),
  appliesTo: text("Say which product and version this applies to.")
    .transform(oneLine)
    .superRefine(
      lengthRule({
        min: 1,
        max: L.appliesToMax,
        what: "“Applies to”",
        missing: "Say which product and version this applies to, for example “Windows 11 23H2”.",
      }),
    ),
  difficulty: z.enum(DIFFICULTIES, {
    errorMap: () => ({ message: "Choose how hard this is: beginner, intermediate or advanced." }),
  }),
  estimatedMinutes: z
    .union([z.number(), z.string()], {
      errorMap: () => ({
        message: `Enter roughly how many minutes this takes, as a whole number from ${L.minutesMin} to ${L.minutesMax}.`,
      }),
    })
    .transform((v, ctx) => {
      const n = typeof v === "number" ? v : v.trim() === "" ? Number.NaN : Number(v.trim());
      if (!Number.isInteger(n) || n < L.minutesMin || n > L.minutesMax) {
        ctx.addIssue({
          code: "custom",
          message: `Enter roughly how many minutes this takes, as a whole number from ${L.minutesMin} to ${L.minutesMax}.`,
        });
        return z.NEVER;
      }
      return n;
    }),
  prerequisites: z
    .string()
    .default("")
    .transform(tidyMarkdown)
    .superRefine((t, ctx) => {
      if (t.length > L.prerequisitesMax)
        ctx.addIssue({
          code: "custom",
          message: `Prerequisites can be at most ${L.prerequisitesMax.toLocaleString("en")} characters (they have ${t.length.toLocaleString("en")}).`,
        });
    }),
  steps: z
    .array(z.string(), { invalid_type_error: "Add at least one step." })
    .transform((list) => list.map(tidyMarkdown).filter((s) => s.trim() !== ""))
    .superRefine((list, ctx) => {
      if (list.length < L.stepsMin)
        ctx.addIssue({ code: "custom", message: "Add at least one step: what should the reader do first?" });
      if (list.length > L.stepsMax)
        ctx.addIssue({
          code: "custom",
          message: `A how-to can have at most ${L.stepsMax} steps (this one has ${list.length}). Combine small steps, or split it into two how-tos.`,
        });
      list.forEach((step, i) => {
        const length = step.trim().length;
        if (length < L.stepMin)
          ctx.addIssue({ code: "custom", path: [i], message: `Step ${i + 1} needs at least ${L.stepMin} characters.` });
        else if (step.length > L.stepMax)
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `Step ${i + 1} can be at most ${L.stepMax.toLocaleString("en")} characters (it has ${step.length.toLocaleString("en")}). Split it into two steps.`,
          });
      });
    }),
  tags: z
    .union([z.string(), z.array(z.string())])
    .default("")
    .transform((value) => parseTagList(Array.isArray(value) ? value.join(",") : value))
    .superRefine((list, ctx) => {
      if (list.length > L.tagsMax)
        ctx.addIssue({
          code: "custom",
          message: `Use at most ${L.tagsMax} tags (you have ${list.length}). Keep the most specific ones.`,
        });
    }),
  isPlainLanguage: z.boolean().default(false),
});

const spaceIdField = idField("Choose the space your how-to belongs in.");

const noteField = z
  .string()
  .default("")
  .transform(oneLine)
  .superRefine((t, ctx) => {
    if (t.length > L.noteMax)
      ctx.addIssue({ code: "custom", message: `Keep the note to ${L.noteMax} characters (it has ${t.length}).` });
  });

type HowtoFields = z.output<typeof contentSchema>;

/** The content fields of a how-to as typed in the form (strings), or already typed values. */
export type HowtoInput = {
  title: string;
  summary: string;
  appliesTo: string;
  difficulty: string;
  estimatedMinutes: number | string;
  prerequisites?: string;
  steps: string[];
  tags?: string | string[];
  isPlainLanguage?: boolean;
};

/** Checks a how-to's fields without saving anything (the form's rules, for tests and previews). */
export function validateHowto(input: HowtoInput) {
  return validate(contentSchema, input);
}

// ---------- storing content ----------

/** One Markdown document of the whole how-to: what search indexes and what posts.body_md holds. */
function composeBody(f: Pick<HowtoFields, "summary" | "prerequisites" | "steps">): string {
  const parts = [f.summary];
  if (f.prerequisites) parts.push(`## Before you start\n\n${f.prerequisites}`);
  f.steps.forEach((step, i) => parts.push(`## Step ${i + 1}\n\n${step}`));
  return parts.join("\n\n");
}

function toRevisionContent(f: HowtoFields): RevisionContent {
  return {
    title: f.title,
    bodyMd: composeBody(f),
    tags: f.tags,
    summary: f.summary,
    appliesTo: f.appliesTo,
    difficulty: f.difficulty,
    estimatedMinutes: f.estimatedMinutes,
    prerequisitesMd: f.prerequisites || null,
    steps: f.steps,
  };
}

/** The columns a how-to's content sets, every Markdown field rendered now (reads never re-render). */
function contentColumns(c: RevisionContent) {
  const steps: HowtoStep[] = (c.steps ?? []).map((bodyMd) => ({ bodyMd, bodyHtml: renderMarkdown(bodyMd) }));
  return {
    title: c.title,
    bodyMd: c.bodyMd,
    bodyHtml: renderMarkdown(c.bodyMd),
    summary: c.summary ?? null,
    appliesTo: c.appliesTo ?? null,
    difficulty: c.difficulty ?? null,
    estimatedMinutes: c.estimatedMinutes ?? null,
    prerequisitesMd: c.prerequisitesMd ?? null,
    prerequisitesHtml: c.prerequisitesMd ? renderMarkdown(c.prerequisitesMd) : null,
    steps,
  };
}

// ---------- writing ----------

/**
 * Publishes a how-to: validates, then (once per idempotency key, so a double submit creates one how-to)
 * counts against the author's hourly limit, stores it with revision 1, and queues it for search.
 */
export async function createHowto(
  db: Db,
  input: HowtoInput & { actor: Actor; spaceId: number | string; idempotencyKey?: string; now?: Date },
): Promise<{ howtoId: number; isRepeat: boolean }> {
  const { actor } = input;
  assertCan(actor, "howto.create", undefined, "You can't write how-tos.");
  const fields = validate(contentSchema.extend({ spaceId: spaceIdField }), input);
  await requireOpenSpace(db, fields.spaceId, "how-to");
  const now = input.now ?? new Date();
  const content = toRevisionContent(fields);
  const create = async (tx: Db) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "howto", now });
    const [post] = await tx
      .insert(posts)
      .values({
        kind: "howto",
        spaceId: fields.spaceId,
        authorId: actor.id,
        ...contentColumns(content),
        isPlainLanguage: fields.isPlainLanguage,
        createdAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .returning({ id: posts.id });
    if (!post) throw new Error("how-to insert returned nothing");
    await setPostTags(tx, post.id, fields.tags);
    await recordRevision(tx, { postId: post.id, editorId: actor.id, content });
    await enqueueSearchUpdate(tx, [post.id]);
    await follow(tx, actor.id, { type: "howto", key: String(post.id) });
    await notifyMentions(
      tx,
      { actorId: actor.id, postId: post.id },
      [fields.summary, fields.prerequisites, ...fields.steps].join("\n\n"),
    );
    await notifyFollowers(
      tx,
      { kind: "new_post", actorId: actor.id, postId: post.id },
      await newPostTargets(tx, post.id),
    );
    await screenNewContent(tx, { type: "post", id: String(post.id) });
    return { howtoId: post.id };
  };
  if (input.idempotencyKey) {
    const { result, isRepeat } = await once(db, { userId: actor.id, key: input.idempotencyKey }, create);
    return { howtoId: result.howtoId, isRepeat };
  }
  return { ...(await db.transaction(create)), isRepeat: false };
}

/** A how-to's current editable content (as stored), with what permission checks need. */
export async function getHowtoForEditing(db: Db, howtoId: number) {
  const [post] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      authorId: posts.authorId,
      spaceId: posts.spaceId,
      title: posts.title,
      bodyMd: posts.bodyMd,
      summary: posts.summary,
      appliesTo: posts.appliesTo,
      difficulty: posts.difficulty,
      estimatedMinutes: posts.estimatedMinutes,
      prerequisitesMd: posts.prerequisitesMd,
      steps: posts.steps,
      isPlainLanguage: posts.isPlainLanguage,
      revisionCount: posts.revisionCount,
      updatedAt: posts.updatedAt,
      deletedAt: posts.deletedAt,
    })
    .from(posts)
    .where(and(eq(posts.id, howtoId), eq(posts.kind, "howto")))
    .limit(1);
  if (!post) return null;
  const tagList = (await tagsByPost(db, [post.id])).get(post.id) ?? [];
  const content: RevisionContent = {
    title: post.title,
    bodyMd: post.bodyMd,
    tags: tagList,
    summary: post.summary,
    appliesTo: post.appliesTo,
    difficulty: post.difficulty,
    estimatedMinutes: post.estimatedMinutes,
    prerequisitesMd: post.prerequisitesMd,
    steps: (post.steps ?? []).map((s) => s.bodyMd),
  };
  return { ...post, tags: tagList, content };
}

/** Form values (field name → text) for a how-to's content: what the edit form starts from. */
export function contentToFormValues(content: RevisionContent, isPlainLanguage: boolean): Record<string, string> {
  const values: Record<string, string> = {
    title: content.title ?? "",
    summary: content.summary ?? "",
    appliesTo: content.appliesTo ?? "",
    difficulty: content.difficulty ?? "",
    estimatedMinutes:
      content.estimatedMinutes === null || content.estimatedMinutes === undefined
        ? ""
        : String(content.estimatedMinutes),
    prerequisites: content.prerequisitesMd ?? "",
    tags: content.tags.join(", "),
  };
  if (isPlainLanguage) values.plainLanguage = "on";
  (content.steps ?? []).forEach((step, i) => (values[`step-${i}`] = step));
  return values;
}

function sameContent(a: RevisionContent, b: RevisionContent): boolean {
  return (
    a.title === b.title &&
    (a.summary ?? null) === (b.summary ?? null) &&
    (a.appliesTo ?? null) === (b.appliesTo ?? null) &&
    (a.difficulty ?? null) === (b.difficulty ?? null) &&
    (a.estimatedMinutes ?? null) === (b.estimatedMinutes ?? null) &&
    (a.prerequisitesMd ?? null) === (b.prerequisitesMd ?? null) &&
    JSON.stringify(a.steps ?? []) === JSON.stringify(b.steps ?? []) &&
    [...a.tags].sort().join(",") === [...b.tags].sort().join(",")
  );
}

async function requireLiveHowto(db: Db, howtoId: number) {
  const current = await getHowtoForEditing(db, howtoId);
  if (!current || current.deletedAt) throw new PostingError("This how-to doesn't exist or was deleted.", {}, 404);
  return current;
}

/** Writes new content over a how-to inside a transaction: columns, tags, the next revision, and the search outbox. */
async function applyContent(
  tx: Db,
  {
    howtoId,
    content,
    editorId,
    note,
    isPlainLanguage,
    now,
  }: {
    howtoId: number;
    content: RevisionContent;
    editorId: string;
    note: string;
    isPlainLanguage?: boolean;
    now: Date;
  },
) {
  await tx
    .update(posts)
    .set({
      ...contentColumns(content),
      ...(isPlainLanguage === undefined ? {} : { isPlainLanguage }),
      updatedAt: now,
      lastActivityAt: now,
    })
    .where(eq(posts.id, howtoId));
  await setPostTags(tx, howtoId, content.tags);
  const revision = await recordRevision(tx, { postId: howtoId, editorId, note, content });
  await enqueueSearchUpdate(tx, [howtoId]);
  return revision;
}

/** The author (or staff) edits a how-to directly; the new content becomes the next revision, with the editor's note. */
export async function editHowto(
  db: Db,
  input: HowtoInput & { howtoId: number; actor: Actor; note?: string; now?: Date },
): Promise<{ revision: number }> {
  const current = await requireLiveHowto(db, input.howtoId);
  const { actor } = input;
  assertCan(
    actor,
    "post.edit",
    { ownerId: current.authorId },
    "Only the author or a moderator can edit this how-to directly. You can suggest an edit instead.",
  );
  const fields = validate(contentSchema.extend({ note: noteField }), input);
  const content = toRevisionContent(fields);
  if (sameContent(content, current.content) && fields.isPlainLanguage === current.isPlainLanguage) {
    throw new PostingError("You haven't changed anything yet.", { form: "Nothing changed: edit a field, then save." });
  }
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "edit", now });
    const revision = await applyContent(tx, {
      howtoId: current.id,
      content,
      editorId: actor.id,
      note: fields.note,
      isPlainLanguage: fields.isPlainLanguage,
      now,
    });
    return { revision };
  });
}

// ---------- suggested edits ----------

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

export type FieldDiff = { field: string; label: string; parts: DiffPart[] };

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

// ---------- "Did this help?" ----------

const feedbackSchema = z.object({
  isHelpful: z.boolean({ required_error: "Choose yes or no.", invalid_type_error: "Choose yes or no." }),
  comment: z
    .string()
    .default("")
    .transform((t) => t.replace(/\r\n?/g, "\n").trim())
    .superRefine((t, ctx) => {
      if (t.length > L.feedbackCommentMax)
        ctx.addIssue({
          code: "custom",
          message: `Keep the comment to ${L.feedbackCommentMax.toLocaleString("en")} characters (it has ${t.length.toLocaleString("en")}).`,
        });
    }),
});

export type FeedbackCounts = { helpfulYes: number; helpfulNo: number };

/**
 * Answers "Did this help?" for a signed-in reader who is not the author: one answer per person, which
 * they can change; the how-to's yes/no counts are kept in step with the answers in the same transaction.
 */
export async function rateHowto(
  db: Db,
  input: { howtoId: number; actor: Actor; isHelpful: boolean; comment?: string; now?: Date },
): Promise<FeedbackCounts & { mine: { isHelpful: boolean; comment: string } }> {
  const { actor } = input;
  const post = await getPostMeta(db, input.howtoId);
  if (post?.kind !== "howto" || post.deletedAt)
    throw new PostingError("This how-to doesn't exist or was deleted.", {}, 404);
  if (actor && actor.id === post.authorId) throw new PostingError("You can't rate your own how-to.", {}, 403);
  assertCan(actor, "howto.rate", { ownerId: post.authorId }, "You can't rate this how-to.");
  const { isHelpful, comment } = validate(feedbackSchema, input);
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "feedback", now });
    await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, post.id)).for("update");
    const [previous] = await tx
      .select({ isHelpful: howtoFeedback.isHelpful })
      .from(howtoFeedback)
      .where(and(eq(howtoFeedback.postId, post.id), eq(howtoFeedback.userId, actor.id)));
    await tx
      .insert(howtoFeedback)
      .values({ postId: post.id, userId: actor.id, isHelpful, comment, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [howtoFeedback.userId, howtoFeedback.postId],
        set: { isHelpful, comment, updatedAt: now },
      });
    const yesDelta = (isHelpful ? 1 : 0) - (previous?.isHelpful === true ? 1 : 0);
    const noDelta = (isHelpful ? 0 : 1) - (previous?.isHelpful === false ? 1 : 0);
    const [counts] = await tx
      .update(posts)
      .set({ helpfulYes: sql`${posts.helpfulYes} + ${yesDelta}`, helpfulNo: sql`${posts.helpfulNo} + ${noDelta}` })
      .where(eq(posts.id, post.id))
      .returning({ helpfulYes: posts.helpfulYes, helpfulNo: posts.helpfulNo });
    // The counts are part of what search ranks by.
    if (yesDelta !== 0 || noDelta !== 0) await enqueueSearchUpdate(tx, [post.id]);
    return { helpfulYes: counts?.helpfulYes ?? 0, helpfulNo: counts?.helpfulNo ?? 0, mine: { isHelpful, comment } };
  });
}

export type FeedbackComment = {
  isHelpful: boolean;
  comment: string;
  updatedAt: Date;
  name: string;
  handle: string | null;
};

/** The comments readers left with their answers: for the how-to's author (and staff) only. */
export async function listFeedbackComments(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<FeedbackComment[]> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto") throw new PostingError("This how-to doesn't exist.", {}, 404);
  assertCan(
    actor,
    "post.edit",
    { ownerId: post.authorId },
    "Only the author of a how-to can read the comments left on it.",
  );
  return db
    .select({
      isHelpful: howtoFeedback.isHelpful,
      comment: howtoFeedback.comment,
      updatedAt: howtoFeedback.updatedAt,
      name: users.name,
      handle: users.handle,
    })
    .from(howtoFeedback)
    .innerJoin(users, eq(users.id, howtoFeedback.userId))
    .where(and(eq(howtoFeedback.postId, howtoId), ne(howtoFeedback.comment, "")))
    .orderBy(desc(howtoFeedback.updatedAt))
    .limit(200);
}

// ---------- deleting and restoring ----------

/** Soft-deletes a how-to (its author, or staff); staff deleting someone else's leave a moderation record. */
export async function deleteHowto(
  db: Db,
  { howtoId, actor, reason = "" }: { howtoId: number; actor: Actor; reason?: string },
): Promise<{ spaceSlug: string | null }> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto" || post.deletedAt)
    throw new PostingError("This how-to doesn't exist or was already deleted.", {}, 404);
  assertCan(actor, "post.delete", { ownerId: post.authorId }, "You can only delete your own how-tos.");
  await softDeletePost(db, { postId: howtoId, by: actor.id, isModeratorAction: actor.id !== post.authorId, reason });
  const [space] = await db.select({ slug: spaces.slug }).from(spaces).where(eq(spaces.id, post.spaceId)).limit(1);
  return { spaceSlug: space?.slug ?? null };
}

/** Moderators bring a deleted how-to back; the moderation log records it. */
export async function restoreHowto(db: Db, { howtoId, actor }: { howtoId: number; actor: Actor }): Promise<void> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto" || !post.deletedAt) throw new PostingError("This how-to isn't deleted.", {}, 404);
  assertCan(actor, "post.restore", { ownerId: post.authorId }, "Only moderators can restore how-tos.");
  await restorePost(db, { postId: howtoId, by: actor.id });
}

// ---------- reading ----------

/** One how-to's public page: the same for every reader; `includeDeleted` (staff) also returns a deleted one, marked. */
export async function getHowtoPage(
  db: Db,
  howtoId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const [row] = await db
    .select({
      id: posts.id,
      title: posts.title,
      summary: posts.summary,
      appliesTo: posts.appliesTo,
      difficulty: posts.difficulty,
      estimatedMinutes: posts.estimatedMinutes,
      prerequisitesHtml: posts.prerequisitesHtml,
      steps: posts.steps,
      isPlainLanguage: posts.isPlainLanguage,
      helpfulYes: posts.helpfulYes,
      helpfulNo: posts.helpfulNo,
      revisionCount: posts.revisionCount,
      createdAt: posts.createdAt,
      updatedAt: posts.updatedAt,
      deletedAt: posts.deletedAt,
      authorName: users.name,
      authorHandle: users.handle,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(eq(posts.id, howtoId), eq(posts.kind, "howto"), includeDeleted ? undefined : isNull(posts.deletedAt)))
    .limit(1);
  if (!row) return null;
  const tagList = (await tagsByPost(db, [row.id])).get(row.id) ?? [];
  const { steps, ...rest } = row;
  return {
    ...rest,
    title: row.title ?? "(untitled)",
    summary: row.summary ?? "",
    stepsHtml: (steps ?? []).map((s) => s.bodyHtml),
    tags: tagList,
  };
}
export type HowtoPageData = NonNullable<Awaited<ReturnType<typeof getHowtoPage>>>;

export type HowtoViewerState = {
  isSignedIn: boolean;
  isAuthor: boolean;
  myFeedback: { isHelpful: boolean; comment: string } | null;
  canRate: boolean;
  /** Why this viewer can't answer "Did this help?", when they can't. */
  rateHint: string | null;
  canEdit: boolean;
  canSuggest: boolean;
  canDelete: boolean;
  canRestore: boolean;
  canReviewSuggestions: boolean;
  pendingSuggestions: number;
  /** Readers' comments: only for the author (and staff). */
  feedbackComments: FeedbackComment[] | null;
};

/** What this viewer may do on a how-to's page, and their own feedback: the per-person part, kept out of the public page. */
export async function getHowtoViewerState(
  db: Db,
  { howtoId, actor }: { howtoId: number; actor: Actor },
): Promise<HowtoViewerState | null> {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto") return null;
  if (post.deletedAt && !can(actor, "post.viewDeleted")) return null;
  const target = { ownerId: post.authorId };
  const isLive = post.deletedAt === null;
  const isAuthor = actor?.id === post.authorId;
  const [mine] = actor
    ? await db
        .select({ isHelpful: howtoFeedback.isHelpful, comment: howtoFeedback.comment })
        .from(howtoFeedback)
        .where(and(eq(howtoFeedback.postId, howtoId), eq(howtoFeedback.userId, actor.id)))
    : [];
  const canRate = isLive && can(actor, "howto.rate", target);
  const canReviewSuggestions = isLive && can(actor, "howto.decideSuggestion", target);
  const canSeeFeedback = can(actor, "post.edit", target);
  const [pending] = canReviewSuggestions
    ? await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(editSuggestions)
        .where(and(eq(editSuggestions.postId, howtoId), eq(editSuggestions.status, "pending")))
    : [];
  return {
    isSignedIn: actor !== null,
    isAuthor,
    myFeedback: mine ?? null,
    canRate,
    rateHint: canRate
      ? null
      : isAuthor
        ? "This is your how-to, so you can't rate it."
        : actor?.banned
          ? "Your account is suspended."
          : actor
            ? null
            : "Sign in to answer.",
    canEdit: isLive && can(actor, "post.edit", target),
    canSuggest: isLive && can(actor, "howto.suggestEdit", target),
    canDelete: isLive && can(actor, "post.delete", target),
    canRestore: !isLive && can(actor, "post.restore", target),
    canReviewSuggestions,
    pendingSuggestions: pending?.n ?? 0,
    feedbackComments: canSeeFeedback ? await listFeedbackComments(db, { howtoId, actor }) : null,
  };
}

// ---------- lists ----------

export type HowtoRow = {
  id: number;
  title: string;
  summary: string;
  appliesTo: string | null;
  difficulty: Difficulty | null;
  estimatedMinutes: number | null;
  stepCount: number;
  helpfulYes: number;
  helpfulNo: number;
  isPlainLanguage: boolean;
  createdAt: Date;
  author: { name: string; handle: string | null };
  space: { slug: string; name: string };
  tags: string[];
};

/**
 * "Most helpful" ranks by the lower bound of the Wilson score interval (95%) of the yes share, in millionths,
 * so one lone "yes" does not outrank 40 yes and 2 no. An integer, so keyset cursors compare exactly.
 */
const helpfulRank: SQL<number> = sql<number>`(case when ${posts.helpfulYes} + ${posts.helpfulNo} = 0 then 0 else floor(1000000 * (
  (${posts.helpfulYes}::float8 + 1.9208) / (${posts.helpfulYes} + ${posts.helpfulNo})
  - 1.96 * sqrt(${posts.helpfulYes}::float8 * ${posts.helpfulNo} / (${posts.helpfulYes} + ${posts.helpfulNo}) + 0.9604) / (${posts.helpfulYes} + ${posts.helpfulNo})
) / (1 + 3.8416 / (${posts.helpfulYes} + ${posts.helpfulNo}))) end)::integer`;

/** The same ranking in JavaScript, for tests and displays. */
export function wilsonLowerBound(yes: number, no: number): number {
  const n = yes + no;
  if (n === 0) return 0;
  const z = 1.96;
  return ((yes + (z * z) / 2) / n - (z / n) * Math.sqrt((yes * no) / n + (z * z) / 4)) / (1 + (z * z) / n);
}

/** How-to list keys: a rank for "helpful", a timestamp for "newest". */
const isHowtoKey = (sort: HowtoSort) => (key: string) =>
  sort === "helpful" ? /^\d{1,7}$/.test(key) : isCursorTimestamp(key);

export type HowtoListOptions = {
  spaceId?: number;
  sort: HowtoSort;
  /** From a previous page's nextCursor. */
  cursor?: string | null;
  limit: number;
  /** Only how-tos written in plain language for business colleagues. */
  plainOnly?: boolean;
  tag?: string | null;
};

/** One page of how-tos, newest or most helpful first; keyset pages on (sort key, id), so pages never repeat or skip. */
export async function listHowtos(
  db: Db,
  options: HowtoListOptions,
): Promise<{ howtos: HowtoRow[]; nextCursor: string | null }> {
  const { sort } = options;
  const limit = Math.min(Math.max(Math.trunc(options.limit) || 20, 1), 100);
  const keyOf: SQL<string> =
    sort === "helpful"
      ? sql<string>`${helpfulRank}::text`
      : sql<string>`to_char(${posts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const sortExpr: SQL = sort === "helpful" ? helpfulRank : sql`${posts.createdAt}`;
  const cursor = decodeListCursor(options.cursor, sort, isHowtoKey(sort));
  const conditions: (SQL | undefined)[] = [eq(posts.kind, "howto"), isNull(posts.deletedAt)];
  if (options.spaceId !== undefined) conditions.push(eq(posts.spaceId, options.spaceId));
  if (options.plainOnly) conditions.push(eq(posts.isPlainLanguage, true));
  if (options.tag)
    conditions.push(
      sql`exists (select 1 from ${postTags} pt join ${tags} t on t.id = pt.tag_id where pt.post_id = ${posts.id} and t.slug = ${options.tag})`,
    );
  if (cursor) {
    const key = sort === "helpful" ? sql`${Number(cursor.key)}::integer` : sql`${cursor.key}::timestamptz`;
    conditions.push(sql`(${sortExpr}, ${posts.id}) < (${key}, ${cursor.id}::integer)`);
  }
  const rows = await db
    .select({
      id: posts.id,
      title: posts.title,
      summary: posts.summary,
      appliesTo: posts.appliesTo,
      difficulty: posts.difficulty,
      estimatedMinutes: posts.estimatedMinutes,
      stepCount: sql<number>`coalesce(jsonb_array_length(${posts.steps}), 0)`.mapWith(Number),
      helpfulYes: posts.helpfulYes,
      helpfulNo: posts.helpfulNo,
      isPlainLanguage: posts.isPlainLanguage,
      createdAt: posts.createdAt,
      authorName: users.name,
      authorHandle: users.handle,
      spaceSlug: spaces.slug,
      spaceName: spaces.name,
      sortKey: keyOf,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(and(...conditions))
    .orderBy(desc(sortExpr), desc(posts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeListCursor({ sort, key: last.sortKey, id: last.id }) : null;
  const tagMap = await tagsByPost(
    db,
    page.map((r) => r.id),
  );
  return {
    howtos: page.map((r) => ({
      id: r.id,
      title: r.title ?? "(untitled)",
      summary: r.summary ?? "",
      appliesTo: r.appliesTo,
      difficulty: r.difficulty,
      estimatedMinutes: r.estimatedMinutes,
      stepCount: r.stepCount,
      helpfulYes: r.helpfulYes,
      helpfulNo: r.helpfulNo,
      isPlainLanguage: r.isPlainLanguage,
      createdAt: r.createdAt,
      author: { name: r.authorName, handle: r.authorHandle },
      space: { slug: r.spaceSlug, name: r.spaceName },
      tags: tagMap.get(r.id) ?? [],
    })),
    nextCursor,
  };
}

export type RelatedItem = {
  kind: "howto" | "question";
  id: number;
  title: string;
  isPlainLanguage: boolean;
  sharedTags: number;
};

/** How-tos and questions (in any space) sharing the most tags with this post; most shared first, then best rated. */
export async function listRelatedContent(
  db: Db,
  howtoId: number,
  limit = 6,
  kinds: RelatedItem["kind"][] = ["howto", "question"],
): Promise<RelatedItem[]> {
  const shared = sql<number>`count(*)`.mapWith(Number);
  const rows = await db
    .select({ id: posts.id, kind: posts.kind, title: posts.title, isPlainLanguage: posts.isPlainLanguage, shared })
    .from(postTags)
    .innerJoin(posts, eq(posts.id, postTags.postId))
    .where(
      and(
        inArray(posts.kind, kinds),
        isNull(posts.parentId),
        isNull(posts.deletedAt),
        ne(posts.id, howtoId),
        sql`${postTags.tagId} in (select tag_id from ${postTags} where post_id = ${howtoId})`,
      ),
    )
    .groupBy(posts.id)
    .orderBy(desc(shared), desc(sql`${posts.score} + ${posts.helpfulYes} - ${posts.helpfulNo}`), desc(posts.id))
    .limit(limit);
  return rows.map((r) => ({
    kind: r.kind === "howto" ? "howto" : "question",
    id: r.id,
    title: r.title ?? "(untitled)",
    isPlainLanguage: r.isPlainLanguage,
    sharedTags: r.shared,
  }));
}

export type HowtoRevisionView = {
  number: number;
  note: string;
  createdAt: Date;
  editorName: string | null;
  editorHandle: string | null;
  /** The first revision: every field shown whole; later ones: only the changed fields, as word diffs. */
  changes: FieldDiff[];
};

/** Every revision of a how-to, newest first, each diffed against the one before (title, summary, meta, steps, tags). */
export async function getHowtoRevisionHistory(
  db: Db,
  howtoId: number,
  { includeDeleted = false }: { includeDeleted?: boolean } = {},
) {
  const post = await getPostMeta(db, howtoId);
  if (post?.kind !== "howto" || (post.deletedAt && !includeDeleted)) return null;
  const revisions = await listRevisions(db, howtoId);
  const views: HowtoRevisionView[] = revisions.map((r, i) => ({
    number: r.number,
    note: r.note,
    createdAt: r.createdAt,
    editorName: r.editorName,
    editorHandle: r.editorHandle,
    changes: diffHowtoContent(revisions[i - 1]?.content ?? null, r.content),
  }));
  return {
    howto: { id: post.id, title: post.title ?? "(untitled)", isDeleted: post.deletedAt !== null },
    revisions: views.reverse(),
  };
}
