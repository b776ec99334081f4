/** The search filters in force, each with a link that removes it, shown outside the folded filter panel. */
import { Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { moveFocusTo } from "~/lib/focus";

export type AppliedFilter = { label: string; removeHref: string };

/**
 * After a chip's link removed its filter and the results came, focus goes to the chip now in its place (the next one,
 * else the new last one), else to the results' heading: the removed chip is gone, and focus would fall to `body`.
 */
function useFocusAfterRemoval() {
  const listRef = useRef<HTMLUListElement>(null);
  const removedAt = useRef<number | null>(null);
  const navigation = useNavigation();
  useEffect(() => {
    if (navigation.state !== "idle" || removedAt.current === null) return;
    const index = removedAt.current;
    removedAt.current = null;
    const chips = Array.from(listRef.current?.querySelectorAll("a") ?? []);
    moveFocusTo(chips[Math.min(index, chips.length - 1)] ?? document.getElementById("search-results-heading"));
  }, [navigation.state]);
  return {
    listRef,
    onRemove: (index: number) => {
      removedAt.current = index;
    },
  };
}

/** Nothing when no filter is on; otherwise "Filters on:" and one removable chip per filter, so none is ever hidden. */
export function SearchAppliedFilters({ filters }: { filters: AppliedFilter[] }) {
  const { listRef, onRemove } = useFocusAfterRemoval();
  if (filters.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <p id="search-applied-filters" className="font-medium">
        Filters on:
      </p>
      <ul ref={listRef} aria-labelledby="search-applied-filters" className="flex flex-wrap gap-2">
        {filters.map((filter, i) => (
          <li key={filter.label}>
            <Link
              to={filter.removeHref}
              preventScrollReset
              aria-label={`Remove filter: ${filter.label}`}
              onClick={() => onRemove(i)}
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
