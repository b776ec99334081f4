/** GET /sessions/:id/events — Server-Sent Events: `change` whenever a question, vote or answer in this session changes, in any app process. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "~/lib/sse.server";
import { getOfficeHours } from "~/models/office-hours-lists.server";
import { officeHoursPhase } from "~/models/office-hours.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const officeHoursId = parseId(params.id);
  if (officeHoursId === null) return new Response("There is no such session.", { status: 404 });
  const { db, realtime } = context.services;
  const session = await getOfficeHours(db, officeHoursId);
  if (!session) return new Response("There is no such session.", { status: 404 });
  const phase = officeHoursPhase(session);
  if (phase === "ended" || phase === "cancelled") return new Response(null, { status: 204 });
  return eventStream(
    request,
    context.services.eventStreams,
    async (channel) => {
      const unsubscribe = await realtime.subscribe(`session:${officeHoursId}`, (message) =>
        channel.send("change", { type: message.type, questionId: message.questionId ?? null }),
      );
      // The stream ends with the session; the page then shows the archive after its next load.
      const untilEnd = setTimeout(
        () => void channel.close(),
        Math.max(0, session.endsAt.getTime() - Date.now()) + 1000,
      );
      return async () => {
        clearTimeout(untilEnd);
        await unsubscribe();
      };
    },
    "no-store, no-transform",
  );
}
