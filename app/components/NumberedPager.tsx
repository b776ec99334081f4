/** "← Previous · Page 2 of 5 · Next →" under a list paged by number (tags, saved posts); nothing for a single page. */
import { Link } from "@remix-run/react";

export function NumberedPager({
  page,
  pageCount,
  href,
}: {
  page: number;
  pageCount: number;
  /** The address of a page by its number. */
  href: (page: number) => string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      {page > 1 ? (
        <Link to={href(page - 1)} className="inline-flex min-h-11 items-center">
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link to={href(page + 1)} className="inline-flex min-h-11 items-center">
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
