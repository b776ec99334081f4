import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createScratchDatabase, createTestDatabase, TEST_SHARED_BUFFERS_MB } from "../tests/fixtures/db";
import { type Database, isDatabaseReachable, openDatabase, unappliedMigrations } from "./client.server";

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
