/**
 * /pulse: the community's own service levels for the last 7, 30 or 90 days, site-wide, per space or per tag: time to
 * first response (median and 90th percentile), time to an accepted answer, answered within 24 hours, solved, the
 * unanswered backlog, plain-language answers rated easy to understand, how-to helpfulness, with trend charts and,
 * per space, the unanswered questions oldest first. Public; moderators also get a CSV export.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { Db } from "#db/client.server";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { LocalTime } from "~/components/LocalTime";
import { PulseCountingRules, PulseLevelStats, PulseLevelsTable, PulseTrends } from "~/components/PulseSections";
import { PULSE_PERIODS } from "~/lib/pulse";
import { questionPath } from "~/lib/qa";
import { type TtlCache, createTtlCache } from "~/lib/ttl-cache.server";
import { RelativeTime } from "~/components/RelativeTime";
import { can } from "~/models/permissions.server";
import { findTagBySlug } from "~/models/tags.server";
import {
  type PulseScope,
  getServiceLevels,
  getServiceLevelsBySpace,
  getServiceLevelsByTag,
  getServiceTrend,
  listUnansweredOldestFirst,
  parsePeriod,
  trendBucketLabel,
} from "~/models/pulse.server";
import type { ServiceLevels } from "~/models/pulse.types";
import { getSpaceBySlug } from "~/models/spaces.server";
import { getSpaceNames } from "~/models/public-data-memo.server";
import {
  TAGS,
  cachedNumbersCaching,
  publicPageHeaders,
  publicPageHeadersFunction,
} from "~/lib/page-cache-policy.server";
import { cx } from "~/lib/cx";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error
    ? errorMeta(error)
    : [
        {
          title: page
            ? `Service pulse${page.scopeName ? `: ${page.scopeName}` : ""} · PeerDesk`
            : "Service pulse · PeerDesk",
        },
        {
          name: "description",
          content:
            "How quickly and how well the PeerDesk community helps: response times, solved questions and feedback, by space and tag.",
        },
      ];

/**
 * The numbers take a few hundred milliseconds on a large community: computed at most once a minute per scope and period,
 * per database (as the other caches are: a process serving or testing another database never sees these numbers).
 */
const caches = new WeakMap<Db, TtlCache<PulseNumbers>>();
function pulseCache(db: Db, ttlSeconds: number): TtlCache<PulseNumbers> {
  let cache = caches.get(db);
  if (!cache) {
    cache = createTtlCache<PulseNumbers>({ ttlMs: ttlSeconds * 1000 });
    caches.set(db, cache);
  }
  return cache;
}

type PulseNumbers = {
  levels: ServiceLevels;
  trend: Awaited<ReturnType<typeof getServiceTrend>>;
  bySpace: Awaited<ReturnType<typeof getServiceLevelsBySpace>>;
  byTag: Awaited<ReturnType<typeof getServiceLevelsByTag>>;
};

/** The part of the cache key that names the scope: its kind and the space's or tag's id. */
function scopeKey(scope: PulseScope): string {
  if (scope.kind === "space") return `space:${scope.spaceId}`;
  if (scope.kind === "tag") return `tag:${scope.tagId}`;
  return "site:";
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const url = new URL(request.url);
  const days = parsePeriod(url.searchParams.get("days"));
  const spaceSlug = url.searchParams.get("space")?.trim() || null;
  const tagSlug = url.searchParams.get("tag")?.trim().toLowerCase() || null;
  const now = new Date();
  const spaces = await getSpaceNames(db);
  let scope: PulseScope = { kind: "site" };
  let scopeName: string | null = null;
  if (spaceSlug) {
    const space = spaces.find((s) => s.slug === spaceSlug) ?? (await getSpaceBySlug(db, spaceSlug.slice(0, 80)));
    if (!space) throw new Response(`There is no space called “${spaceSlug.slice(0, 80)}”.`, { status: 404 });
    scope = { kind: "space", spaceId: space.id };
    scopeName = space.name;
  } else if (tagSlug) {
    const tag = await findTagBySlug(db, tagSlug);
    if (!tag) throw new Response(`There is no tag called “${tagSlug.slice(0, 80)}”.`, { status: 404 });
    scope = { kind: "tag", tagId: tag.id };
    scopeName = `tag ${tagSlug}`;
  }
  const window = { days, now };
  const cacheKey = `${scopeKey(scope)}:${days}`;
  const ttlSeconds = context.services.env.PULSE_CACHE_SECONDS;
  const [{ value, computedAt }, unanswered] = await Promise.all([
    pulseCache(db, ttlSeconds).get(cacheKey, async () => {
      const [levels, trend, bySpace, byTag] = await Promise.all([
        getServiceLevels(db, scope, window),
        getServiceTrend(db, scope, window),
        scope.kind === "site" ? getServiceLevelsBySpace(db, window) : Promise.resolve([]),
        scope.kind === "site" ? getServiceLevelsByTag(db, window, 10) : Promise.resolve([]),
      ]);
      return { levels, trend, bySpace, byTag };
    }),
    // A space's unanswered questions are a list of posts, not numbers: read fresh (one indexed query), so an answer
    // or a moderator's deletion takes a question off it at once; the stored page carries the space's tag for that.
    scope.kind === "space" ? listUnansweredOldestFirst(db, scope.spaceId, { limit: 20, now }) : Promise.resolve([]),
  ]);
  const { levels, trend, byTag } = value;
  // Stored numbers, today's names: a space renamed within the minute is not listed under its old name.
  const spaceNow = new Map(spaces.map((space) => [space.id, space]));
  const bySpace = value.bySpace.map((row) => {
    const space = spaceNow.get(row.spaceId);
    return space ? { ...row, name: space.name, slug: space.slug } : row;
  });
  const canExport = can(asActor(await getCurrentUser(request, context)), "pulse.export");
  // Signed-out readers share the page, stored as long as its numbers (cached for PULSE_CACHE_SECONDS) have left.
  const caching = cachedNumbersCaching(ttlSeconds, computedAt);
  const pulseHeaders = publicPageHeaders(request, {
    ...caching,
    tags: scope.kind === "space" ? [...caching.tags, TAGS.space(scope.spaceId)] : caching.tags,
  });
  // Signed in (staff see an export link), entry.server.tsx makes it private.
  pulseHeaders.set("Cache-Control", "no-cache");
  return data(
    {
      days,
      scope: scope.kind,
      spaceSlug: scope.kind === "space" ? spaceSlug : null,
      tagSlug: scope.kind === "tag" ? tagSlug : null,
      scopeName,
      spaces: spaces.map(({ slug, name }) => ({ slug, name })),
      levels,
      trend: trend.map((bucket) => ({ ...bucket, label: trendBucketLabel(bucket) })),
      bySpace,
      byTag,
      unanswered,
      canExport,
      computedAt: computedAt.toISOString(),
    },
    { headers: pulseHeaders },
  );
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

function periodHref(days: number, spaceSlug: string | null, tagSlug: string | null): string {
  const params = new URLSearchParams();
  if (days !== 30) params.set("days", String(days));
  if (spaceSlug) params.set("space", spaceSlug);
  if (tagSlug) params.set("tag", tagSlug);
  const query = params.toString();
  return query ? `/pulse?${query}` : "/pulse";
}

export default function Pulse() {
  const page = useLoaderData<typeof loader>();
  const { days, levels } = page;
  const step = days === 90 ? "week" : "day";
  // In its own direction, so a right-to-left space name keeps "Service pulse:" and the sentence around it in order.
  const scopeName = page.scopeName ? <bdi>{page.scopeName}</bdi> : null;
  return (
    <div className="space-y-6">
      <header className="space-y-2">
        {page.scope === "site" ? null : (
          <p className="text-sm">
            <Link to={periodHref(days, null, null)}>Service pulse: all spaces</Link>
          </p>
        )}
        <h1 className="text-2xl font-bold">{scopeName ? <>Service pulse: {scopeName}</> : "Service pulse"}</h1>
        <p className="text-slate-700 dark:text-slate-300">
          How quickly and how well people are helped {scopeName ? <>in {scopeName}</> : "across PeerDesk"}, for
          questions asked in the last {days} days. Numbers come straight from the questions, answers and askers' own
          ratings.
        </p>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          As of <LocalTime iso={page.computedAt} /> (recomputed at most once a minute). The trends cover the same {days}{" "}
          days, by calendar {days === 90 ? "weeks" : "days"} in UTC: the first starts exactly {days} days ago and the
          last is today so far, so both can be partial.
        </p>
        <nav aria-label="Period" className="flex flex-wrap gap-2">
          {PULSE_PERIODS.map((period) => (
            <Link
              key={period}
              to={periodHref(period, page.spaceSlug, page.tagSlug)}
              aria-current={period === days ? "page" : undefined}
              className={cx(
                "min-h-11 rounded-full border px-4",
                "py-2 text-sm font-medium no-underline",
                period === days
                  ? "border-brand-600 bg-brand-600 text-white"
                  : "border-slate-300 text-slate-800 dark:border-slate-700 dark:text-slate-200",
              )}
            >
              Last {period} days
            </Link>
          ))}
        </nav>
        <Form method="get" className="flex flex-wrap items-end gap-2">
          {days !== 30 ? <input type="hidden" name="days" value={days} /> : null}
          <div className="flex min-w-0 max-w-full flex-col text-sm">
            <label htmlFor="pulse-space">Space</label>
            <select
              id="pulse-space"
              name="space"
              defaultValue={page.spaceSlug ?? ""}
              className="min-h-11 rounded-md border border-slate-300 px-2 dark:border-slate-700 dark:bg-slate-900"
            >
              <option value="">All spaces</option>
              {page.spaces.map((space) => (
                <option key={space.slug} value={space.slug}>
                  {space.name}
                </option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-medium dark:border-slate-700"
          >
            Show
          </button>
          {page.canExport ? (
            <a
              href={`/pulse.csv?days=${days}`}
              className="min-h-11 rounded-md border border-slate-300 px-3 py-2.5 text-sm font-medium no-underline dark:border-slate-700"
              download
            >
              Download per-space CSV
            </a>
          ) : null}
        </Form>
      </header>

      <section aria-labelledby="levels-heading" className="space-y-2">
        <h2 id="levels-heading" className="text-lg font-semibold">
          {levels.asked.toLocaleString("en-US")} {levels.asked === 1 ? "question" : "questions"} asked in the last{" "}
          {days} days
        </h2>
        <PulseLevelStats levels={levels} />
      </section>

      <PulseTrends trend={page.trend} step={step} />

      {page.scope === "space" ? (
        <section aria-labelledby="unanswered-heading" className="space-y-2">
          <h2 id="unanswered-heading" className="text-lg font-semibold">
            Unanswered, oldest first
          </h2>
          {page.unanswered.length === 0 ? (
            <p className="text-slate-600 dark:text-slate-400">Every question here has an answer. Thank you, helpers!</p>
          ) : (
            <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
              {page.unanswered.map((question) => (
                <li key={question.id} className="p-3">
                  <Link to={questionPath(question.id, question.title)} dir="auto" className="font-medium">
                    {question.title}
                  </Link>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    Asked by <span dir="auto">{question.askerName}</span> <RelativeTime date={question.askedAt} />
                    {question.isPlainLanguage ? " · plain language please" : ""}
                  </p>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}

      {page.bySpace.length > 0 ? (
        <section aria-labelledby="spaces-heading" className="space-y-2">
          <h2 id="spaces-heading" className="text-lg font-semibold">
            By space
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Open a space to see its trends and its unanswered questions, oldest first.
          </p>
          <PulseLevelsTable
            caption={`Service levels per space, last ${days} days`}
            firstColumn="Space"
            rows={page.bySpace.map((space) => ({
              ...space,
              key: space.slug,
              label: space.name,
              href: periodHref(days, space.slug, null),
            }))}
          />
        </section>
      ) : null}

      {page.byTag.length > 0 ? (
        <section aria-labelledby="tags-heading" className="space-y-2">
          <h2 id="tags-heading" className="text-lg font-semibold">
            Most asked-about tags
          </h2>
          <PulseLevelsTable
            caption={`Service levels for the ${page.byTag.length} most used tags, last ${days} days`}
            firstColumn="Tag"
            rows={page.byTag.map((tag) => ({
              ...tag,
              key: tag.slug,
              label: tag.slug,
              href: periodHref(days, null, tag.slug),
            }))}
          />
        </section>
      ) : null}

      <PulseCountingRules />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
