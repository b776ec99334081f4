/** The tools row on a how-to's page: edit or suggest, review suggestions, delete, restore, history. */
import { cx } from "~/lib/cx";
import { Form, Link } from "@remix-run/react";
import { FlagLink } from "~/components/FlagLink";
import type { HowtoViewerJson } from "~/components/HowtoFeedback";
import { howtoPath } from "~/lib/howtos";

const toolLink = cx(
  "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-3",
  "text-sm font-medium text-slate-900 no-underline hover:bg-slate-50 hover:no-underline",
  "dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
);

/** Edit, suggest, review, delete, restore and history links for a how-to, as far as this viewer may use them. */
export function AuthorTools({
  howtoId,
  viewer,
  isSignedIn,
  isHydrated,
  revisionCount,
}: {
  howtoId: number;
  viewer: HowtoViewerJson | null;
  isSignedIn: boolean;
  isHydrated: boolean;
  revisionCount: number;
}) {
  const path = howtoPath(howtoId);
  // Without the viewer's data (no JavaScript), signed-in people get the links; the pages behind them check.
  const offline = !viewer && !isHydrated && isSignedIn;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm print:hidden" data-viewer={viewer ? "ready" : "pending"}>
      {viewer?.canEdit ? (
        <Link to={`${path}/edit`} className={toolLink}>
          Edit
        </Link>
      ) : viewer?.canSuggest ? (
        <Link to={`${path}/edit`} className={toolLink}>
          Suggest an edit
        </Link>
      ) : offline ? (
        <Link to={`${path}/edit`} className={toolLink}>
          Edit or suggest an edit
        </Link>
      ) : null}
      {viewer?.canReviewSuggestions && viewer.pendingSuggestions > 0 ? (
        <Link to={`${path}/suggestions`} className={`${toolLink} border-amber-400`}>
          Review {viewer.pendingSuggestions} suggested {viewer.pendingSuggestions === 1 ? "edit" : "edits"}
        </Link>
      ) : null}
      {offline ? (
        <Link to={`${path}/feedback`} className={toolLink}>
          Readers&apos; comments (authors)
        </Link>
      ) : null}
      {viewer?.canDelete ? (
        <Form
          method="post"
          onSubmit={(e) => {
            if (!window.confirm("Delete this how-to? Moderators can restore it.")) e.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className={`${toolLink} text-red-800 dark:text-red-300`}>
            Delete
          </button>
        </Form>
      ) : null}
      {viewer?.canRestore ? (
        <Form method="post">
          <input type="hidden" name="intent" value="restore" />
          <button type="submit" className={toolLink}>
            Restore
          </button>
        </Form>
      ) : null}
      <FlagLink type="post" id={howtoId} noun="how-to" returnTo={path} />
      <Link to={`${path}/revisions`} className="ml-auto px-1 py-2">
        History ({revisionCount} {revisionCount === 1 ? "version" : "versions"})
      </Link>
    </div>
  );
}
