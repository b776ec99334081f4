/** "Flag": a plain link to the flag form for a post, comment, session question or profile (same for every reader, so cached pages can carry it). */
import type { ModeratedTarget } from "#db/schema";

export function FlagLink({
  type,
  id,
  noun,
  returnTo,
  className = "inline-flex min-h-11 items-center rounded-md px-2 text-sm text-slate-600 dark:text-slate-400",
}: {
  type: ModeratedTarget;
  id: number | string;
  noun: string;
  returnTo?: string;
  className?: string;
}) {
  const query = new URLSearchParams({ type, id: String(id), ...(returnTo ? { returnTo } : {}) });
  return (
    <a
      href={`/flag?${query.toString()}`}
      rel="nofollow"
      className={`${className} print:hidden`}
      aria-label={`Flag this ${noun} for moderators`}
    >
      Flag
    </a>
  );
}
