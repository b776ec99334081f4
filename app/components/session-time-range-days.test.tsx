/**
 * A Q&A session's times name its day once when it starts and ends on the same day where they are read ("Tue 1 Dec,
 * 16:00–17:00 UTC"), and both days when it runs past midnight there: on the server (UTC, the page before it runs in the
 * browser) and in a reader's own zone, where midnight falls elsewhere. Emails read the same way.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { sessionTimesInZone } from "~/models/email.server";
import { LocalTimeRange, timeRangeTexts } from "./LocalTimeRange";

const text = (element: JSX.Element) => renderToStaticMarkup(element).replace(/<[^>]+>/g, "");
const times = (element: JSX.Element) =>
  [...renderToStaticMarkup(element).matchAll(/<time dateTime="([^"]+)">/g)].map((match) => match[1]);
/** What a reader in `timeZone` sees once the page runs in their browser. */
const readerRange = (startsAt: string, endsAt: string, timeZone: string) =>
  timeRangeTexts(new Date(startsAt), new Date(endsAt), true, timeZone).join("");
/** An email's times (Intl puts thin spaces around a dash between two days; read here as plain spaces). */
const emailed = (startsAt: string, endsAt: string) =>
  sessionTimesInZone(new Date(startsAt), new Date(endsAt), null).replace(/\s/g, " ");

// 2030 is never the current year while these tests matter, so every day says its year.
test("a session within one day names the day once, with the zone at the end", () => {
  const range = <LocalTimeRange startsAt="2030-12-03T16:00:00Z" endsAt="2030-12-03T17:00:00Z" />;
  expect(text(range)).toBe("Tue, 3 Dec 2030, 16:00–17:00 UTC");
  // Both ends stay machine-readable times.
  expect(times(range)).toEqual(["2030-12-03T16:00:00.000Z", "2030-12-03T17:00:00.000Z"]);
  expect(emailed("2030-12-03T16:00:00Z", "2030-12-03T17:00:00Z")).toBe("Tue, 3 Dec 2030, 16:00–17:00 UTC");
});

test("a session across midnight names both days", () => {
  const range = <LocalTimeRange startsAt="2030-12-03T23:00:00Z" endsAt="2030-12-04T01:00:00Z" />;
  expect(text(range)).toBe("Tue, 3 Dec 2030, 23:00 – Wed, 4 Dec 2030, 01:00 UTC");
  expect(emailed("2030-12-03T23:00:00Z", "2030-12-04T01:00:00Z")).toBe(
    "Tue, 3 Dec 2030, 23:00 – Wed, 4 Dec 2030, 01:00 UTC",
  );
});

test("whether a session crosses midnight is judged where it is read", () => {
  // One day in UTC, past midnight in Berlin (UTC+1 in December).
  expect(readerRange("2030-12-03T22:00:00Z", "2030-12-03T23:30:00Z", "Europe/Berlin")).toBe(
    "Tue, 3 Dec 2030, 23:00 – Wed, 4 Dec 2030, 00:30 CET",
  );
  // Past midnight in UTC, one evening in New York (UTC-5).
  expect(readerRange("2030-12-03T23:00:00Z", "2030-12-04T01:00:00Z", "America/New_York")).toBe(
    "Tue, 3 Dec 2030, 18:00–20:00 GMT-5",
  );
});
