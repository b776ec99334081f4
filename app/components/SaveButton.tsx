/**
 * Save / Saved toggle for a question or how-to: keeps it in the person's "Saved for later" list (/saved). A plain form
 * (works without JavaScript, returning to this page); with JavaScript it toggles in place. Signed out, it leads to
 * sign-in and back.
 */
import { Link, useFetcher, useLocation } from "@remix-run/react";
import { cx } from "~/lib/cx";
import { useIsHydrated } from "~/lib/hydrated";
import type { SaveActionResult } from "~/routes/saved";

type Props = {
  postId: number;
  /** Null when not known yet (the per-person state has not loaded). */
  isSaved: boolean | null;
  noun: "question" | "how-to";
  isSignedIn: boolean;
  /** Where to come back to (default: this page's whole address). */
  returnTo?: string;
};

export function SaveButton({ postId, isSaved, noun, isSignedIn, returnTo }: Props) {
  const fetcher = useFetcher<SaveActionResult>({ key: `save-${postId}` });
  const location = useLocation();
  const isHydrated = useIsHydrated();
  const here = returnTo ?? `${location.pathname}${location.search}`;
  const buttonClass = "inline-flex min-h-11 items-center gap-1 rounded-md border px-3 text-sm font-medium";
  if (!isSignedIn) {
    return (
      <Link
        to={`/signin?redirectTo=${encodeURIComponent(here)}`}
        className={cx(buttonClass, "border-slate-300 no-underline dark:border-slate-700")}
        aria-label={`Save this ${noun} for later`}
      >
        Save
      </Link>
    );
  }
  const pending = fetcher.formData?.get("intent");
  const saved = pending ? pending === "save" : fetcher.data?.ok ? fetcher.data.isSaved : isSaved;
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <fetcher.Form method="post" action="/saved" className="inline-flex flex-col">
      <input type="hidden" name="postId" value={postId} />
      <input type="hidden" name="redirectTo" value={here} />
      <input type="hidden" name="intent" value={saved ? "unsave" : "save"} />
      {isHydrated ? <input type="hidden" name="js" value="1" /> : null}
      <button
        type="submit"
        aria-pressed={saved === null ? undefined : saved}
        aria-label={`${saved ? "Saved" : "Save"} this ${noun} for later`}
        title={saved ? "In your Saved for later list. Select to remove it." : "Keep it in your Saved for later list"}
        className={cx(
          buttonClass,
          saved
            ? "border-brand-600 bg-brand-50 text-brand-800 dark:bg-slate-800 dark:text-brand-200"
            : "border-slate-300 dark:border-slate-700",
        )}
      >
        {saved ? "✓ Saved" : "Save"}
      </button>
      {error ? (
        <span role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
