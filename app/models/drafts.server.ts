/** Server-side drafts for signed-in writers: saved as they type, restored when they come back, removed once posted. */
import { and, eq, lt, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { drafts, posts } from "#db/schema";
import { parseId } from "~/lib/ids";
import { type SweepLog, startSweep } from "~/lib/loop.server";
import { contentSchema } from "./howto-validation.server";
import { type Actor, can } from "./permissions.server";
import { answerBodyField, questionBodyField, titleField } from "./post-fields.server";

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
 * back empty. Nor is the text the person has just posted from that form (see `isJustPosted`). Says which it did.
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
  const isKept = await db.transaction(async (tx) => {
    // One save at a time per person, so two new drafts saved at once can't both slip past the cap; and after a post's
    // discard of the draft, never beside it (see `discardDraft`).
    await lockDraftsOf(tx, userId);
    // An autosave sent just before Post and arriving after it: kept, the posted text would come back as a draft.
    if (await isJustPosted(tx, { userId, draftKey, content, now })) {
      await tx.delete(drafts).where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)));
      return false;
    }
    await tx
      .insert(drafts)
      .values({ userId, draftKey, content, updatedAt: now })
      .onConflictDoUpdate({ target: [drafts.userId, drafts.draftKey], set: { content, updatedAt: now } });
    await tx.execute(
      sql`delete from drafts where user_id = ${userId} and draft_key in (
        select draft_key from drafts where user_id = ${userId} and draft_key <> ${draftKey}
        order by updated_at desc, draft_key desc offset ${DRAFTS_KEPT_PER_PERSON - 1})`,
    );
    return true;
  });
  return { isKept };
}

/** Saves and discards of one person's drafts take turns, until the end of the transaction that asks. */
async function lockDraftsOf(tx: Db, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`drafts:${userId}`}))`);
}

/** How long after posting a save of the very same text is taken for the autosave that was still on its way. */
export const JUST_POSTED_MINUTES = 10;

/**
 * The post a draft of a new question, a new how-to or an answer would make, as posting stores it (the post forms' own
 * fields tidy it: spaces trimmed, line endings, composed accents), or null: a draft of an edit, or text that could not
 * be posted as it is (so it can't be what was posted).
 */
function postMadeBy(draftKey: string, content: Record<string, string>) {
  const answerTo = /^answer:([0-9]+)$/.exec(draftKey);
  const questionId = answerTo?.[1] === undefined ? null : parseId(answerTo[1]);
  const body = (field: typeof answerBodyField) => field.safeParse(content.body ?? "").data ?? null;
  if (questionId !== null) {
    const answer = body(answerBodyField);
    return answer === null ? null : { kind: "answer", parentId: questionId, title: null, body: answer };
  }
  if (draftKey === "question:new") {
    const title = titleField.safeParse(content.title ?? "").data;
    const question = body(questionBodyField);
    return title === undefined || question === null
      ? null
      : { kind: "question", parentId: null, title, body: question };
  }
  if (draftKey === "howto:new") {
    // A how-to's text is spread over many fields: its title says which one it is.
    const title = contentSchema.shape.title.safeParse(content.title ?? "").data;
    return title === undefined ? null : { kind: "howto", parentId: null, title, body: null };
  }
  return null;
}

/**
 * Whether `content` is what the person posted from this form within the last JUST_POSTED_MINUTES: their answer on that
 * question with the same text, their question with the same title and text, their how-to with the same title. Posts
 * waiting for review count (they wait deleted): the person has posted them. One query, on two indexes (the person's
 * posts of a kind by date, and their holds by date), and only for drafts of new posts and answers.
 */
async function isJustPosted(
  tx: Db,
  { userId, draftKey, content, now }: { userId: string; draftKey: string; content: Record<string, string>; now: Date },
): Promise<boolean> {
  const post = postMadeBy(draftKey, content);
  if (!post) return false;
  const since = new Date(now.getTime() - JUST_POSTED_MINUTES * 60_000).toISOString();
  const isThePost = sql`p.author_id = ${userId} and p.kind = ${post.kind}
    and ${post.parentId === null ? sql`p.parent_id is null` : sql`p.parent_id = ${post.parentId}`}
    and p.created_at > ${since}::timestamptz
    and ${post.title === null ? sql`true` : sql`p.title = ${post.title}`}
    and ${post.body === null ? sql`true` : sql`p.body_md = ${post.body}`}`;
  const [row] = await queryRows<{ isPosted: boolean }>(
    tx,
    sql`select (
      exists (select 1 from posts p where p.deleted_at is null and ${isThePost})
      or exists (select 1 from content_holds h join posts p on p.id = h.target_id::int
        where h.author_id = ${userId} and h.target_type = 'post' and h.status = 'pending'
          and h.created_at > ${since}::timestamptz and ${isThePost})
    ) as "isPosted"`,
  );
  return row?.isPosted === true;
}

export async function loadDraft(db: Db, { userId, draftKey }: { userId: string; draftKey: string }) {
  const [row] = await db
    .select({ content: drafts.content, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)))
    .limit(1);
  return row ?? null;
}

/**
 * Removes a draft (posted, or thrown away). It waits for a save of the person's drafts under way, so an autosave that
 * checked before a post was in can't put its draft back after this; one that comes later sees the post (`saveDraft`).
 */
export async function discardDraft(db: Db, { userId, draftKey }: { userId: string; draftKey: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await lockDraftsOf(tx, userId);
    await tx.delete(drafts).where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)));
  });
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
