import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { eq, sql } from "drizzle-orm";
import { inject } from "vitest";
import {
  DEFAULT_SHARED_BUFFERS_MB,
  type Database,
  type DatabaseConfig,
  openDatabase,
  queryRows,
} from "./client.server";
import { types } from "@electric-sql/pglite";
import { TEST_SHARED_BUFFERS_MB } from "../tests/fixtures/db";
import { PGliteWorkerClient } from "./pglite-worker-client.server";
import { preparedRows, preparedStatementCount } from "./prepared.server";
import { spaces } from "./schema";

/**
 * The embedded database in a worker thread answers as PGlite in-process does: the same rows (dates as PostgreSQL's
 * text), transactions that commit or roll back as a whole, PostgreSQL's error fields, NOTIFY after commit, prepared
 * statements, and data directory copies. Each check runs on both, side by side.
 */
function snapshot(): Blob | undefined {
  const file = inject("pgliteSnapshotPath");
  return file ? new Blob([readFileSync(file)]) : undefined;
}

/** A test's embedded database: in memory, from the migrated snapshot, with the tests' buffers, unless told otherwise. */
function openTestPglite(options: DatabaseConfig): Promise<Database> {
  return openDatabase({
    pgliteDir: "memory://",
    pgliteSnapshot: snapshot(),
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    ...options,
  });
}

describe("PGlite in a worker thread", () => {
  let inProcess: Database;
  let inWorker: Database;
  beforeAll(async () => {
    [inProcess, inWorker] = await Promise.all([openTestPglite({}), openTestPglite({ pgliteWorker: true })]);
    // Through drizzle's migrator (its own transaction): confirms every migration on a copy, applies them on none.
    await Promise.all([inProcess.migrate(), inWorker.migrate()]);
  });
  afterAll(async () => {
    await Promise.all([inProcess?.close(), inWorker?.close()]);
  });

  const both = () => [inProcess, inWorker] as const;

  test("drizzle queries and raw SQL give the same rows as in-process", async () => {
    const results = [];
    for (const database of both()) {
      await database.db.insert(spaces).values({ slug: "worker-check", name: "Worker check", description: "d" });
      const [space] = await database.db.select().from(spaces).where(eq(spaces.slug, "worker-check"));
      const raw = await queryRows<Record<string, unknown>>(
        database.db,
        sql`select ${"it's"}::text as t, ${7}::int8 as big, '2026-03-04 05:06:07+00'::timestamptz as at,
          array[1.5, 2.25]::numeric[] as nums, '{"a": [1, true]}'::jsonb as j, '\\x0102'::bytea as bytes, null as nothing`,
      );
      // Ids and timestamps differ between the two databases; their types must not.
      const { id, createdAt, updatedAt, ...rest } = space ?? {};
      results.push({ space: { ...rest, types: [typeof id, typeof createdAt, typeof updatedAt] }, raw });
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[1]?.space.name).toBe("Worker check");
    expect(results[1]?.raw[0]?.at).toBe("2026-03-04 05:06:07+00");
  });

  test("a transaction commits as a whole, or rolls back as a whole when its callback throws", async () => {
    for (const database of both()) {
      await database.db.transaction(async (tx) => {
        await tx.insert(spaces).values({ slug: "tx-kept", name: "Kept", description: "d" });
        // A savepoint rolled back inside a committed transaction.
        await tx
          .transaction(async (inner) => {
            await inner.insert(spaces).values({ slug: "tx-inner", name: "Inner", description: "d" });
            throw new Error("undo the inner part");
          })
          .catch(() => {});
      });
      await expect(
        database.db.transaction(async (tx) => {
          await tx.insert(spaces).values({ slug: "tx-dropped", name: "Dropped", description: "d" });
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      const slugs = await queryRows<{ slug: string }>(
        database.db,
        sql`select slug from spaces where slug like 'tx-%' order by slug`,
      );
      expect(slugs.map((row) => row.slug)).toEqual(["tx-kept"]);
    }
  });

  test("a query from outside waits for an open transaction and sees its committed rows", async () => {
    for (const database of both()) {
      let outside: Promise<{ n: number }[]> | undefined;
      await database.db.transaction(async (tx) => {
        await tx.insert(spaces).values({ slug: "tx-wait", name: "Wait", description: "d" });
        outside = queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from spaces where slug = 'tx-wait'`,
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        await tx.execute(sql`select 1`);
      });
      expect(await outside).toEqual([{ n: 1 }]);
    }
  });

  test("PostgreSQL's error fields come through (a unique violation names its code and constraint)", async () => {
    const errors = [];
    for (const database of both()) {
      const error = await database.db
        .insert(spaces)
        .values({ slug: "worker-check", name: "Twice", description: "d" })
        .then(() => null)
        .catch((caught: { cause?: Record<string, unknown> }) => caught.cause);
      errors.push({ code: error?.code, constraint: error?.constraint, message: error?.message });
    }
    expect(errors[0]?.code).toBe("23505");
    expect(errors[1]).toEqual(errors[0]);
    // The connection is usable after the error.
    expect(await queryRows(inWorker.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  test("NOTIFY sent inside a transaction is heard after it commits, and not after unlisten", async () => {
    for (const database of both()) {
      const heard: string[] = [];
      const stop = await database.listen("worker_check", (payload) => heard.push(payload));
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_notify('worker_check', 'first')`);
        expect(heard).toEqual([]);
      });
      await queryRows(database.db, sql`select 1`);
      await expect.poll(() => heard).toEqual(["first"]);
      await stop();
      await queryRows(database.db, sql`select pg_notify('worker_check', 'second')`);
      await queryRows(database.db, sql`select 1`);
      expect(heard).toEqual(["first"]);
    }
  });

  test("hot queries are prepared once there too", async () => {
    const before = await preparedStatementCount(inWorker.db);
    const rows = await Promise.all([1, 2, 3].map((id) => preparedRows(inWorker.db, sql`select ${id}::int * 3 as n`)));
    expect(rows).toEqual([[{ n: 3 }], [{ n: 6 }], [{ n: 9 }]]);
    expect(await preparedStatementCount(inWorker.db)).toBe(before + 1);
  });

  test("a copy of its data directory opens (in-process and in a worker) with the rows in it", async () => {
    const copy = await inWorker.dumpDataDir?.();
    expect(copy).toBeInstanceOf(Blob);
    for (const pgliteWorker of [false, true]) {
      const reopened = await openTestPglite({ pgliteSnapshot: copy, pgliteWorker });
      try {
        const rows = await queryRows<{ slug: string }>(
          reopened.db,
          sql`select slug from spaces where slug = 'tx-kept'`,
        );
        expect(rows).toEqual([{ slug: "tx-kept" }]);
      } finally {
        await reopened.close();
      }
    }
  });

  test("the embedded database's buffers are what it was opened with (256 MB unless told), in-process and in a worker", async () => {
    const shown = async (database: Database) =>
      (await queryRows<{ shared_buffers: string }>(database.db, sql`show shared_buffers`))[0]?.shared_buffers;
    expect(await shown(inProcess)).toBe(`${TEST_SHARED_BUFFERS_MB}MB`);
    expect(await shown(inWorker)).toBe(`${TEST_SHARED_BUFFERS_MB}MB`);
    const server = await openDatabase({ pgliteDir: "memory://", pgliteWorker: true });
    try {
      expect(await shown(server)).toBe(`${DEFAULT_SHARED_BUFFERS_MB}MB`);
    } finally {
      await server.close();
    }
  });

  test("query options a worker can't carry are refused with a clear error, not ignored", async () => {
    const client = (inWorker.db as unknown as { $client: PGliteWorkerClient }).$client;
    await expect(client.query("select 1", [], { onNotice: () => {} })).rejects.toThrow(/does not carry query option/);
    await expect(
      client.query("select now()", [], { parsers: { [types.TIMESTAMPTZ]: (value) => new Date(value) } }),
    ).rejects.toThrow(/keeps type 1184 as text only/);
    expect((await client.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
  });

  test("after close, a query is refused with a clear error", async () => {
    const database = await openTestPglite({ pgliteWorker: true });
    await database.close();
    const error = await queryRows(database.db, sql`select 1`).catch((caught: Error) => caught);
    expect((error as Error).cause).toMatchObject({ message: "database is closed" });
  });

  /** Stops the worker the way a WebAssembly abort would: without the client asking. */
  const stopWorker = (database: Database) =>
    (database.db as unknown as { $client: { worker: Worker } }).$client.worker.terminate();

  test("a worker that stops is started again on the same data directory: committed rows kept, listeners told", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "peerdesk-worker-restart-"));
    const database = await openTestPglite({ pgliteDir: dir, pgliteWorker: true });
    try {
      // A copy of the migrated database when the suite made one (PGlite runs), else migrated here (PostgreSQL runs).
      await database.migrate();
      const events: string[] = [];
      const heard: string[] = [];
      await database.listen("worker_restart_check", (payload) => heard.push(payload), {
        onLost: () => events.push("lost"),
        onRestored: () => events.push("restored"),
      });
      await database.db.execute(sql`insert into spaces (slug, name, description) values ('before-stop', 'B', 'd')`);
      const inTransaction = database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into spaces (slug, name, description) values ('never-committed', 'N', 'd')`);
        await stopWorker(database);
        await tx.execute(sql`select 1`);
      });
      // The transaction's next query waited for the new worker, which has no such transaction: it fails, and so does
      // the transaction.
      await expect(inTransaction).rejects.toThrow();
      expect(events).toEqual(["lost", "restored"]);
      // Stopped again: a query sent while the new worker opens the database waits for it rather than failing.
      await stopWorker(database);
      const rows = await queryRows<{ slug: string }>(
        database.db,
        sql`select slug from spaces where slug in ('before-stop', 'never-committed') order by slug`,
      );
      expect(rows).toEqual([{ slug: "before-stop" }]);
      expect(events).toEqual(["lost", "restored", "lost", "restored"]);
      await database.db.execute(sql`notify worker_restart_check, 'after restart'`);
      await expect.poll(() => heard).toEqual(["after restart"]);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an in-memory database whose worker stops has nothing to reopen: queries fail with the reason", async () => {
    const database = await openTestPglite({ pgliteWorker: true });
    try {
      await stopWorker(database);
      const error = await queryRows(database.db, sql`select 1`).catch((caught: Error) => caught);
      expect((error as Error).cause).toMatchObject({ message: expect.stringMatching(/database worker exited/) });
    } finally {
      await database.close();
    }
  });
});

describe("a worker that can't open the database", () => {
  // PGlite's file errors are plain objects ({ name: "ErrnoError", errno }), which once arrived as "[object Object]".
  test("says why, with the system's code, as PGlite in-process would", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "peerdesk-worker-file-"));
    const file = path.join(home, "pglite");
    writeFileSync(file, "not a database");
    try {
      const error = await PGliteWorkerClient.start({ dir: file, postgresqlconf: [] }).then(
        (client) => client.close(),
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ message: "ENOTDIR: not a directory", code: "ENOTDIR" });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
