/** GET /sessions/:id/calendar.ics — the session as a calendar event to add to Outlook, Google or Apple Calendar. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSession, sessionIcs } from "~/models/sessions.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const sessionId = parseId(params.id);
  if (sessionId === null) return new Response("There is no such session.", { status: 404 });
  const session = await getSession(context.services.db, sessionId);
  if (!session) return new Response("There is no such session.", { status: 404 });
  const url = `${context.services.baseURL}/sessions/${sessionId}`;
  return new Response(sessionIcs(session, url), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="peerdesk-session-${sessionId}.ics"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
