/**
 * A restore unpacks the backup into `<dir>.restoring-<time>` beside the database first: one that was interrupted leaves
 * that folder behind. The next restore (and the server's start) removes such folders unless their restore is still
 * running (a live process holds the folder's lock), and never touches the database, its backups or a database kept
 * aside. A restore that is running holds its folder the whole time, so a clean-up meanwhile leaves it alone.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase } from "#db/client.server";
import { TEST_SHARED_BUFFERS_MB } from "../../tests/fixtures/db";
import { makePerson } from "../../tests/fixtures/people";
import { makeBackup, removeUnfinishedRestores, restoreBackup, unfinishedRestoresMessage } from "./backups.server";

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-unfinished-restores-"));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** A folder with a file in it, and the lock of process `pid` (as "npm run db:restore") when given. */
function folder(name: string, { pid }: { pid?: number } = {}): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "PG_VERSION"), "17\n");
  if (pid !== undefined) writeFileSync(path.join(dir, "peerdesk.pid"), `${pid}\nnpm run db:restore\n`);
  return dir;
}

test("folders of restores that stopped are removed; a running restore's, the database, backups and kept databases stay", async () => {
  // A restore that is still unpacking: its process is alive.
  const running = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  const { pid: stopped } = spawnSync(process.execPath, ["-e", ""]);
  try {
    folder("pglite");
    folder("backups");
    writeFileSync(path.join(scratch, "backups", "peerdesk-20261201-030000.tar.gz"), "backup");
    folder("pglite.before-restore-20261130-101010");
    const killedWhileChecking = folder("pglite.restoring-20261201-101010", { pid: stopped });
    const killedWhileUnpacking = folder("pglite.restoring-20261202-101010");
    folder("pglite.restoring-20261203-101010", { pid: running.pid });
    // Not a restore's folder by name, another database's, and a link (to the database itself): none is touched.
    folder("pglite.restoring-notes");
    folder("other.restoring-20261201-101010");
    symlinkSync(path.join(scratch, "pglite"), path.join(scratch, "pglite.restoring-20261204-101010"));

    const removed = removeUnfinishedRestores(path.join(scratch, "pglite"));

    expect(removed.sort()).toEqual([killedWhileChecking, killedWhileUnpacking]);
    expect(unfinishedRestoresMessage(removed)).toBe(
      `Removed 2 folders left by restores that did not finish: ${killedWhileChecking}, ${killedWhileUnpacking}.`,
    );
    expect(unfinishedRestoresMessage([killedWhileChecking])).toBe(
      `Removed ${killedWhileChecking}, left by a restore that did not finish.`,
    );
    expect(unfinishedRestoresMessage([])).toBeNull();
    expect(readdirSync(scratch).sort()).toEqual([
      "backups",
      "other.restoring-20261201-101010",
      "pglite",
      "pglite.before-restore-20261130-101010",
      "pglite.restoring-20261203-101010",
      "pglite.restoring-20261204-101010",
      "pglite.restoring-notes",
    ]);
    expect(readdirSync(path.join(scratch, "pglite"))).toEqual(["PG_VERSION"]);
    expect(readdirSync(path.join(scratch, "backups"))).toEqual(["PG_VERSION", "peerdesk-20261201-030000.tar.gz"]);
  } finally {
    running.kill();
  }
  // Once its process is gone, that restore's folder goes at the next clean-up too.
  await new Promise((resolve) => running.once("exit", resolve));
  expect(removeUnfinishedRestores(path.join(scratch, "pglite"))).toEqual([
    path.join(scratch, "pglite.restoring-20261203-101010"),
  ]);
  expect(removeUnfinishedRestores("memory://")).toEqual([]);
});

test("a restore holds its folder while it unpacks and checks the backup: clean-ups meanwhile leave it, and it finishes", async () => {
  const snapshotPath = inject("pgliteSnapshotPath") ?? "";
  const source = await openDatabase({
    pgliteDir: path.join(scratch, "source"),
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
  });
  let file = "";
  try {
    await source.migrate();
    await makePerson(source.db);
    file = path.join(
      scratch,
      "backups",
      (await makeBackup(source, { dir: path.join(scratch, "backups"), keep: 1 })).name,
    );
  } finally {
    await source.close();
  }
  const target = path.join(scratch, "live");
  folder("live");

  let isDone = false;
  const removedMeanwhile: string[] = [];
  const sawRestoring: boolean[] = [];
  const cleaning = (async () => {
    while (!isDone) {
      sawRestoring.push(readdirSync(scratch).some((name) => name.startsWith("live.restoring-")));
      removedMeanwhile.push(...removeUnfinishedRestores(target));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  try {
    const { counts } = await restoreBackup(file, target, { now: new Date("2026-12-04T13:15:00Z") });
    expect(counts.people).toBe(1);
  } finally {
    isDone = true;
    await cleaning;
  }
  // The clean-ups ran while the restore's folder was there, and took nothing.
  expect(sawRestoring).toContain(true);
  expect(removedMeanwhile).toEqual([]);
  // The restored database is no one's now: its lock went with the restore.
  expect(readdirSync(target)).not.toContain("peerdesk.pid");
  expect(readdirSync(scratch).sort()).toEqual(["backups", "live", "live.before-restore-20261204-131500", "source"]);
}, 120_000);
