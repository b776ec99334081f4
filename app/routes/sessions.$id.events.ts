/**
 * GET /sessions/:id/events — Server-Sent Events: `change` whenever a question, vote or answer in this session changes,
 * in any app process, and when the session starts and ends (moments, not writes: nothing else would announce them).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "~/lib/sse.server";
import { getOfficeHours } from "~/models/office-hours-lists.server";
import { officeHoursPhase } from "~/models/office-hours.server";
import { parseId } from "~/lib/ids";
import { atTime } from "~/lib/timers";

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
      // The stream ends with the session, saying so: the page reloads and shows the archive (and stops listening). A
      // session may end years ahead, past the longest wait a timer takes (about 24.8 days, beyond which it fires at once).
      const untilEnd = atTime(session.endsAt.getTime() + 1000, () => {
        channel.send("change", { type: "ended", questionId: null });
        void channel.close();
      });
      // An upcoming session's open pages turn live at its start (the host's answer forms appear) by the server's clock,
      // not each phone's.
      const untilStart =
        phase === "upcoming"
          ? atTime(session.startsAt.getTime() + 500, () =>
              channel.send("change", { type: "started", questionId: null }),
            )
          : null;
      return async () => {
        untilEnd.cancel();
        untilStart?.cancel();
        await unsubscribe();
      };
    },
    { cacheControl: "no-store, no-transform" },
  );
}
