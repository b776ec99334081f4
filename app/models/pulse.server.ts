/**
 * The service pulse: how well the community helps, per space, per tag and site-wide, computed by SQL over the real
 * data. Each question's moments (asked, first response, first answer, accepted, rated) live in `question_facts`,
 * recomputed from the source rows by `refreshQuestionFacts` inside every write that changes them, so a page reads
 * one narrow indexed table however many answers and comments there are.
 *
 * Definitions (also on the /pulse page):
 * - A response is an answer or a comment on the question by someone other than the asker; deleted ones don't count.
 * - "Answered within 24 hours" counts answers by others, over the questions asked at least 24 hours ago.
 * - Solved: the question has an accepted answer (the asker's own included: the problem is solved).
 * - Askers' rating: not of a question whose accepted answer is the asker's own (no one else's help was rated).
 * - Unanswered backlog: open questions (any age, not closed) with no answer by someone else and none accepted.
 * - A question counts for the space it is in now (moved questions move their numbers).
 * - Periods are the last 7, 30 or 90 days before now, by when the question was asked; the trend charts cover the
 *   same period, by calendar day (UTC) (by weeks of 7 such days for 90 days): the first one starts when the period
 *   does (part of a day or week), the last one is today so far.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { ANONYMOUS_NAME } from "./anonymity.server";
import type { ServiceLevels, TrendBucket } from "./pulse.types";
import { PULSE_PERIODS, type PulsePeriod } from "~/lib/pulse";

export { PULSE_PERIODS, type PulsePeriod };

export type PulseScope = { kind: "site" } | { kind: "space"; spaceId: number } | { kind: "tag"; tagId: number };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function idList(ids: number[]): string {
  return `{${ids.join(",")}}`;
}

/** The facts of these questions, recomputed from posts, comments and ratings (call inside the write's transaction). */
export async function refreshQuestionFacts(tx: Db, questionIds: number[]): Promise<void> {
  const ids = [...new Set(questionIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (ids.length === 0) return;
  await upsertFacts(tx, sql`q.id = any(${idList(ids)}::int[])`);
}

/** Recomputes every question's facts (after a bulk import or seed, or to repair); returns how many. */
export async function rebuildQuestionFacts(
  db: Db,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const [bounds] = await queryRows<{ min: number | null; max: number | null; n: number }>(
    db,
    sql`select min(id)::int as min, max(id)::int as max, count(*)::int as n from posts where kind = 'question'`,
  );
  if (!bounds || bounds.min === null || bounds.max === null) return 0;
  const step = 5_000;
  let done = 0;
  for (let from = bounds.min; from <= bounds.max; from += step) {
    done += await upsertFacts(db, sql`q.id >= ${from} and q.id < ${from + step}`);
    onProgress?.(done, bounds.n);
  }
  return done;
}

/** True when some question has no facts row yet (an existing database meeting this feature, or a bulk import). */
export async function needsFactsRebuild(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ missing: boolean }>(
    db,
    sql`select exists (select 1 from posts q where q.kind = 'question' and not exists (select 1 from question_facts f where f.question_id = q.id)) as missing`,
  );
  return row?.missing === true;
}

async function upsertFacts(db: Db, where: SQL): Promise<number> {
  const rows = await queryRows(
    db,
    sql`
    insert into question_facts (question_id, space_id, asker_id, asked_at, is_plain_language, is_deleted,
      first_response_at, first_answer_at, accepted_at, rating, easy_to_understand, accepts_own_answer)
    select q.id, q.space_id, q.author_id, q.created_at, q.is_plain_language, q.deleted_at is not null,
      least(fa.at, fc.at), fa.at,
      case when q.accepted_answer_id is not null
        then coalesce(q.accepted_at, (select a.created_at from posts a where a.id = q.accepted_answer_id)) end,
      r.rating, r.easy_to_understand, ${acceptsOwnAnswer(sql`q.id`)}
    from posts q
    left join lateral (select min(a.created_at) as at from posts a
      where a.parent_id = q.id and a.kind = 'answer' and a.deleted_at is null and a.author_id <> q.author_id) fa on true
    left join lateral (select min(c.created_at) as at from comments c
      where c.post_id = q.id and c.deleted_at is null and c.author_id <> q.author_id) fc on true
    left join help_ratings r on r.question_id = q.id
    where q.kind = 'question' and ${where}
    on conflict (question_id) do update set space_id = excluded.space_id, asker_id = excluded.asker_id, asked_at = excluded.asked_at,
      is_plain_language = excluded.is_plain_language, is_deleted = excluded.is_deleted, first_response_at = excluded.first_response_at,
      first_answer_at = excluded.first_answer_at, accepted_at = excluded.accepted_at, rating = excluded.rating,
      easy_to_understand = excluded.easy_to_understand, accepts_own_answer = excluded.accepts_own_answer
    returning 1`,
  );
  return rows.length;
}

// ---- reading the numbers ----

export type PulseWindow = { days: PulsePeriod; now: Date };

function scopeFilter(scope: PulseScope, alias: string): SQL {
  const f = sql.raw(alias);
  if (scope.kind === "space") return sql`and ${f}.space_id = ${scope.spaceId}`;
  if (scope.kind === "tag")
    return sql`and exists (select 1 from post_tags pt where pt.post_id = ${f}.question_id and pt.tag_id = ${scope.tagId})`;
  return sql``;
}

function howtoScopeFilter(scope: PulseScope): SQL {
  if (scope.kind === "space") return sql`and h.space_id = ${scope.spaceId}`;
  if (scope.kind === "tag")
    return sql`and exists (select 1 from post_tags pt where pt.post_id = h.id and pt.tag_id = ${scope.tagId})`;
  return sql``;
}

const iso = (date: Date) => date.toISOString();

/**
 * Questions still waiting for an answer, over `question_facts f`: not deleted, not closed (a reopened question has no
 * closure row, so it is back), no answer by someone else and none accepted. The one rule of every backlog query.
 */
const isWaitingForAnswer = sql`not f.is_deleted and f.first_answer_at is null and f.accepted_at is null
  and not exists (select 1 from question_closures qc where qc.question_id = f.question_id)`;

type LevelsRow = {
  asked: number;
  responded: number;
  response_p50: number | null;
  response_p90: number | null;
  accepted_p50: number | null;
  eligible_24h: number;
  answered_24h: number;
  solved: number;
  ratings: number;
  rating_avg: number | null;
  plain_rated: number;
  plain_easy: number;
};

/**
 * "Easy to understand" counts only for a question with an answer (by someone else, or accepted): ratings stored before
 * that rule said so of questions nobody answered.
 */
const hasSomeAnswer = sql`(f.first_answer_at is not null or f.accepted_at is not null)`;

/**
 * True when the question's accepted answer is its asker's own: its rating would rate no one else's help, so it is not
 * offered or taken (feedback.server.ts) and not counted here; a rating from before the asker accepted their own answer
 * is left out while it stays so. `questionId`: the question's id as an SQL expression (its own aliases don't clash).
 */
export function acceptsOwnAnswer(questionId: SQL): SQL {
  return sql`exists (select 1 from posts own_q join posts own_a on own_a.id = own_q.accepted_answer_id
    where own_q.id = ${questionId} and own_a.author_id = own_q.author_id)`;
}

/**
 * A rating of help from others: of any question but one whose accepted answer is the asker's own (kept in the facts
 * row by `upsertFacts`, so the pulse's four rating columns read a column instead of two look-ups per rated question).
 */
const isRatedHelpFromOthers = sql`f.rating is not null and not f.accepts_own_answer`;

/** The aggregate columns over `question_facts f`, shared by the totals, the per-space/per-tag tables and the trends. */
function levelColumns(now: Date): SQL {
  return sql`
    count(f.question_id)::int as asked,
    count(f.first_response_at)::int as responded,
    (percentile_cont(0.5) within group (order by extract(epoch from f.first_response_at - f.asked_at))
      filter (where f.first_response_at is not null) / 3600)::float8 as response_p50,
    (percentile_cont(0.9) within group (order by extract(epoch from f.first_response_at - f.asked_at))
      filter (where f.first_response_at is not null) / 3600)::float8 as response_p90,
    (percentile_cont(0.5) within group (order by extract(epoch from f.accepted_at - f.asked_at))
      filter (where f.accepted_at is not null) / 3600)::float8 as accepted_p50,
    count(*) filter (where f.asked_at <= ${iso(new Date(now.getTime() - DAY))}::timestamptz)::int as eligible_24h,
    count(*) filter (where f.asked_at <= ${iso(new Date(now.getTime() - DAY))}::timestamptz
      and f.first_answer_at <= f.asked_at + interval '24 hours')::int as answered_24h,
    count(f.accepted_at)::int as solved,
    count(*) filter (where ${isRatedHelpFromOthers})::int as ratings,
    (avg(f.rating) filter (where ${isRatedHelpFromOthers}))::float8 as rating_avg,
    count(*) filter (where f.is_plain_language and f.easy_to_understand is not null and ${hasSomeAnswer}
      and ${isRatedHelpFromOthers})::int as plain_rated,
    count(*) filter (where f.is_plain_language and f.easy_to_understand and ${hasSomeAnswer}
      and ${isRatedHelpFromOthers})::int as plain_easy`;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const num = (value: number | string | null) => (value === null ? null : Number(value));

function toLevels(
  row: LevelsRow | undefined,
  howto: { votes: number; helpful: number } | undefined,
  backlog: number,
): ServiceLevels {
  const r = row ?? {
    asked: 0,
    responded: 0,
    response_p50: null,
    response_p90: null,
    accepted_p50: null,
    eligible_24h: 0,
    answered_24h: 0,
    solved: 0,
    ratings: 0,
    rating_avg: null,
    plain_rated: 0,
    plain_easy: 0,
  };
  return {
    asked: r.asked,
    responded: r.responded,
    firstResponseMedianHours: num(r.response_p50),
    firstResponseP90Hours: num(r.response_p90),
    acceptedMedianHours: num(r.accepted_p50),
    answeredWithin24hShare: share(r.answered_24h, r.eligible_24h),
    solvedShare: share(r.solved, r.asked),
    solved: r.solved,
    ratings: r.ratings,
    ratingAverage: num(r.rating_avg),
    plainLanguageRated: r.plain_rated,
    plainLanguageShare: share(r.plain_easy, r.plain_rated),
    howtoVotes: howto?.votes ?? 0,
    howtoHelpfulShare: share(howto?.helpful ?? 0, howto?.votes ?? 0),
    unansweredBacklog: backlog,
  };
}

/** The service levels of one scope over the last `days` days. */
export async function getServiceLevels(db: Db, scope: PulseScope, { days, now }: PulseWindow): Promise<ServiceLevels> {
  const from = iso(new Date(now.getTime() - days * DAY));
  const [levels] = await queryRows<LevelsRow>(
    db,
    sql`select ${levelColumns(now)} from question_facts f
      where not f.is_deleted and f.asked_at >= ${from}::timestamptz and f.asked_at < ${iso(now)}::timestamptz ${scopeFilter(scope, "f")}`,
  );
  const [howto] = await queryRows<{ votes: number; helpful: number }>(
    db,
    sql`select count(*)::int as votes, count(*) filter (where hf.is_helpful)::int as helpful
      from howto_feedback hf join posts h on h.id = hf.post_id and h.deleted_at is null
      where hf.updated_at >= ${from}::timestamptz and hf.updated_at < ${iso(now)}::timestamptz ${howtoScopeFilter(scope)}`,
  );
  const [backlog] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from question_facts f
      where ${isWaitingForAnswer} and f.asked_at < ${iso(now)}::timestamptz ${scopeFilter(scope, "f")}`,
  );
  return toLevels(levels, howto, backlog?.n ?? 0);
}

export type SpaceLevels = ServiceLevels & {
  spaceId: number;
  slug: string;
  name: string;
  oldestUnansweredAt: Date | null;
};

/** The service levels of every space (archived ones only when they had questions in the period), in the spaces' order. */
export async function getServiceLevelsBySpace(db: Db, { days, now }: PulseWindow): Promise<SpaceLevels[]> {
  const from = iso(new Date(now.getTime() - days * DAY));
  const levels = await queryRows<LevelsRow & { space_id: number }>(
    db,
    sql`select f.space_id, ${levelColumns(now)} from question_facts f
      where not f.is_deleted and f.asked_at >= ${from}::timestamptz and f.asked_at < ${iso(now)}::timestamptz group by f.space_id`,
  );
  const howtos = await queryRows<{ space_id: number; votes: number; helpful: number }>(
    db,
    sql`select h.space_id, count(*)::int as votes, count(*) filter (where hf.is_helpful)::int as helpful
      from howto_feedback hf join posts h on h.id = hf.post_id and h.deleted_at is null
      where hf.updated_at >= ${from}::timestamptz and hf.updated_at < ${iso(now)}::timestamptz group by h.space_id`,
  );
  const backlogs = await queryRows<{ space_id: number; n: number; oldest: Date | string }>(
    db,
    sql`select f.space_id, count(*)::int as n, min(f.asked_at) as oldest from question_facts f
      where ${isWaitingForAnswer} and f.asked_at < ${iso(now)}::timestamptz group by f.space_id`,
  );
  const spaceRows = await queryRows<{ id: number; slug: string; name: string; archived: boolean }>(
    db,
    sql`select id, slug, name, archived_at is not null as archived from spaces order by position, name`,
  );
  const levelsBy = new Map(levels.map((row) => [row.space_id, row]));
  const howtoBy = new Map(howtos.map((row) => [row.space_id, row]));
  const backlogBy = new Map(backlogs.map((row) => [row.space_id, row]));
  return spaceRows
    .filter((space) => !space.archived || levelsBy.has(space.id) || backlogBy.has(space.id))
    .map((space) => {
      const backlog = backlogBy.get(space.id);
      return {
        ...toLevels(levelsBy.get(space.id), howtoBy.get(space.id), backlog?.n ?? 0),
        spaceId: space.id,
        slug: space.slug,
        name: space.name,
        oldestUnansweredAt: backlog ? new Date(backlog.oldest) : null,
      };
    });
}

export type TagLevels = ServiceLevels & { tagId: number; slug: string };

/** The tags most asked about in the period (up to `limit`), with their service levels. */
export async function getServiceLevelsByTag(db: Db, { days, now }: PulseWindow, limit = 10): Promise<TagLevels[]> {
  const from = iso(new Date(now.getTime() - days * DAY));
  // Count first (cheap), then the percentiles for the chosen tags only.
  const rows = await queryRows<LevelsRow & { tag_id: number; slug: string }>(
    db,
    sql`
      with window_facts as materialized (
        select f.* from question_facts f where not f.is_deleted and f.asked_at >= ${from}::timestamptz and f.asked_at < ${iso(now)}::timestamptz
      ), top as (
        select pt.tag_id, count(*) as n from window_facts w join post_tags pt on pt.post_id = w.question_id
        group by pt.tag_id order by count(*) desc, pt.tag_id limit ${limit}
      )
      select top.tag_id, t.slug, ${levelColumns(now)}
      from top join tags t on t.id = top.tag_id
      join post_tags pt on pt.tag_id = top.tag_id
      join window_facts f on f.question_id = pt.post_id
      group by top.tag_id, t.slug, top.n order by top.n desc, t.slug`,
  );
  if (rows.length === 0) return [];
  // The unanswered backlog of each chosen tag, of any age (as on /pulse?tag=…), so the table and the tag's page agree.
  const backlogs = await queryRows<{ tag_id: number; n: number }>(
    db,
    sql`select pt.tag_id, count(*)::int as n from question_facts f join post_tags pt on pt.post_id = f.question_id
      where pt.tag_id in (${sql.join(
        rows.map((row) => sql`${row.tag_id}`),
        sql`, `,
      )}) and ${isWaitingForAnswer} and f.asked_at < ${iso(now)}::timestamptz
      group by pt.tag_id`,
  );
  const backlogBy = new Map(backlogs.map((row) => [row.tag_id, row.n]));
  return rows.map((row) => ({
    ...toLevels(row, undefined, backlogBy.get(row.tag_id) ?? 0),
    tagId: row.tag_id,
    slug: row.slug,
  }));
}

/**
 * Calendar days in UTC for 7 and 30 days, weeks of 7 such days for 90; the last bucket is today so far (it ends now),
 * each other one ends at a midnight UTC. The first one starts where the headline numbers' period does (`days` × 24
 * hours before now), so it is part of a day (or week) and the charts count the same questions as the numbers above
 * them: 7 days from 09:00 are 8 points, the first from 09:00 seven days ago.
 */
export function trendBuckets({ days, now }: PulseWindow): { start: Date; end: Date }[] {
  const step = days === 90 ? 7 * DAY : DAY;
  const periodStart = now.getTime() - days * DAY;
  // The midnight UTC that ends today (now itself when it is a midnight).
  const lastEnd = Math.ceil(now.getTime() / DAY) * DAY;
  const count = Math.ceil((lastEnd - periodStart) / step);
  return Array.from({ length: count }, (_, i) => {
    const end = lastEnd - (count - 1 - i) * step;
    return { start: new Date(Math.max(end - step, periodStart)), end: new Date(Math.min(end, now.getTime())) };
  });
}

/** "Mar 12": made once; `toLocaleDateString` with options builds a new formatter on every call (per bucket, per request). */
const BUCKET_DAY = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** The UTC day a trend bucket covers ("Mar 12"), or the days of a week's ("Nov 30 – Dec 6", "Dec 1 – 7"). */
export function trendBucketLabel({ start, end }: { start: Date; end: Date }): string {
  // A bucket ends at a midnight (not part of it) or, today's, now: its last day is the one its last moment is in.
  const lastDay = new Date(Math.max(start.getTime(), end.getTime() - 1));
  return lastDay.getTime() - start.getTime() < DAY ? BUCKET_DAY.format(start) : BUCKET_DAY.formatRange(start, lastDay);
}

/** The period's trend, by when questions were asked: asked, median first response, answered within 24 h, solved. */
export async function getServiceTrend(db: Db, scope: PulseScope, window: PulseWindow): Promise<TrendBucket[]> {
  const buckets = trendBuckets(window);
  if (buckets.length === 0) return [];
  const instants = (pick: (bucket: { start: Date; end: Date }) => Date) =>
    `{${buckets.map((bucket) => iso(pick(bucket))).join(",")}}`;
  // Buckets differ in length (the first and last are partial), so each comes with its own start and end.
  const rows = await queryRows<LevelsRow & { position: number }>(
    db,
    sql`
      select b.position, ${levelColumns(window.now)}
      from unnest(${instants((bucket) => bucket.start)}::timestamptz[], ${instants((bucket) => bucket.end)}::timestamptz[])
        with ordinality as b(start, finish, position)
      left join question_facts f on not f.is_deleted
        and f.asked_at >= b.start and f.asked_at < b.finish ${scopeFilter(scope, "f")}
      group by b.position order by b.position`,
  );
  return buckets.map((bucket, i) => {
    const row = rows[i];
    const levels = toLevels(row, undefined, 0);
    return {
      ...bucket,
      asked: levels.asked,
      firstResponseMedianHours: levels.firstResponseMedianHours,
      answeredWithin24hShare: levels.answeredWithin24hShare,
      solvedShare: levels.solvedShare,
    };
  });
}

export type UnansweredQuestion = {
  id: number;
  title: string;
  askedAt: Date;
  isPlainLanguage: boolean;
  askerName: string;
};

/** Where helpers are needed: open (not closed) questions with no answer from someone else, oldest first. */
export async function listUnansweredOldestFirst(
  db: Db,
  spaceId: number,
  { limit = 20, now = new Date() }: { limit?: number; now?: Date } = {},
): Promise<UnansweredQuestion[]> {
  const rows = await queryRows<{
    id: number;
    title: string;
    asked_at: Date | string;
    is_plain_language: boolean;
    asker_name: string;
  }>(
    db,
    sql`
      select f.question_id as id, q.title, f.asked_at, f.is_plain_language,
        case when q.is_anonymous then ${ANONYMOUS_NAME} else u.name end as asker_name
      from question_facts f join posts q on q.id = f.question_id join users u on u.id = f.asker_id
      where f.space_id = ${spaceId} and ${isWaitingForAnswer} and f.asked_at < ${iso(now)}::timestamptz
      order by f.asked_at, f.question_id limit ${limit}`,
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    askedAt: new Date(row.asked_at),
    isPlainLanguage: row.is_plain_language,
    askerName: row.asker_name,
  }));
}

export function parsePeriod(value: string | null): PulsePeriod {
  const days = Number(value);
  return PULSE_PERIODS.find((period) => period === days) ?? 30;
}
