/**
 * A moment shown as its age ("3 minutes ago") in the reader's browser, and as a stable date in server HTML, so a
 * cached page never says something stale and hydration never disagrees with the server (React #418/#425).
 */
import { useSyncExternalStore } from "react";
import { RELATIVE_TIME_ATTRIBUTE, RELATIVE_TIME_REFRESH_MS, dayDate, fullDate, timeAgo } from "~/lib/time";

// One clock for every <RelativeTime> on the page: a snapshot that changes every refresh, and one timer while any is shown.
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, RELATIVE_TIME_REFRESH_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function clientNow(): number {
  // Read lazily so the first client render after hydration (or a client navigation) uses the current time.
  if (now === 0 || (listeners.size === 0 && Date.now() - now > RELATIVE_TIME_REFRESH_MS)) now = Date.now();
  return now;
}

/** The server and hydration render have no clock: they show the date; React re-renders with the age right after. */
const serverNow = (): null => null;

export function RelativeTime({ date, className }: { date: Date | string | number; className?: string }) {
  const at = new Date(date);
  const current = useSyncExternalStore<number | null>(subscribe, clientNow, serverNow);
  const props = { [RELATIVE_TIME_ATTRIBUTE]: "" };
  return (
    <time dateTime={at.toISOString()} title={fullDate(at)} className={className} {...props}>
      {current === null ? dayDate(at) : timeAgo(at, current)}
    </time>
  );
}
