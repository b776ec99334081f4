/**
 * Live updates from one of the server's event streams, kept open while the component is mounted. The browser's
 * EventSource reconnects by itself when an open stream drops, but gives up for good when an answer is not a 200 (a
 * server restarting behind a proxy, or one refusing streams past its limits: 503 / 429). Then this opens it again after
 * a pause that doubles each time (5 s, 10 s, … at most 5 minutes, a little randomised so refused clients don't all come
 * back at once). Each time a stream opens again, however it came back, the page is told: what happened meanwhile was
 * not heard.
 */
import { useEffect, useRef } from "react";

const FIRST_PAUSE_MS = 5_000;
const LONGEST_PAUSE_MS = 5 * 60_000;

export type EventSourceHandlers = {
  /** Named events, each with its data as sent (JSON text). */
  events: Record<string, (data: string) => void>;
  /** The stream opened again after it had dropped or been refused: events may have been missed. */
  onReconnect?: () => void;
};

/** `url` null: nothing is opened (the page has nothing live to hear). */
export function useEventSource(url: string | null, handlers: EventSourceHandlers): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const eventNames = Object.keys(handlers.events).sort().join(" ");
  useEffect(() => {
    if (url === null || typeof EventSource === "undefined") return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let hasOpened = false;
    let isStopped = false;
    const connect = () => {
      const current = new EventSource(url);
      source = current;
      for (const name of eventNames.split(" ").filter(Boolean))
        current.addEventListener(name, (event) =>
          handlersRef.current.events[name]?.((event as MessageEvent<string>).data),
        );
      current.addEventListener("open", () => {
        failures = 0;
        if (hasOpened) handlersRef.current.onReconnect?.();
        hasOpened = true;
      });
      current.addEventListener("error", () => {
        // CONNECTING: the browser is retrying on its own. CLOSED: it gave up.
        if (current.readyState !== EventSource.CLOSED || isStopped) return;
        current.close();
        const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** failures) * (0.8 + Math.random() * 0.4);
        failures += 1;
        timer = setTimeout(connect, pause);
      });
    };
    connect();
    return () => {
      isStopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [url, eventNames]);
}
