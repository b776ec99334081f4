/** A numbered page past the last one (an old link, or its last item removed meanwhile): says so, with a way back. */
import { Link } from "@remix-run/react";

export function PastLastPage({
  page,
  pageCount,
  what,
  lastHref,
  onePageLabel,
}: {
  page: number;
  pageCount: number;
  /** What fills the pages, as the sentence names it: "these results", "your saved questions and how-tos". */
  what: string;
  lastHref: string;
  /** The way back when everything fits on one page: "See the results". */
  onePageLabel: string;
}) {
  const fill = pageCount === 1 ? "fit on 1 page" : `fill ${pageCount.toLocaleString("en")} pages`;
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
      <p>{`There is no page ${page.toLocaleString("en")}: ${what} ${fill}.`}</p>
      <p className="mt-2">
        <Link to={lastHref}>{pageCount === 1 ? onePageLabel : `Go to the last page (${pageCount})`}</Link>
      </p>
    </div>
  );
}
