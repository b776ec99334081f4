/** Keyset list cursors: the sort key and id of the row at a page's edge, as base64url JSON (opaque to readers, exact to the microsecond). */
import { z } from "zod";
import { MAX_ID } from "~/lib/ids";

export type ListCursor<Sort extends string> = { sort: Sort; key: string; id: number };

const cursorSchema = z.tuple([z.string().max(40), z.string().max(40), z.number().int().positive().max(MAX_ID)]);

export function encodeListCursor<Sort extends string>(cursor: ListCursor<Sort>): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString("base64url");
}

/**
 * Unreadable, tampered or other-sort cursors give null (the reader gets the first page) rather than an error;
 * `isKey` says which keys the sort can have (a timestamp, a number), so nothing else ever reaches SQL.
 */
export function decodeListCursor<Sort extends string>(
  raw: string | null | undefined,
  sort: Sort,
  isKey: (key: string) => boolean,
): ListCursor<Sort> | null {
  if (!raw || raw.length > 200) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const [cursorSort, key, id] = parsed.data;
    if (cursorSort !== sort || !isKey(key)) return null;
    return { sort, key, id };
  } catch {
    return null;
  }
}
