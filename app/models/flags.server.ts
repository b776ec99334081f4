/**
 * Flags: any signed-in person (not a silenced one) reports a post, comment, session question or profile once, with a
 * reason. Each flag weighs what its flagger's past flags earned (upheld / decided, with a prior, as Discourse's score
 * does), less while their account is new; enough weight hides the content until a moderator decides in the review queue.
 */
import { capitalised } from "~/lib/plain-text";
import { and, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  FLAG_REASONS,
  type FlagReason,
  MODERATED_TARGETS,
  type ModeratedTarget,
  comments,
  flags,
  posts,
  officeHoursQuestions,
  users,
} from "#db/schema";
import { idField } from "~/lib/id-field";
import {
  type ContentRef,
  announceReviewChange,
  describeContent,
  getPendingHold,
  holdContent,
  sendNotice,
} from "./holds.server";
import type { Actor } from "./permissions.server";
import { questionRefOnSite } from "./closure.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { assertNotSuspended, consumeWriteLimit } from "./rate-limits.server";
import { assertNotSilenced } from "./spam.server";
import { type TrustLevel, getTrustLevel, isNewAccount } from "./trust-levels.server";
import { getTrustSettings } from "./trust-settings.server";

export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
  spam: "Spam",
  rude: "Rude or abusive",
  duplicate: "Duplicate of another question",
  not_an_answer: "Not an answer",
  needs_detail: "Needs more detail",
  other: "Something else",
};

/** A flagger with no decided flags weighs 1; every upheld flag moves them towards 2, every dismissed one towards 0. */
const PRIOR_UPHELD = 1;
const PRIOR_TOTAL = 2;
const STAFF_ROLES = new Set(["moderator", "admin"]);

export type FlaggerHistory = { upheld: number; dismissed: number; pending: number };

export async function flaggerHistory(db: Db, userId: string): Promise<FlaggerHistory> {
  const rows = await db
    .select({ status: flags.status, n: sql<number>`count(*)::int` })
    .from(flags)
    .where(eq(flags.flaggerId, userId))
    .groupBy(flags.status);
  const of = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
  return { upheld: of("upheld"), dismissed: of("dismissed"), pending: of("pending") };
}

/**
 * Earned trust makes flags weigh more (the issue's "their flags weigh more"): regulars half again, leaders double.
 * Levels 0–2 weigh by accuracy alone; accounts still in their new-account period weigh less again (below).
 */
export const FLAG_WEIGHT_BY_TRUST: Record<TrustLevel, number> = { 0: 1, 1: 1, 2: 1, 3: 1.5, 4: 2 };

/**
 * A flag from a new account (spam.server.ts's definition: a member within the trust settings' new-account days) weighs
 * a quarter: 0.25 at first and 0.5 at most, so five brand-new accounts (2.5 at best) stay under the default hide
 * threshold of 3 and a handful of sign-ups can't out-flag the community. Moderators still see every flag in the queue.
 */
export const NEW_ACCOUNT_FLAG_FACTOR = 0.25;

/**
 * How much a flag by someone with this history weighs: 2 × (upheld + 1) / (decided + 2), between 0 and 2, times their
 * trust level's factor, and times NEW_ACCOUNT_FLAG_FACTOR while their account is new.
 */
export function flagWeight(
  history: Pick<FlaggerHistory, "upheld" | "dismissed">,
  trustLevel: TrustLevel = 0,
  { isNew = false }: { isNew?: boolean } = {},
): number {
  const accuracy = (2 * (history.upheld + PRIOR_UPHELD)) / (history.upheld + history.dismissed + PRIOR_TOTAL);
  return accuracy * FLAG_WEIGHT_BY_TRUST[trustLevel] * (isNew ? NEW_ACCOUNT_FLAG_FACTOR : 1);
}

const flagSchema = (siteUrl: string | undefined) =>
  z
    .object({
      targetType: z.enum(MODERATED_TARGETS, { errorMap: () => ({ message: "That can't be flagged." }) }),
      targetId: z.string().trim().min(1, "That can't be flagged.").max(64, "That can't be flagged."),
      reason: z.enum(FLAG_REASONS, { errorMap: () => ({ message: "Please choose why you are flagging this." }) }),
      details: z
        .string()
        .default("")
        .transform((t) => t.replace(/\s+/g, " ").trim())
        .pipe(z.string().max(500, "Please keep it to 500 characters.")),
      duplicateOf: z
        .string()
        .default("")
        .transform((t) => t.trim()),
    })
    .superRefine((input, ctx) => {
      if (input.reason === "other" && input.details.length < 5)
        ctx.addIssue({ code: "custom", path: ["details"], message: "Please say in a few words what is wrong." });
      if (input.reason !== "duplicate") return;
      const ref = questionRefOnSite(input.duplicateOf, siteUrl);
      const problem =
        ref === null
          ? "Paste the link to the original question (or its number)."
          : ref === "elsewhere"
            ? "That link goes to another site. Paste a link to a question on this site, or its number."
            : input.targetType === "post" && String(ref) === input.targetId
              ? "That's this same question. Paste the link to the earlier question it repeats."
              : null;
      if (problem) ctx.addIssue({ code: "custom", path: ["duplicateOf"], message: problem });
    });

export type FlagInput = {
  actor: Actor;
  targetType: unknown;
  targetId: unknown;
  reason: unknown;
  details?: unknown;
  duplicateOf?: unknown;
  /** The site's own address (APP_URL): a "duplicate of" link must point here. Left out, only numbers and paths do. */
  siteUrl?: string;
  now?: Date;
};

/** Who wrote the thing, when it can still be flagged (visible); null otherwise. */
async function authorOf(db: Db, ref: ContentRef): Promise<string | null> {
  if (ref.type === "user") {
    const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, ref.id));
    return row?.id ?? null;
  }
  const parsed = idField().safeParse(ref.id);
  if (!parsed.success || String(parsed.data) !== ref.id) return null;
  const id = parsed.data;
  // An answer or comment in a deleted (or held: soft-deleted too) thread is gone with it: the form would otherwise show
  // the thread's title, and walking the ids would list deleted questions' titles.
  const question = alias(posts, "question");
  if (ref.type === "post") {
    const [row] = await db
      .select({ authorId: posts.authorId })
      .from(posts)
      .leftJoin(question, eq(question.id, posts.parentId))
      .where(and(eq(posts.id, id), isNull(posts.deletedAt), isNull(question.deletedAt)));
    return row?.authorId ?? null;
  }
  if (ref.type === "comment") {
    const [row] = await db
      .select({ authorId: comments.authorId })
      .from(comments)
      .innerJoin(posts, eq(posts.id, comments.postId))
      .leftJoin(question, eq(question.id, posts.parentId))
      .where(and(eq(comments.id, id), isNull(comments.deletedAt), isNull(posts.deletedAt), isNull(question.deletedAt)));
    return row?.authorId ?? null;
  }
  // A question the host skipped still shows (and can be flagged); one moderation hid or its asker withdrew is gone, as
  // a deleted post is.
  const [row] = await db
    .select({
      authorId: officeHoursQuestions.authorId,
      hiddenAt: officeHoursQuestions.hiddenAt,
      state: officeHoursQuestions.state,
    })
    .from(officeHoursQuestions)
    .where(eq(officeHoursQuestions.id, id));
  return row && !row.hiddenAt && row.state !== "withdrawn" ? row.authorId : null;
}

export type FlagResult = { flagId: number; isRepeat: boolean; hidden: boolean };

/**
 * Records a flag (once per person and thing: a second one returns the first) and, when the pending flags' weight
 * reaches the hide threshold, holds the content until a moderator decides; its author is told.
 */
export async function flagContent(db: Db, input: FlagInput): Promise<FlagResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    if (input.actor) {
      // First, before anything the flag may hold (a ban or silence locks the account, then the content): the account
      // is held until commit, so a ban or silence saved meanwhile is seen here, or waits for this flag.
      await assertNotSuspended(tx, input.actor.id);
      // Said before anything about the form: a silenced account's flag would be refused however it was filled in.
      await assertNotSilenced(tx, input.actor.id, now);
    }
    const fields = validate(flagSchema(input.siteUrl), {
      targetType: input.targetType,
      targetId: input.targetId,
      reason: input.reason,
      details: input.details ?? "",
      duplicateOf: input.duplicateOf ?? "",
    });
    const ref: ContentRef = { type: fields.targetType, id: fields.targetId };
    const authorId = await authorOf(tx, ref);
    if (!authorId) throw new PostingError("This is no longer there to flag.", {}, 404);
    assertCan(input.actor, "flag.create", { ownerId: authorId }, "You can't flag your own posts.");
    const actor = input.actor;
    const duplicateRef = fields.reason === "duplicate" ? questionRefOnSite(fields.duplicateOf, input.siteUrl) : null;
    // The schema refused anything else: a number here is a question on this site, other than the one flagged.
    const duplicateOfId = typeof duplicateRef === "number" ? duplicateRef : null;
    if (duplicateOfId !== null) {
      const [original] = await tx
        .select({ id: posts.id })
        .from(posts)
        .where(and(eq(posts.id, duplicateOfId), eq(posts.kind, "question"), sql`${posts.deletedAt} is null`));
      if (!original)
        throw new PostingError("Please fix the highlighted field.", {
          duplicateOf:
            "There is no question at that link (it may have been deleted). Paste the original question's address.",
        });
    }
    const [existing] = await tx
      .select({ id: flags.id })
      .from(flags)
      .where(and(eq(flags.flaggerId, actor.id), eq(flags.targetType, ref.type), eq(flags.targetId, ref.id)));
    if (existing) return { flagId: existing.id, isRepeat: true, hidden: false };
    await consumeWriteLimit(tx, { userId: actor.id, kind: "flag", now });
    const settings = await getTrustSettings(tx);
    // A moderator's flag is a decision waiting to be confirmed: it hides at once.
    const weight = STAFF_ROLES.has(actor.role)
      ? settings.hideThreshold
      : flagWeight(await flaggerHistory(tx, actor.id), await getTrustLevel(tx, actor.id, now), {
          isNew: await isNewAccount(tx, actor.id, now, settings),
        });
    const [row] = await tx
      .insert(flags)
      .values({
        targetType: ref.type,
        targetId: ref.id,
        targetAuthorId: authorId,
        flaggerId: actor.id,
        reason: fields.reason,
        details: fields.details,
        duplicateOfId,
        weight,
        createdAt: now,
      })
      .returning({ id: flags.id });
    if (!row) throw new Error("flag insert returned nothing");
    await announceReviewChange(tx);
    const hidden = await hideIfOverThreshold(tx, ref, authorId, settings.hideThreshold);
    return { flagId: row.id, isRepeat: false, hidden };
  });
}

export async function pendingFlagWeight(db: Db, ref: ContentRef): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${flags.weight}), 0)::float8` })
    .from(flags)
    .where(and(eq(flags.targetType, ref.type), eq(flags.targetId, ref.id), eq(flags.status, "pending")));
  return Number(row?.total ?? 0);
}

async function hideIfOverThreshold(tx: Db, ref: ContentRef, authorId: string, threshold: number): Promise<boolean> {
  if (ref.type === "user") return false;
  // A tiny tolerance: three flags of weight 1 must reach a threshold of 3 whatever the float sum says.
  if ((await pendingFlagWeight(tx, ref)) + 1e-9 < threshold) return false;
  if (await getPendingHold(tx, ref)) return false;
  // One moderator's flag weighs the whole threshold, so this can be one person: the words don't say "several".
  const message = "This was flagged, so it is hidden until a moderator reviews it.";
  const held = await holdContent(tx, { ref, authorId, reason: "flags", message });
  if (held) {
    // Named as the removal notices name it (its thread's title), so the author knows which post it is.
    const described = await describeContent(tx, ref);
    const what = described ? contentPhrase(described, "your") : "something you posted";
    await sendNotice(tx, {
      userId: authorId,
      kind: "held",
      message: `${capitalised(what)} was flagged and is hidden until a moderator reviews it. You'll be told the outcome.`,
    });
  }
  return held;
}

/**
 * A moderated thing named in a sentence by its kind and its thread's title (describeContent): "the question “…”",
 * "an answer to “…”", "a comment on “…”"; with "your", the author's own ("your answer to “…”").
 */
export function contentPhrase({ kindLabel, title }: { kindLabel: string; title: string }, whose: "a" | "your"): string {
  const own = whose === "your";
  if (!title) return own ? `your ${kindLabel}` : `this ${kindLabel}`;
  const quoted = `“${title}”`;
  switch (kindLabel) {
    case "answer":
      return `${own ? "your" : "an"} answer to ${quoted}`;
    case "comment":
      return `${own ? "your" : "a"} comment on ${quoted}`;
    case "session question":
      return `${own ? "your" : "a"} question in the session ${quoted}`;
    case "profile":
      return own ? "your profile" : `the profile of ${title}`;
    default:
      return `${own ? "your" : "the"} ${kindLabel} ${quoted}`;
  }
}

/** The viewer's own flag on a thing, if any ("You flagged this: waiting for a moderator"). */
export async function myFlag(db: Db, userId: string, ref: ContentRef) {
  const [row] = await db
    .select({ id: flags.id, reason: flags.reason, status: flags.status, createdAt: flags.createdAt })
    .from(flags)
    .where(and(eq(flags.flaggerId, userId), eq(flags.targetType, ref.type), eq(flags.targetId, ref.id)));
  return row ?? null;
}

export function isModeratedTarget(value: unknown): value is ModeratedTarget {
  return MODERATED_TARGETS.some((target) => target === value);
}

/** What the flag form shows about the thing being flagged; null when it can't be flagged (gone, or hidden). */
export async function describeFlagTarget(db: Db, ref: ContentRef) {
  const authorId = await authorOf(db, ref);
  if (!authorId) return null;
  const described = await describeContent(db, ref);
  return described
    ? { kindLabel: described.kindLabel, title: described.title, phrase: contentPhrase(described, "a"), authorId }
    : null;
}
