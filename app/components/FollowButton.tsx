/**
 * Follow / Following toggle for a question, how-to, tag, space or person. A plain form (works without JavaScript,
 * returning to this page); with JavaScript it toggles in place and shows the new state at once.
 */
import { Link, useFetcher, useLocation } from "@remix-run/react";
import type { FollowTarget } from "#db/schema";
import { useIsHydrated } from "~/lib/hydrated";
import type { FollowActionResult } from "~/routes/follow";
import { cx } from "~/lib/cx";

type Props = {
  type: FollowTarget;
  targetKey: string;
  /** Null when not known yet (the per-person state has not loaded). */
  isFollowing: boolean | null;
  /** Named in the accessible label: "Follow this question", "Follow the tag vpn". */
  label: string;
  isSignedIn: boolean;
  /** Where to come back to after following or signing in (default: this page's whole address). */
  returnTo?: string;
};

export function FollowButton({ type, targetKey, isFollowing, label, isSignedIn, returnTo }: Props) {
  const fetcher = useFetcher<FollowActionResult>({ key: `follow-${type}-${targetKey}` });
  const location = useLocation();
  const isHydrated = useIsHydrated();
  const here = returnTo ?? `${location.pathname}${location.search}`;
  if (!isSignedIn) {
    return (
      <Link
        to={`/signin?redirectTo=${encodeURIComponent(here)}`}
        className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 text-sm no-underline dark:border-slate-700"
      >
        Follow
      </Link>
    );
  }
  const pending = fetcher.formData?.get("intent");
  const following = pending ? pending === "follow" : fetcher.data?.ok ? fetcher.data.isFollowing : isFollowing;
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <fetcher.Form method="post" action="/follow" className="inline-flex flex-col">
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="key" value={targetKey} />
      <input type="hidden" name="redirectTo" value={here} />
      <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
      {isHydrated ? <input type="hidden" name="js" value="1" /> : null}
      <button
        type="submit"
        aria-pressed={following === null ? undefined : following}
        aria-label={`${following ? "Following" : "Follow"} ${label}`}
        title={following ? "You hear of new activity. Select to stop." : "Hear of new activity in your notifications"}
        className={cx(
          "inline-flex min-h-11 items-center gap-1",
          "rounded-md border px-3 text-sm font-medium",
          following
            ? "border-brand-600 bg-brand-50 text-brand-800 dark:bg-slate-800 dark:text-brand-200"
            : "border-slate-300 dark:border-slate-700",
        )}
      >
        {following ? "✓ Following" : "Follow"}
      </button>
      {error ? (
        <span role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
