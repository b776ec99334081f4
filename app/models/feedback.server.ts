/**
 * Feedback that reaches helpers: askers rate the help they got ("How well were you helped?", 1–5, and for answered
 * plain-language questions "Was the answer easy to understand?"), anyone can thank a helper for an answer, and overdue
 * askers are reminded once; what came back to each helper is added up in impact.server.ts.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "#db/client.server";
import { answerThanks, helpRatings, posts } from "#db/schema";
import type { Actor } from "./permissions.server";
import { PostingError, type SignedInActor, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { acceptsOwnAnswer, refreshQuestionFacts } from "./pulse.server";
import { assertNotSuspended, consumeWriteLimit } from "./rate-limits.server";
import { assertNotSilenced } from "./spam.server";
import { canBeNotified, notifyUsers } from "./notifications.server";
import type { RatingView, FeedbackPrompt } from "./feedback.types";
import { isInDeletedQuestion } from "./posts.server";
export type { RatingView, FeedbackPrompt } from "./feedback.types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const FEEDBACK_RULES = { askAfterDays: 7, editableHours: 24, commentMax: 1000 } as const;

type QuestionForRating = {
  id: number;
  authorId: string;
  acceptedAnswerId: number | null;
  isPlainLanguage: boolean;
  /** Some answer (not deleted) is there: only then is "Was the answer easy to understand?" asked. */
  hasAnswer: boolean;
  /** The asker accepted their own answer: there is no one else's help to rate (nor a helper to reach). */
  acceptsOwnAnswer: boolean;
  createdAt: Date;
  deletedAt: Date | null;
  kind: string;
};

async function questionForRating(db: Db, questionId: number): Promise<QuestionForRating> {
  const [question] = await db
    .select({
      id: posts.id,
      authorId: posts.authorId,
      acceptedAnswerId: posts.acceptedAnswerId,
      isPlainLanguage: posts.isPlainLanguage,
      // Spelled out: drizzle leaves a one-table select's columns unqualified, which the subquery's own posts would take.
      hasAnswer: sql<boolean>`exists (select 1 from posts a
        where a.parent_id = "posts"."id" and a.kind = 'answer' and a.deleted_at is null)`,
      acceptsOwnAnswer: sql<boolean>`${acceptsOwnAnswer(sql`"posts"."id"`)}`,
      createdAt: posts.createdAt,
      deletedAt: posts.deletedAt,
      kind: posts.kind,
    })
    .from(posts)
    .where(eq(posts.id, questionId))
    .limit(1);
  if (question?.kind !== "question" || question.deletedAt)
    throw new PostingError("This question doesn't exist or was deleted.", {}, 404);
  return question;
}

/** When the asker may rate: once an answer is accepted, or 7 days after asking. Null: now. */
function ratingOpensAt(question: Pick<QuestionForRating, "acceptedAnswerId" | "createdAt">): Date | null {
  if (question.acceptedAnswerId !== null) return null;
  const opens = new Date(question.createdAt.getTime() + FEEDBACK_RULES.askAfterDays * DAY);
  return opens;
}

function toRatingView(
  row: { rating: number; easyToUnderstand: boolean | null; comment: string; createdAt: Date },
  now: Date,
): RatingView {
  const editableUntil = new Date(row.createdAt.getTime() + FEEDBACK_RULES.editableHours * HOUR);
  // Only the view's fields: the row's ids and timestamps stay on the server.
  const { rating, easyToUnderstand, comment, createdAt } = row;
  return { rating, easyToUnderstand, comment, createdAt, editableUntil, isEditable: now < editableUntil };
}

/** What the question page shows its asker about rating the help (null for everyone else). */
export async function getFeedbackPrompt(
  db: Db,
  questionId: number,
  actor: Actor,
  now = new Date(),
): Promise<FeedbackPrompt | null> {
  if (!actor) return null;
  const question = await questionForRating(db, questionId).catch(() => null);
  if (!question || question.authorId !== actor.id) return null;
  const [row] = await db.select().from(helpRatings).where(eq(helpRatings.questionId, questionId)).limit(1);
  return feedbackPromptFrom(question, row ?? null, now);
}

/** "Was the answer easy to understand?" is asked (and kept) for plain-language questions with an answer only. */
function asksEasyToUnderstand(question: Pick<QuestionForRating, "isPlainLanguage" | "hasAnswer">): boolean {
  return question.isPlainLanguage && question.hasAnswer;
}

/**
 * The asker's prompt from the question and its rating row (if any): the rule's one home, also used by the question
 * page's one-query viewer (question-viewer.server.ts), which reads both rows with everything else.
 */
export function feedbackPromptFrom(
  question: Pick<
    QuestionForRating,
    "acceptedAnswerId" | "createdAt" | "isPlainLanguage" | "hasAnswer" | "acceptsOwnAnswer"
  >,
  rating: { rating: number; easyToUnderstand: boolean | null; comment: string; createdAt: Date } | null,
  now: Date,
): FeedbackPrompt {
  // Even with a rating given before: it rated an answer that is no longer the accepted one, and reaches no one now.
  if (question.acceptsOwnAnswer) return { state: "ownAnswer" };
  const asksEasy = asksEasyToUnderstand(question);
  if (rating) {
    // An answer said "easy to understand" before it was deleted is no longer claimed.
    const existing = toRatingView(asksEasy ? rating : { ...rating, easyToUnderstand: null }, now);
    return existing.isEditable
      ? { state: "open", asksEasyToUnderstand: asksEasy, existing }
      : { state: "closed", asksEasyToUnderstand: asksEasy, existing };
  }
  const opensAt = ratingOpensAt(question);
  if (opensAt && now < opensAt) return { state: "later", opensAt };
  return { state: "open", asksEasyToUnderstand: asksEasy, existing: null };
}

const ratingSchema = z.object({
  rating: z.coerce
    .number({ invalid_type_error: "Choose how well you were helped, from 1 to 5." })
    .int("Choose how well you were helped, from 1 to 5.")
    .min(1, "Choose how well you were helped, from 1 to 5.")
    .max(5, "Choose how well you were helped, from 1 to 5."),
  comment: z
    .string()
    .transform((value) => value.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .max(
          FEEDBACK_RULES.commentMax,
          `Please keep the comment under ${FEEDBACK_RULES.commentMax.toLocaleString("en-US")} characters.`,
        ),
    )
    .optional(),
  easyToUnderstand: z
    .enum(["yes", "no", ""], {
      errorMap: () => ({ message: "Choose whether the answer was easy to understand, or “Rather not say”." }),
    })
    .optional(),
});

/**
 * A field left out (the one-tap rating sends the rating only) keeps what was saved; sent empty, it clears it (the
 * full form's emptied comment, or "Rather not say").
 */
export type RatingInput = { rating: string | number; comment?: string; easyToUnderstand?: string };

/**
 * What to store for "easy to understand": null where it is not asked, undefined (keep the saved answer) when the
 * field was not sent, else the answer ("" is "Rather not say").
 */
function easyToStore(
  question: Pick<QuestionForRating, "isPlainLanguage" | "hasAnswer">,
  sent: "yes" | "no" | "" | undefined,
): boolean | null | undefined {
  if (!asksEasyToUnderstand(question)) return null;
  if (sent === undefined) return undefined;
  return sent === "" ? null : sent === "yes";
}

/**
 * The asker rates the help on their question: once (a second rating changes the first while it is editable, for 24
 * hours), only after an answer is accepted or 7 days after asking, and never once they accepted their own answer (no
 * one else's help to rate). "Easy to understand" is kept for plain-language questions with an answer only (without
 * one, there is no answer to judge: it is left out, not refused).
 */
export async function rateHelp(
  db: Db,
  input: RatingInput & { questionId: number; actor: Actor; now?: Date },
): Promise<{ isNew: boolean }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    // The rating reaches the helpers' inboxes. Said first: silencing holds the asker's question too, and "it was
    // deleted" would not be the reason. The account is held until commit, before the question's row (as a ban or
    // silence locks them): one saved meanwhile is seen here, or waits for this rating.
    if (input.actor) {
      await assertNotSuspended(tx, input.actor.id);
      await assertNotSilenced(tx, input.actor.id, now);
    }
    const question = await questionForRating(tx, input.questionId);
    assertCan(
      input.actor,
      "help.rate",
      { ownerId: question.authorId },
      "Only the person who asked can rate the help they got.",
    );
    if (question.acceptsOwnAnswer)
      throw new PostingError(
        "You accepted your own answer, so there is no help from others to rate on this question. Nothing was saved.",
        {},
        409,
      );
    const actor: SignedInActor = input.actor;
    const fields = validate(ratingSchema, {
      rating: input.rating,
      comment: input.comment,
      easyToUnderstand: input.easyToUnderstand,
    });
    const easy = easyToStore(question, fields.easyToUnderstand);
    // Lock the question, not the rating: a first rating has no row to lock, and two at once would both insert one.
    await tx.select({ id: posts.id }).from(posts).where(eq(posts.id, question.id)).for("update");
    const [existing] = await tx.select().from(helpRatings).where(eq(helpRatings.questionId, question.id)).limit(1);
    if (existing) {
      const view = toRatingView(existing, now);
      if (!view.isEditable)
        throw new PostingError(
          `A rating can be changed for ${FEEDBACK_RULES.editableHours} hours after it is given; this one can no longer be changed.`,
          {},
          409,
        );
    } else {
      const opensAt = ratingOpensAt(question);
      if (opensAt && now < opensAt) {
        const gone = await howAcceptedAnswerWent(tx, question.id, actor.id);
        throw new PostingError(
          gone
            ? `The answer you accepted ${gone}, so there is nothing to rate now. Accept another answer to rate the help.`
            : "You can rate the help once you accept an answer, or 7 days after asking if none solved it.",
          {},
          409,
        );
      }
    }
    await consumeWriteLimit(tx, { userId: actor.id, kind: "feedback", now });
    if (existing) {
      // Undefined (not sent, as from a one-tap card left open in another tab) leaves a column as saved: drizzle skips it.
      await tx
        .update(helpRatings)
        .set({ rating: fields.rating, comment: fields.comment, easyToUnderstand: easy, updatedAt: now })
        .where(eq(helpRatings.questionId, question.id));
    } else {
      await tx.insert(helpRatings).values({
        questionId: question.id,
        raterId: actor.id,
        rating: fields.rating,
        comment: fields.comment ?? "",
        easyToUnderstand: easy ?? null,
        createdAt: now,
        updatedAt: now,
      });
      // The rating reaches its helpers (the accepted answer's author, or everyone who answered): they hear of it once.
      await notifyUsers(
        tx,
        { kind: "rating", actorId: actor.id, postId: question.id },
        await ratedHelpers(tx, question.id),
      );
    }
    await refreshQuestionFacts(tx, [question.id]);
    return { isNew: !existing };
  });
}

/**
 * How the answer the asker accepted left the question, when it did (a rating sent from a page older than that): the
 * mark goes with a deleted answer (softDeletePost), so the one record left of it is the "accepted" notification its
 * author got. Null when no answer they accepted was deleted.
 */
async function howAcceptedAnswerWent(tx: Db, questionId: number, askerId: string): Promise<string | null> {
  const [answer] = await queryRows<{ author_id: string; deleted_by: string | null }>(
    tx,
    sql`
    select a.author_id, a.deleted_by from posts a
    where a.parent_id = ${questionId} and a.kind = 'answer' and a.deleted_at is not null
      and exists (select 1 from notifications n
        where n.user_id = a.author_id and n.post_id = a.id and n.kind = 'accepted' and n.actor_id = ${askerId})
    order by a.deleted_at desc limit 1`,
  );
  if (!answer) return null;
  // Hidden by the system (held for review) leaves no deleter.
  if (answer.deleted_by === null) return "was hidden";
  return answer.deleted_by === answer.author_id ? "was deleted by its author" : "was removed by a moderator";
}

/** Whom a question's rating reaches: the accepted answer's author, or (none accepted) everyone who answered. */
async function ratedHelpers(tx: Db, questionId: number): Promise<string[]> {
  return (
    await queryRows<{ author_id: string }>(
      tx,
      sql`
      select distinct a.author_id from posts q join posts a on a.parent_id = q.id and a.kind = 'answer' and a.deleted_at is null
      where q.id = ${questionId} and (q.accepted_answer_id is null or a.id = q.accepted_answer_id)`,
    )
  ).map((row) => row.author_id);
}

/** Says "Thanks" for an answer: once per person per answer (a repeat changes nothing), never for your own. */
export async function thankAnswer(
  db: Db,
  { answerId, actor, now = new Date() }: { answerId: number; actor: Actor; now?: Date },
): Promise<{ thanks: number; isNew: boolean }> {
  const [answer] = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      authorId: posts.authorId,
      deletedAt: posts.deletedAt,
      parentId: posts.parentId,
    })
    .from(posts)
    .where(eq(posts.id, answerId))
    .limit(1);
  if (answer?.kind !== "answer" || answer.deletedAt || (await isInDeletedQuestion(db, answer)))
    throw new PostingError("This answer doesn't exist or was deleted.", {}, 404);
  assertCan(
    actor,
    "answer.thank",
    { ownerId: answer.authorId },
    actor?.id === answer.authorId ? "You can't thank yourself for your own answer." : "Please sign in to say thanks.",
  );
  const signedIn: SignedInActor = actor;
  return db.transaction(async (tx) => {
    // Thanks show on the answer and reach its author: not from a suspended account, nor while moderators review it
    // (the account held until commit, so a ban or silence saved meanwhile is seen here, or waits for these thanks).
    await assertNotSuspended(tx, signedIn.id);
    await assertNotSilenced(tx, signedIn.id, now);
    const [already] = await tx
      .select({ at: answerThanks.createdAt })
      .from(answerThanks)
      .where(and(eq(answerThanks.answerId, answer.id), eq(answerThanks.userId, signedIn.id)))
      .limit(1);
    // Sent twice at once, both may find none yet: the insert decides which one is new (the other waits for it and
    // inserts nothing), so the helper is told once. No row lock: it would block the insert's own key check elsewhere.
    let isNew = false;
    if (!already) {
      await consumeWriteLimit(tx, { userId: signedIn.id, kind: "thanks", now });
      const inserted = await tx
        .insert(answerThanks)
        .values({ answerId: answer.id, userId: signedIn.id, createdAt: now })
        .onConflictDoNothing()
        .returning({ answerId: answerThanks.answerId });
      isNew = inserted.length > 0;
      if (isNew) await notifyUsers(tx, { kind: "thanks", actorId: signedIn.id, postId: answer.id }, [answer.authorId]);
    }
    const [row] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from answer_thanks where answer_id = ${answer.id}`,
    );
    return { thanks: row?.n ?? 0, isNew };
  });
}

/** Thanks per answer, and which of them the viewer already thanked. */
export async function thanksFor(
  db: Db,
  answerIds: number[],
  viewerId: string | null,
): Promise<Map<number, { count: number; byViewer: boolean }>> {
  const map = new Map<number, { count: number; byViewer: boolean }>();
  if (answerIds.length === 0) return map;
  const rows = await queryRows<{ answer_id: number; n: number; mine: boolean }>(
    db,
    sql`select answer_id, count(*)::int as n, coalesce(bool_or(user_id = ${viewerId ?? ""}), false) as mine
      from answer_thanks where answer_id = any(${`{${answerIds.join(",")}}`}::int[]) group by answer_id`,
  );
  for (const row of rows) map.set(row.answer_id, { count: row.n, byViewer: row.mine });
  return map;
}

/**
 * Asks, in the inbox, the askers of questions 7 days old without an accepted answer (but with an answer from someone
 * else) how well they were helped; once per question (the notification's unique index). Returns how many were asked.
 */
export async function requestOverdueFeedback(db: Db, now = new Date()): Promise<number> {
  const due = new Date(now.getTime() - FEEDBACK_RULES.askAfterDays * DAY).toISOString();
  // Only questions from the 30 days before they became due: a new install with old data doesn't flood inboxes.
  const oldest = new Date(now.getTime() - (FEEDBACK_RULES.askAfterDays + 30) * DAY).toISOString();
  const rows = await queryRows(
    db,
    sql`
    insert into notifications (user_id, kind, actor_id, post_id)
    select f.asker_id, 'feedback_request', null, f.question_id
    from question_facts f join users u on u.id = f.asker_id
    where not f.is_deleted and f.accepted_at is null and f.rating is null and f.first_answer_at is not null
      and f.asked_at <= ${due}::timestamptz and f.asked_at > ${oldest}::timestamptz and ${canBeNotified(sql`u`)}
      and not exists (select 1 from notifications n where n.user_id = f.asker_id and n.post_id = f.question_id and n.kind = 'feedback_request')
    on conflict do nothing
    returning id`,
  );
  return rows.length;
}
