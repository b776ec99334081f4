/**
 * Feedback that reaches helpers: the asker's "How well were you helped?" card (one tap to rate, then an optional
 * comment and, for answered plain-language questions, "Was it easy to understand?"), and the "Thanks" button on answers.
 * Both work without JavaScript (plain form posts); with it they submit in place.
 */
import { Form, useFetcher } from "@remix-run/react";
import { type MouseEvent, useId, useRef } from "react";
import { useFocusWhenSettled } from "~/lib/focus";
import { KeptText } from "./KeptText";
import { LocalTime } from "./LocalTime";
import { type QaActionResult, mayOffer, resultFor, useQaPage } from "./QaPageContext";
import { cx } from "~/lib/cx";

export const RATING_WORDS: Record<number, string> = {
  1: "Not at all",
  2: "A little",
  3: "Partly",
  4: "Mostly",
  5: "Completely",
};

/** The rating part of a FeedbackPrompt, as JSON brings it (dates as strings). */
export type RatingShown = {
  rating: number;
  easyToUnderstand: boolean | null;
  comment: string;
  editableUntil: string | Date;
  isEditable: boolean;
};
export type PromptShown =
  | { state: "open"; asksEasyToUnderstand: boolean; existing: RatingShown | null }
  | { state: "closed"; asksEasyToUnderstand: boolean; existing: RatingShown }
  | { state: "later"; opensAt: string | Date }
  | { state: "ownAnswer" };

/** A refused rating: its message, the message per field (if any) and what was typed. */
export type RatingRefusal = { message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

/** The fields that show their own message under them; a refusal about anything else is said above the form. */
const FIELDS_WITH_MESSAGES = ["rating", "comment", "easyToUnderstand"];

/**
 * What to say above the form about a refusal: nothing when a field shows it (its message is under it), else the
 * refusal's own message (a rule such as "can no longer be changed", or a rate limit). Null without a refusal.
 */
export function refusalMessage(failed: RatingRefusal | undefined, { isFormShown = true } = {}): string | null {
  if (!failed) return null;
  const fieldErrors = failed.fieldErrors ?? {};
  if (isFormShown && FIELDS_WITH_MESSAGES.some((field) => fieldErrors[field])) return null;
  // Without the form, a field's message is the one to read (the whole form's says "fix the highlighted fields").
  return Object.values(fieldErrors)[0] ?? failed.message ?? null;
}

/** The comment of a rating that could not be saved, to copy when the form is no longer offered. */
export function UnsavedComment({ failed }: { failed: RatingRefusal | undefined }) {
  const text = failed?.values?.comment?.trim() ?? "";
  if (!text) return null;
  return <KeptText id="unsaved-rating-comment" label="Your comment (not saved)" text={text} />;
}

/**
 * The five ratings, as buttons (one tap) or as radio buttons: rows under each other on a phone, where five boxes side by
 * side leave "Completely" too little room (it broke mid-word at 390 px), and five side by side from the sm breakpoint.
 */
const RATING_CHOICES = "mt-2 grid grid-cols-1 gap-1.5 sm:grid-cols-5";
const RATING_CHOICE =
  "flex min-h-11 min-w-0 items-center gap-3 rounded-md border border-slate-300 px-3 sm:min-h-14 sm:flex-col sm:justify-center sm:gap-0 sm:px-0.5 sm:text-center dark:border-slate-700";

type FieldsProps = {
  prompt: Extract<PromptShown, { state: "open" }>;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  isSubmitting: boolean;
};

/**
 * The form's fields. First time: five buttons, each saves at once (one tap). Once rated: the rating as radio buttons
 * with the optional comment and "easy to understand", saved together.
 */
export function RatingFields({ prompt, errors, values, isSubmitting }: FieldsProps) {
  // aria-disabled, not disabled, while saving: a disabled button drops keyboard focus to the page.
  const busy = { "aria-disabled": isSubmitting || undefined, onClick: isSubmitting ? preventClick : undefined };
  const id = useId();
  const existing = prompt.existing;
  const current = values?.rating ?? (existing ? String(existing.rating) : "");
  const easy =
    values?.easyToUnderstand ??
    (existing?.easyToUnderstand === true ? "yes" : existing?.easyToUnderstand === false ? "no" : "");
  const error = errors?.rating ?? null;
  if (!existing) {
    return (
      <fieldset aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="font-semibold">How well were you helped?</legend>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          One tap saves it. Only the people who helped see your rating; you can add a comment next.
        </p>
        <div className={RATING_CHOICES}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="submit"
              name="rating"
              value={n}
              {...busy}
              className={cx(
                RATING_CHOICE,
                "bg-white text-left hover:border-brand-600 hover:bg-brand-50 aria-disabled:opacity-60 dark:bg-slate-900 dark:hover:bg-slate-800",
              )}
            >
              <RatingWords n={n} />
            </button>
          ))}
        </div>
        <FieldError id={`${id}-error`} message={error} />
      </fieldset>
    );
  }
  return (
    <div className="space-y-3">
      <fieldset aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="font-semibold">How well were you helped?</legend>
        <div className={RATING_CHOICES}>
          {[1, 2, 3, 4, 5].map((n) => (
            <label
              key={n}
              className={cx(
                RATING_CHOICE,
                "cursor-pointer has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50 dark:has-[:checked]:bg-slate-800",
              )}
            >
              <input type="radio" name="rating" value={n} defaultChecked={current === String(n)} className="sr-only" />
              <RatingWords n={n} />
            </label>
          ))}
        </div>
        <FieldError id={`${id}-error`} message={error} />
      </fieldset>
      {prompt.asksEasyToUnderstand ? (
        <fieldset aria-describedby={errors?.easyToUnderstand ? `${id}-easy-error` : undefined}>
          <legend className="text-sm font-medium">Was the answer easy to understand?</legend>
          <div className="mt-1 flex flex-wrap gap-3 text-sm">
            {[
              ["yes", "Yes"],
              ["no", "Not really"],
              ["", "Rather not say"],
            ].map(([value, label]) => (
              <label key={value} className="flex min-h-11 items-center gap-2">
                <input type="radio" name="easyToUnderstand" value={value} defaultChecked={easy === value} />
                {label}
              </label>
            ))}
          </div>
          <FieldError id={`${id}-easy-error`} message={errors?.easyToUnderstand ?? null} />
        </fieldset>
      ) : null}
      <div>
        <label htmlFor={`${id}-comment`} className="block text-sm font-medium">
          A word for the people who helped (optional)
        </label>
        <textarea
          id={`${id}-comment`}
          name="comment"
          rows={3}
          maxLength={1000}
          defaultValue={values?.comment ?? existing.comment}
          aria-invalid={errors?.comment ? true : undefined}
          aria-describedby={errors?.comment ? `${id}-comment-error` : undefined}
          className="mt-1 w-full rounded-md border border-slate-300 p-2 text-base dark:border-slate-700 dark:bg-slate-900"
        />
        {errors?.comment ? (
          <p id={`${id}-comment-error`} role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            {errors.comment}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          {...busy}
          className="min-h-11 rounded-md bg-brand-600 px-4 font-medium text-white hover:bg-brand-700 aria-disabled:opacity-60"
        >
          {isSubmitting ? "Saving…" : "Save feedback"}
        </button>
        <span className="text-xs text-slate-600 dark:text-slate-400">
          You can change it until <LocalTime iso={existing.editableUntil} />.
        </span>
      </div>
    </div>
  );
}

/** Keeps a button that is aria-disabled (busy, or done) from submitting again. */
function preventClick(event: MouseEvent<HTMLButtonElement>) {
  event.preventDefault();
}

/**
 * A rating's number and words, which are also its accessible name ("5 Completely (out of 5)"): the name starts with
 * the visible text, so someone using voice control can say what they see (WCAG 2.5.3). The words wrap between words
 * only (a label inherits the page's break-anywhere).
 */
function RatingWords({ n }: { n: number }) {
  return (
    <>
      <span className="text-lg font-bold tabular-nums">{n}</span>
      <span className="text-sm leading-tight wrap-normal text-slate-600 sm:text-[11px] sm:tracking-tight dark:text-slate-400">
        <span className="sr-only"> </span>
        {RATING_WORDS[n]}
        <span className="sr-only"> (out of 5)</span>
      </span>
    </>
  );
}

function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-sm font-medium text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

export function RatingSummary({ existing }: { existing: RatingShown }) {
  return (
    <p>
      You rated the help <strong>{existing.rating} out of 5</strong> ({RATING_WORDS[existing.rating]})
      {existing.easyToUnderstand === true
        ? ", and said the answer was easy to understand"
        : existing.easyToUnderstand === false
          ? ", and said the answer was not easy to understand"
          : ""}
      . Thank you: the people who helped see it on their “My impact” page.
    </p>
  );
}

/**
 * On the question page, for its asker once they may rate (the viewer's data says so; nothing without JavaScript, where
 * accepting leads to the feedback page). A refusal is said here, and its comment kept, even once rating is closed.
 */
export function FeedbackCard({ questionId }: { questionId: number }) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `rate-${questionId}` });
  const prompt = page.viewer?.feedback as PromptShown | null | undefined;
  const result = resultFor(page, fetcher.data, "rate", questionId);
  const failed = result && !result.ok ? result : undefined;
  const outcome = useRef<HTMLParagraphElement>(null);
  // The first rating swaps the five buttons for the full form: focus what the tap did (saved, or why not) instead.
  useFocusWhenSettled(fetcher.data ?? null, () => outcome.current);
  // Not yet, or never (their own answer accepted): nothing to show unless a rating sent from an older page was refused.
  const isRatable = prompt?.state === "open" || prompt?.state === "closed";
  if (!prompt || (!isRatable && !failed)) return null;
  const isFormShown = prompt.state === "open";
  const refusal = refusalMessage(failed, { isFormShown });
  return (
    <section
      id="feedback"
      aria-labelledby="feedback-heading"
      className="scroll-mt-4 space-y-2 rounded-lg border border-brand-600/40 bg-brand-50/60 p-3 sm:p-4 dark:bg-slate-900"
    >
      <h2 id="feedback-heading" className="sr-only">
        Your feedback on the help you got
      </h2>
      {(prompt.state === "open" || prompt.state === "closed") && prompt.existing ? (
        <RatingSummary existing={prompt.existing} />
      ) : null}
      {isFormShown && result?.ok ? (
        <p ref={outcome} role="status" className="text-sm font-medium text-green-800 dark:text-green-300">
          Saved. Thank you!
        </p>
      ) : null}
      {refusal ? (
        <p ref={outcome} role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          {refusal}
        </p>
      ) : null}
      {isFormShown ? (
        // Posted without JavaScript, the page comes back at this card, where a refusal's message is.
        <fetcher.Form method="post" action={`${page.formAction}#feedback`} preventScrollReset>
          <input type="hidden" name="intent" value="rate" />
          <input type="hidden" name="js" value={page.isHydrated ? "1" : "0"} />
          <RatingFields
            prompt={prompt}
            errors={failed?.fieldErrors}
            values={failed?.values}
            isSubmitting={fetcher.state !== "idle"}
          />
        </fetcher.Form>
      ) : (
        <UnsavedComment failed={failed} />
      )}
    </section>
  );
}

/** "Thanks" on an answer: the count for everyone; a button for signed-in people other than its author. */
export function ThanksButton({ answerId, count, authorName }: { answerId: number; count: number; authorName: string }) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `thank-${answerId}` });
  const mine = page.viewer?.thanks[answerId];
  const pending = fetcher.state !== "idle";
  const hasThanked =
    mine?.hasThanked === true || (fetcher.data?.ok === true && fetcher.data.postId === answerId) || pending;
  const shown =
    fetcher.data?.ok && typeof fetcher.data.thanks === "number"
      ? fetcher.data.thanks
      : count + (pending && !mine?.hasThanked ? 1 : 0);
  const result = resultFor(page, fetcher.data, "thank", answerId);
  const label = shown === 1 ? "1 person said thanks" : `${shown} people said thanks`;
  const offer = mayOffer(page, (viewer) => viewer.thanks[answerId]?.canThank === true);
  if (!offer) {
    return shown > 0 ? <span className="text-xs text-slate-600 dark:text-slate-400">{label}</span> : null;
  }
  return (
    <fetcher.Form method="post" action={page.formAction} preventScrollReset className="inline-flex items-center gap-2">
      <input type="hidden" name="intent" value="thank" />
      <input type="hidden" name="postId" value={answerId} />
      <input type="hidden" name="js" value={page.isHydrated ? "1" : "0"} />
      {/* Thanked: aria-disabled keeps the button, and keyboard focus on it (disabled only without JavaScript). */}
      <button
        type="submit"
        disabled={hasThanked && !page.isHydrated}
        aria-disabled={hasThanked || undefined}
        onClick={hasThanked ? preventClick : undefined}
        aria-pressed={page.viewer ? hasThanked : undefined}
        className={cx(
          "min-h-11 rounded-full border border-slate-300 px-3 text-sm font-medium",
          "hover:bg-slate-100 aria-disabled:cursor-default aria-disabled:border-rose-300 aria-disabled:bg-rose-50 aria-disabled:text-rose-800",
          "dark:border-slate-700 dark:hover:bg-slate-800",
          "dark:aria-disabled:border-rose-800 dark:aria-disabled:bg-rose-950 dark:aria-disabled:text-rose-200",
        )}
      >
        <span aria-hidden="true">♥ </span>
        {hasThanked ? "Thanked" : "Say thanks"}
        <span className="sr-only">
          {hasThanked ? ` ${authorName} for this answer` : ` to ${authorName} for this answer`}
        </span>
      </button>
      {shown > 0 ? <span className="text-xs text-slate-600 dark:text-slate-400">{label}</span> : null}
      {result && !result.ok ? (
        <span role="alert" className="text-xs font-medium text-red-700 dark:text-red-400">
          {result.message}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

/** The standalone feedback page's form (works without JavaScript). */
export function FeedbackPageForm({ prompt, errors, values, isSubmitting }: FieldsProps) {
  return (
    <Form method="post" className="space-y-3">
      <RatingFields prompt={prompt} errors={errors} values={values} isSubmitting={isSubmitting} />
    </Form>
  );
}
