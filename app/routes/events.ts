/**
 * GET /events — Server-Sent Events for the signed-in person: `unread` with their unread notification count, now and
 * whenever it changes in any app process. A comment line every 25 s keeps proxies from closing the stream.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/auth/session.server";
import { countUnread } from "~/models/notifications.server";

const HEARTBEAT_MS = 25_000;
/** Several notifications in one write (a busy thread) become one count. */
const COALESCE_MS = 150;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user) return new Response("Sign in to receive live updates.", { status: 401, headers: { "Cache-Control": "private, no-store" } });
  const { db, realtime } = context.services;
  const encoder = new TextEncoder();
  let cleanup = async () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let isOpen = true;
      let timer: NodeJS.Timeout | undefined;
      const send = (text: string) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          void cleanup();
        }
      };
      const sendUnread = async () => {
        const count = await countUnread(db, user.id).catch(() => null);
        if (count !== null) send(`event: unread\ndata: ${JSON.stringify({ count })}\n\n`);
      };
      const unsubscribe = await realtime.subscribe(`user:${user.id}`, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void sendUnread(), COALESCE_MS);
      });
      const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      cleanup = async () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        clearTimeout(timer);
        await unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", () => void cleanup());
      // Reconnect after 5 s if the connection drops; then the current count.
      send("retry: 5000\n\n");
      await sendUnread();
    },
    cancel() {
      return cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: the compression middleware must not buffer the stream.
      "Cache-Control": "private, no-store, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
