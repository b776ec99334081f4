/** The time-zone list on the welcome and profile forms: each zone named by its offset from UTC on the day and its place. */
import { isTimeZone, timeZoneChoices, timeZoneLabel } from "./time-zones";

const WINTER = new Date("2026-01-15T12:00:00Z");
const SUMMER = new Date("2026-07-15T12:00:00Z");

test("a zone reads as its offset from UTC on the day, summer time included, and the place it is named after", () => {
  expect(timeZoneLabel("Europe/Berlin", WINTER)).toBe("(UTC+01:00) Berlin");
  expect(timeZoneLabel("Europe/Berlin", SUMMER)).toBe("(UTC+02:00) Berlin");
  expect(timeZoneLabel("America/New_York", WINTER)).toBe("(UTC-05:00) New York");
  expect(timeZoneLabel("Asia/Kolkata", SUMMER)).toBe("(UTC+05:30) Kolkata");
  expect(timeZoneLabel("UTC", SUMMER)).toBe("(UTC+00:00) UTC");
  // A place named within a region says which one.
  expect(timeZoneLabel("America/Indiana/Knox", WINTER)).toBe("(UTC-06:00) Knox, Indiana");
});

test("the list runs west to east by offset, then by place, and keeps the IANA id as the value", () => {
  const choices = timeZoneChoices(WINTER);
  expect(choices.length).toBeGreaterThan(300);
  expect(choices.every((choice) => isTimeZone(choice.zone))).toBe(true);
  expect(new Set(choices.map((choice) => choice.zone)).size).toBe(choices.length);
  expect(choices.find((choice) => choice.zone === "Europe/Berlin")?.label).toBe("(UTC+01:00) Berlin");
  expect(choices.some((choice) => choice.zone === "UTC")).toBe(true);
  const minutes = (label: string) => {
    const [, sign, hours, mins] = /^\(UTC([+-])(\d{2}):(\d{2})\)/.exec(label) ?? [];
    return (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(mins));
  };
  const offsets = choices.map((choice) => minutes(choice.label));
  expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  expect(offsets[0]).toBeLessThan(0);
  expect(offsets.at(-1)).toBeGreaterThan(0);
  const sameOffset = choices.filter((choice) => minutes(choice.label) === 60).map((choice) => choice.label);
  expect(sameOffset).toEqual([...sameOffset].sort((a, b) => a.localeCompare(b, "en")));
});
