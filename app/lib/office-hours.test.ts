/** What the session form's time pickers offer: today to two years ahead, read in the zone the form names. */
import { sessionTimeRange } from "./office-hours";

// 21:06 UTC on 4 December 2026: already the 5th in Auckland (UTC+13 in summer), still the 4th in Los Angeles (UTC-8).
const now = new Date("2026-12-04T21:06:30Z");

test("the pickers start at the beginning of today in the form's zone", () => {
  expect(sessionTimeRange(now, "Pacific/Auckland").min).toBe("2026-12-05T00:00");
  expect(sessionTimeRange(now, "America/Los_Angeles").min).toBe("2026-12-04T00:00");
  expect(sessionTimeRange(now, "UTC").min).toBe("2026-12-04T00:00");
});

test("the start goes up to two years from now, the end up to 8 hours after that, as wall-clock times there", () => {
  expect(sessionTimeRange(now, "Pacific/Auckland")).toMatchObject({
    startMax: "2028-12-05T10:06",
    endMax: "2028-12-05T18:06",
  });
  expect(sessionTimeRange(now, "America/Los_Angeles")).toMatchObject({
    startMax: "2028-12-04T13:06",
    endMax: "2028-12-04T21:06",
  });
});
