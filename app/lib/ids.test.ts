/** Ids from URLs and forms: only plain digits within PostgreSQL's integer range count. */
import { idField } from "./id-field";
import { MAX_ID, isCursorTimestamp, parseId, pageNumberParam } from "./ids";

describe("parseId", () => {
  test("plain digits from 1 to the largest integer are ids", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId("2147483647")).toBe(MAX_ID);
  });

  test.each([
    "0",
    "2147483648",
    "99999999999999999999",
    "-1",
    "1e3",
    " 12",
    "12 ",
    "0x10",
    "12.0",
    "",
    "١٢",
    "12\u0000",
  ])("%j is not an id", (value) => {
    expect(parseId(value)).toBeNull();
  });

  test("values that are not text are not ids", () => {
    expect(parseId(undefined)).toBeNull();
    expect(parseId(12)).toBeNull();
  });
});

describe("idField", () => {
  test("a form field beyond the integer range gets the field's message, not a database error", () => {
    const field = idField("Choose a space.");
    expect(field.safeParse("2147483648").success).toBe(false);
    expect(field.safeParse("99999999999999999999").success).toBe(false);
    expect(field.safeParse("abc").error?.issues[0]?.message).toBe("Choose a space.");
    expect(field.parse("42")).toBe(42);
    expect(field.parse(" 42 ")).toBe(42);
    expect(field.parse(42)).toBe(42);
    // What a plain number conversion would take, but no form of ours sends.
    for (const odd of ["0x10", "1e1", "1.0", "+3", "", "0", "-3", "٤٢"])
      expect({ odd, ok: field.safeParse(odd).success }).toEqual({ odd, ok: false });
    expect(field.safeParse(undefined).error?.issues[0]?.message).toBe("Choose a space.");
  });
});

describe("isCursorTimestamp", () => {
  test("only real instants in the lists' own form", () => {
    expect(isCursorTimestamp("2026-01-31T09:15:00.123456Z")).toBe(true);
    expect(isCursorTimestamp("2026-13-45T25:61:61.000000Z")).toBe(false);
    expect(isCursorTimestamp("2026-02-30T00:00:00.000000Z")).toBe(false);
    expect(isCursorTimestamp("2026-01-31")).toBe(false);
  });

  test("the year 0000 is refused (the database has no year 0); years 0001 to 9999 all fit the database", () => {
    expect(isCursorTimestamp("0000-01-01T00:00:00.000000Z")).toBe(false);
    expect(isCursorTimestamp("0000-12-31T23:59:59.999999Z")).toBe(false);
    expect(isCursorTimestamp("0001-01-01T00:00:00.000000Z")).toBe(true);
    expect(isCursorTimestamp("1999-12-31T23:59:59.999999Z")).toBe(true);
    expect(isCursorTimestamp("9999-12-31T23:59:59.999999Z")).toBe(true);
  });
});

test("a list's ?page= is a whole number from 1 to 10,000, anything else the first page", () => {
  expect([null, "", "2", "10000", "10001", "0", "-1", "1.5", "1e3", "abc", "x\u0000"].map(pageNumberParam)).toEqual([
    1, 1, 2, 10_000, 1, 1, 1, 1, 1_000, 1, 1,
  ]);
});
