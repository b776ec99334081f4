/**
 * Time zones for forms that take a wall-clock time ("09:00 on the 3rd"): checking an IANA zone name, turning a typed
 * local time into the instant it means there, and back. Plain Intl, so the same code runs on the server and in the browser.
 */

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone))
    return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A zone to choose from: the IANA id (what is stored) and what the list shows, "(UTC+01:00) Berlin". */
export type TimeZoneChoice = { zone: string; label: string };

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far the zone's clocks are from UTC at `at`, as Intl writes it: "+01:00", "-03:30", "+00:00". */
function offsetText(zone: string, at: Date): string {
  let formatter = offsetFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormatters.set(zone, formatter);
  }
  const name = formatter.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "";
  // "GMT+01:00"; UTC itself is plain "GMT" in some engines.
  return /[+-]\d{2}:\d{2}$/.exec(name)?.[0] ?? "+00:00";
}

/**
 * Whether the clocks in `timeZone` (the reader's unless it says) are a different distance from UTC at `end` than at
 * `start`: a daylight-saving change in between, after which the end needs its own zone ("23:30 GMT-5 – 03:30 GMT-4"
 * is 3 hours, where "23:30 GMT-5 – 03:30" reads as 4).
 */
export function isUtcOffsetChanged(start: Date, end: Date, timeZone?: string): boolean {
  const zone = timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return offsetText(zone, start) !== offsetText(zone, end);
}

/** The place a zone is named after: "Europe/Berlin" → "Berlin", "America/Indiana/Knox" → "Knox, Indiana". */
function placeOf(zone: string): string {
  const parts = zone.split("/").map((part) => part.replace(/_/g, " "));
  const place = parts[parts.length - 1] ?? zone;
  return parts.length > 2 ? `${place}, ${parts[parts.length - 2]}` : place;
}

/** A zone as the list shows it, with its offset from UTC at `at` (summer time included): "(UTC+01:00) Berlin". */
export function timeZoneLabel(zone: string, at: Date = new Date()): string {
  return labelOf(zone, offsetText(zone, at));
}

function labelOf(zone: string, offset: string): string {
  return `(UTC${offset}) ${placeOf(zone)}`;
}

/** "+05:30" → 330 minutes, for sorting. */
function offsetMinutes(offset: string): number {
  const sign = offset.startsWith("-") ? -1 : 1;
  const [hours = 0, minutes = 0] = offset.slice(1).split(":").map(Number);
  return sign * (hours * 60 + minutes);
}

const byPlace = new Intl.Collator("en");
const QUARTER_HOUR = 15 * 60_000;
/** The last list made: clocks change on a quarter hour at the earliest, so one list serves every form until the next. */
let lastChoices: { quarter: number; choices: TimeZoneChoice[] } | null = null;

/** The zones to choose from on the profile form (the runtime's list and UTC), west to east, then by place. */
export function timeZoneChoices(at: Date = new Date()): TimeZoneChoice[] {
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR);
  if (lastChoices?.quarter === quarter) return lastChoices.choices;
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf("timeZone") : [];
  const choices = ["UTC", ...zones.filter((zone) => zone !== "UTC")]
    .map((zone) => {
      const offset = offsetText(zone, at);
      return { zone, minutes: offsetMinutes(offset), label: labelOf(zone, offset) };
    })
    .sort((a, b) => a.minutes - b.minutes || byPlace.compare(a.label, b.label))
    .map(({ zone, label }) => ({ zone, label }));
  lastChoices = { quarter, choices };
  return choices;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

function wallClock(instant: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    partsFormatter(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function daysInMonth(year: number, month: number): number {
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * A typed wall-clock time read in a zone: the instant it means there, or none, with `impossible` saying in plain words
 * why not when the text is a date and time that doesn't exist (null: it isn't a date and time at all, or the zone is
 * unknown).
 */
export type ZonedTime = { instant: Date; impossible?: undefined } | { instant: null; impossible: string | null };

/**
 * Reads "2026-11-25T15:30" (as a datetime-local field sends it) in an IANA zone, daylight saving included. Nothing
 * rolls over: 31 February, hour 25 or minute 61 are refused rather than read as 3 March or the next day, and so is a
 * time the clocks skip when they go forward (02:30 on a night they jump from 02:00 to 03:00), since a host who typed
 * it meant a time that never comes. A time that happens twice (clocks going back) is its first occurrence.
 */
export function readZonedTime(local: string, timeZone: string): ZonedTime {
  // A datetime-local field sends whole minutes unless told a step; one that sends seconds (or a script's "HH:MM:SS.sss",
  // or a space for the T) means the same minute: sessions start and end on minutes.
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::([0-5]\d)(?:\.\d{1,3})?)?$/.exec(local.trim());
  if (!match || !isTimeZone(timeZone)) return { instant: null, impossible: null };
  const [, year, month, day, hour, minute] = match.slice(0, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1) return { instant: null, impossible: "There is no year 0. Please check the date." };
  if (month < 1 || month > 12)
    return { instant: null, impossible: `There is no month ${month}. Please check the date.` };
  if (day < 1 || day > daysInMonth(year, month))
    return {
      instant: null,
      impossible: `There is no ${dayInWords({ year, month, day })}. Please check the date.`,
    };
  if (hour > 23 || minute > 59)
    return {
      instant: null,
      impossible: `${pad2(hour)}:${pad2(minute)} isn't a time of day: hours go from 00 to 23 and minutes from 00 to 59.`,
    };
  const asUtc = utcOfWallClock({ year, month, day, hour, minute });
  const isTyped = (instant: number) => {
    const wall = wallClock(instant, timeZone);
    return (
      wall.year === year && wall.month === month && wall.day === day && wall.hour === hour && wall.minute === minute
    );
  };
  // Read with the zone's offsets a day either side (and, should it have changed its clocks twice since, the offset
  // near the time itself): a time that none of these readings gives back is in a gap the clocks skip.
  const offsetBefore = offsetAt(asUtc - 86_400_000, timeZone);
  const offsetAfter = offsetAt(asUtc + 86_400_000, timeZone);
  const near = asUtc - offsetAt(asUtc - offsetAt(asUtc, timeZone), timeZone);
  const [first] = [asUtc - offsetBefore, asUtc - offsetAfter, near].filter(isTyped).sort((a, b) => a - b);
  if (first !== undefined) return { instant: new Date(first) };
  return {
    instant: null,
    impossible: skippedTimeMessage({ year, month, day, hour, minute }, timeZone, offsetBefore, offsetAfter),
  };
}

/** The wall-clock parts read as UTC (setUTCFullYear, unlike Date.UTC, doesn't read years below 100 as 19xx). */
function utcOfWallClock({ year, month, day, hour, minute }: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, 0, 0);
  return date.getTime();
}

/** How far the zone's clocks are ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return utcOfWallClock(wallClock(instant, timeZone)) - instant;
}

/** "14 March 2027". */
function dayInWords({ year, month, day }: { year: number; month: number; day: number }): string {
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

/** Why a time in a gap doesn't exist, naming the minute the clocks jumped (found between the two readings of it). */
function skippedTimeMessage(typed: WallClock, timeZone: string, offsetBefore: number, offsetAfter: number): string {
  const asUtc = utcOfWallClock(typed);
  const time = `${pad2(typed.hour)}:${pad2(typed.minute)}`;
  const missing = `There is no ${time} on ${dayInWords(typed)} in ${timeZone}`;
  if (offsetAfter <= offsetBefore) return `${missing}: the clocks skip it. Please choose another time.`;
  // Read with the later offset the typed time falls before the jump, with the earlier one after it.
  let beforeJump = asUtc - offsetAfter;
  let afterJump = asUtc - offsetBefore;
  while (afterJump - beforeJump > 60_000) {
    const middle = beforeJump + Math.max(60_000, Math.floor((afterJump - beforeJump) / 120_000) * 60_000);
    if (offsetAt(middle, timeZone) === offsetBefore) beforeJump = middle;
    else afterJump = middle;
  }
  const from = wallClock(afterJump + offsetBefore, "UTC");
  const to = wallClock(afterJump, timeZone);
  const clock = (wall: WallClock) => `${pad2(wall.hour)}:${pad2(wall.minute)}`;
  const isSameDay = from.year === to.year && from.month === to.month && from.day === to.day;
  const jump = isSameDay
    ? `from ${clock(from)} to ${clock(to)}`
    : `from ${clock(from)} on ${dayInWords(from)} to ${clock(to)} on ${dayInWords(to)}`;
  return `${missing}: the clocks go forward ${jump}. Please choose another time.`;
}

/** The UTC instant of a wall-clock time in a zone, or null when there is none (see readZonedTime for why). */
export function zonedTimeToUtc(local: string, timeZone: string): Date | null {
  return readZonedTime(local, timeZone).instant;
}

/** The wall-clock time of an instant in a zone, as a datetime-local field wants it ("2026-11-25T15:30"). */
export function utcToZonedLocal(date: Date, timeZone: string): string {
  const wall = wallClock(date.getTime(), isTimeZone(timeZone) ? timeZone : "UTC");
  return `${wall.year}-${pad2(wall.month)}-${pad2(wall.day)}T${pad2(wall.hour)}:${pad2(wall.minute)}`;
}
