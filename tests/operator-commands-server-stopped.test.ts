/**
 * Operator commands without --force against the embedded database of the real built server: while it runs, seeding and
 * migrating are refused with the running server's one line (the same as with --force, which can't help then, so the
 * line doesn't suggest it); once it was killed, they say what happened and that --force is safe, and it is. The
 * server's start and the next restore remove the folders interrupted restores left, and keep a running restore's.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase } from "#db/client.server";
import { makeBackup } from "~/models/backups.server";
import { ensureBuild } from "./fixtures/build";
import { TEST_SHARED_BUFFERS_MB } from "./fixtures/db";
import { closedPort } from "./fixtures/ports";
import { isServing, runCommand, startServer } from "./fixtures/operator-commands";

// Every process here is given the embedded database: the PostgreSQL run would only run it again.
describe.skipIf(Boolean(process.env.DATABASE_URL))(
  "operator commands without --force, and interrupted restores",
  () => {
    let scratch = "";
    beforeAll(() => ensureBuild(), 900_000);
    beforeEach(() => {
      scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-server-stopped-"));
    });
    afterEach(() => rmSync(scratch, { recursive: true, force: true }));

    test("seed and migrate refuse a running server's database in its one line, --force or not; after a crash they say --force is safe, and it is", async () => {
      const pgliteDir = path.join(scratch, "pglite");
      const snapshotPath = inject("pgliteSnapshotPath") ?? "";
      const database = await openDatabase({
        pgliteDir,
        pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
        pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
      });
      try {
        await database.migrate();
      } finally {
        await database.close();
      }

      const port = await closedPort();
      const server = startServer(pgliteDir, port);
      try {
        expect(await isServing(server.child, port)).toBe(true);
        const refusal = `The server is running on this database (process ${server.child.pid}): stop it first.\n`;
        const [seed, migrate, forcedMigrate] = await Promise.all([
          runCommand("scripts/seed.ts", [], pgliteDir),
          runCommand("scripts/db-migrate.ts", [], pgliteDir),
          runCommand("scripts/db-migrate.ts", ["--force"], pgliteDir),
        ]);
        expect(seed).toEqual({ status: 1, stdout: "", stderr: refusal });
        expect(migrate).toEqual({ status: 1, stdout: "", stderr: refusal });
        expect(forcedMigrate).toEqual({ status: 1, stdout: "", stderr: refusal });
      } finally {
        // Killed, as a crash would stop it: its lock and PGlite's postmaster.pid stay behind.
        server.child.kill("SIGKILL");
        await server.finished;
      }
      expect(readdirSync(pgliteDir)).toEqual(expect.arrayContaining(["peerdesk.pid", "postmaster.pid"]));

      const leftOpen = `The database in ${pgliteDir} was not closed properly: the server or command that had it open stopped without closing it, and nothing has it open now. It is safe to run this again with --force (the database recovers its saved changes as it opens).\n`;
      const [seed, migrate] = await Promise.all([
        runCommand("scripts/seed.ts", [], pgliteDir),
        runCommand("scripts/db-migrate.ts", [], pgliteDir),
      ]);
      expect(seed).toEqual({ status: 1, stdout: "", stderr: leftOpen });
      expect(migrate).toEqual({ status: 1, stdout: "", stderr: leftOpen });

      const forced = await runCommand("scripts/db-migrate.ts", ["--force"], pgliteDir);
      expect(forced.status).toBe(0);
      expect(forced.stdout).toMatch(/^Migrations applied in \d+ ms\.\n$/);
      // Closed properly this time: the next command needs no --force.
      expect(readdirSync(pgliteDir)).not.toContain("postmaster.pid");
      const again = await runCommand("scripts/db-migrate.ts", [], pgliteDir);
      expect(again.status).toBe(0);
    }, 180_000);

    test("the server's start and the next restore remove what interrupted restores left, and keep a running restore's folder", async () => {
      const pgliteDir = path.join(scratch, "pglite");
      const snapshotPath = inject("pgliteSnapshotPath") ?? "";
      const database = await openDatabase({
        pgliteDir,
        pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
        pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
      });
      let backup = "";
      try {
        await database.migrate();
        const dir = path.join(scratch, "backups");
        backup = path.join(dir, (await makeBackup(database, { dir, keep: 1 })).name);
      } finally {
        await database.close();
      }
      /** What a restore killed while unpacking leaves: part of a database, and its lock naming a process now gone. */
      const interrupted = (name: string) => {
        const folder = path.join(scratch, name);
        mkdirSync(folder);
        writeFileSync(path.join(folder, "PG_VERSION"), "17\n");
        const { pid } = spawnSync(process.execPath, ["-e", ""]);
        writeFileSync(path.join(folder, "peerdesk.pid"), `${pid}\nnpm run db:restore\n`);
        return folder;
      };
      // A restore still unpacking in another process: its folder stays, whoever cleans up.
      const running = spawn(process.execPath, ["-e", "setTimeout(() => {}, 120000)"], { stdio: "ignore" });
      const stillRunning = path.join(scratch, "pglite.restoring-20261203-090000");
      mkdirSync(stillRunning);
      writeFileSync(path.join(stillRunning, "peerdesk.pid"), `${running.pid}\nnpm run db:restore\n`);
      try {
        const beforeStart = interrupted("pglite.restoring-20261201-090000");
        const port = await closedPort();
        const server = startServer(pgliteDir, port);
        try {
          expect(await isServing(server.child, port)).toBe(true);
        } finally {
          server.child.kill("SIGTERM");
        }
        const { stdout } = await server.finished;
        const logged = stdout
          .split("\n")
          .filter((line) => line.includes("unfinished restore"))
          .map((line) => JSON.parse(line));
        expect(logged).toEqual([
          expect.objectContaining({ level: "info", msg: "unfinished restore removed", folders: [beforeStart] }),
        ]);
        expect(readdirSync(scratch).sort()).toEqual(["backups", "pglite", "pglite.restoring-20261203-090000"]);

        const beforeRestore = interrupted("pglite.restoring-20261202-090000");
        const restored = await runCommand("scripts/db-restore.ts", [backup], pgliteDir);
        expect(restored.status).toBe(0);
        expect(restored.stderr.split("\n")[0]).toBe(`Removed ${beforeRestore}, left by a restore that did not finish.`);
        expect(readdirSync(scratch).sort()).toEqual([
          "backups",
          "pglite",
          expect.stringMatching(/^pglite\.before-restore-/),
          "pglite.restoring-20261203-090000",
        ]);
      } finally {
        running.kill();
      }
    }, 180_000);
  },
);
