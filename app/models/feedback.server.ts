/**
 * Feedback that reaches helpers: askers rate the help they got ("How well were you helped?", 1–5, and for
 * plain-language questions "Was the answer easy to understand?"), anyone can thank a helper for an answer, and each
 * helper sees what came back to them on their private "My impact" page. Public profiles only ever show the positive
 * part (people helped, thanks).
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, queryRows } from "#db/client.server";
import { answerThanks, helpRatings, posts } from "#db/schema";
import type { Actor } from "./permissions.server";
import { PostingError, type SignedInActor, assertCan } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { refreshQuestionFacts } from "./pulse.server";
import { consumeWriteLimit } from "./rate-limits.server";
import { notifyUsers } from "./notifications.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const FEEDBACK_RULES = { askAfterDays: 7, editableHours: 24, commentMax: 1000 } as const;

type QuestionForRating = {
  id: number;
  authorId: string;
  acceptedAnswerId: number | null;
  isPlainLanguage: boolean;
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

export type RatingView = {
  rating: number;
  easyToUnderstand: boolean | null;
  comment: string;
  createdAt: Date;
  editableUntil: Date;
  isEditable: boolean;
};

export type FeedbackPrompt =
  /** The asker may rate now (or change their rating while it is editable). */
  | { state: "open"; isPlainLanguage: boolean; existing: RatingView | null }
  /** Rated, and the 24 hours to change it are over. */
  | { state: "closed"; isPlainLanguage: boolean; existing: RatingView }
  /** Not yet: no accepted answer and not 7 days old. */
  | { state: "later"; opensAt: Date };

function toRatingView(
  row: { rating: number; easyToUnderstand: boolean | null; comment: string; createdAt: Date },
  now: Date,
): RatingView {
  const editableUntil = new Date(row.createdAt.getTime() + FEEDBACK_RULES.editableHours * HOUR);
  return { ...row, editableUntil, isEditable: now < editableUntil };
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
  if (row) {
    const existing = toRatingView(row, now);
    return existing.isEditable
      ? { state: "open", isPlainLanguage: question.isPlainLanguage, existing }
      : { state: "closed", isPlainLanguage: question.isPlainLanguage, existing };
  }
  const opensAt = ratingOpensAt(question);
  if (opensAt && now < opensAt) return { state: "later", opensAt };
  return { state: "open", isPlainLanguage: question.isPlainLanguage, existing: null };
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
    ),
  easyToUnderstand: z.enum(["yes", "no", ""]).default(""),
});

export type RatingInput = { rating: string | number; comment?: string; easyToUnderstand?: string };

/**
 * The asker rates the help on their question: once (a second rating changes the first while it is editable, for 24
 * hours), only after an answer is accepted or 7 days after asking. "Easy to understand" is kept for plain-language
 * questions only.
 */
export async function rateHelp(
  db: Db,
  input: RatingInput & { questionId: number; actor: Actor; now?: Date },
): Promise<{ isNew: boolean }> {
  const now = input.now ?? new Date();
  const question = await questionForRating(db, input.questionId);
  assertCan(
    input.actor,
    "help.rate",
    { ownerId: question.authorId },
    "Only the person who asked can rate the help they got.",
  );
  const actor: SignedInActor = input.actor;
  const fields = validate(ratingSchema, {
    rating: input.rating,
    comment: input.comment ?? "",
    easyToUnderstand: input.easyToUnderstand ?? "",
  });
  const easy = question.isPlainLanguage && fields.easyToUnderstand !== "" ? fields.easyToUnderstand === "yes" : null;
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(helpRatings)
      .where(eq(helpRatings.questionId, question.id))
      .for("update")
      .limit(1);
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
        throw new PostingError(
          "You can rate the help once you accept an answer, or 7 days after asking if none solved it.",
          {},
          409,
        );
      }
    }
    await consumeWriteLimit(tx, { userId: actor.id, kind: "feedback", now });
    if (existing) {
      await tx
        .update(helpRatings)
        .set({ rating: fields.rating, comment: fields.comment, easyToUnderstand: easy, updatedAt: now })
        .where(eq(helpRatings.questionId, question.id));
    } else {
      await tx.insert(helpRatings).values({
        questionId: question.id,
        raterId: actor.id,
        rating: fields.rating,
        comment: fields.comment,
        easyToUnderstand: easy,
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
  if (answer?.kind !== "answer" || answer.deletedAt)
    throw new PostingError("This answer doesn't exist or was deleted.", {}, 404);
  assertCan(
    actor,
    "answer.thank",
    { ownerId: answer.authorId },
    actor?.id === answer.authorId ? "You can't thank yourself for your own answer." : "Please sign in to say thanks.",
  );
  const signedIn: SignedInActor = actor;
  return db.transaction(async (tx) => {
    const [already] = await tx
      .select({ at: answerThanks.createdAt })
      .from(answerThanks)
      .where(and(eq(answerThanks.answerId, answer.id), eq(answerThanks.userId, signedIn.id)))
      .limit(1);
    if (!already) {
      await consumeWriteLimit(tx, { userId: signedIn.id, kind: "thanks", now });
      await tx
        .insert(answerThanks)
        .values({ answerId: answer.id, userId: signedIn.id, createdAt: now })
        .onConflictDoNothing();
      await notifyUsers(tx, { kind: "thanks", actorId: signedIn.id, postId: answer.id }, [answer.authorId]);
    }
    const [row] = await queryRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from answer_thanks where answer_id = ${answer.id}`,
    );
    return { thanks: row?.n ?? 0, isNew: !already };
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
      and f.asked_at <= ${due}::timestamptz and f.asked_at > ${oldest}::timestamptz and not u.banned
      and not exists (select 1 from notifications n where n.user_id = f.asker_id and n.post_id = f.question_id and n.kind = 'feedback_request')
    on conflict do nothing
    returning id`,
  );
  return rows.length;
}

// ---- what helpers see ----

export type ImpactSummary = {
  peopleHelped: number;
  acceptedAnswers: number;
  thanksReceived: number;
};

export type ImpactComment = {
  kind: "rating" | "howto";
  postId: number;
  title: string;
  rating: number | null;
  isHelpful: boolean | null;
  comment: string;
  at: Date;
};

export type ImpactWeek = {
  start: Date;
  end: Date;
  accepted: number;
  thanks: number;
  ratings: number;
  ratingAverage: number | null;
};

export type Impact = ImpactSummary & {
  ratings: number;
  ratingMedian: number | null;
  plainLanguageRated: number;
  plainLanguageShare: number | null;
  howtoVotes: number;
  howtoHelpfulShare: number | null;
  comments: ImpactComment[];
  weeks: ImpactWeek[];
};

/** The positive part, for public profiles: people helped (accepted their answer or thanked them), accepted answers, thanks. */
export async function getImpactSummary(db: Db, userId: string): Promise<ImpactSummary> {
  const [row] = await queryRows<{ people: number; accepted: number; thanks: number }>(
    db,
    sql`
      with accepted as (
        select q.author_id as person from posts a join posts q on q.accepted_answer_id = a.id and q.deleted_at is null
        where a.author_id = ${userId} and a.kind = 'answer' and a.deleted_at is null and q.author_id <> ${userId}
      ), thanked as (
        select t.user_id as person from answer_thanks t join posts a on a.id = t.answer_id and a.deleted_at is null where a.author_id = ${userId}
      )
      select (select count(distinct person) from (select person from accepted union select person from thanked) p where person <> ${userId})::int as people,
        (select count(*) from accepted)::int as accepted, (select count(*) from thanked)::int as thanks`,
  );
  return { peopleHelped: row?.people ?? 0, acceptedAnswers: row?.accepted ?? 0, thanksReceived: row?.thanks ?? 0 };
}

/**
 * Everything "My impact" shows: the summary, ratings (private), how-to helpfulness, comments and a 12-week trend, in
 * one statement. The helper's answers are read once (the author index), their questions once by primary key, and
 * every figure is derived from those two sets: the busiest helper has thousands of answers, and reading them once
 * instead of seven times is what keeps the page fast. The numbers are the same as getImpactSummary; a rating reaches a
 * helper on questions where their answer is the accepted one or, none accepted, where they answered (never their own).
 */
export async function getImpact(db: Db, userId: string, now = new Date()): Promise<Impact> {
  const weeks = Array.from({ length: 12 }, (_, i) => {
    const end = new Date(now.getTime() - (11 - i) * 7 * DAY);
    return { start: new Date(end.getTime() - 7 * DAY), end };
  });
  const from = (weeks[0]?.start ?? now).toISOString();
  type Row = {
    people: number;
    accepted: number;
    thanks: number;
    ratings: number;
    median: number | null;
    plain_rated: number;
    plain_easy: number;
    yes: number;
    no: number;
    comments:
      | {
          kind: "rating" | "howto";
          post_id: number;
          title: string;
          rating: number | null;
          is_helpful: boolean | null;
          comment: string;
          at: string;
        }[]
      | null;
    /** Only the weeks (0 = the oldest of the 12) that had anything. */
    weekly: { week: number; accepted: number; thanks: number; ratings: number; rating_sum: number }[] | null;
  };
  const [row] = await queryRows<Row>(
    db,
    sql`
      with mine as materialized (
        select a.id, a.parent_id, a.created_at from posts a where a.author_id = ${userId} and a.kind = 'answer' and a.deleted_at is null
      ), answered as materialized (
        select m.id as answer_id, m.created_at as answered_at, q.id, q.author_id, q.accepted_answer_id, q.accepted_at
        -- An answer's parent is always a question: saying so lets each lookup read questions_impact_idx alone.
        from mine m join posts q on q.id = m.parent_id and q.kind = 'question' and q.deleted_at is null
      ), acc as materialized (
        select author_id as person, coalesce(accepted_at, answered_at) as at from answered where accepted_answer_id = answer_id and author_id <> ${userId}
      ), thx as materialized (
        select t.user_id as person, t.created_at as at from answer_thanks t join mine m on m.id = t.answer_id
      ), rat as materialized (
        select r.question_id, r.rating, r.easy_to_understand, r.comment, r.updated_at, q.title, q.is_plain_language
        from help_ratings r join posts q on q.id = r.question_id
        where r.rater_id <> ${userId}
          and r.question_id in (select id from answered where accepted_answer_id = answer_id or accepted_answer_id is null)
      ), notes as (
        (select 'rating' as kind, question_id as post_id, title, rating::int as rating, null::boolean as is_helpful, comment, updated_at as at
          from rat where comment <> '' order by updated_at desc limit 20)
        union all
        (select 'howto', h.id, h.title, null::int, hf.is_helpful, hf.comment, hf.updated_at
          from howto_feedback hf join posts h on h.id = hf.post_id and h.deleted_at is null
          where h.author_id = ${userId} and hf.user_id <> ${userId} and hf.comment <> '' order by hf.updated_at desc limit 20)
      )
      select
        (select count(distinct person) from (select person from acc union select person from thx) p where person <> ${userId})::int as people,
        (select count(*) from acc)::int as accepted,
        (select count(*) from thx)::int as thanks,
        (select count(*) from rat)::int as ratings,
        (select percentile_cont(0.5) within group (order by rating) from rat)::float8 as median,
        (select count(*) from rat where is_plain_language and easy_to_understand is not null)::int as plain_rated,
        (select count(*) from rat where is_plain_language and easy_to_understand)::int as plain_easy,
        (select coalesce(sum(helpful_yes), 0) from posts where author_id = ${userId} and kind = 'howto' and deleted_at is null)::int as yes,
        (select coalesce(sum(helpful_no), 0) from posts where author_id = ${userId} and kind = 'howto' and deleted_at is null)::int as no,
        (select json_agg(n order by n.at desc) from (select * from notes order by at desc limit 20) n) as comments,
        (select json_agg(w) from (
          select week, sum(accepted)::int as accepted, sum(thanks)::int as thanks, sum(ratings)::int as ratings, sum(rating_sum)::float8 as rating_sum from (
            select floor(extract(epoch from at - ${from}::timestamptz) / 604800)::int as week, 1 as accepted, 0 as thanks, 0 as ratings, 0 as rating_sum
              from acc where at >= ${from}::timestamptz
            union all
            select floor(extract(epoch from at - ${from}::timestamptz) / 604800)::int, 0, 1, 0, 0 from thx where at >= ${from}::timestamptz
            union all
            select floor(extract(epoch from updated_at - ${from}::timestamptz) / 604800)::int, 0, 0, 1, rating
              from rat where updated_at >= ${from}::timestamptz
          ) e where week < 12 group by week) w) as weekly`,
  );
  const comments = row?.comments ?? [];
  const weekly = row?.weekly ?? [];
  const summary = {
    peopleHelped: row?.people ?? 0,
    acceptedAnswers: row?.accepted ?? 0,
    thanksReceived: row?.thanks ?? 0,
  };
  const ratings = row
    ? { n: row.ratings, median: row.median, plain_rated: row.plain_rated, plain_easy: row.plain_easy }
    : undefined;
  const howtos = row ? { yes: row.yes, no: row.no } : undefined;
  const yes = howtos?.yes ?? 0;
  const votes = yes + (howtos?.no ?? 0);
  return {
    ...summary,
    ratings: ratings?.n ?? 0,
    ratingMedian: ratings?.median === null || ratings?.median === undefined ? null : Number(ratings.median),
    plainLanguageRated: ratings?.plain_rated ?? 0,
    plainLanguageShare: ratings && ratings.plain_rated > 0 ? ratings.plain_easy / ratings.plain_rated : null,
    howtoVotes: votes,
    howtoHelpfulShare: votes > 0 ? yes / votes : null,
    comments: comments.map((row) => ({
      kind: row.kind,
      postId: row.post_id,
      title: row.title,
      rating: row.rating,
      isHelpful: row.is_helpful,
      comment: row.comment,
      at: new Date(row.at),
    })),
    weeks: weeks.map((week, i) => {
      const row = weekly.find((w) => w.week === i);
      const ratingCount = row?.ratings ?? 0;
      return {
        ...week,
        accepted: row?.accepted ?? 0,
        thanks: row?.thanks ?? 0,
        ratings: ratingCount,
        ratingAverage: row && ratingCount > 0 ? row.rating_sum / ratingCount : null,
      };
    }),
  };
}
