/** GET /sessions/:id/calendar.ics — the session as a calendar event to add to Outlook, Google or Apple Calendar. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getOfficeHours } from "~/models/office-hours-lists.server";
import { officeHoursIcs, sendingAddress } from "~/models/office-hours-calendar.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const officeHoursId = parseId(params.id);
  if (officeHoursId === null) return new Response("There is no such session.", { status: 404 });
  const session = await getOfficeHours(context.services.db, officeHoursId);
  if (!session) return new Response("There is no such session.", { status: 404 });
  const url = `${context.services.baseURL}/sessions/${officeHoursId}`;
  const ics = officeHoursIcs(session, url, { organizerAddress: sendingAddress(context.services.env.MAIL_FROM) });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="peerdesk-session-${officeHoursId}.ics"`,
      // Not kept for minutes: a moved or cancelled session must reach the next download at once, as on its page (the
      // page cache stores pages and feeds only, so nothing here would drop a stale copy when the session changes).
      "Cache-Control": "public, max-age=0, must-revalidate",
    },
  });
}
