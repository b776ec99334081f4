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
      {phase === "live" ? <EndOfficeHoursControl officeHoursId={officeHoursId} /> : null}
    </>
  );
}

/**
 * "End the session now", asked twice: ending closes the queue for everyone and can't be undone, so one stray tap must
 * not do it. With JavaScript the question comes in place (what the host was typing on the page stays); without, the
 * first button opens the edit page asking it (`isAsked`, from its address), and the server ends only a confirmed post.
 */
export function EndOfficeHoursControl({
  officeHoursId,
  isAsked = false,
}: {
  officeHoursId: number;
  isAsked?: boolean;
}) {
  const { pathname } = useLocation();
  const [isAskedHere, setIsAskedHere] = useState(false);
  const isConfirming = isAsked || isAskedHere;
  const confirmRef = useRef<HTMLButtonElement>(null);
  const endRef = useRef<HTMLButtonElement>(null);
  // The button pressed goes with its step: focus follows to the next one instead of falling to the page.
  const wasConfirming = useRef(isConfirming);
  useEffect(() => {
    if (wasConfirming.current === isConfirming) return;
    wasConfirming.current = isConfirming;
    moveFocusTo(isConfirming ? confirmRef.current : endRef.current);
  }, [isConfirming]);
  const editPath = `/sessions/${officeHoursId}/edit`;
  const buttonClass = "min-h-11 rounded-md border px-3 text-sm font-semibold";
  if (!isConfirming)
    return (
      <Form
        method="get"
        action={`${editPath}#end-session`}
        onSubmit={(event) => {
          event.preventDefault();
          setIsAskedHere(true);
        }}
      >
        <input type="hidden" name="end" value="confirm" />
        <button ref={endRef} type="submit" className={`${buttonClass} border-slate-300 dark:border-slate-700`}>
          End the session now
        </button>
      </Form>
    );
  const questionId = `end-session-${officeHoursId}-question`;
  return (
    <Form
      method="post"
      action={editPath}
      id="end-session"
      aria-labelledby={questionId}
      className="w-full space-y-2 rounded-lg border border-red-300 p-3 text-sm dark:border-red-800"
    >
      <input type="hidden" name="intent" value="end" />
      <input type="hidden" name="confirm" value="yes" />
      <p id={questionId} className="font-semibold">
        End the session now? The queue closes for everyone and questions still waiting stay unanswered. This can't be
        undone.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button
          ref={confirmRef}
          type="submit"
          className={`${buttonClass} border-red-600 bg-red-700 text-white hover:bg-red-800`}
        >
          Yes, end the session
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
          No, keep it going
        </Link>
      </div>
    </Form>
  );
}
