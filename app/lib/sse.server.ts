/**
 * A Server-Sent Events response: `open` subscribes to whatever feeds the stream and returns its teardown. This
 * module sends the reconnect hint once `open` has subscribed, a comment every 25 s so proxies keep the stream open,
 * and tears everything down once, whether the client leaves or the server closes.
 */
const HEARTBEAT_MS = 25_000;

export type EventChannel = {
  /** Sends one named event with JSON data (nothing once closed). */
  send: (event: string, data: unknown) => void;
  /** Ends the stream from the server's side. */
  close: () => Promise<void>;
};

export function eventStream(
  request: Request,
  open: (channel: EventChannel) => Promise<() => unknown>,
  cacheControl = "private, no-store, no-transform",
): Response {
  const encoder = new TextEncoder();
  let cleanup = async () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let isOpen = true;
      const write = (text: string) => {
        if (!isOpen) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          void cleanup();
        }
      };
      let teardown: () => unknown = () => undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      cleanup = async () => {
        if (!isOpen) return;
        isOpen = false;
        clearInterval(heartbeat);
        await teardown();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", () => void cleanup());
      teardown = await open({
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        close: () => cleanup(),
      });
      // The client may have left while `open` was subscribing.
      if (!isOpen) {
        await teardown();
        return;
      }
      heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
      // Subscribed: from here on nothing is missed. Reconnect after 5 s if the connection drops.
      write("retry: 5000\n\n");
    },
    cancel() {
      return cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: the compression middleware must not buffer the stream.
      "Cache-Control": cacheControl,
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
