/** The date formatter: stable absolute dates for server HTML, ages for the browser, the same answer for every input kind. */
import { dayDate, fullDate, timeAgo } from "./time";

const now = Date.parse("2026-03-12T14:05:30Z");

describe("timeAgo", () => {
  test("under a minute reads 'just now', either side of now", () => {
    expect(timeAgo(new Date(now - 59_000), now)).toBe("just now");
    expect(timeAgo(new Date(now + 20_000), now)).toBe("just now");
  });

  test("picks the largest whole unit, rounding", () => {
    expect(timeAgo(new Date(now - 3 * 60_000), now)).toBe("3 minutes ago");
    expect(timeAgo(new Date(now - 100 * 60_000), now)).toBe("2 hours ago");
    expect(timeAgo(new Date(now - 3 * 86_400_000), now)).toBe("3 days ago");
    expect(timeAgo(new Date(now - 14 * 86_400_000), now)).toBe("2 weeks ago");
    expect(timeAgo(new Date(now - 400 * 86_400_000), now)).toBe("last year");
  });

  test("says 'yesterday' and 'in 2 hours' where English does", () => {
    expect(timeAgo(new Date(now - 86_400_000), now)).toBe("yesterday");
    expect(timeAgo(new Date(now + 2 * 3_600_000), now)).toBe("in 2 hours");
  });

  test("accepts a Date, an ISO string or milliseconds, and a Date or number for now", () => {
    const then = now - 5 * 60_000;
    const expected = "5 minutes ago";
    expect(timeAgo(new Date(then), now)).toBe(expected);
    expect(timeAgo(new Date(then).toISOString(), new Date(now))).toBe(expected);
    expect(timeAgo(then, now)).toBe(expected);
  });
});

describe("absolute dates", () => {
  test("fullDate is the UTC moment, whatever the process's time zone", () => {
    expect(fullDate("2026-03-12T14:05:30Z")).toBe("12 Mar 2026, 14:05 UTC");
    expect(fullDate(new Date("2026-03-12T23:59:00-05:00"))).toBe("13 Mar 2026, 04:59 UTC");
  });

  test("dayDate is the UTC day, the text a cached page can keep", () => {
    expect(dayDate("2026-03-12T00:30:00Z")).toBe("12 Mar 2026");
    expect(dayDate(Date.parse("2025-12-31T23:59:59Z"))).toBe("31 Dec 2025");
  });
});

test("remembered dates are exactly what formatting gives, across minute and day boundaries", () => {
  const moments = [
    "2026-03-12T23:59:59.999Z",
    "2026-03-13T00:00:00.000Z",
    "2026-03-13T00:00:59.000Z",
    "2026-03-13T00:01:00.000Z",
    "1969-12-31T23:59:30.000Z",
  ];
  for (const moment of moments) {
    for (let round = 0; round < 2; round++) {
      expect(dayDate(moment)).toBe(
        new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
          new Date(moment),
        ),
      );
      expect(fullDate(moment)).toBe(
        `${new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(moment))} UTC`,
      );
    }
  }
});
