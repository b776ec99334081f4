/** Sort tabs (newest, active, unanswered, top by period), the tag filter, and previous/next page links for a question list. */
import { Link } from "@remix-run/react";
import { type ListParams, type QuestionSort, type TopPeriod, listHref } from "~/lib/qa";

const SORT_LABELS: Record<QuestionSort, string> = {
  active: "Active",
  newest: "Newest",
  unanswered: "Unanswered",
  top: "Top",
};
const PERIOD_LABELS: Record<TopPeriod, string> = { week: "This week", month: "This month", all: "All time" };

const tabClass = (isCurrent: boolean) =>
  `inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium no-underline ${
    isCurrent
      ? "bg-brand-600 text-white hover:no-underline"
      : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
  }`;

export function QuestionSortTabs({ basePath, params }: { basePath: string; params: ListParams }) {
  return (
    <div className="space-y-2">
      <nav aria-label="Sort questions" className="flex flex-wrap gap-1">
        {(Object.keys(SORT_LABELS) as QuestionSort[]).map((sort) => (
          <Link
            key={sort}
            to={listHref(basePath, { sort, tag: params.tag })}
            className={tabClass(params.sort === sort)}
            aria-current={params.sort === sort ? "page" : undefined}
          >
            {SORT_LABELS[sort]}
          </Link>
        ))}
      </nav>
      {params.sort === "top" ? (
        <nav aria-label="Top questions from" className="flex flex-wrap gap-1">
          {(Object.keys(PERIOD_LABELS) as TopPeriod[]).map((period) => (
            <Link
              key={period}
              to={listHref(basePath, { sort: "top", period, tag: params.tag })}
              className={tabClass(params.period === period)}
              aria-current={params.period === period ? "page" : undefined}
            >
              {PERIOD_LABELS[period]}
            </Link>
          ))}
        </nav>
      ) : null}
      {params.tag ? (
        <p className="text-sm">
          Showing questions tagged{" "}
          <span className="rounded-full bg-slate-100 px-2 py-0.5 font-medium dark:bg-slate-800">{params.tag}</span>{" "}
          <Link to={listHref(basePath, { sort: params.sort, period: params.period })}>Show all tags</Link>
        </p>
      ) : null}
    </div>
  );
}

export function QuestionPager({
  basePath,
  params,
  prevCursor,
  nextCursor,
}: {
  basePath: string;
  params: ListParams;
  prevCursor: string | null;
  nextCursor: string | null;
}) {
  if (!prevCursor && !nextCursor) return null;
  const keep = { sort: params.sort, period: params.period, tag: params.tag };
  return (
    <nav aria-label="Pages" className="flex justify-between gap-2">
      {prevCursor ? (
        <Link to={listHref(basePath, { ...keep, before: prevCursor })} className={tabClass(false)} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link to={listHref(basePath, { ...keep, after: nextCursor })} className={tabClass(false)} rel="next">
          More questions →
        </Link>
      ) : null}
    </nav>
  );
}

/** Why a question list page has no questions: it is past the last page, its tag or period match none, or there are none. */
export function emptyListReason(params: ListParams): "past-the-end" | "filtered" | "none" {
  if (params.after || params.before) return "past-the-end";
  if (params.tag || (params.sort === "top" && params.period !== "all")) return "filtered";
  return "none";
}

/** The way on from an empty list page: back to its first page, or the same list without its tag and period. */
export function EmptyListWayOut({ basePath, params }: { basePath: string; params: ListParams }) {
  const reason = emptyListReason(params);
  if (reason === "none") return null;
  return (
    <p>
      {reason === "past-the-end" ? (
        <Link to={listHref(basePath, { sort: params.sort, period: params.period, tag: params.tag })}>← First page</Link>
      ) : (
        <Link to={listHref(basePath, { sort: params.sort })}>Clear the filters</Link>
      )}
    </p>
  );
}
