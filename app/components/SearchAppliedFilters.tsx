/** The search filters in force, each with a link that removes it, shown outside the folded filter panel. */
import { Link } from "@remix-run/react";

export type AppliedFilter = { label: string; removeHref: string };

/** Nothing when no filter is on; otherwise "Filters on:" and one removable chip per filter, so none is ever hidden. */
export function SearchAppliedFilters({ filters }: { filters: AppliedFilter[] }) {
  if (filters.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <p id="search-applied-filters" className="font-medium">
        Filters on:
      </p>
      <ul aria-labelledby="search-applied-filters" className="flex flex-wrap gap-2">
        {filters.map((filter) => (
          <li key={filter.label}>
            <Link
              to={filter.removeHref}
              preventScrollReset
              aria-label={`Remove filter: ${filter.label}`}
              className="inline-flex min-h-11 items-center gap-1 rounded-full border border-slate-300 px-3 no-underline dark:border-slate-600"
            >
              {filter.label}
              <span aria-hidden="true">×</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
