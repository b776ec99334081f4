/**
 * The one date formatter: stable absolute dates for the HTML a server sends (a cached page can keep them forever),
 * full dates for tooltips, and relative ages ("3 hours ago") that only the reader's browser computes. The Intl
 * formatters are created once per process: building one costs far more than formatting with it. This module has
 * no imports and runs in the server, in React and in the small reader script (app/reader/reader.ts).
 */
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

// "auto" says "yesterday" and "tomorrow", which days earn by the calendar (below); weeks and longer always count
// ("1 week ago"): "last week" is a calendar week, which ten days ago on a Monday is not.
const relativeDays = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const full = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** Days since an epoch in the reader's own time zone, so "yesterday" is their yesterday. */
function localDay(ms: number): number {
  return Math.floor((ms - new Date(ms).getTimezoneOffset() * 60_000) / 86_400_000);
}

/**
 * "3 hours ago", "yesterday", "2 days ago", "1 week ago", "just now": for the browser only, since the answer changes
 * while a page is open or cached. Past a day, days are counted on the reader's calendar (31 hours ago at 5 am is
 * "2 days ago", not "yesterday"); weeks, months and years count whole ones.
 */
export function timeAgo(date: Date | string | number, now: Date | number = Date.now()): string {
  const at = new Date(date).getTime();
  const from = new Date(now).getTime();
  const seconds = Math.round((at - from) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) < size) continue;
    if (unit === "day") return relativeDays.format(localDay(at) - localDay(from), "day");
    if (unit === "hour" || unit === "minute") return relative.format(Math.round(seconds / size), unit);
    return relative.format(Math.trunc(seconds / size), unit);
  }
  return "just now";
}

// Formatting, not creating, is what remains: a question page shows about 200 dates per render, most of them on a few
// days. Results are kept by the minute (full dates) and the UTC day (day dates), which is all each one shows.
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const fullByMinute = new Map<number, string>();
const dayByDay = new Map<number, string>();

function remembered(cache: Map<number, string>, key: number, make: () => string): string {
  const kept = cache.get(key);
  if (kept !== undefined) return kept;
  const made = make();
  if (cache.size >= 10_000) cache.clear();
  cache.set(key, made);
  return made;
}

/** "12 Mar 2026, 14:05 UTC": the exact moment, the same wherever it is rendered. */
export function fullDate(date: Date | string | number): string {
  const at = new Date(date);
  return remembered(fullByMinute, Math.floor(at.getTime() / MINUTE_MS), () => `${full.format(at)} UTC`);
}

/** "12 Mar 2026" (UTC): what server HTML shows inside a relative <time> until the browser turns it into an age. */
export function dayDate(date: Date | string | number): string {
  const at = new Date(date);
  return remembered(dayByDay, Math.floor(at.getTime() / DAY_MS), () => day.format(at));
}

/** The attribute that marks a <time datetime> whose text the browser replaces with its age, and keeps fresh. */
export const RELATIVE_TIME_ATTRIBUTE = "data-relative";

/** How often open pages refresh their ages: a minute is the finest unit shown. */
export const RELATIVE_TIME_REFRESH_MS = 30_000;

/** Gives every marked <time> under `root` its age as seen at `now` (used by the reader script and after hydration). */
export function refreshRelativeTimes(root: ParentNode, now: number = Date.now()): void {
  for (const element of root.querySelectorAll<HTMLTimeElement>(`time[${RELATIVE_TIME_ATTRIBUTE}]`)) {
    const value = element.dateTime;
    if (!value || Number.isNaN(Date.parse(value))) continue;
    const text = timeAgo(value, now);
    if (element.textContent !== text) element.textContent = text;
  }
}
