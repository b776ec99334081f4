/** Limits of hosted Q&A sessions, shared by the server's rules and the forms' hints. */
import { utcToZonedLocal } from "./time-zones";

export const OFFICE_HOURS_LIMITS = {
  titleMin: 10,
  titleMax: 120,
  descriptionMin: 20,
  descriptionMax: 5000,
  questionMin: 10,
  questionMax: 1000,
  answerMax: 10_000,
  maxHours: 8,
  /**
   * How far ahead a session may start. Further is nearly always a typo in the year; its followers' reminder and the
   * upcoming list would mean nothing for years; and zones' daylight-saving rules are rarely settled that far ahead,
   * so the instant a typed time means could still change.
   */
  maxYearsAhead: 2,
  capMax: 20,
  tagsMax: 5,
} as const;

/** The latest start a session scheduled at `now` may have (OFFICE_HOURS_LIMITS.maxYearsAhead). */
export function latestSessionStart(now: Date): Date {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + OFFICE_HOURS_LIMITS.maxYearsAhead);
  return latest;
}

/**
 * What the form's time pickers offer, as datetime-local values in the form's zone: from the start of today there up to
 * the latest start (the end up to the longest session after that). A hint for the picker only; the server's rules decide.
 */
export function sessionTimeRange(now: Date, timeZone: string): { min: string; startMax: string; endMax: string } {
  const latest = latestSessionStart(now);
  const latestEnd = new Date(latest.getTime() + OFFICE_HOURS_LIMITS.maxHours * 3_600_000);
  return {
    min: `${utcToZonedLocal(now, timeZone).slice(0, 10)}T00:00`,
    startMax: utcToZonedLocal(latest, timeZone),
    endMax: utcToZonedLocal(latestEnd, timeZone),
  };
}

/**
 * What moving a session did, for the notice about it: its start moved (with its end, or not), or only its end; null
 * for a notice from before moves recorded the times they replaced.
 */
export function sessionMove(
  previous: { startsAt: Date | null; endsAt: Date | null },
  now: { startsAt: Date; endsAt: Date },
): "start" | "end" | null {
  if (!previous.startsAt || !previous.endsAt) return null;
  return previous.startsAt.getTime() === now.startsAt.getTime() ? "end" : "start";
}
