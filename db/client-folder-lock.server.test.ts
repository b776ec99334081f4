/**
 * One process at a time on the embedded database's folder (two corrupt it): while another live process has it open
 * (the server, or a command) it is refused in one line naming that process, and PGlite never touches it; a lock left by
 * a process that has ended is taken over. A PGLITE_DIR where no folder can be made (under /proc) is one line too,
 * never a hang.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { TEST_SHARED_BUFFERS_MB } from "../tests/fixtures/db";
import { DATA_DIR_LOCK, type DatabaseConfig, databaseStartProblem, openDatabase } from "./client.server";

/** A process that runs until it is killed: stands for one that has the folder open. */
function runningProcess(): ChildProcess {
  return spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
}

function hasEnded(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Opening `dir` from the suite's migrated snapshot (one made from nothing takes seconds). */
function inFolder(dir: string): DatabaseConfig {
  const snapshotPath = inject("pgliteSnapshotPath") ?? "";
  return {
    pgliteDir: dir,
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
  };
}

// The PostgreSQL run would only run these on PGlite again.
describe.skipIf(Boolean(process.env.DATABASE_URL))("the embedded database's folder, one process at a time", () => {
  let home = "";
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "peerdesk-folder-lock-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test("a folder a running server or command has open is refused in one line naming it; once it has ended, its lock is taken over", async () => {
    const dir = path.join(home, "pglite");
    const lock = path.join(dir, DATA_DIR_LOCK);
    mkdirSync(dir);
    const other = runningProcess();
    try {
      for (const [by, words] of [
        ["server", `The server is running on this database (process ${other.pid}): stop it first.`],
        [
          "npm run db:seed",
          `Another command (npm run db:seed, process ${other.pid}) is using this database: let it finish first.`,
        ],
      ]) {
        writeFileSync(lock, `${other.pid}\n${by}\n`);
        const refusal = await openDatabase(inFolder(dir)).then(
          async (database) => {
            await database.close();
            return null;
          },
          (error: unknown) => error,
        );
        expect(databaseStartProblem(refusal, { pgliteDir: dir })).toBe(words);
        // PGlite never opened it: no cluster made, the other process's lock as it was.
        expect(readdirSync(dir)).toEqual([DATA_DIR_LOCK]);
        expect(readFileSync(lock, "utf8")).toBe(`${other.pid}\n${by}\n`);
      }
    } finally {
      other.kill("SIGKILL");
      await hasEnded(other);
    }

    // The same lock, its process gone without closing (killed): in nobody's way.
    const database = await openDatabase(inFolder(dir));
    try {
      await database.db.execute(sql`select 1`);
      expect(readFileSync(lock, "utf8").split("\n")[0]).toBe(String(process.pid));
    } finally {
      await database.close();
    }
    expect(existsSync(lock)).toBe(false);
  }, 60_000);

  // Node's mkdir with `recursive` went round for ever there: the server never started and never said why.
  test.skipIf(!existsSync("/proc/self"))("a PGLITE_DIR under /proc is one line, not a hang", async () => {
    const dir = "/proc/peerdesk-test/pglite";
    const error = await openDatabase({ pgliteDir: dir }).then(
      (database) => database.close(),
      (caught: unknown) => caught,
    );
    expect(databaseStartProblem(error, { pgliteDir: dir })).toBe(
      `Can't create PGLITE_DIR (${dir}): no folder can be made there. Set PGLITE_DIR to a folder the server's user can write.`,
    );
  });
});
