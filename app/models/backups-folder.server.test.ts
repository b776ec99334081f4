/**
 * A backup folder that can't hold backups (under /proc, below a file, a file itself) is said in one line at once, by
 * the check the server makes at start and by a backup asked for: never a backup that doesn't finish.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { openDatabase } from "#db/client.server";
import { TEST_SHARED_BUFFERS_MB } from "../../tests/fixtures/db";
import { BackupError, checkBackupFolder, makeBackup } from "./backups.server";

const hasProc = existsSync("/proc/self");
const refusal = (dir: string, why: string) =>
  `Backups can't be written to ${dir} (BACKUP_DIR): ${why}. Set BACKUP_DIR to a folder the server's user can write.`;

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-backup-folder-"));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

test("the start-up check says in one line why a folder can't hold backups, and makes a good one for the server only", () => {
  const file = path.join(scratch, "notes.txt");
  writeFileSync(file, "a file, not a folder");
  const bad: [string, string][] = [
    [file, "it is a file, not a folder"],
    [path.join(file, "backups"), "part of its path is a file, not a folder"],
  ];
  if (hasProc)
    bad.push(["/proc/peerdesk-backups", "no folder can be made there"], ["/proc/self", "no folder can be made there"]);
  for (const [dir, why] of bad) {
    let thrown: unknown;
    try {
      checkBackupFolder(dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, dir).toBeInstanceOf(BackupError);
    expect((thrown as Error).message).toBe(refusal(dir, why));
  }

  const good = path.join(scratch, "data", "backups");
  checkBackupFolder(good);
  expect(readdirSync(good)).toEqual([]);
  expect(statSync(good).mode & 0o777).toBe(0o700);
});

// Node's mkdir with `recursive` went round for ever under /proc: "Make a backup now" never answered, and the server,
// waiting for that backup, never stopped.
test.skipIf(!hasProc)("a backup asked for into a folder under /proc fails with that line", async () => {
  const snapshotPath = inject("pgliteSnapshotPath") ?? "";
  const database = await openDatabase({
    pgliteDir: path.join(scratch, "pglite"),
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
  });
  try {
    const dir = "/proc/peerdesk-backups";
    await expect(makeBackup(database, { dir, keep: 1 })).rejects.toThrow(
      new BackupError(refusal(dir, "no folder can be made there")),
    );
  } finally {
    await database.close();
  }
});
