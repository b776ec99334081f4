/**
 * What came back to a helper: the private "My impact" page (ratings, how-to helpfulness, comments, a 12-week trend)
 * and the positive part public profiles show (people helped, accepted answers, thanks). The feedback itself is
 * given in feedback.server.ts.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";

const DAY = 24 * 3_600_000;

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
