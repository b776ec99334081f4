/**
 * Save / Saved toggle for a question or how-to: keeps it in the person's "Saved for later" list (/saved). A plain form
 * (works without JavaScript, returning to this page); with JavaScript it toggles in place. Signed out, it is a link
 * to sign-in and back, named so ("Save this question for later (sign in)") like the signed-out Follow link.
 */
import { Link, useLocation } from "@remix-run/react";
import type { SaveActionResult } from "~/routes/saved";
import { ToggleForm } from "./ToggleForm";

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
  const location = useLocation();
  const here = returnTo ?? `${location.pathname}${location.search}`;
  if (!isSignedIn) {
    return (
      <Link
        to={`/signin?redirectTo=${encodeURIComponent(here)}`}
        className="inline-flex min-h-11 items-center gap-1 rounded-md border border-slate-300 px-3 text-sm font-medium no-underline print:hidden dark:border-slate-700"
      >
        Save<span className="sr-only">{` this ${noun} for later (sign in)`}</span>
      </Link>
    );
  }
  return (
    <ToggleForm<SaveActionResult>
      fetcherKey={`save-${postId}`}
      action="/saved"
      fields={{ postId: String(postId) }}
      intents={{ on: "save", off: "unsave" }}
      isOn={isSaved}
      isOnAfter={(result) => result.isSaved}
      returnTo={here}
      label="Save"
      hiddenLabel={`this ${noun} for later`}
      title={(saved) =>
        saved ? "In your Saved for later list. Select to remove it." : "Keep it in your Saved for later list"
      }
    />
  );
}
