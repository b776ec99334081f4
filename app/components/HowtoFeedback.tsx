/**
 * "Did this help?" on a how-to: the yes/no counts for everyone, the form for signed-in readers who are not
 * the author (their own answer shown and changeable), and the readers' comments for the author.
 */
import { Link, useFetcher, useFormAction } from "@remix-run/react";
import { TextAreaField } from "~/components/ui/Field";
import { HOWTO_LIMITS } from "~/lib/howtos";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import type { FeedbackComment } from "~/models/howtos.types";
import type { HowtoViewerState } from "~/models/howtos.types";
import { cx } from "~/lib/cx";
import { useFocusWhenSettled } from "~/lib/focus";
import { useRef } from "react";

/** The JSON of /howtos/:id/viewer (dates arrive as strings). */
export type HowtoViewerJson = Omit<HowtoViewerState, "feedbackComments"> & {
  isFollowing: boolean;
  isSaved: boolean;
  feedbackComments: (Omit<FeedbackComment, "updatedAt"> & { updatedAt: string })[] | null;
};

/** What the how-to page's action answers (fetchers get it as data; without JavaScript it re-renders the page). */
export type HowtoActionResult = {
  intent: string;
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};

export function HelpfulCounts({ yes, no }: { yes: number; no: number }) {
  if (yes + no === 0)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        No answers yet. Be the first to say whether it worked for you.
      </p>
    );
  return (
    <p className="text-sm" data-testid="helpful-counts">
      <strong>{yes}</strong> {yes === 1 ? "person" : "people"} found this helpful · <strong>{no}</strong> didn&apos;t
    </p>
  );
}

const unchosenButton = cx(
  "border-slate-300 bg-white text-slate-900 hover:bg-slate-50",
  "dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
);
const answerButton =
  "inline-flex min-h-11 items-center justify-center rounded-lg border px-4 text-sm font-semibold disabled:opacity-50";

export function FeedbackForm({
  viewer,
  isSignedIn,
  isHydrated,
  signInHref,
  pageResult,
  justSaved,
}: {
  viewer: HowtoViewerJson | null;
  isSignedIn: boolean;
  isHydrated: boolean;
  signInHref: string;
  /** The page's action data when the form was posted without JavaScript. */
  pageResult: HowtoActionResult | undefined;
  justSaved: boolean;
}) {
  const fetcher = useFetcher<HowtoActionResult>();
  const formRef = useRef<HTMLFormElement>(null);
  // Posted without JavaScript, the page comes back at its feedback section, where a refusal's message is.
  const formAction = `${useFormAction()}#feedback`;
  // Once saved: focus the thanks; refused: the comment field when the message is about it (tied to it), else the message.
  useFocusWhenSettled(fetcher.state === "idle" ? fetcher.data : undefined, () => {
    const form = formRef.current;
    if (fetcher.data?.ok) return form?.querySelector("[data-saved-notice]");
    if (fetcher.data?.fieldErrors?.comment) return form?.querySelector("textarea[name=comment]");
    return form?.querySelector("[role=alert]");
  });
  if (!isSignedIn) {
    return (
      <p className="text-sm">
        <Link to={signInHref}>Sign in</Link> to say whether this how-to helped you.
      </p>
    );
  }
  const result = fetcher.data ?? (pageResult?.intent === "feedback" ? pageResult : undefined);
  const failed = result && !result.ok ? result : undefined;
  // Before the viewer's data arrives (or without JavaScript) the form is offered; the action checks again. A refused
  // answer keeps the form, even once rating is no longer open to this person: its message and their comment stay.
  if (viewer && !viewer.canRate && !failed)
    return viewer.rateHint ? <p className="text-sm text-slate-600 dark:text-slate-400">{viewer.rateHint}</p> : null;
  const mine = viewer?.myFeedback ?? null;
  const isSaving = fetcher.state !== "idle";
  return (
    <fetcher.Form ref={formRef} method="post" action={formAction} className="space-y-3" noValidate preventScrollReset>
      <input type="hidden" name="intent" value="feedback" />
      {isHydrated ? <input type="hidden" name="js" value="1" /> : null}
      {mine ? (
        <p className="text-sm" role="status">
          You said this <strong>{mine.isHelpful ? "helped" : "didn't help"}</strong>. You can change your answer or
          comment at any time.
        </p>
      ) : null}
      {(fetcher.data?.ok || justSaved) && !isSaving ? (
        <p className="text-sm font-medium text-green-800 dark:text-green-300" role="status" data-saved-notice>
          Thanks! Your answer was saved.
        </p>
      ) : null}
      {/* A message about the comment shows under its field only: said twice, a screen reader read it twice. */}
      {failed?.message && !failed.fieldErrors?.comment ? (
        <p className="text-sm font-medium text-red-700 dark:text-red-400" role="alert">
          {failed.message}
        </p>
      ) : null}
      <TextAreaField
        key={mine ? `${mine.isHelpful}:${mine.comment}` : "new"}
        label="Anything to add? (optional)"
        name="comment"
        rows={2}
        maxLength={HOWTO_LIMITS.feedbackCommentMax + 100}
        defaultValue={failed?.values?.comment ?? mine?.comment ?? ""}
        error={failed?.fieldErrors?.comment}
        hint="Only the author sees your comment. What worked, what was missing?"
      />
      <div className="flex flex-wrap gap-2">
        <button
          type="submit"
          name="answer"
          value="yes"
          disabled={isSaving}
          aria-pressed={mine ? mine.isHelpful : undefined}
          className={cx(
            answerButton,
            mine?.isHelpful === true ? "border-green-700 bg-green-700 text-white" : unchosenButton,
          )}
        >
          Yes, it helped
        </button>
        <button
          type="submit"
          name="answer"
          value="no"
          disabled={isSaving}
          aria-pressed={mine ? !mine.isHelpful : undefined}
          className={cx(
            answerButton,
            mine?.isHelpful === false ? "border-slate-700 bg-slate-700 text-white" : unchosenButton,
          )}
        >
          No, it didn&apos;t
        </button>
      </div>
    </fetcher.Form>
  );
}

export function FeedbackComments({
  comments,
}: {
  comments: { isHelpful: boolean; comment: string; updatedAt: string | Date; name: string; handle: string | null }[];
}) {
  if (comments.length === 0)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No comments from readers yet.</p>;
  return (
    <ul className="space-y-2">
      {comments.map((c) => (
        <li
          key={`${c.handle ?? c.name}:${String(c.updatedAt)}`}
          className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800"
        >
          <p dir="auto" className="whitespace-pre-line break-words">
            {c.comment}
          </p>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            <span className={c.isHelpful ? "font-medium text-green-800 dark:text-green-300" : "font-medium"}>
              {c.isHelpful ? "Helped" : "Didn't help"}
            </span>
            {" · "}
            <PersonName name={c.name} handle={c.handle} /> <RelativeTime date={c.updatedAt} />
          </p>
        </li>
      ))}
    </ul>
  );
}
