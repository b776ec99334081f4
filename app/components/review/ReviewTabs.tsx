/**
 * The review pages' tabs: flagged and held posts, closed questions waiting for a reopen decision (with counts), and
 * the pictures people added to posts (to take one down).
 */
import { NavLink } from "@remix-run/react";
import { cx } from "~/lib/cx";

const TAB =
  "inline-flex min-h-11 items-center rounded-t-md border-b-2 px-3 text-sm font-semibold focus-visible:outline-2";

function tabClass({ isActive }: { isActive: boolean }) {
  return cx(
    TAB,
    isActive
      ? "border-brand-600 text-brand-800 dark:text-brand-200"
      : "border-transparent text-slate-700 hover:border-slate-300 dark:text-slate-300",
  );
}

export function ReviewTabs({ flagged, reopen }: { flagged: number; reopen: number }) {
  return (
    <nav aria-label="Review queues" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="flex flex-wrap gap-1">
        <li>
          <NavLink to="/review" end className={tabClass}>
            Flagged and held ({flagged})
          </NavLink>
        </li>
        <li>
          <NavLink to="/review/reopen" className={tabClass}>
            Reopen votes ({reopen})
          </NavLink>
        </li>
        <li>
          <NavLink to="/review/images" className={tabClass}>
            Pictures
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

/** Under a queue's heading when it lists fewer than wait (each list shows the ones that waited longest). */
export function MoreWaiting({ shown, total }: { shown: number; total: number }) {
  if (shown >= total) return null;
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300">
      Showing the {shown} that waited longest; the other {total - shown} appear here as these are decided.
    </p>
  );
}
