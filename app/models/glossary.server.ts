/**
 * The glossary of IT terms: entries kept by moderators, admins and mentors, the synonym groups both search engines
 * expand, and the per-process index that finds known terms in posts and drafts.
 */
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { type GlossaryTermRow, glossaryTerms, moderationLog, users } from "#db/schema";
import { type GlossaryMatcher, buildGlossaryMatcher, findTermsIn, normalizeTerm } from "~/lib/glossary-match";
import {
  escapeHtml,
  glossaryNoteHtml,
  markGlossaryTerms,
  markGlossaryTermsShared,
  sharedNoteId,
} from "~/lib/glossary-html.server";
import { publish } from "~/lib/realtime.server";
import { slugify } from "~/lib/slug";
import { recordModeration } from "./moderation.server";
import { type Actor, can } from "./permissions.server";
import { assertNotSuspended, consumeWriteLimit } from "./rate-limits.server";
import { assertNotSilenced } from "./spam.server";

export const GLOSSARY_LIMITS = {
  termMax: 60,
  expansionMax: 120,
  explanationMin: 10,
  explanationMax: 600,
  synonymsMax: 20,
  synonymMax: 60,
} as const;

/** The realtime topic every process listens on to drop its cached glossary. */
export const GLOSSARY_TOPIC = "glossary";

// Control characters and angle brackets have no place in a term; everything else is shown escaped.
const plainText = /^[^\u0000-\u001f\u007f<>]*$/;

/** Synonyms arrive as one field, separated by commas or new lines. */
function splitSynonyms(raw: string): string[] {
  return raw
    .split(/[,\n;]/)
    .map((part) => part.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

/** The fields of the add/edit form, shared by the form's action and every write here. */
export const glossaryEntrySchema = z.object({
  term: z
    .string({ required_error: "Please write the term." })
    .trim()
    .min(1, "Please write the term.")
    .max(GLOSSARY_LIMITS.termMax, `Terms can be at most ${GLOSSARY_LIMITS.termMax} characters.`)
    .regex(plainText, "Terms can't contain < or >.")
    .refine((term) => /[\p{L}\p{N}]/u.test(term), "A term needs at least one letter or digit."),
  expansion: z
    .string()
    .trim()
    .max(GLOSSARY_LIMITS.expansionMax, `The full name can be at most ${GLOSSARY_LIMITS.expansionMax} characters.`)
    .regex(plainText, "The full name can't contain < or >.")
    .default(""),
  explanation: z
    .string({ required_error: "Please explain the term in plain words." })
    .trim()
    .min(GLOSSARY_LIMITS.explanationMin, "Please explain the term in a sentence or two of plain words.")
    .max(
      GLOSSARY_LIMITS.explanationMax,
      `Keep the explanation under ${GLOSSARY_LIMITS.explanationMax} characters: a sentence or two.`,
    ),
  synonyms: z
    .union([z.string(), z.array(z.string())])
    .default("")
    .transform((value) => (Array.isArray(value) ? value.flatMap(splitSynonyms) : splitSynonyms(value)))
    .pipe(
      z
        .array(
          z
            .string()
            .max(GLOSSARY_LIMITS.synonymMax, `Each synonym can be at most ${GLOSSARY_LIMITS.synonymMax} characters.`)
            .regex(plainText, "Synonyms can't contain < or >."),
        )
        .max(GLOSSARY_LIMITS.synonymsMax, `At most ${GLOSSARY_LIMITS.synonymsMax} synonyms.`),
    ),
});
export type GlossaryEntryInput = z.input<typeof glossaryEntrySchema>;

export type GlossaryField = "term" | "expansion" | "explanation" | "synonyms";

export class GlossaryError extends Error {
  constructor(
    message: string,
    readonly field?: GlossaryField,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * An edit begun before someone else changed the entry (the glossary keeps no history, so a silent overwrite would lose
 * their words for good): the form shows the entry as it is now and takes its time as the new starting point.
 */
export class GlossaryConflictError extends GlossaryError {
  constructor(
    message: string,
    readonly current: GlossaryEntry,
  ) {
    super(message, undefined, 409);
  }
}

export type GlossaryEntry = Pick<
  GlossaryTermRow,
  "id" | "term" | "slug" | "expansion" | "explanation" | "synonyms" | "updatedAt"
> & {
  updatedByName: string | null;
};

const entryColumns = {
  id: glossaryTerms.id,
  term: glossaryTerms.term,
  slug: glossaryTerms.slug,
  expansion: glossaryTerms.expansion,
  explanation: glossaryTerms.explanation,
  synonyms: glossaryTerms.synonyms,
  updatedAt: glossaryTerms.updatedAt,
  updatedByName: sql<string | null>`(select u.name from users u where u.id = ${glossaryTerms.updatedBy})`,
};

/** Every entry, A to Z. */
export async function listGlossary(db: Db): Promise<GlossaryEntry[]> {
  return db.select(entryColumns).from(glossaryTerms).orderBy(asc(glossaryTerms.normalized));
}

export async function getGlossaryEntry(db: Db, id: number): Promise<GlossaryEntry | null> {
  const [entry] = await db.select(entryColumns).from(glossaryTerms).where(eq(glossaryTerms.id, id)).limit(1);
  return entry ?? null;
}

/**
 * Who removed an entry, when, and what it was called (from the public moderation log): what an editor whose form
 * outlived the entry is told. Null when the log has no removal of it (an id that never existed).
 */
export async function getGlossaryRemoval(
  db: Db,
  id: number,
): Promise<{ term: string | null; removedById: string | null; removedByName: string | null; removedAt: Date } | null> {
  const [row] = await db
    .select({
      details: moderationLog.details,
      removedById: moderationLog.actorId,
      removedByName: users.name,
      removedAt: moderationLog.createdAt,
    })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(
      and(
        eq(moderationLog.action, "glossary.delete"),
        eq(moderationLog.targetType, "glossary"),
        eq(moderationLog.targetId, String(id)),
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(1);
  if (!row) return null;
  const term = row.details.term;
  return {
    term: typeof term === "string" ? term : null,
    removedById: row.removedById,
    removedByName: row.removedByName,
    removedAt: row.removedAt,
  };
}

/** Entries whose term, full name, synonyms or explanation contain the words of `query` (the glossary page's search box). */
export function filterGlossary<E extends Pick<GlossaryEntry, "term" | "expansion" | "explanation" | "synonyms">>(
  entries: E[],
  query: string,
): E[] {
  const words = normalizeTerm(query).split(" ").filter(Boolean);
  if (words.length === 0) return entries;
  const scored = entries
    .map((entry) => {
      const names = normalizeTerm([entry.term, entry.expansion, ...entry.synonyms].join(" "));
      const all = `${names} ${normalizeTerm(entry.explanation)}`;
      if (!words.every((word) => all.includes(word))) return null;
      // Entries named by the query come before those that only mention it.
      return { entry, rank: words.every((word) => names.includes(word)) ? 0 : 1 };
    })
    .filter((hit): hit is { entry: E; rank: 0 | 1 } => hit !== null);
  return scored.sort((a, b) => a.rank - b.rank).map((hit) => hit.entry);
}

function requireEditor(actor: Actor): asserts actor is NonNullable<Actor> {
  if (!can(actor, "glossary.edit"))
    throw new GlossaryError(
      actor ? "Only moderators, admins and mentors can change the glossary." : "Please sign in first.",
      undefined,
      actor ? 403 : 401,
    );
}

function parseEntry(input: GlossaryEntryInput) {
  const parsed = glossaryEntrySchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    throw new GlossaryError(
      issue?.message ?? "That entry didn't look right.",
      field === "term" || field === "expansion" || field === "explanation" || field === "synonyms" ? field : undefined,
    );
  }
  const { term, expansion, explanation } = parsed.data;
  // Synonyms equal to the term or to each other are dropped rather than refused.
  const seen = new Set([normalizeTerm(term)]);
  const synonyms = parsed.data.synonyms.filter((synonym) => {
    const key = normalizeTerm(synonym);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { term, expansion, explanation, synonyms, normalized: normalizeTerm(term) };
}

/** A term or synonym may name only one entry, or search would merge two groups and posts would explain the wrong thing. */
async function assertNamesFree(db: Db, entry: { term: string; synonyms: string[] }, exceptId?: number): Promise<void> {
  const rows = await db
    .select({ id: glossaryTerms.id, term: glossaryTerms.term, synonyms: glossaryTerms.synonyms })
    .from(glossaryTerms);
  const owner = new Map<string, string>();
  for (const row of rows) {
    if (row.id === exceptId) continue;
    for (const name of [row.term, ...row.synonyms]) owner.set(normalizeTerm(name), row.term);
  }
  const termOwner = owner.get(normalizeTerm(entry.term));
  if (termOwner !== undefined) {
    throw new GlossaryError(
      termOwner.toLowerCase() === entry.term.toLowerCase()
        ? `“${entry.term}” is already in the glossary.`
        : `“${entry.term}” is already a synonym of “${termOwner}”.`,
      "term",
      409,
    );
  }
  for (const synonym of entry.synonyms) {
    const synonymOwner = owner.get(normalizeTerm(synonym));
    if (synonymOwner !== undefined)
      throw new GlossaryError(`“${synonym}” already belongs to “${synonymOwner}”.`, "synonyms", 409);
  }
}

async function uniqueSlug(db: Db, term: string, exceptId?: number): Promise<string> {
  const base = slugify(term, 50) || "term";
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const [row] = await db
      .select({ id: glossaryTerms.id })
      .from(glossaryTerms)
      .where(eq(glossaryTerms.slug, slug))
      .limit(1);
    if (!row || row.id === exceptId) return slug;
  }
}

/** Unique-index violations from a concurrent write of the same term, as the message a person can act on. */
function isUniqueViolation(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code ??
    (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === "23505";
}

/**
 * Refuses a change by an account banned or silenced since the request began: the glossary is public and explains
 * every post, so it is posting. First in the change's transaction: the account row is held until commit, so a ban or
 * silence (which locks it first) either waits for this change or is seen here.
 */
async function assertMayPublish(tx: Db, actorId: string): Promise<void> {
  await assertNotSuspended(tx, actorId);
  await assertNotSilenced(tx, actorId, new Date());
}

async function changed(tx: Db, entryId: number): Promise<void> {
  await publish(tx, { topic: GLOSSARY_TOPIC, type: "changed", entryId });
}

/** How long after adding a term the same person sending the same entry again is a double tap or a retry, not a clash. */
const REPEATED_CREATE_SECONDS = 30;

/** The entry this person added moments ago exactly as `entry` says (the first of a double tap): its id, if there is one. */
async function entryJustAddedBy(db: Db, actorId: string, entry: ReturnType<typeof parseEntry>): Promise<number | null> {
  const [row] = await db
    .select({
      id: glossaryTerms.id,
      term: glossaryTerms.term,
      expansion: glossaryTerms.expansion,
      explanation: glossaryTerms.explanation,
      synonyms: glossaryTerms.synonyms,
    })
    .from(glossaryTerms)
    .innerJoin(
      moderationLog,
      and(
        eq(moderationLog.action, "glossary.create"),
        eq(moderationLog.targetType, "glossary"),
        eq(moderationLog.targetId, sql`${glossaryTerms.id}::text`),
      ),
    )
    .where(
      and(
        eq(glossaryTerms.normalized, entry.normalized),
        eq(moderationLog.actorId, actorId),
        gt(moderationLog.createdAt, sql`now() - make_interval(secs => ${REPEATED_CREATE_SECONDS})`),
      ),
    )
    .limit(1);
  const isSame =
    row?.term === entry.term &&
    row.expansion === entry.expansion &&
    row.explanation === entry.explanation &&
    JSON.stringify(row.synonyms) === JSON.stringify(entry.synonyms);
  return isSame ? row.id : null;
}

/**
 * Adds an entry. The same person sending the same entry again moments later (a double tap, a retried request) gets
 * the entry the first one added, not "already in the glossary"; anyone else's, or a different one, is still refused.
 */
export async function createGlossaryEntry(
  db: Db,
  input: { actor: Actor; entry: GlossaryEntryInput },
): Promise<GlossaryEntry> {
  requireEditor(input.actor);
  const actorId = input.actor.id;
  const entry = parseEntry(input.entry);
  await consumeWriteLimit(db, { userId: actorId, kind: "glossary" });
  const added = async (id: number) => {
    const created = await getGlossaryEntry(db, id);
    if (!created) throw new GlossaryError("That entry is no longer in the glossary.", undefined, 404);
    return created;
  };
  try {
    const id = await db.transaction(async (tx) => {
      await assertMayPublish(tx, actorId);
      const repeated = await entryJustAddedBy(tx, actorId, entry);
      if (repeated !== null) return repeated;
      await assertNamesFree(tx, entry);
      const [row] = await tx
        .insert(glossaryTerms)
        .values({ ...entry, slug: await uniqueSlug(tx, entry.term), updatedBy: actorId })
        .returning({ id: glossaryTerms.id });
      if (!row) throw new Error("insert returned no row");
      await recordModeration(tx, {
        actorId,
        action: "glossary.create",
        targetType: "glossary",
        targetId: String(row.id),
        details: { term: entry.term },
      });
      await changed(tx, row.id);
      return row.id;
    });
    invalidateGlossaryCache();
    return await added(id);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Added at the same moment by another request: this person's own double tap is the same success.
    const repeated = await entryJustAddedBy(db, actorId, entry);
    if (repeated !== null) return added(repeated);
    throw new GlossaryError(`“${entry.term}” is already in the glossary.`, "term", 409);
  }
}

/** Edits an entry; its anchor (#slug) stays, so links to it keep working. */
export async function updateGlossaryEntry(
  db: Db,
  input: {
    actor: Actor;
    id: number;
    entry: GlossaryEntryInput;
    /** When the entry the form opened on was last changed; a later change refuses the save (GlossaryConflictError). */
    baseUpdatedAt?: Date;
  },
): Promise<GlossaryEntry> {
  requireEditor(input.actor);
  const actorId = input.actor.id;
  const entry = parseEntry(input.entry);
  await consumeWriteLimit(db, { userId: actorId, kind: "glossary" });
  try {
    await db.transaction(async (tx) => {
      await assertMayPublish(tx, actorId);
      const [row] = await tx
        .select({ ...entryColumns, updatedBy: glossaryTerms.updatedBy })
        .from(glossaryTerms)
        .where(eq(glossaryTerms.id, input.id))
        .for("update");
      if (!row) throw new GlossaryError("That entry is no longer in the glossary.", undefined, 404);
      const { updatedBy, ...before } = row;
      if (input.baseUpdatedAt && before.updatedAt.getTime() !== input.baseUpdatedAt.getTime()) {
        const who =
          updatedBy === actorId
            ? "You changed this entry in another tab or window"
            : `${before.updatedByName ?? "Someone"} changed this entry`;
        throw new GlossaryConflictError(
          `${who} after you opened this form, so your changes are not saved yet. What you typed is still here, and ` +
            "the entry as it is now is shown below: save again to replace it with yours, or cancel to keep it.",
          before,
        );
      }
      await assertNamesFree(tx, entry, input.id);
      await tx
        .update(glossaryTerms)
        .set({ ...entry, updatedBy: actorId, updatedAt: new Date() })
        .where(eq(glossaryTerms.id, input.id));
      await recordModeration(tx, {
        actorId,
        action: "glossary.edit",
        targetType: "glossary",
        targetId: String(input.id),
        details: { from: before.term, to: entry.term },
      });
      await changed(tx, input.id);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new GlossaryError(`“${entry.term}” is already in the glossary.`, "term", 409);
    throw error;
  }
  invalidateGlossaryCache();
  const updated = await getGlossaryEntry(db, input.id);
  if (!updated) throw new GlossaryError("That entry is no longer in the glossary.", undefined, 404);
  return updated;
}

export async function deleteGlossaryEntry(db: Db, input: { actor: Actor; id: number }): Promise<{ term: string }> {
  requireEditor(input.actor);
  const actorId = input.actor.id;
  await consumeWriteLimit(db, { userId: actorId, kind: "glossary" });
  const term = await db.transaction(async (tx) => {
    await assertMayPublish(tx, actorId);
    const [row] = await tx
      .delete(glossaryTerms)
      .where(eq(glossaryTerms.id, input.id))
      .returning({ term: glossaryTerms.term });
    if (!row) throw new GlossaryError("That entry is no longer in the glossary.", undefined, 404);
    await recordModeration(tx, {
      actorId,
      action: "glossary.delete",
      targetType: "glossary",
      targetId: String(input.id),
      details: { term: row.term },
    });
    await changed(tx, input.id);
    return row.term;
  });
  invalidateGlossaryCache();
  return { term };
}

// ---- the per-process index ----

/** What posts, drafts and search need from the glossary, built once per process and change. */
export type GlossaryIndex = {
  entries: GlossaryEntry[];
  /** Matches plain text (drafts, the terms API). */
  textMatcher: GlossaryMatcher<GlossaryEntry>;
  /** Matches the text of stored, HTML-escaped post bodies. */
  htmlMatcher: GlossaryMatcher<GlossaryEntry>;
  /** Each entry's term, full name and synonyms, normalized: what search treats as meaning the same. */
  synonymGroups: string[][];
  /** Changes whenever the index is rebuilt: a cache key for anything derived from it. */
  version: number;
};

/** A safety net under the LISTEN/NOTIFY invalidation: no process serves a glossary older than this. */
const MAX_AGE_MS = 10 * 60 * 1000;

let builds = 0;
// Keyed by database handle: tests (and the two-process test) open several in one process.
let cache = new WeakMap<Db, { promise: Promise<GlossaryIndex>; loadedAt: number }>();

/**
 * Drops every cached index in this process; the next read rebuilds it. Called after each change, here and (through
 * LISTEN/NOTIFY) in other processes. A load that began before the change was stored in the map thrown away here.
 */
export function invalidateGlossaryCache(): void {
  cache = new WeakMap();
}

function groupsOf(entries: GlossaryEntry[]): string[][] {
  const groups: string[][] = [];
  for (const entry of entries) {
    const group = [...new Set([entry.term, entry.expansion, ...entry.synonyms].map(normalizeTerm).filter(Boolean))];
    if (group.length > 1) groups.push(group);
  }
  return groups;
}

async function buildIndex(db: Db, version: number): Promise<GlossaryIndex> {
  const entries = await listGlossary(db);
  return {
    entries,
    textMatcher: buildGlossaryMatcher(entries),
    htmlMatcher: buildGlossaryMatcher(entries, escapeHtml),
    synonymGroups: groupsOf(entries),
    version,
  };
}

export function getGlossaryIndex(db: Db): Promise<GlossaryIndex> {
  const cached = cache.get(db);
  if (cached && Date.now() - cached.loadedAt < MAX_AGE_MS) return cached.promise;
  builds += 1;
  const promise = buildIndex(db, builds);
  const slot = { promise, loadedAt: Date.now() };
  const owner = cache;
  owner.set(db, slot);
  promise.catch(() => {
    if (owner.get(db) === slot) owner.delete(db);
  });
  return promise;
}

/**
 * The synonym groups search expands: one group per entry with its term, full name and synonyms, lowercase
 * (["mfa", "multi-factor authentication", "2fa", …]). Entries with nothing to expand are left out.
 */
export async function synonymGroups(db: Db): Promise<string[][]> {
  return (await getGlossaryIndex(db)).synonymGroups;
}

/** The glossary entries used in `text`, each once, in order of first use. */
export async function findGlossaryTerms(db: Db, text: string): Promise<GlossaryEntry[]> {
  return findTermsIn((await getGlossaryIndex(db)).textMatcher, text);
}

/**
 * A post with the first use of each known term explained, done when a page is served rather than stored: a glossary
 * change shows on every post at once, with no re-rendering. One id prefix per post keeps popover ids unique.
 */
export function explainGlossaryTerms<P extends { id: number; bodyHtml: string }>(index: GlossaryIndex, post: P): P {
  return { ...post, bodyHtml: markGlossaryTerms(post.bodyHtml, index.htmlMatcher, `g${post.id}`) };
}

/**
 * The parts of one post written as several (a how-to's prerequisites and steps) with the first use of each known term
 * explained once across all of them, and those explanations as HTML for the page to render once (the terms' buttons
 * open them by id, see `sharedNoteId`).
 */
export function explainGlossaryTermsAcross(
  index: GlossaryIndex,
  parts: string[],
): { parts: string[]; notesHtml: string } {
  const used = new Map<string, GlossaryEntry>();
  const explained = new Set<number>();
  const marked = parts.map((html) => markGlossaryTermsShared(html, index.htmlMatcher, used, explained));
  return {
    parts: marked,
    notesHtml: [...used.values()].map((entry) => glossaryNoteHtml(entry, sharedNoteId(entry.slug))).join(""),
  };
}
