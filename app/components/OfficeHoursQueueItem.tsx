/**
 * One question in a session's queue: its votes (and the upvote button), the host's answer, the host's answer and skip
 * form, and, while it waits, its asker's own edit and withdraw forms. Text typed in a form that went meanwhile (the
 * host answered, the session ended) stays, to copy, with why it was not sent.
 */
import { KeptText } from "~/components/KeptText";
import { useFetcher, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { moveFocusTo, useFocusWhenSettled } from "~/lib/focus";
import { cx } from "~/lib/cx";
import { OFFICE_HOURS_LIMITS } from "~/lib/office-hours";
import type { OfficeHoursPhase, QueueItem, OfficeHoursViewer, SessionActionResult } from "~/models/office-hours.types";
import { FlagLink } from "./FlagLink";
import { JsFlag } from "./JsFlag";

/** What follows the asker's name: how the host dealt with the question. */
const STATE_NOTE: Record<QueueItem["state"], string> = {
  open: "",
  answered: " · Answered",
  skipped: " · Skipped by the host",
  withdrawn: " · Withdrawn",
};

/** The one fetcher every withdraw form posts through: the page reads it to say the question was withdrawn. */
export const WITHDRAW_FETCHER_KEY = "session-withdraw";

/** Why a question moderation hid is still on this page: only its asker and staff get it, and each is told so. */
function ModerationNote({ moderation, isOwn }: { moderation: "held" | "removed"; isOwn: boolean }) {
  const who = isOwn ? "Others don't see it" : "Only its asker and moderators see it";
  const text =
    moderation === "held" ? `Waiting for a moderator's review. ${who} for now.` : `Removed by a moderator. ${who}.`;
  return <p className="text-xs font-semibold text-amber-900 dark:text-amber-200">{text}</p>;
}

export function OfficeHoursQueueItem({
  question,
  phase,
  viewer,
  pageResult,
  onAnswerTyped,
}: {
  question: QueueItem;
  phase: OfficeHoursPhase;
  viewer: OfficeHoursViewer;
  /** The page's refused vote, answer or skip on this question, posted without JavaScript. */
  pageResult: SessionActionResult | undefined;
  /** Tells the page what the host is typing, so it outlives this item if the question leaves (withdrawn, hidden). */
  onAnswerTyped?: (questionId: number, text: string) => void;
}) {
  const voteFetcher = useFetcher<SessionActionResult>({ key: `session-vote-${question.id}` });
  const answerFetcher = useFetcher<SessionActionResult>({ key: `session-answer-${question.id}` });
  const withdrawFetcher = useFetcher<SessionActionResult>({ key: WITHDRAW_FETCHER_KEY });
  const editFetcher = useFetcher<SessionActionResult>({ key: editFetcherKey(question.id) });
  const voteResult = voteFetcher.data ?? (pageResult?.intent === "vote" ? pageResult : undefined);
  const answerResult =
    answerFetcher.data ?? (pageResult?.intent === "answer" || pageResult?.intent === "skip" ? pageResult : undefined);
  const withdrawResult =
    withdrawFetcher.data?.questionId === question.id
      ? withdrawFetcher.data
      : pageResult?.intent === "withdraw"
        ? pageResult
        : undefined;
  const isAnswerFormShown =
    viewer.canHost && phase === "live" && question.state === "open" && question.moderation === null;
  const isOwn = viewer.id === question.authorId;
  const isWaiting =
    phase !== "ended" && phase !== "cancelled" && question.state === "open" && question.moderation === null;
  const areOwnFormsShown = isOwn && isWaiting;
  const editResult = editFetcher.data ?? (pageResult?.intent === "edit" ? pageResult : undefined);
  const editRefusal = editResult && !editResult.ok ? editResult : null;
  // The asker's new wording, so it outlives the edit form when the form goes meanwhile (the host answered or skipped
  // the question, the session ended). Cleared once posted: a refusal carries the text back.
  const [typedEdit, setTypedEdit] = useState("");
  const newWording = areOwnFormsShown ? "" : (typedEdit || editRefusal?.values?.body || "").trim();
  const unsentEdit = newWording !== question.body.trim() ? newWording : "";
  const { pathname } = useLocation();
  const canVote =
    viewer.isSignedIn &&
    !isOwn &&
    phase !== "ended" &&
    phase !== "cancelled" &&
    question.state === "open" &&
    question.moderation === null;
  // Optimistic: the vote as it will be while the server confirms it (the button says which it wants).
  const pendingVote = voteFetcher.formData ? voteFetcher.formData.get("vote") !== "remove" : null;
  const hasMyVote = pendingVote ?? question.hasMyVote;
  const votes = question.votes + Number(hasMyVote) - Number(question.hasMyVote);
  const answerRefusal = answerResult && !answerResult.ok ? answerResult : null;
  // What the host is typing, so it outlives the form when the form goes meanwhile: the session ended (its time ran
  // out), or someone else answered or skipped the question. Cleared once posted: a refusal carries the text back.
  const [typedAnswer, setTypedAnswer] = useState("");
  const unsentAnswer =
    viewer.canHost && !isAnswerFormShown && question.state !== "withdrawn"
      ? (typedAnswer || answerRefusal?.values?.answer || "").trim()
      : "";
  const answerError = answerRefusal ? (answerRefusal.fieldErrors?.answer ?? answerRefusal.message) : undefined;
  const answeredElsewhere = answerFetcher.data?.ok ? answerFetcher.data : undefined;
  const onAnswerTypedRef = useRef(onAnswerTyped);
  onAnswerTypedRef.current = onAnswerTyped;
  // Posted: nothing of it is left unsent, should the question leave the page later.
  useEffect(() => {
    if (answeredElsewhere) onAnswerTypedRef.current?.(question.id, "");
  }, [answeredElsewhere, question.id]);
  // The answer or edit box went from under the cursor (the page refreshed itself, or a refusal came back): focus
  // follows the text to its copy.
  const unsentShown = unsentAnswer ? "answer" : unsentEdit ? "edit" : null;
  useEffect(() => {
    if (unsentShown && document.activeElement === document.body)
      moveFocusTo(document.getElementById(`unsent-${unsentShown}-${question.id}`));
  }, [unsentShown, question.id]);
  // A refused answer whose form has gone meanwhile (answered elsewhere, the session ended) is said with the vote's.
  const itemError =
    voteResult && !voteResult.ok
      ? voteResult.message
      : withdrawResult && !withdrawResult.ok
        ? withdrawResult.message
        : isAnswerFormShown || unsentAnswer
          ? undefined
          : answerError;
  const itemRef = useRef<HTMLLIElement>(null);
  // Answered or skipped, the form goes: focus the question (now showing the answer); refused: the field (its message
  // is tied to it).
  useFocusWhenSettled(answerFetcher.state === "idle" ? answerFetcher.data : undefined, () =>
    answerFetcher.data?.ok ? itemRef.current : itemRef.current?.querySelector("textarea[name=answer]"),
  );
  return (
    <li
      ref={itemRef}
      id={`q-${question.id}`}
      className={cx(
        "rounded-lg border p-3",
        question.state === "answered"
          ? "border-emerald-300 dark:border-emerald-800"
          : "border-slate-200 dark:border-slate-800",
        question.moderation !== null && "border-dashed",
      )}
    >
      <div className="flex gap-3">
        <div className="flex w-14 shrink-0 flex-col items-center text-sm">
          {canVote ? (
            <voteFetcher.Form method="post" action={`${pathname}#q-${question.id}`} preventScrollReset>
              <input type="hidden" name="intent" value="vote" />
              <input type="hidden" name="questionId" value={question.id} />
              <JsFlag />
              <button
                type="submit"
                name="vote"
                value={hasMyVote ? "remove" : "up"}
                aria-pressed={hasMyVote}
                // The name holds the count shown, outside brackets (label in name, WCAG 2.5.3: "say 'click 2'").
                aria-label={`Upvote this question, ${votes} ${votes === 1 ? "vote" : "votes"}`}
                className={cx(
                  "flex min-h-11 min-w-11 flex-col",
                  "items-center justify-center rounded-md border",
                  hasMyVote
                    ? "border-brand-600 bg-brand-50 text-brand-800 dark:bg-slate-800 dark:text-brand-200"
                    : "border-slate-300 dark:border-slate-700",
                )}
              >
                <span aria-hidden="true">▲</span>
                <span>{votes}</span>
              </button>
            </voteFetcher.Form>
          ) : (
            <span className="flex min-h-11 flex-col items-center justify-center">
              <span aria-hidden="true" className="text-slate-400">
                ▲
              </span>
              <span aria-hidden="true">{votes}</span>
              <span className="sr-only">{`${votes} ${votes === 1 ? "vote" : "votes"}`}</span>
            </span>
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-2">
          <p dir="auto" className="whitespace-pre-line break-words">
            {question.body}
          </p>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            <span dir="auto">{question.authorName}</span>
            {question.editedAt ? " · Edited" : ""}
            {STATE_NOTE[question.state]}
            {question.moderation !== null ? null : (
              <>
                {" · "}
                <FlagLink
                  type="session_question"
                  id={question.id}
                  noun="question"
                  returnTo={`${pathname}#q-${question.id}`}
                  className="text-xs"
                />
              </>
            )}
          </p>
          {question.moderation !== null ? <ModerationNote moderation={question.moderation} isOwn={isOwn} /> : null}
          {itemError ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {itemError}
            </p>
          ) : null}
          {areOwnFormsShown ? (
            <OwnQuestionForms
              question={question}
              pageResult={pageResult?.intent === "edit" ? pageResult : undefined}
              isWithdrawRefused={withdrawResult?.ok === false}
              onEditTyped={setTypedEdit}
            />
          ) : null}
          {unsentEdit ? (
            <UnsentEdit
              questionId={question.id}
              text={unsentEdit}
              why={
                (editRefusal?.fieldErrors?.body ? undefined : editRefusal?.message) ?? whyEditNotSaved(phase, question)
              }
            />
          ) : null}
          {question.answerHtml ? (
            <div className="rounded-md bg-emerald-50 p-2 dark:bg-emerald-950">
              <p className="text-xs font-semibold text-emerald-900 dark:text-emerald-200">Host's answer</p>
              <div dir="auto" className="prose-post" dangerouslySetInnerHTML={{ __html: question.answerHtml }} />
            </div>
          ) : null}
          {unsentAnswer ? (
            <UnsentAnswer
              questionId={question.id}
              text={unsentAnswer}
              why={
                (answerRefusal?.fieldErrors?.answer ? undefined : answerRefusal?.message) ??
                whyAnswerNotPosted(phase, question)
              }
            />
          ) : null}
          {isAnswerFormShown ? (
            <answerFetcher.Form
              method="post"
              // Posted without JavaScript, the page comes back at this question, where a refusal's message is.
              action={`${pathname}#q-${question.id}`}
              preventScrollReset
              onSubmit={() => setTypedAnswer("")}
              className="space-y-2"
            >
              <input type="hidden" name="questionId" value={question.id} />
              <JsFlag />
              <label htmlFor={`answer-${question.id}`} className="block text-sm font-medium">
                Your answer
              </label>
              <textarea
                id={`answer-${question.id}`}
                name="answer"
                rows={3}
                defaultValue={answerRefusal?.values?.answer}
                onChange={(event) => {
                  setTypedAnswer(event.currentTarget.value);
                  onAnswerTyped?.(question.id, event.currentTarget.value);
                }}
                aria-invalid={answerError ? true : undefined}
                aria-describedby={answerError ? `answer-${question.id}-error` : undefined}
                className="block w-full rounded-md border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
              />
              {answerError ? (
                <p id={`answer-${question.id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
                  {answerError}
                </p>
              ) : null}
              <div className="flex gap-2">
                <button
                  type="submit"
                  name="intent"
                  value="answer"
                  className="min-h-11 rounded-md bg-brand-600 px-3 text-sm font-semibold text-white"
                >
                  Post answer
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="skip"
                  className="min-h-11 rounded-md border border-slate-300 px-3 text-sm dark:border-slate-700"
                >
                  Skip
                </button>
              </div>
            </answerFetcher.Form>
          ) : null}
        </div>
      </div>
    </li>
  );
}

/** Why the host's answer box went while they were writing in it (the page refreshed itself). */
function whyAnswerNotPosted(phase: OfficeHoursPhase, question: QueueItem): string {
  if (phase === "ended" || phase === "cancelled") return "The session ended before your answer was posted.";
  if (question.state === "answered")
    return "This question was answered while you were writing, so yours was not posted.";
  if (question.state === "skipped")
    return "This question was skipped while you were writing, so your answer was not posted.";
  return "This question was taken out of the session while you were writing, so your answer was not posted.";
}

/** Why the asker's edit form went while they were changing their question (the page refreshed itself). */
function whyEditNotSaved(phase: OfficeHoursPhase, question: QueueItem): string {
  if (phase === "cancelled") return "The session was cancelled before your new wording was saved.";
  if (phase === "ended") return "The session ended before your new wording was saved.";
  if (question.state === "answered")
    return "The host answered this question while you were changing it, so your new wording was not saved.";
  if (question.state === "skipped")
    return "The host skipped this question while you were changing it, so your new wording was not saved.";
  return "This question was taken out of the queue while you were changing it, so your new wording was not saved.";
}

/** Text typed into one of this question's forms that was not sent, kept read-only to copy, with why. */
function UnsentText({ id, label, text, why }: { id: string; label: string; text: string; why: string }) {
  return (
    <div role="status" className="space-y-1 rounded-md border border-amber-300 p-2 text-sm dark:border-amber-700">
      <p>{why} Here is what you typed, to keep:</p>
      <KeptText id={id} label={label} text={text} />
    </div>
  );
}

/** An answer the host typed that was not posted, kept read-only to copy, with why. */
export function UnsentAnswer({ questionId, text, why }: { questionId: number; text: string; why: string }) {
  return <UnsentText id={`unsent-answer-${questionId}`} label="Your answer (not posted)" text={text} why={why} />;
}

/** New wording the asker typed for their question that was not saved, kept read-only to copy, with why. */
export function UnsentEdit({ questionId, text, why }: { questionId: number; text: string; why: string }) {
  return <UnsentText id={`unsent-edit-${questionId}`} label="Your new wording (not saved)" text={text} why={why} />;
}

/** The fetcher an asker's edit posts through: the queue item reads it too, to keep a refused edit whose form went. */
function editFetcherKey(questionId: number): string {
  return `session-edit-${questionId}`;
}

/**
 * Its asker's forms while the question waits for the host: new wording (the votes stay; everyone sees "Edited"), or
 * withdrawing it. Folded away, so a stray tap withdraws nothing; opened again by a refusal, which is said there.
 */
function OwnQuestionForms({
  question,
  pageResult,
  isWithdrawRefused,
  onEditTyped,
}: {
  question: QueueItem;
  /** The page's refused edit, posted without JavaScript. */
  pageResult: SessionActionResult | undefined;
  isWithdrawRefused: boolean;
  /** Tells the item what the asker is typing, so it outlives this form if the form goes (the host answered). */
  onEditTyped: (text: string) => void;
}) {
  const { pathname } = useLocation();
  const editFetcher = useFetcher<SessionActionResult>({ key: editFetcherKey(question.id) });
  const withdrawFetcher = useFetcher<SessionActionResult>({ key: WITHDRAW_FETCHER_KEY });
  const detailsRef = useRef<HTMLDetailsElement>(null);
  const result = editFetcher.data ?? pageResult;
  const refusal = result && !result.ok ? result : null;
  const error = refusal ? (refusal.fieldErrors?.body ?? refusal.message) : undefined;
  const fieldId = `edit-question-${question.id}`;
  // Saved: the forms fold away and focus goes to the question, showing its new words; refused: to the field.
  useFocusWhenSettled(editFetcher.state === "idle" ? editFetcher.data : undefined, () => {
    const details = detailsRef.current;
    if (!editFetcher.data?.ok) return details?.querySelector("textarea");
    if (details) details.open = false;
    return details?.closest("li");
  });
  return (
    <details ref={detailsRef} open={refusal || isWithdrawRefused ? true : undefined} className="text-sm">
      <summary className="inline-flex min-h-6 cursor-pointer items-center text-brand-700 dark:text-brand-300">
        Change or withdraw my question
      </summary>
      <editFetcher.Form
        method="post"
        // Posted without JavaScript, the page comes back at this question, where a refusal's message is.
        action={`${pathname}#q-${question.id}`}
        preventScrollReset
        onSubmit={() => onEditTyped("")}
        className="mt-2 space-y-2"
      >
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="questionId" value={question.id} />
        <JsFlag />
        <label htmlFor={fieldId} className="block font-medium">
          Your question
        </label>
        <textarea
          id={fieldId}
          name="body"
          rows={3}
          maxLength={OFFICE_HOURS_LIMITS.questionMax}
          defaultValue={refusal?.values?.body ?? question.body}
          onChange={(event) => onEditTyped(event.currentTarget.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${fieldId}-${error ? "error" : "hint"}`}
          className="block w-full rounded-md border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
        />
        {error ? (
          <p id={`${fieldId}-error`} role="alert" className="text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : (
          <p id={`${fieldId}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
            Its votes stay with it, and everyone sees it was edited.
          </p>
        )}
        <button
          type="submit"
          disabled={editFetcher.state !== "idle"}
          className="min-h-11 rounded-md bg-brand-600 px-3 font-semibold text-white hover:bg-brand-700"
        >
          {editFetcher.state === "submitting" ? "Saving…" : "Save changes"}
        </button>
      </editFetcher.Form>
      <withdrawFetcher.Form method="post" action={pathname} preventScrollReset className="mt-3 space-y-2">
        <input type="hidden" name="intent" value="withdraw" />
        <input type="hidden" name="questionId" value={question.id} />
        <JsFlag />
        <p id={`withdraw-${question.id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          Withdrawing takes it out of the session
          {question.votes > 0 ? `, with its ${question.votes} ${question.votes === 1 ? "vote" : "votes"}` : ""}. You can
          ask again afterwards.
        </p>
        <button
          type="submit"
          aria-describedby={`withdraw-${question.id}-hint`}
          disabled={withdrawFetcher.state !== "idle"}
          className="min-h-11 rounded-md border border-red-300 px-3 text-red-800 dark:border-red-800 dark:text-red-300"
        >
          {withdrawFetcher.state === "submitting" ? "Withdrawing…" : "Withdraw my question"}
        </button>
      </withdrawFetcher.Form>
    </details>
  );
}
