/**
 * The form to queue a question in a hosted Q&A session, or why this reader cannot (signed out, or at the per-person cap).
 * With JavaScript it posts through a fetcher; without, the page comes back with the refusal as its action data. When
 * the session ends while a question is being typed (the live page turns into the archive), what was typed stays, to
 * copy.
 */
import { KeptText } from "~/components/KeptText";
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { OFFICE_HOURS_LIMITS } from "~/lib/office-hours";
import type { OfficeHoursPhase, OfficeHoursViewer, SessionActionResult } from "~/models/office-hours.types";
import { moveFocusTo, useFocusWhenSettled } from "~/lib/focus";
import { JsFlag } from "./JsFlag";

export function OfficeHoursAskForm({
  officeHoursId,
  viewer,
  idempotencyKey,
  maxPerPerson,
  pageResult,
  phase,
}: {
  officeHoursId: number;
  viewer: OfficeHoursViewer;
  /** The page's one-time key for this form (null when signed out): a double submit queues one question. */
  idempotencyKey: string | null;
  maxPerPerson: number | null;
  /** Ended or cancelled: no form, only what was being typed when it happened. */
  phase: OfficeHoursPhase;
  /** The page's refused ask, posted without JavaScript. */
  pageResult: SessionActionResult | undefined;
}) {
  const fetcher = useFetcher<SessionActionResult>({ key: `session-ask-${officeHoursId}` });
  const isOver = phase === "ended" || phase === "cancelled";
  const formRef = useRef<HTMLFormElement>(null);
  const result = fetcher.data?.intent === "ask" ? fetcher.data : pageResult;
  // What is in the field, so it outlives the field when the session ends meanwhile.
  const [typed, setTyped] = useState("");
  useEffect(() => {
    if (fetcher.state === "idle" && result?.ok) {
      formRef.current?.reset();
      setTyped("");
    }
  }, [fetcher.state, result]);
  // Once sent: focus the question in the queue; refused: the field (its message is tied to it).
  useFocusWhenSettled(fetcher.state === "idle" ? result : undefined, () =>
    result?.ok ? document.getElementById(`q-${result.questionId}`) : formRef.current?.querySelector("textarea"),
  );
  // Not sent: what is in the field, else what a refused post carried (without JavaScript the field is new).
  const refusedBody = result && !result.ok ? (result.values?.body ?? "") : "";
  const unsent = (typed || refusedBody).trim() ? typed || refusedBody : "";
  const isUnsentKept = unsent !== "" && (isOver || (viewer.isSignedIn && !viewer.canAsk));
  // The field went from under the cursor (the page refreshed itself): focus follows the text to its copy.
  useEffect(() => {
    if (isUnsentKept && document.activeElement === document.body)
      moveFocusTo(document.getElementById(UNSENT_QUESTION_ID));
  }, [isUnsentKept]);
  if (isOver)
    return unsent ? (
      <UnsentQuestion text={unsent} why={whyNotSentOnceOver(phase, result, result === pageResult)} />
    ) : null;
  if (!viewer.isSignedIn) {
    return (
      <p className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
        <Link to={`/signin?redirectTo=/sessions/${officeHoursId}`}>Sign in</Link> to ask the host a question or upvote
        others.
      </p>
    );
  }
  if (!viewer.canAsk) {
    const atCap = `You've asked as many questions as this session takes from one person (${maxPerPerson}).`;
    // Reached meanwhile (in another tab, or refused without JavaScript): the question typed here stays, to copy.
    return unsent ? (
      <UnsentQuestion text={unsent} why={`${atCap} This one was not sent.`} />
    ) : (
      <p className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
        {atCap} Upvote the others you'd like answered.
      </p>
    );
  }
  const error = result && !result.ok ? (result.fieldErrors?.body ?? result.message) : undefined;
  return (
    <fetcher.Form
      ref={formRef}
      method="post"
      // Posted without JavaScript, the page comes back at this field, where a refusal's message is.
      action={`/sessions/${officeHoursId}#session-question`}
      preventScrollReset
      // Once posted, the text is the request's: a refusal brings it back, a question sent is no longer "unsent".
      onSubmit={() => setTyped("")}
      className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
    >
      <input type="hidden" name="intent" value="ask" />
      {idempotencyKey ? <input type="hidden" name="idempotencyKey" value={idempotencyKey} /> : null}
      <JsFlag />
      <label htmlFor="session-question" className="block font-medium">
        Your question for the host
      </label>
      <textarea
        id="session-question"
        name="body"
        rows={3}
        maxLength={OFFICE_HOURS_LIMITS.questionMax}
        defaultValue={result && !result.ok ? result.values?.body : undefined}
        onChange={(event) => setTyped(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "session-question-error" : "session-question-hint"}
        className="block w-full rounded-md border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
      />
      {error ? (
        <p id="session-question-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id="session-question-hint" className="text-xs text-slate-600 dark:text-slate-400">
          No formatting needed. {OFFICE_HOURS_LIMITS.questionMin}–{OFFICE_HOURS_LIMITS.questionMax.toLocaleString("en")}{" "}
          characters.
          {viewer.questionsLeft !== null ? ` You can ask ${viewer.questionsLeft} more.` : ""}
        </p>
      )}
      <button
        type="submit"
        disabled={fetcher.state !== "idle"}
        className="min-h-11 rounded-md bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700"
      >
        {fetcher.state === "submitting" ? "Sending…" : "Send question"}
      </button>
    </fetcher.Form>
  );
}

const UNSENT_QUESTION_ID = "unsent-question";

/**
 * Why a question typed here was not sent, once the session is over: said once. Refused without JavaScript, the page's
 * alert above has said why; refused through the fetcher, its message is said here; turned over by a live update (no
 * refusal), what happened to the session.
 */
function whyNotSentOnceOver(
  phase: OfficeHoursPhase,
  result: SessionActionResult | undefined,
  isPageResult: boolean,
): string {
  const refusal = result && !result.ok ? result : undefined;
  if (refusal && isPageResult) return "Your question was not sent.";
  if (refusal?.message && !refusal.fieldErrors?.body) return refusal.message;
  return phase === "cancelled"
    ? "The session was cancelled before your question was sent."
    : "The session ended before your question was sent.";
}

/**
 * The question a person was typing when the session ended or their limit was reached: not sent, kept to copy (a
 * question in a later session, or one to ask after withdrawing another).
 */
function UnsentQuestion({ text, why }: { text: string; why: string }) {
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-300 p-3 text-sm dark:border-amber-700">
      <p>{why} Here is what you typed, if you'd like to keep it:</p>
      <KeptText id={UNSENT_QUESTION_ID} label="Your question (not sent)" text={text} />
    </div>
  );
}
