/**
 * Follow / Following toggle for a question, how-to, tag, space or person. A plain form (works without JavaScript,
 * returning to this page); with JavaScript it toggles in place and shows the new state at once.
 */
import { Link, useLocation } from "@remix-run/react";
import type { FollowTarget } from "#db/schema";
import type { FollowActionResult } from "~/routes/follow";
import { ToggleForm } from "./ToggleForm";

type Props = {
  type: FollowTarget;
  targetKey: string;
  /** Null when not known yet (the per-person state has not loaded). */
  isFollowing: boolean | null;
  /**
   * Completes the button's name for screen readers: "Follow this question", "Follow the tag vpn"; signed out, the
   * link to sign in is "Follow this question (sign in)".
   */
  label: string;
  isSignedIn: boolean;
  /** Where to come back to after following or signing in (default: this page's whole address). */
  returnTo?: string;
};

export function FollowButton({ type, targetKey, isFollowing, label, isSignedIn, returnTo }: Props) {
  const location = useLocation();
  const here = returnTo ?? `${location.pathname}${location.search}`;
  if (!isSignedIn) {
    return (
      <Link
        to={`/signin?redirectTo=${encodeURIComponent(here)}`}
        className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 text-sm no-underline print:hidden dark:border-slate-700"
      >
        Follow<span className="sr-only">{` ${label} (sign in)`}</span>
      </Link>
    );
  }
  return (
    <ToggleForm<FollowActionResult>
      fetcherKey={`follow-${type}-${targetKey}`}
      action="/follow"
      fields={{ type, key: targetKey }}
      intents={{ on: "follow", off: "unfollow" }}
      isOn={isFollowing}
      isOnAfter={(result) => result.isFollowing}
      returnTo={here}
      label="Follow"
      hiddenLabel={label}
      title={(following) =>
        following ? "You hear of new activity. Select to stop." : "Hear of new activity in your notifications"
      }
    />
  );
}
