import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { createScratchDatabase, createTestDatabase, TEST_SHARED_BUFFERS_MB } from "../tests/fixtures/db";
import {
  type Database,
  databaseStartProblem,
  isDatabaseReachable,
  openDatabase,
  unappliedMigrations,
} from "./client.server";
import { closedPort } from "../tests/fixtures/ports";

describe("database health", () => {
  test("a working database is reachable; a closed one is not (so /healthz answers 503)", async () => {
    const database = await createTestDatabase();
    expect(await isDatabaseReachable(database.db)).toBe(true);
    await database.close();
    expect(await isDatabaseReachable(database.db, 1000)).toBe(false);
  });
});

/** An empty database of the suite's engine, with nothing migrated. */
async function emptyDatabase(): Promise<{ database: Database; url?: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ pgliteDir: "memory://", pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB });
    return { database, drop: () => database.close() };
  }
  const scratch = await createScratchDatabase(serverUrl, "peerdesk_empty");
  const database = await openDatabase({ databaseUrl: scratch.url, poolSize: 1 });
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

describe("migrations a database has not applied", () => {
  test("none on a migrated database; every one on an empty database", async () => {
    const migrated = await createTestDatabase();
    const empty = await emptyDatabase();
    try {
      const done = await unappliedMigrations(migrated.db);
      expect(done.unapplied).toBe(0);
      expect(done.known).toBeGreaterThan(40);
      expect(await unappliedMigrations(empty.database.db)).toEqual({ unapplied: done.known, known: done.known });
    } finally {
      await migrated.close();
      await empty.drop();
    }
  });

  // A deployment's PostgreSQL is migrated by `npm run db:migrate`: a server started before that says so and stops,
  // instead of failing at its first query with a stack trace.
  test.skipIf(!process.env.DATABASE_URL || !existsSync("build/index.js"))(
    "the server started on an unmigrated PostgreSQL database says to run db:migrate, and exits",
    async () => {
      const empty = await emptyDatabase();
      try {
        const child = spawn(process.execPath, ["server.js"], {
          env: {
            ...process.env,
            NODE_ENV: "production",
            PORT: "0",
            DATABASE_URL: empty.url,
            SEED_DEMO: "false",
            BETTER_AUTH_SECRET: "a-test-secret-of-enough-length-0123456789",
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        expect(code).toBe(1);
        expect(output).toContain("has no PeerDesk tables yet. Run `npm run db:migrate` once, then start again.");
        expect(output).not.toMatch(/\bat .*\.js:\d+|DrizzleQueryError/);
      } finally {
        await empty.drop();
      }
    },
  );
});

describe("the embedded database's folder", () => {
  // Its files are written readable and writable by everyone (WAL segments hold email addresses and password
  // hashes): a folder others can't enter is what protects them.
  test("is for the server's user only: created so, and made so again when it already existed open to others", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "peerdesk-modes-"));
    const parent = path.join(home, ".data");
    const dir = path.join(parent, "pglite");
    // From the suite's migrated snapshot, as the backup tests open theirs: a cluster made from nothing takes seconds.
    // (The PostgreSQL run makes no snapshot: there it is made from nothing.)
    const snapshotPath = inject("pgliteSnapshotPath") ?? "";
    const snapshot = snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined;
    const config = { pgliteDir: dir, pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB, pgliteSnapshot: snapshot };
    const openToOthers = (folder: string) => statSync(folder).mode & 0o077;
    try {
      const created = await openDatabase(config);
      await created.close();
      expect(openToOthers(dir)).toBe(0);
      expect(openToOthers(parent)).toBe(0);
      // A folder an earlier version left (or an operator made) with mode 755.
      chmodSync(dir, 0o755);
      const reopened = await openDatabase({ ...config, pgliteSnapshot: undefined });
      await reopened.close();
      expect(openToOthers(dir)).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});

/** What the server's start does first with PostgreSQL, and the error it fails with. */
async function firstQueryError(databaseUrl: string): Promise<unknown> {
  const database = await openDatabase({ databaseUrl, poolSize: 1 });
  try {
    return await unappliedMigrations(database.db).then(
      () => null,
      (error: unknown) => error,
    );
  } finally {
    await database.close();
  }
}

describe("a database that can't be opened at start is one line for the operator", () => {
  test("PostgreSQL that is not running: where it was looked for, never the password", async () => {
    const port = await closedPort();
    const databaseUrl = `postgres://peer:s3cret-pw@127.0.0.1:${port}/peerdesk`;
    const problem = databaseStartProblem(await firstQueryError(databaseUrl), { databaseUrl });
    expect(problem).toBe(
      `Couldn't connect to PostgreSQL at 127.0.0.1:${port} (connection refused). Check DATABASE_URL and that the server is running.`,
    );
  });

  // A real PostgreSQL (the PostgreSQL run's): a database name it doesn't have. (Its logins are trusted, so a wrong
  // password can't be shown here; that message comes from PostgreSQL's code 28P01 as this one does from 3D000.)
  test.skipIf(!process.env.DATABASE_URL)("PostgreSQL without the database named: says to create it", async () => {
    const url = new URL(process.env.DATABASE_URL ?? "");
    url.pathname = "/peerdesk_no_such_database";
    const databaseUrl = url.toString();
    const problem = databaseStartProblem(await firstQueryError(databaseUrl), { databaseUrl });
    expect(problem).toBe(
      "PostgreSQL has no database peerdesk_no_such_database. Create it (createdb peerdesk_no_such_database) or check DATABASE_URL.",
    );
  });

  test("PGLITE_DIR that is a file, in-process and in the worker thread", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "peerdesk-file-dir-"));
    const file = path.join(home, "pglite");
    writeFileSync(file, "not a database");
    try {
      for (const pgliteWorker of [false, true]) {
        const error = await openDatabase({ pgliteDir: file, pgliteWorker }).then(
          (database) => database.close(),
          (caught: unknown) => caught,
        );
        expect(databaseStartProblem(error, { pgliteDir: file })).toBe(
          `PGLITE_DIR (${file}) is a file, not a folder. Set PGLITE_DIR to a folder (it is created if missing).`,
        );
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  // Root may create folders anywhere but in a kernel file system such as /sys; anyone else can't in a folder of mode 500.
  const isRoot = process.getuid?.() === 0;
  test.skipIf(isRoot && !existsSync("/sys/kernel"))("PGLITE_DIR that can't be created", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "peerdesk-no-write-"));
    const locked = path.join(home, "locked");
    mkdirSync(locked, { mode: 0o500 });
    const dir = isRoot ? "/sys/peerdesk-test/pglite" : path.join(locked, "pglite");
    try {
      const error = await openDatabase({ pgliteDir: dir }).then(
        (database) => database.close(),
        (caught: unknown) => caught,
      );
      expect(databaseStartProblem(error, { pgliteDir: dir })).toBe(
        `Can't create PGLITE_DIR (${dir}): permission denied. Give the server's user that folder, or set PGLITE_DIR to one it can write.`,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.skipIf(Boolean(process.env.DATABASE_URL))("start-up maintenance of the embedded database", () => {
  test("gives the app's tables statistics and a visibility map, and vacuums the system catalogs only when asked", async () => {
    const database = await createTestDatabase();
    try {
      const rows = async <T>(query: ReturnType<typeof sql>) =>
        ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
      await database.db.execute(sql`create table maintenance_probe (id integer primary key, note text)`);
      await database.db.execute(
        sql`insert into maintenance_probe select n, repeat('x', 40) from generate_series(1, 3000) as n`,
      );
      const probe = sql`select reltuples, relpages, relallvisible from pg_class where relname = 'maintenance_probe'`;
      const catalogVacuumed = sql`select last_vacuum from pg_stat_all_tables where schemaname = 'pg_catalog' and relname = 'pg_attribute'`;
      // Before: never analysed (PostgreSQL's -1), so the planner would guess.
      expect((await rows<{ reltuples: number }>(probe))[0]?.reltuples).toBe(-1);

      await database.maintain();
      const [after] = await rows<{ reltuples: number; relpages: number; relallvisible: number }>(probe);
      expect(after?.reltuples).toBe(3000);
      expect(after?.relpages).toBeGreaterThan(0);
      expect(after?.relallvisible).toBe(after?.relpages);
      expect((await rows<{ last_vacuum: unknown }>(catalogVacuumed))[0]?.last_vacuum).toBeNull();

      await database.maintain({ catalogs: true });
      expect((await rows<{ last_vacuum: unknown }>(catalogVacuumed))[0]?.last_vacuum).not.toBeNull();
    } finally {
      await database.close();
    }
  });
});
