import { sql } from "drizzle-orm";
import { createTestDatabase } from "../tests/fixtures/db";
import { type Database, queryRows } from "./client.server";
import { preparedRows, preparedStatementCount } from "./prepared.server";

describe("prepared statements for the hottest queries", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  const tricky = ["plain", "it's", "back\\slash and 'quote'", "'); drop table users; --", "émoji ✓ and\nnew line", ""];

  test("answers exactly what the unprepared query answers, for every kind of value", async () => {
    for (const text of tricky) {
      const at = new Date("2026-03-04T05:06:07.089Z");
      const query = sql`select ${text}::text as t, length(${text}::text) as n, ${42}::int + 1 as i, ${2.5}::float8 as f,
        ${true}::boolean as b, ${null}::text as missing, ${at}::timestamptz as at, now() > ${at}::timestamptz as later`;
      const expected = await queryRows<Record<string, unknown>>(database.db, query);
      const got = await preparedRows<Record<string, unknown>>(database.db, query);
      expect(got).toEqual(expected);
      expect(got[0]?.t).toBe(text);
    }
    // A quoted value never becomes SQL: the users table is still there.
    expect(await queryRows(database.db, sql`select count(*) from users`)).toHaveLength(1);
  });

  test("on the embedded database a query is prepared once and then reused; a dropped statement is prepared again", async () => {
    const query = (id: number) => sql`select ${id}::int * 2 as doubled`;
    if (database.kind !== "pglite") {
      // A PostgreSQL server plans natively: the query runs unprepared and answers the same.
      expect(await preparedRows<{ doubled: number }>(database.db, query(4))).toEqual([{ doubled: 8 }]);
      expect(await preparedStatementCount(database.db)).toBe(0);
      return;
    }
    const before = await preparedStatementCount(database.db);
    await Promise.all([1, 2, 3].map((id) => preparedRows(database.db, query(id))));
    expect(await preparedRows<{ doubled: number }>(database.db, query(21))).toEqual([{ doubled: 42 }]);
    expect(await preparedStatementCount(database.db)).toBe(before + 1);

    await database.db.execute(sql`deallocate all`);
    expect(await preparedStatementCount(database.db)).toBe(0);
    expect(await preparedRows<{ doubled: number }>(database.db, query(5))).toEqual([{ doubled: 10 }]);
    expect(await preparedStatementCount(database.db)).toBe(1);
  });

  test("inside a transaction the query runs unprepared (a PREPARE would outlive a rollback)", async () => {
    const before = await preparedStatementCount(database.db);
    const rows = await database.db
      .transaction(async (tx) => {
        const inside = await preparedRows<{ v: string }>(tx, sql`select ${"in a transaction"}::text as v`);
        tx.rollback();
        return inside;
      })
      .catch(() => null);
    expect(rows).toBeNull();
    const value = await database.db.transaction((tx) =>
      preparedRows<{ v: string }>(tx, sql`select ${"kept"}::text as v`),
    );
    expect(value).toEqual([{ v: "kept" }]);
    expect(await preparedStatementCount(database.db)).toBe(before);
  });

  test("values that are not plain scalars (arrays) run unprepared and answer the same", async () => {
    const query = sql`select cardinality(${sql.param([1, 2, 3])}::int[]) as n`;
    expect(await preparedRows(database.db, query)).toEqual(await queryRows(database.db, query));
  });

  test("a value with a NUL byte is never spliced into the statement: it fails exactly as the unprepared query does", async () => {
    const query = sql`select ${"before\0after"}::text as t`;
    const unprepared = await queryRows(database.db, query).then(
      () => "answered",
      (error: Error) => error.message,
    );
    const prepared = await preparedRows(database.db, query).then(
      () => "answered",
      (error: Error) => error.message,
    );
    expect(prepared).toBe(unprepared);
  });

  test("a query with an error fails as it would unprepared, and the next call works", async () => {
    await expect(preparedRows(database.db, sql`select * from no_such_table where id = ${1}`)).rejects.toThrow(
      /no_such_table/,
    );
    expect(await preparedRows<{ one: number }>(database.db, sql`select ${1}::int as one`)).toEqual([{ one: 1 }]);
  });
});
