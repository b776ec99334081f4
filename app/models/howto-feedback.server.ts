/** "Did this help?" feedback on how-tos: one rating (and optional comment) per reader, and the comments list. */
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { howtoFeedback, posts, users } from "#db/schema";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { getPostMeta } from "./posts.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { assertNotSilenced } from "./spam.server";
import { HOWTO_LIMITS } from "~/lib/howtos";
import type { FeedbackComment } from "./howtos.types";
export type { FeedbackComment } from "./howtos.types";

const feedbackSchema = z.object({
  isHelpful: z.boolean({ required_error: "Choose yes or no.", invalid_type_error: "Choose yes or no." }),
  comment: z
    .string()
    .default("")
    .transform((t) => t.replace(/\r\n?/g, "\n").trim())
    .superRefine((t, ctx) => {
      if (t.length > HOWTO_LIMITS.feedbackCommentMax)
        ctx.addIssue({
          code: "custom",
          message: `Keep the comment to ${HOWTO_LIMITS.feedbackCommentMax.toLocaleString("en")} characters (it has ${t.length.toLocaleString("en")}).`,
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
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // First, before the how-to's row (a ban or silence locks the account, then the content): refuses an account banned
    // since this request began, and holds the account until commit, so a silence saved meanwhile is seen here too.
    await consumeWriteLimit(tx, { userId: actor.id, kind: "feedback", now });
    // The counts are public and the comment reaches the author: not while moderators review the account.
    await assertNotSilenced(tx, actor.id, now);
    const { isHelpful, comment } = validate(feedbackSchema, input);
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
  return feedbackCommentsOf(db, howtoId);
}

/** The comments readers left on a how-to, newest first: for callers that checked the author's permission already. */
export function feedbackCommentsOf(db: Db, howtoId: number): Promise<FeedbackComment[]> {
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
