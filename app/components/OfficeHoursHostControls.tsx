/** The host's controls on a session's page: edit, reschedule or cancel on the edit page; end a live session here. */
import { Form, Link, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { moveFocusTo } from "~/lib/focus";
import type { OfficeHoursPhase } from "~/models/office-hours.types";

/** The host's way to change the session: edit or reschedule (and cancel) on the edit page; end a live one here. */
export function OfficeHoursHostControls({ officeHoursId, phase }: { officeHoursId: number; phase: OfficeHoursPhase }) {
  return (
    <>
      <Link to={`/sessions/${officeHoursId}/edit`} className="text-sm">
        {phase === "live" ? "Edit, end or cancel" : "Edit, reschedule or cancel"}
      </Link>
      {phase === "live" ? <StopOfficeHoursControl officeHoursId={officeHoursId} stop="end" /> : null}
    </>
  );
}

/** What each way of stopping a session says: both close it for everyone and can't be undone. */
const STOP_WORDS = {
  end: {
    button: "End the session now",
    question:
      "End the session now? The queue closes for everyone and questions still waiting stay unanswered. This can't be undone.",
    yes: "Yes, end the session",
    no: "No, keep it going",
    buttonColour: "border-slate-300 dark:border-slate-700",
  },
  cancel: {
    button: "Cancel this session",
    question:
      "Cancel this session? Everyone who follows it or asked in it is told, and it takes no more questions. This can't be undone.",
    yes: "Yes, cancel the session",
    no: "No, keep the session",
    buttonColour: "border-red-600 text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950",
  },
} as const;

/**
 * "End the session now" or "Cancel this session", asked twice: either closes the session for everyone and can't be
 * undone, so one stray tap must not do it. With JavaScript the question comes in place (what the host was typing on
 * the page stays); without, the first button opens the edit page asking it (`isAsked`, from its address: `?end=confirm`
 * or `?cancel=confirm`), and the server stops only a confirmed post.
 */
export function StopOfficeHoursControl({
  officeHoursId,
  stop,
  isAsked = false,
}: {
  officeHoursId: number;
  stop: keyof typeof STOP_WORDS;
  isAsked?: boolean;
}) {
  const { pathname } = useLocation();
  const [isAskedHere, setIsAskedHere] = useState(false);
  const isConfirming = isAsked || isAskedHere;
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  // The button pressed goes with its step: focus follows to the next one instead of falling to the page.
  const wasConfirming = useRef(isConfirming);
  useEffect(() => {
    if (wasConfirming.current === isConfirming) return;
    wasConfirming.current = isConfirming;
    moveFocusTo(isConfirming ? confirmRef.current : askRef.current);
  }, [isConfirming]);
  const editPath = `/sessions/${officeHoursId}/edit`;
  const words = STOP_WORDS[stop];
  const formId = `${stop}-session`;
  const buttonClass = "min-h-11 rounded-md border px-3 text-sm font-semibold";
  if (!isConfirming)
    return (
      <Form
        method="get"
        action={`${editPath}#${formId}`}
        onSubmit={(event) => {
          event.preventDefault();
          setIsAskedHere(true);
        }}
      >
        <input type="hidden" name={stop} value="confirm" />
        <button ref={askRef} type="submit" className={`${buttonClass} ${words.buttonColour}`}>
          {words.button}
        </button>
      </Form>
    );
  const questionId = `${formId}-${officeHoursId}-question`;
  return (
    <Form
      method="post"
      // The session's page: a stop refused there (the session had stopped already) is said on it.
      action={`/sessions/${officeHoursId}`}
      id={formId}
      aria-labelledby={questionId}
      className="w-full space-y-2 rounded-lg border border-red-300 p-3 text-sm dark:border-red-800"
    >
      <input type="hidden" name="intent" value={stop} />
      <input type="hidden" name="confirm" value="yes" />
      <p id={questionId} className="font-semibold">
        {words.question}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button
          ref={confirmRef}
          type="submit"
          className={`${buttonClass} border-red-600 bg-red-700 text-white hover:bg-red-800`}
        >
          {words.yes}
        </button>
        <Link
          to={pathname}
          onClick={(event) => {
            // Asked in place: answered in place. Asked by the address: the link drops the question from it.
            if (!isAsked) event.preventDefault();
            setIsAskedHere(false);
          }}
          className="text-sm"
        >
          {words.no}
        </Link>
      </div>
    </Form>
  );
}
