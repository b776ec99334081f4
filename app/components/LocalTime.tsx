/**
 * A time shown in the reader's own time zone once the page runs in their browser (the server, not knowing it,
 * renders UTC and says so). Always a <time datetime> element. The year is said when it isn't the current one.
 */
import { useIsHydrated } from "~/lib/hydrated";
import { isUtcOffsetChanged } from "~/lib/time-zones";

const DAY_AND_TIME = {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
} as const satisfies Intl.DateTimeFormatOptions;

/** The server's rendering, the same for every reader: UTC, day and time (one formatter each, not one per call). */
const UTC_FORMAT = new Intl.DateTimeFormat("en-GB", { ...DAY_AND_TIME, timeZone: "UTC" });
const UTC_FORMAT_WITH_YEAR = new Intl.DateTimeFormat("en-GB", { ...DAY_AND_TIME, year: "numeric", timeZone: "UTC" });

/** The server's text (and the browser's first render, so hydration matches): "Sun 7 Nov 2027, 05:30 UTC". */
export function utcTimeText(date: Date, { withZone = true, now = new Date() } = {}): string {
  const format = date.getUTCFullYear() === now.getUTCFullYear() ? UTC_FORMAT : UTC_FORMAT_WITH_YEAR;
  return `${format.format(date)}${withZone ? " UTC" : ""}`;
}

/**
 * The browser's text, in the reader's time zone (theirs unless `timeZone` says), with the year when it isn't this one
 * (there). In the site's English, as the server's text and every "3 minutes ago" are: a German browser's "Mo., 7. Dez."
 * would sit oddly in an English sentence.
 */
export function readerTimeText(date: Date, withZone: boolean, timeZone?: string): string {
  return date.toLocaleString("en-GB", {
    timeZone,
    ...DAY_AND_TIME,
    ...(date.getFullYear() === new Date().getFullYear() ? {} : { year: "numeric" }),
    ...(withZone ? { timeZoneName: "short" } : {}),
  });
}

/**
 * A time; `rangeStart`, when it ends a range ("start – end"), is the start: the end then says its zone only when the
 * clocks changed in between (isUtcOffsetChanged), since the start's zone already reads for both.
 */
export function LocalTime({ iso, rangeStart }: { iso: string | Date; rangeStart?: string | Date }) {
  const isHydrated = useIsHydrated();
  const date = new Date(iso);
  // Until hydrated the page shows UTC, whose clocks never change.
  const isZoneSaid =
    rangeStart === undefined || isUtcOffsetChanged(new Date(rangeStart), date, isHydrated ? undefined : "UTC");
  const text = isHydrated ? readerTimeText(date, isZoneSaid) : utcTimeText(date, { withZone: isZoneSaid });
  return <time dateTime={date.toISOString()}>{text}</time>;
}
