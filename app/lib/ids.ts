/**
 * Database ids from URLs and forms: positive whole numbers that fit PostgreSQL's `integer` columns (int4). Free of zod
 * (forms' id fields are in id-field.ts): reading pages import this, and whatever it imports ships to their readers.
 */

/** The largest value of a PostgreSQL `integer`; a bigger id can't exist, and sending one to the database is an error. */
export const MAX_ID = 2_147_483_647;

/**
 * The id in a path parameter or query value, or null when it is not one: only plain digits count ("12", not "1e1",
 * " 12", "0x0c" or "12.0"), and only within 1…MAX_ID.
 */
export function parseId(value: unknown): number | null {
  if (typeof value !== "string" || !/^[0-9]{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id >= 1 && id <= MAX_ID ? id : null;
}

/** The id in a path parameter, or a 404 page saying `notFound` ("There is no question at this address."). */
export function requireId(value: unknown, notFound: string): number {
  const id = parseId(value);
  if (id === null) throw new Response(notFound, { status: 404 });
  return id;
}

/**
 * Whether a list cursor's time key is a real instant in the form the lists write ("2026-01-31T09:15:00.123456Z"):
 * a well-formed but impossible date ("2026-13-45…") would make the database refuse the whole query, and so would the
 * year 0000 (PostgreSQL counts 1 BC, not year 0). Years 0001–9999 all fit a timestamptz; imported posts keep their
 * original dates, so no lower year can be ruled out.
 */
export function isCursorTimestamp(key: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/.exec(key);
  if (!match || key.startsWith("0000")) return false;
  const ms = Date.parse(`${match[1]}Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === match[1];
}

/** A list's ?page= as a page number: a whole number from 1 to 10,000, anything else the first page. */
export function pageNumberParam(value: string | null): number {
  const page = Number(value ?? "1");
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}
