/**
 * Live updates from one of the server's event streams, kept open while the component is mounted. The browser's
 * EventSource reconnects by itself when an open stream drops, but gives up for good when an answer is not a 200 (a
 * server restarting behind a proxy, or one refusing streams past its limits: 503 / 429), and retries every few seconds
 * for ever while the server can't be reached. In both cases this opens it again after a pause that doubles each time
 * (5 s, 10 s, … at most 5 minutes, a little randomised so refused clients don't all come back at once), reset once a
 * stream opens. Each time a stream opens again, however it came back, the page is told: what happened meanwhile was not
 * heard.
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

/**
 * Opens `url` and keeps it open until the returned function is called. `handlers` is read at each event, so the caller
 * may swap them. A stream that drops after it had opened is left to the browser's own quick retry (once); a stream that
 * can't be opened at all (refused, a non-200 answer, or the browser's retry failing too) waits out the growing pause.
 */
export function keepEventSourceOpen(
  url: string,
  eventNames: string[],
  handlers: () => EventSourceHandlers,
): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let hasOpened = false;
  let isStopped = false;
  const connect = () => {
    const current = new EventSource(url);
    source = current;
    let isLive = false;
    for (const name of eventNames)
      current.addEventListener(name, (event) => handlers().events[name]?.((event as MessageEvent<string>).data));
    current.addEventListener("open", () => {
      isLive = true;
      failures = 0;
      if (hasOpened) handlers().onReconnect?.();
      hasOpened = true;
    });
    current.addEventListener("error", () => {
      if (isStopped) return;
      // CONNECTING after the stream was live: it dropped and the browser is retrying on its own, which is quick.
      if (current.readyState === EventSource.CONNECTING && isLive) {
        isLive = false;
        return;
      }
      // CLOSED: the browser gave up. CONNECTING without having opened: the server can't be reached, and the browser
      // would retry every few seconds for ever, with an error in the console each time.
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
}

/** `url` null: nothing is opened (the page has nothing live to hear). */
export function useEventSource(url: string | null, handlers: EventSourceHandlers): void {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const eventNames = Object.keys(handlers.events).sort().join(" ");
  useEffect(() => {
    if (url === null || typeof EventSource === "undefined") return;
    return keepEventSourceOpen(url, eventNames.split(" ").filter(Boolean), () => handlersRef.current);
  }, [url, eventNames]);
}
