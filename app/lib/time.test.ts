/** The date formatter: stable absolute dates for server HTML, ages for the browser, the same answer for every input kind. */
import { dayDate, fullDate, timeAgo } from "./time";

const now = Date.parse("2026-03-12T14:05:30Z");

describe("timeAgo", () => {
  test("under a minute reads 'just now', either side of now", () => {
    expect(timeAgo(new Date(now - 59_000), now)).toBe("just now");
    expect(timeAgo(new Date(now + 20_000), now)).toBe("just now");
  });

  test("picks the largest unit: minutes and hours rounded, days by the calendar, longer ones whole", () => {
    expect(timeAgo(new Date(now - 3 * 60_000), now)).toBe("3 minutes ago");
    expect(timeAgo(new Date(now - 100 * 60_000), now)).toBe("2 hours ago");
    expect(timeAgo(new Date(now - 3 * 86_400_000), now)).toBe("3 days ago");
    expect(timeAgo(new Date(now - 14 * 86_400_000), now)).toBe("2 weeks ago");
    expect(timeAgo(new Date(now - 400 * 86_400_000), now)).toBe("1 year ago");
  });

  describe("calendar words only when the calendar agrees, in the reader's time zone", () => {
    const zone = process.env.TZ;
    afterEach(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    test.each([
      ["UTC", "2 days ago"],
      ["America/New_York", "2 days ago"],
      // Saturday 21:02 UTC is already Sunday 06:02 in Tokyo.
      ["Asia/Tokyo", "yesterday"],
    ])("in %s", (timeZone, saturdayEvening) => {
      process.env.TZ = timeZone;
      // Monday 7 Dec 2026, 05:06 UTC, and an answer of Saturday evening (UTC): 32 hours, not "yesterday" in London.
      const monday = Date.parse("2026-12-07T05:06:00Z");
      expect(timeAgo("2026-12-05T21:02:00Z", monday)).toBe(saturdayEvening);
      // Ten days and a month and a half are not "last week" and "last month": whole ones are counted.
      expect(timeAgo(monday - 10 * 86_400_000, monday)).toBe("1 week ago");
      expect(timeAgo(monday - 45 * 86_400_000, monday)).toBe("1 month ago");
      expect(timeAgo(monday - 8 * 86_400_000, monday)).toBe("1 week ago");
    });

    test("'yesterday' is the day before on the reader's calendar, however many hours that is", () => {
      process.env.TZ = "UTC";
      const morning = Date.parse("2026-12-07T09:00:00Z");
      expect(timeAgo("2026-12-06T08:00:00Z", morning)).toBe("yesterday");
      expect(timeAgo("2026-12-05T23:30:00Z", morning)).toBe("2 days ago");
      expect(timeAgo("2026-12-08T20:00:00Z", morning)).toBe("tomorrow");
      expect(timeAgo("2026-12-09T10:00:00Z", morning)).toBe("in 2 days");
      // Tokyo's Monday 18:00 is Monday 09:00 UTC; Sunday 08:00 UTC is Sunday 17:00 there: still yesterday.
      process.env.TZ = "Asia/Tokyo";
      expect(timeAgo("2026-12-06T08:00:00Z", morning)).toBe("yesterday");
      // New York's Monday 04:00 is 09:00 UTC; 04:30 UTC on Sunday is its Saturday 23:30, 28.5 hours before.
      process.env.TZ = "America/New_York";
      expect(timeAgo("2026-12-06T04:30:00Z", morning)).toBe("2 days ago");
      expect(timeAgo("2026-12-06T05:30:00Z", morning)).toBe("yesterday");
    });
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
