/**
 * What came back to a helper: the private "My impact" page (ratings, how-to helpfulness, comments, a 12-week trend)
 * and the positive part public profiles show (people helped, accepted answers, thanks). The feedback itself is
 * given in feedback.server.ts.
 */
import { type SQL, sql } from "drizzle-orm";
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

/**
 * The positive part, for public profiles: people helped (accepted their answer or thanked them), accepted answers,
 * thanks. The helper's accepted and thanks rows of impact_events, as My impact counts them.
 */
export async function getImpactSummary(db: Db, userId: string): Promise<ImpactSummary> {
  const [row] = await queryRows<{ people: number; accepted: number; thanks: number }>(
    db,
    sql`
      select (select count(*) from (select person_id from impact_events
            where helper_id = ${userId} and kind <> 'rating' and person_id <> ${userId} group by person_id) p)::int as people,
        count(*) filter (where kind = 'accepted')::int as accepted,
        count(*) filter (where kind = 'thanks')::int as thanks
      from impact_events where helper_id = ${userId} and kind <> 'rating'`,
  );
  return { peopleHelped: row?.people ?? 0, acceptedAnswers: row?.accepted ?? 0, thanksReceived: row?.thanks ?? 0 };
}

/**
 * Everything "My impact" shows: the summary, ratings (private), how-to helpfulness, comments and a 12-week trend, in
 * one statement. Accepted answers, thanks and ratings come from impact_events, which the database keeps per question
 * (the triggers of migration 0031 compute a question's rows again in the transaction of every write that changes
 * them): one helper's rows are one range of its index, where reading the busiest helper's thousands of answers and
 * their questions took most of a second. The figures are those of the from-scratch computation (tests compare them
 * after every kind of write); a rating reaches a helper on questions where their answer is the accepted one or, none
 * accepted, where they answered (never their own). How-to figures are few rows and are read from their tables.
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
  const [row] = await queryRows<Row>(db, impactStatement(userId, from));
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

/** getImpact's statement, for `from` (the start of the 12 weeks): bench/impact.ts --explain shows its plan. */
export function impactStatement(userId: string, from: string): SQL {
  return sql`
    with totals as (
      -- One pass over the helper's rows in the index; the people helped counted by hashing, not sorting, their ids.
      select (select count(*) from (select person_id from impact_events
            where helper_id = ${userId} and kind <> 'rating' and person_id <> ${userId} group by person_id) p)::int as people,
        count(*) filter (where kind = 'accepted')::int as accepted,
        count(*) filter (where kind = 'thanks')::int as thanks,
        count(*) filter (where kind = 'rating')::int as ratings,
        (percentile_cont(0.5) within group (order by rating) filter (where kind = 'rating'))::float8 as median,
        count(*) filter (where plain_rated)::int as plain_rated,
        count(*) filter (where plain_easy)::int as plain_easy
      from impact_events where helper_id = ${userId}
    ), notes as (
      -- The latest rating comments: the helper's rating rows newest first (the index's order), until 20 have one.
      (select 'rating' as kind, r.question_id as post_id, q.title, r.rating::int as rating, null::boolean as is_helpful, r.comment, r.updated_at as at
        from impact_events ie join help_ratings r on r.question_id = ie.question_id join posts q on q.id = r.question_id
        where ie.helper_id = ${userId} and ie.kind = 'rating' and r.comment <> '' order by ie.at desc limit 20)
      union all
      (select 'howto', h.id, h.title, null::int, hf.is_helpful, hf.comment, hf.updated_at
        -- From the author's how-tos (a few hundred at most) to each one's latest feedback, by howto_feedback_post_idx.
        from posts h cross join lateral (
          select f.is_helpful, f.comment, f.updated_at from howto_feedback f
          where f.post_id = h.id and f.user_id <> ${userId} and f.comment <> '' order by f.updated_at desc limit 20) hf
        where h.author_id = ${userId} and h.kind = 'howto' and h.deleted_at is null order by hf.updated_at desc limit 20)
    )
    select totals.*,
      (select coalesce(sum(helpful_yes), 0) from posts where author_id = ${userId} and kind = 'howto' and deleted_at is null)::int as yes,
      (select coalesce(sum(helpful_no), 0) from posts where author_id = ${userId} and kind = 'howto' and deleted_at is null)::int as no,
      (select json_agg(n order by n.at desc) from (select * from notes order by at desc limit 20) n) as comments,
      (select json_agg(w) from (
        -- date_part is float8 (extract is numeric, several times slower per row); exact at the weeks' boundaries.
        select floor(date_part('epoch', at - ${from}::timestamptz) / 604800)::int as week,
          count(*) filter (where kind = 'accepted')::int as accepted,
          count(*) filter (where kind = 'thanks')::int as thanks,
          count(*) filter (where kind = 'rating')::int as ratings,
          coalesce(sum(rating) filter (where kind = 'rating'), 0)::float8 as rating_sum
        from impact_events where helper_id = ${userId} and at >= ${from}::timestamptz group by 1) w where week < 12) as weekly
    from totals`;
}
