/** GET /sessions/:id/events — Server-Sent Events: `change` whenever a question, vote or answer in this session changes, in any app process. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSession, sessionPhase } from "~/models/sessions.server";

const HEARTBEAT_MS = 25_000;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const sessionId = Number(params.id);
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0 || sessionId > 2_147_483_647) return new Response("There is no such session.", { status: 404 });
  const { db, realtime } = context.services;
  const session = await getSession(db, sessionId);
  if (!session) return new Response("There is no such session.", { status: 404 });
  if (sessionPhase(session) === "ended") return new Response(null, { status: 204 });
  const encoder = new TextEncoder();
  let cleanup = async () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let isOpen = true;
      const send = (text: string) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          void cleanup();
        }
      };
      const unsubscribe = await realtime.subscribe(`session:${sessionId}`, (message) => {
        send(`event: change\ndata: ${JSON.stringify({ type: message.type, questionId: message.questionId ?? null })}\n\n`);
      });
      const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      // The stream ends with the session; the page then shows the archive after its next load.
      const untilEnd = setTimeout(() => void cleanup(), Math.max(0, session.endsAt.getTime() - Date.now()) + 1000);
      cleanup = async () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        clearTimeout(untilEnd);
        await unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener("abort", () => void cleanup());
      send("retry: 5000\n\n");
    },
    cancel() {
      return cleanup();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no", Connection: "keep-alive" },
  });
}
