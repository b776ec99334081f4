import { readerTimeText } from "./LocalTime";

test("a reader's time is in their time zone, in the site's English whatever language their browser is set to", () => {
  // Mid-June of this year, so the text has no year.
  const at = new Date(Date.UTC(new Date().getUTCFullYear(), 5, 15, 23, 6));
  expect(readerTimeText(at, true, "Asia/Tokyo")).toMatch(/^[A-Z][a-z]{2} 16 Jun, 08:06 GMT\+9$/);
  expect(readerTimeText(at, false, "Europe/Berlin")).toMatch(/^[A-Z][a-z]{2} 16 Jun, 01:06$/);
  expect(readerTimeText(new Date("2019-03-01T12:00:00Z"), false, "UTC")).toBe("Fri, 1 Mar 2019, 12:00");
});
