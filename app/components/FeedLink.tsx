/** "Follow in a feed reader": a list's Atom feed, as a link on the page and as the page's alternate for feed readers. */
import type { ReactNode } from "react";
import { cx } from "~/lib/cx";

/** The feed's address for a list: `/questions.atom` or `/howtos.atom`, narrowed to a space and a tag. */
export function feedHref(
  feed: "questions" | "howtos",
  { space, tag }: { space?: string | null; tag?: string | null } = {},
): string {
  const query = new URLSearchParams();
  if (space) query.set("space", space);
  if (tag) query.set("tag", tag);
  const search = query.toString();
  return `/${feed}.atom${search ? `?${search}` : ""}`;
}

/** For a route's meta: feed readers and browsers find the feed from the page's address. */
export function feedMeta(href: string, title: string) {
  return { tagName: "link", rel: "alternate", type: "application/atom+xml", title, href } as const;
}

export function FeedLink({ href, what, className }: { href: string; what: ReactNode; className?: string }) {
  return (
    <p className={cx("text-sm print:hidden", className)}>
      <a href={href} type="application/atom+xml">
        Follow {what} in a feed reader
      </a>{" "}
      <span className="text-slate-600 dark:text-slate-400">(RSS/Atom)</span>
    </p>
  );
}
