/**
 * A session's times as one range, "Tue 1 Dec 2026, 16:00–17:00 UTC", in the reader's own time zone once the page runs
 * in their browser (UTC on the server, as LocalTime). Apart from LocalTime so pages that show single times (the
 * question page) don't download it.
 */
import { useIsHydrated } from "~/lib/hydrated";
import { isUtcOffsetChanged } from "~/lib/time-zones";
import { readerTimeText, utcTimeText } from "./LocalTime";

const UTC_CLOCK = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/**
 * A range's start, what joins it to its end, and its end, as read on the server (UTC, also the browser's first render)
 * or in the reader's zone (`timeZone`, theirs unless given): "Tue 1 Dec 2026, 16:00", "–", "17:00 UTC" on one day
 * there, both days across midnight ("Tue 1 Dec, 23:00", " – ", "Wed 2 Dec, 01:00 UTC"). The zone is said once, at the
 * end, unless the clocks change in between: then each end says its own ("00:30 GMT – 03:30 BST" is 2 hours, not 3).
 */
export function timeRangeTexts(
  start: Date,
  end: Date,
  inReaderZone: boolean,
  timeZone?: string,
): [string, string, string] {
  const zone = inReaderZone ? timeZone : "UTC";
  const isZoneChanged = isUtcOffsetChanged(start, end, zone);
  const dayOf = (date: Date) =>
    inReaderZone ? date.toLocaleDateString("en-CA", { timeZone }) : date.toISOString().slice(0, 10);
  const isOneDay = dayOf(start) === dayOf(end);
  const text = (date: Date, withZone: boolean) =>
    inReaderZone ? readerTimeText(date, withZone, timeZone) : utcTimeText(date, { withZone });
  const clock = inReaderZone
    ? end.toLocaleTimeString("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", timeZoneName: "short" })
    : `${UTC_CLOCK.format(end)} UTC`;
  return [text(start, isZoneChanged), isOneDay && !isZoneChanged ? "–" : " – ", isOneDay ? clock : text(end, true)];
}

/** A session's times, start to end, in the reader's own zone once the page runs in their browser (timeRangeTexts). */
export function LocalTimeRange({ startsAt, endsAt }: { startsAt: string | Date; endsAt: string | Date }) {
  const [start, end] = [new Date(startsAt), new Date(endsAt)];
  const [startText, joint, endText] = timeRangeTexts(start, end, useIsHydrated());
  return (
    <>
      <time dateTime={start.toISOString()}>{startText}</time>
      {joint}
      <time dateTime={end.toISOString()}>{endText}</time>
    </>
  );
}
