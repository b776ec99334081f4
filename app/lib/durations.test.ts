/** The labels people read for response times, shares and ratings: short, plain, never "NaN". */
import { formatHours, formatPercent, formatRating } from "./durations";

describe("formatHours", () => {
  test("under an hour reads in minutes, with anything below a minute as 'under 1 min'", () => {
    expect(formatHours(0)).toBe("under 1 min");
    expect(formatHours(0.5 / 60)).toBe("under 1 min");
    expect(formatHours(1 / 60)).toBe("1 min");
    expect(formatHours(0.75)).toBe("45 min");
  });

  test("under two days reads in hours, with one decimal only below 10", () => {
    expect(formatHours(59.7 / 60)).toBe("1 h");
    expect(formatHours(2.5)).toBe("2.5 h");
    expect(formatHours(2)).toBe("2 h");
    expect(formatHours(9.96)).toBe("10 h");
    expect(formatHours(14.2)).toBe("14 h");
    expect(formatHours(47.4)).toBe("47 h");
  });

  test("two days and more reads in days", () => {
    expect(formatHours(47.8)).toBe("2 days");
    expect(formatHours(3.2 * 24)).toBe("3.2 days");
    expect(formatHours(12 * 24 + 5)).toBe("12 days");
  });

  test("no value, or a value that is not a number, shows a dash", () => {
    expect(formatHours(null)).toBe("—");
    expect(formatHours(Number.NaN)).toBe("—");
    expect(formatHours(Number.POSITIVE_INFINITY)).toBe("—");
    expect(formatHours(-3)).toBe("under 1 min");
  });
});

test("a share reads as a rounded percentage", () => {
  expect(formatPercent(0.834)).toBe("83%");
  expect(formatPercent(0)).toBe("0%");
  expect(formatPercent(1)).toBe("100%");
  expect(formatPercent(0.005)).toBe("1%");
  expect(formatPercent(null)).toBe("—");
  expect(formatPercent(Number.NaN)).toBe("—");
});

test("a rating reads out of five with at most one decimal", () => {
  expect(formatRating(4.46)).toBe("4.5 / 5");
  expect(formatRating(4)).toBe("4 / 5");
  expect(formatRating(3.96)).toBe("4 / 5");
  expect(formatRating(null)).toBe("—");
  expect(formatRating(Number.NaN)).toBe("—");
});
