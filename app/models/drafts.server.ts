/** Server-side drafts for signed-in writers: saved as they type, restored when they come back, removed once posted. */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { drafts, posts } from "#db/schema";
import { parseId } from "~/lib/ids";
import { type SweepLog, startSweep } from "~/lib/loop.server";
import { type Actor, can } from "./permissions.server";

/** The drafts the forms keep: a new question, a new how-to, an answer to question 42, an edit of how-to 17. */
export const DRAFT_KEY_PATTERN = /^(question:new|howto:new|answer:[1-9][0-9]{0,9}|howto:edit:[1-9][0-9]{0,9})$/;
export const DRAFT_MAX_BYTES = 200_000;
/** One draft per form a person started and did not post: far more than anyone has open, small enough to bound storage. */
export const DRAFTS_KEPT_PER_PERSON = 50;
/** A draft nobody touched for this long was set aside for good; the hourly sweep removes it. */
export const DRAFT_UNTOUCHED_DAYS = 90;

/** A draft that can't be kept, in words for the writer; `status` is the HTTP status that says why (400, 403, 404). */
export class DraftError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/**
 * Refuses a draft for a post the person can't write to: an answer to a question that doesn't exist or was deleted (held
 * ones included: they wait deleted), an edit of such a how-to, or one their account may not make. Drafts of new
 * questions and how-tos have no post to check. Autosave runs often, so this is one look-up by primary key at most.
 * Closed questions and archived spaces still keep answer drafts: the text is the writer's and the post may reopen.
 */
export async function assertCanDraftFor(db: Db, { actor, draftKey }: { actor: Actor; draftKey: string }) {
  if (!DRAFT_KEY_PATTERN.test(draftKey)) throw new DraftError("Unknown draft.");
  const answerTo = /^answer:([0-9]+)$/.exec(draftKey);
  const howtoEdit = /^howto:edit:([0-9]+)$/.exec(draftKey);
  const raw = answerTo?.[1] ?? howtoEdit?.[1];
  if (raw === undefined) return;
  const expected = answerTo ? "question" : "howto";
  const gone = answerTo
    ? "This question doesn't exist or was deleted, so an answer to it can't be saved as a draft."
    : "This how-to doesn't exist or was deleted, so changes to it can't be saved as a draft.";
  const postId = parseId(raw);
  const [post] =
    postId === null
      ? []
      : await db
          .select({ kind: posts.kind, authorId: posts.authorId, deletedAt: posts.deletedAt })
          .from(posts)
          .where(eq(posts.id, postId))
          .limit(1);
  if (post?.kind !== expected || post.deletedAt) throw new DraftError(gone, 404);
  const target = { ownerId: post.authorId };
  // A how-to is edited directly (its author, staff, regulars) or through a suggestion (any other member): either keeps
  // a draft, so the trust level that only decides which of the two is not needed here.
  const mayWrite = answerTo
    ? can(actor, "answer.create")
    : can(actor, "post.edit", target) || can(actor, "howto.suggestEdit", target);
  if (!mayWrite)
    throw new DraftError(
      answerTo ? "Your account can't post answers right now." : "You can't edit this how-to, so no draft was kept.",
      403,
    );
}

/**
 * The fields of the ask, answer and how-to forms that are choices or the form's own bookkeeping, not text typed: left as
 * the empty form had them (a space, an audience, a box), they are no reason to keep a draft.
 */
const CHOICE_FIELDS = new Set([
  "spaceId",
  "audience",
  "anonymous",
  "plainLanguage",
  "difficulty",
  "invite",
  "baseRevision",
  "baseUpdatedAt",
  "idempotencyKey",
  "intent",
  "js",
]);

/**
 * The ask form's note of the title it was opened with (`/ask?title=…`, the words of a search that found nothing): that
 * title, left as it came, was not typed by the person, so it alone keeps no draft.
 */
export const PREFILLED_TITLE_FIELD = "prefilledTitle";

/** Whether any field of a draft other than its choices holds text: the rule for every form's autosave. */
export function holdsTypedText(content: Record<string, string>): boolean {
  const prefilledTitle = (content[PREFILLED_TITLE_FIELD] ?? "").trim();
  const isPrefilled = (field: string) =>
    field === "title" && prefilledTitle !== "" && (content.title ?? "").trim() === prefilledTitle;
  return hasTypedText(
    content,
    Object.keys(content).filter(
      (field) => !CHOICE_FIELDS.has(field) && field !== PREFILLED_TITLE_FIELD && !isPrefilled(field),
    ),
  );
}

/**
 * Keeps what the writer has typed so far. A form with nothing typed in it (every text field empty again, or never
 * filled) is no draft: any draft kept before is removed instead, so "the question you started earlier" never comes
 * back empty. Says which it did.
 *
 * A person keeps at most DRAFTS_KEPT_PER_PERSON drafts: a new one beyond that drops their least recently saved ones.
 * Dropping rather than refusing, because autosave runs unseen while someone types: refusing would lose the text they
 * are writing now to keep a form they left long ago.
 */
export async function saveDraft(
  db: Db,
  {
    userId,
    draftKey,
    content,
    now = new Date(),
  }: { userId: string; draftKey: string; content: Record<string, string>; now?: Date },
): Promise<{ isKept: boolean }> {
  if (!DRAFT_KEY_PATTERN.test(draftKey)) throw new DraftError("Unknown draft.");
  if (JSON.stringify(content).length > DRAFT_MAX_BYTES) throw new DraftError("This draft is too large to save.");
  if (!holdsTypedText(content)) {
    await discardDraft(db, { userId, draftKey });
    return { isKept: false };
  }
  await db.transaction(async (tx) => {
    // One save at a time per person, so two new drafts saved at once can't both slip past the cap.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`drafts:${userId}`}))`);
    await tx
      .insert(drafts)
      .values({ userId, draftKey, content, updatedAt: now })
      .onConflictDoUpdate({ target: [drafts.userId, drafts.draftKey], set: { content, updatedAt: now } });
    await tx.execute(
      sql`delete from drafts where user_id = ${userId} and draft_key in (
        select draft_key from drafts where user_id = ${userId} and draft_key <> ${draftKey}
        order by updated_at desc, draft_key desc offset ${DRAFTS_KEPT_PER_PERSON - 1})`,
    );
  });
  return { isKept: true };
}

export async function loadDraft(db: Db, { userId, draftKey }: { userId: string; draftKey: string }) {
  const [row] = await db
    .select({ content: drafts.content, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)))
    .limit(1);
  return row ?? null;
}

export async function discardDraft(db: Db, { userId, draftKey }: { userId: string; draftKey: string }): Promise<void> {
  await db.delete(drafts).where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)));
}

/** Removes the drafts nobody touched for `untouchedDays` (90 by default). Returns how many went. */
export async function sweepUntouchedDrafts(
  db: Db,
  { untouchedDays = DRAFT_UNTOUCHED_DAYS, now = new Date() }: { untouchedDays?: number; now?: Date } = {},
): Promise<{ deleted: number }> {
  const cutoff = new Date(now.getTime() - untouchedDays * 24 * 60 * 60 * 1000);
  const gone = await db.delete(drafts).where(lt(drafts.updatedAt, cutoff)).returning({ userId: drafts.userId });
  return { deleted: gone.length };
}

/** Runs the sweep every `everyMs` (an hour by default) in the background; never throws, logs what it removed. */
export function startDraftSweep(db: Db, options: { everyMs?: number; log: SweepLog }): { stop: () => Promise<void> } {
  return startSweep(() => sweepUntouchedDrafts(db), {
    ...options,
    removed: "untouched drafts removed",
    failed: "draft sweep failed",
  });
}

/**
 * Whether a draft holds text the writer typed in any of `textFields`: one with only choices left (a space, an audience,
 * a box ticked) or fields cleared again is not worth restoring as "what you started earlier".
 */
export function hasTypedText(content: Record<string, string>, textFields: readonly string[]): boolean {
  return textFields.some((field) => (content[field] ?? "").trim() !== "");
}
