/** The host's controls on a session's page: edit, reschedule or cancel on the edit page; end a live session here. */
import { Form, Link } from "@remix-run/react";
import type { OfficeHoursPhase } from "~/models/office-hours.types";

/** The host's way to change the session: edit or reschedule (and cancel) on the edit page; end a live one here, in one tap. */
export function OfficeHoursHostControls({ officeHoursId, phase }: { officeHoursId: number; phase: OfficeHoursPhase }) {
  return (
    <>
      <Link to={`/sessions/${officeHoursId}/edit`} className="text-sm">
        {phase === "live" ? "Edit, end or cancel" : "Edit, reschedule or cancel"}
      </Link>
      {phase === "live" ? (
        <Form method="post" action={`/sessions/${officeHoursId}/edit`}>
          <input type="hidden" name="intent" value="end" />
          <button
            type="submit"
            className="min-h-11 rounded-md border border-slate-300 px-3 text-sm font-semibold dark:border-slate-700"
          >
            End the session now
          </button>
        </Form>
      ) : null}
    </>
  );
}
