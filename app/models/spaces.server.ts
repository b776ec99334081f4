/** Spaces are the forum's categories ("Networking", "Ask IT (plain language)"): listed in the admin's order, archived rather than deleted. */
import { and, asc, count, eq, gt, isNull, max, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { moderationLog, posts, spaces } from "#db/schema";
import { SPACE_LIMITS } from "~/lib/spaces";
import transliterate from "@sindresorhus/transliterate";
import { slugify } from "~/lib/slug";
import { oneLineName } from "~/lib/plain-text";
import { whoChanged } from "./edit-versions.server";
import { recordModeration } from "./moderation.server";
import { PostingError } from "./post-errors.server";

export { SPACE_LIMITS };

/** A rule about spaces said no; `status` 404 when the space doesn't exist, 409 when it changed meanwhile, otherwise 400. */
export class SpaceRuleError extends Error {
  constructor(
    message: string,
    readonly field?: "name" | "description",
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

/** Said when a form names a space that isn't there (removed, or a stale or edited page). */
export const NO_SUCH_SPACE = "That space doesn't exist. Reload the page to see the current spaces.";

/** A space's settings as an admin's edit form shows them. */
export type SpaceSettings = {
  name: string;
  description: string;
  isPlainLanguage: boolean;
  holdFirstQuestions: boolean;
  updatedAt: Date;
};

/** An edit made on a version of the space's settings that someone has replaced since; nothing was saved. */
export class SpaceConflictError extends SpaceRuleError {
  constructor(
    message: string,
    readonly current: SpaceSettings,
  ) {
    super(message);
  }
}

export type SpaceSummary = {
  id: number;
  slug: string;
  name: string;
  description: string;
  position: number;
  isPlainLanguage: boolean;
  holdFirstQuestions: boolean;
  archivedAt: Date | null;
  questionCount: number;
};

const summaryColumns = {
  id: spaces.id,
  slug: spaces.slug,
  name: spaces.name,
  description: spaces.description,
  position: spaces.position,
  isPlainLanguage: spaces.isPlainLanguage,
  holdFirstQuestions: spaces.holdFirstQuestions,
  archivedAt: spaces.archivedAt,
  questionCount:
    sql<number>`(select count(*) from ${posts} p where p.space_id = ${spaces}.id and p.kind = 'question' and p.deleted_at is null)`.mapWith(
      Number,
    ),
};

/** Spaces in display order, with how many questions each holds; archived ones only when asked for. */
export async function listSpaces(db: Db, { includeArchived = false } = {}): Promise<SpaceSummary[]> {
  return db
    .select(summaryColumns)
    .from(spaces)
    .where(includeArchived ? undefined : isNull(spaces.archivedAt))
    .orderBy(asc(spaces.position), asc(spaces.id));
}

/** Every space (archived ones too) for the admins' page, with the version each edit form opens on. */
export async function listSpacesForAdmin(db: Db): Promise<(SpaceSummary & { updatedAt: Date })[]> {
  return db
    .select({ ...summaryColumns, updatedAt: spaces.updatedAt })
    .from(spaces)
    .orderBy(asc(spaces.position), asc(spaces.id));
}

/**
 * Slugs and names of the open spaces in display order: for filters and menus, without counting anything. With
 * `includeArchived` (the search page's filter: archived spaces' posts stay searchable), archived ones follow, marked.
 */
export async function listSpaceNames(
  db: Db,
  { includeArchived = false } = {},
): Promise<{ id: number; slug: string; name: string; isArchived: boolean }[]> {
  const isArchived = sql<boolean>`${spaces.archivedAt} is not null`;
  return db
    .select({ id: spaces.id, slug: spaces.slug, name: spaces.name, isArchived })
    .from(spaces)
    .where(includeArchived ? undefined : isNull(spaces.archivedAt))
    .orderBy(isArchived, asc(spaces.position), asc(spaces.id));
}

export async function getSpaceBySlug(db: Db, slug: string) {
  const [space] = await db.select().from(spaces).where(eq(spaces.slug, slug)).limit(1);
  return space ?? null;
}

async function uniqueSlug(db: Db, name: string, exceptId?: number): Promise<string> {
  // A space's address is made once, here on the server, so any script can be spelt in Latin letters ("الشبكات" →
  // "alshbkat"); slugify's own table, shared with the browser, knows only Latin letters.
  const base = slugify(transliterate(name), 50) || "space";
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const [row] = await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.slug, slug)).limit(1);
    if (!row || row.id === exceptId) return slug;
  }
}

/**
 * A name as people tell names apart: letter case, accents, spaces and punctuation don't count, so "networking!" is
 * "Networking" (and both would get the same address).
 */
function nameKey(name: string): string {
  return oneLineName(name)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\+/g, "plus")
    .replace(/#/g, "sharp")
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** A name needs a letter or digit (it makes the address), and must not read as another space's name. */
async function assertNameUsable(db: Db, name: string, exceptId?: number) {
  const key = nameKey(name);
  if (key === "") throw new SpaceRuleError("A space's name needs at least one letter or number.", "name");
  // A few dozen spaces at most: compared here, where the rule for "the same name" lives.
  const others = await db.select({ id: spaces.id, name: spaces.name }).from(spaces);
  const clash = others.find((space) => space.id !== exceptId && nameKey(space.name) === key);
  if (clash) throw new SpaceRuleError(`There's already a space called “${clash.name}”.`, "name");
}

type NewSpace = {
  name: string;
  description: string;
  isPlainLanguage?: boolean;
  holdFirstQuestions?: boolean;
  by: string | null;
};

/**
 * One create or rename at a time, held until commit: two at once can't both find a name free (and then clash on the
 * address, or leave two spaces of the same name). Taken first, before any space's row.
 */
async function lockSpaceNames(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('spaces.create'))`);
}

/** How long after creating a space the same admin sending the same form again is a double tap or a retry, not a clash. */
const REPEATED_CREATE_SECONDS = 30;

/** The space this admin created moments ago with exactly these fields (the first of a double tap), if there is one. */
async function spaceJustCreatedBy(tx: Db, input: NewSpace) {
  if (input.by === null) return null;
  const recent = await tx
    .select({ space: spaces })
    .from(moderationLog)
    .innerJoin(spaces, sql`${moderationLog.targetId} = ${spaces.id}::text`)
    .where(
      and(
        gt(moderationLog.createdAt, sql`now() - make_interval(secs => ${REPEATED_CREATE_SECONDS})`),
        eq(moderationLog.action, "space.create"),
        eq(moderationLog.targetType, "space"),
        eq(moderationLog.actorId, input.by),
      ),
    );
  return (
    recent
      .map((row) => row.space)
      .find(
        (space) =>
          space.name === oneLineName(input.name) &&
          space.description === input.description.trim() &&
          space.isPlainLanguage === (input.isPlainLanguage ?? false) &&
          space.holdFirstQuestions === (input.holdFirstQuestions ?? false),
      ) ?? null
  );
}

/**
 * Adds a space at the end of the list. The same admin sending the same form again moments later (a double tap, a
 * retried request) gets the space the first one made, not "there's already a space called …".
 */
export async function createSpace(db: Db, input: NewSpace) {
  return db.transaction(async (tx) => {
    await lockSpaceNames(tx);
    const repeated = await spaceJustCreatedBy(tx, input);
    if (repeated) return repeated;
    await assertNameUsable(tx, input.name);
    const [last] = await tx.select({ position: max(spaces.position) }).from(spaces);
    const [space] = await tx
      .insert(spaces)
      .values({
        slug: await uniqueSlug(tx, input.name),
        name: oneLineName(input.name),
        description: input.description.trim(),
        isPlainLanguage: input.isPlainLanguage ?? false,
        holdFirstQuestions: input.holdFirstQuestions ?? false,
        position: (last?.position ?? 0) + 1,
      })
      .returning();
    if (!space) throw new Error("insert returned no row");
    await recordModeration(tx, {
      actorId: input.by,
      action: "space.create",
      targetType: "space",
      targetId: String(space.id),
      details: { name: space.name },
    });
    return space;
  });
}

/**
 * Renames a space and edits its description; the URL (slug) stays, so links keep working. With `baseUpdatedAt` (the
 * version the admin's form opened on), a save is refused when someone changed the space meanwhile.
 */
export async function updateSpace(
  db: Db,
  input: {
    spaceId: number;
    name: string;
    description: string;
    isPlainLanguage: boolean;
    /** Left out: unchanged. */
    holdFirstQuestions?: boolean;
    baseUpdatedAt?: Date;
    by: string;
  },
) {
  await db.transaction(async (tx) => {
    // As a create does: a rename at the same moment to the same name (another space, another admin) waits, then clashes.
    await lockSpaceNames(tx);
    const [before] = await tx.select().from(spaces).where(eq(spaces.id, input.spaceId)).for("update").limit(1);
    if (!before) throw new SpaceRuleError(NO_SUCH_SPACE, undefined, 404);
    if (input.baseUpdatedAt && before.updatedAt.getTime() !== input.baseUpdatedAt.getTime())
      throw await conflictWith(tx, before, input.by);
    await assertNameUsable(tx, input.name, input.spaceId);
    await tx
      .update(spaces)
      .set({
        name: oneLineName(input.name),
        description: input.description.trim(),
        isPlainLanguage: input.isPlainLanguage,
        holdFirstQuestions: input.holdFirstQuestions ?? before.holdFirstQuestions,
        updatedAt: new Date(),
        updatedBy: input.by,
      })
      .where(eq(spaces.id, input.spaceId));
    // Every post shows its space's name in search results (and matches it).
    if (before.name !== oneLineName(input.name)) {
      await tx.execute(
        sql`insert into search_outbox (post_id, op) select id, 'upsert' from posts where space_id = ${input.spaceId} and deleted_at is null`,
      );
      // Session answers carry their space's name too (negative ids: see sessionDocumentId).
      await tx.execute(sql`insert into search_outbox (post_id, op) select -sq.id, 'upsert' from session_questions sq
        join qa_sessions s on s.id = sq.session_id where s.space_id = ${input.spaceId} and sq.state = 'answered'`);
    }
    await recordModeration(tx, {
      actorId: input.by,
      action: "space.edit",
      targetType: "space",
      targetId: String(input.spaceId),
      details: {
        from: before.name,
        to: oneLineName(input.name),
        ...(input.holdFirstQuestions !== undefined && input.holdFirstQuestions !== before.holdFirstQuestions
          ? { holdFirstQuestions: input.holdFirstQuestions }
          : {}),
      },
    });
  });
}

async function conflictWith(
  tx: Db,
  space: SpaceSettings & { updatedBy: string | null },
  adminId: string,
): Promise<SpaceConflictError> {
  const who = await whoChanged(tx, "space", space.updatedBy, adminId);
  const { name, description, isPlainLanguage, holdFirstQuestions, updatedAt } = space;
  return new SpaceConflictError(
    `${who} after you opened its form, so your changes are not saved yet. What you typed is still in the form, ` +
      "with the space as it is now beside it: save again to replace it with yours.",
    { name, description, isPlainLanguage, holdFirstQuestions, updatedAt },
  );
}

/** Said when a move was made on a page showing an order that has changed since: nothing moved. */
export const SPACE_ORDER_CHANGED =
  "The order of the spaces changed after this page was loaded (a second tap, or another admin moved one), so nothing " +
  "was moved. The list shows the order as it is now: move the space again if it is still not where you want it.";

/**
 * Moves a space one place up or down in the list by swapping positions with its neighbour. `swapWithId` is the
 * neighbour the admin's page showed in that direction: when it is no longer the neighbour (a double tap's second move,
 * another admin's move meanwhile), nothing moves and SpaceRuleError (409, SPACE_ORDER_CHANGED) says so.
 */
export async function moveSpace(
  db: Db,
  input: { spaceId: number; direction: "up" | "down"; swapWithId: number; by: string },
) {
  await db.transaction(async (tx) => {
    // Every space's row locked first, so two moves wait for each other; the order is read after (a fresh snapshot on
    // PostgreSQL), so the second move sees where the first left each space.
    await tx.select({ id: spaces.id }).from(spaces).orderBy(asc(spaces.id)).for("update");
    const ordered = await tx.select({ id: spaces.id }).from(spaces).orderBy(asc(spaces.position), asc(spaces.id));
    const index = ordered.findIndex((s) => s.id === input.spaceId);
    if (index === -1) throw new SpaceRuleError(NO_SUCH_SPACE, undefined, 404);
    const target = input.direction === "up" ? index - 1 : index + 1;
    if (ordered[target]?.id !== input.swapWithId) throw new SpaceRuleError(SPACE_ORDER_CHANGED, undefined, 409);
    const reordered = [...ordered];
    const [moved] = reordered.splice(index, 1);
    if (!moved) return;
    reordered.splice(target, 0, moved);
    // Rewrite every position densely so earlier gaps or ties cannot make the order ambiguous.
    for (const [position, space] of reordered.entries()) {
      await tx
        .update(spaces)
        .set({ position: position + 1 })
        .where(eq(spaces.id, space.id));
    }
    await recordModeration(tx, {
      actorId: input.by,
      action: "space.reorder",
      targetType: "space",
      targetId: String(input.spaceId),
      details: { direction: input.direction },
    });
  });
}

/** Archived spaces leave the lists and take no new posts; their content stays readable at its URL. */
export async function setSpaceArchived(db: Db, input: { spaceId: number; archived: boolean; by: string }) {
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(spaces)
      .set({ archivedAt: input.archived ? new Date() : null, updatedAt: new Date(), updatedBy: input.by })
      .where(
        and(
          eq(spaces.id, input.spaceId),
          input.archived ? isNull(spaces.archivedAt) : sql`${spaces.archivedAt} is not null`,
        ),
      )
      .returning({ id: spaces.id });
    if (updated.length === 0) {
      // Already as asked (a second click, another admin): nothing to do. Not there at all: say so.
      const [space] = await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.id, input.spaceId)).limit(1);
      if (!space) throw new SpaceRuleError(NO_SUCH_SPACE, undefined, 404);
      return;
    }
    await recordModeration(tx, {
      actorId: input.by,
      action: input.archived ? "space.archive" : "space.unarchive",
      targetType: "space",
      targetId: String(input.spaceId),
    });
  });
}

export async function countSpaces(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(spaces);
  return row?.n ?? 0;
}

/** Throws a PostingError (on the spaceId field) unless the space exists and still takes posts (archived spaces are read-only). */
export async function requireOpenSpace(db: Db, spaceId: number, what: "question" | "how-to"): Promise<void> {
  const [space] = await db
    .select({ id: spaces.id, archivedAt: spaces.archivedAt })
    .from(spaces)
    .where(eq(spaces.id, spaceId))
    .limit(1);
  if (!space)
    throw new PostingError("Please choose a space.", { spaceId: `Choose the space your ${what} belongs in.` });
  if (space.archivedAt)
    throw new PostingError("This space is archived.", {
      spaceId: "This space is archived and takes no new posts. Please choose another space.",
    });
}

/**
 * The refusal of a new answer or comment in an archived space: its questions stay readable (and take votes, saves and
 * follows), but nothing new is written under them. One message for both, as the answer form says it.
 */
export function archivedSpaceRefusal(what: "answers" | "comments"): PostingError {
  return new PostingError(`This space is archived, so it takes no new ${what}.`, {}, 403);
}

/**
 * The same refusal, checked again inside the writing transaction, after the post's row is locked (posts' rows first,
 * then their space's): the space's row is held shared until commit, so an archiving landing meanwhile waits for this
 * write, and one committed since the caller's first look is seen here.
 */
export async function assertSpaceStillOpen(tx: Db, postId: number, what: "answers" | "comments"): Promise<void> {
  const [space] = await tx
    .select({ archivedAt: spaces.archivedAt })
    .from(posts)
    .innerJoin(spaces, eq(spaces.id, posts.spaceId))
    .where(eq(posts.id, postId))
    .for("share", { of: spaces });
  if (space?.archivedAt) throw archivedSpaceRefusal(what);
}
