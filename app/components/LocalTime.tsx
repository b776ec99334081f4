/**
 * A time shown in the reader's own time zone once the page runs in their browser (the server, not knowing it,
 * renders UTC and says so). Always a <time datetime> element.
 */
import { useIsHydrated } from "~/lib/hydrated";

/** The server's rendering, the same for every reader: UTC, day and time (one formatter, not one per call). */
const UTC_FORMAT = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function LocalTime({ iso, withZone = true }: { iso: string | Date; withZone?: boolean }) {
  const isHydrated = useIsHydrated();
  const date = new Date(iso);
  const text = isHydrated
    ? date.toLocaleString(undefined, {
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
        ...(withZone ? { timeZoneName: "short" } : {}),
      })
    : `${UTC_FORMAT.format(date)}${withZone ? " UTC" : ""}`;
  return <time dateTime={date.toISOString()}>{text}</time>;
}
