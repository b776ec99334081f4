/**
 * Operator commands against the embedded database of the real built server while it runs: restoring a backup over it
 * (even with --force), seeding and migrating it are refused in one line and change nothing; once the server was killed,
 * the lock it left stands in nobody's way. A server whose backup folder can't hold backups stops at start in one line.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { openDatabase } from "#db/client.server";
import { makeBackup } from "~/models/backups.server";
import { ensureBuild } from "./fixtures/build";
import { TEST_SHARED_BUFFERS_MB } from "./fixtures/db";
import { closedPort } from "./fixtures/ports";
import { isServing, runCommand, startServer } from "./fixtures/operator-commands";

// Every process here is given the embedded database: the PostgreSQL run would only run it again.
describe.skipIf(Boolean(process.env.DATABASE_URL))("operator commands and a running server", () => {
  let scratch = "";
  beforeAll(() => ensureBuild(), 900_000);
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-live-server-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test("restore (even with --force), seed and migrate refuse the running server's database in one line, and it stays whole; once the server was killed, restore goes ahead", async () => {
    const pgliteDir = path.join(scratch, "pglite");
    // The server's database, from the suite's migrated snapshot (one made from nothing takes much longer), with a
    // backup of it made before a space was added.
    const snapshotPath = inject("pgliteSnapshotPath") ?? "";
    const database = await openDatabase({
      pgliteDir,
      pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
      pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
    });
    let backup = "";
    try {
      await database.migrate();
      backup = path.join(
        scratch,
        "backups",
        (await makeBackup(database, { dir: path.join(scratch, "backups"), keep: 1 })).name,
      );
      await database.db.execute(
        sql`insert into spaces (slug, name, description) values ('kept-while-running', 'Kept while running', 'Added after the backup')`,
      );
    } finally {
      await database.close();
    }

    const port = await closedPort();
    const server = startServer(pgliteDir, port);
    try {
      expect(await isServing(server.child, port)).toBe(true);
      const refusal = `The server is running on this database (process ${server.child.pid}): stop it first.\n`;
      const [restore, seed, migrate] = await Promise.all([
        runCommand("scripts/db-restore.ts", [backup, "--force"], pgliteDir),
        runCommand("scripts/seed.ts", ["--force"], pgliteDir),
        runCommand("scripts/db-migrate.ts", ["--force"], pgliteDir),
      ]);
      expect(restore).toEqual({ status: 1, stdout: "", stderr: refusal });
      expect(seed.status).toBe(1);
      expect(seed.stderr).toBe(refusal);
      expect(migrate.status).toBe(1);
      expect(migrate.stderr).toBe(refusal);
      // Nothing moved aside or unpacked beside it, and the server still reads what was added while it ran.
      expect(readdirSync(scratch).sort()).toEqual(["backups", "pglite"]);
      const page = await fetch(`http://127.0.0.1:${port}/s/kept-while-running`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Kept while running");
    } finally {
      // Killed, as a crash would stop it: its lock (and PostgreSQL's postmaster.pid) stay behind.
      server.child.kill("SIGKILL");
      await server.finished;
    }

    const restored = await runCommand("scripts/db-restore.ts", [backup, "--force"], pgliteDir);
    expect(restored.status).toBe(0);
    expect(restored.stdout).toMatch(/^Restored in [\d.]+ s: 0 people, 0 questions, 0 answers, 0 how-tos\./);
    // The database it replaced is kept aside.
    expect(readdirSync(scratch).sort()).toEqual([
      "backups",
      "pglite",
      expect.stringMatching(/^pglite\.before-restore-/),
    ]);
  }, 120_000);

  test.skipIf(process.platform !== "linux")(
    "a server whose backup folder is under /proc stops at start with one line saying so",
    async () => {
      const port = await closedPort();
      const server = startServer(path.join(scratch, "pglite"), port, { BACKUP_DIR: "/proc/peerdesk-backups" });
      try {
        expect(await isServing(server.child, port)).toBe(false);
      } finally {
        server.child.kill("SIGKILL");
      }
      const { status, stdout, stderr } = await server.finished;
      expect(status).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        "Backups can't be written to /proc/peerdesk-backups (BACKUP_DIR): no folder can be made there. Set BACKUP_DIR to a folder the server's user can write.\n",
      );
    },
    60_000,
  );
});
