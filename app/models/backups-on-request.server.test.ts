/**
 * "Make a backup now" pressed again and again: only the newest few backups are kept, whatever made them, so a backup
 * asked for within minutes of the newest is refused in words and writes nothing (else a few presses push out the
 * scheduled daily ones). Presses at once still share one backup. On a real embedded database in a folder.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { type Database, openDatabase } from "#db/client.server";
import { TEST_SHARED_BUFFERS_MB } from "../../tests/fixtures/db";
import {
  BackupTooSoonError,
  backupName,
  backupTooSoon,
  listBackups,
  makeBackup,
  makeBackupOnRequest,
} from "./backups.server";

let scratch: string;
let database: Database;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-backups-on-request-"));
  let snapshotPath = "";
  try {
    snapshotPath = inject("pgliteSnapshotPath") ?? "";
  } catch {
    // Run outside the unit suite's set-up: migrate from scratch.
  }
  database = await openDatabase({
    pgliteDir: path.join(scratch, "pglite"),
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
  });
  await database.migrate();
}, 120_000);
afterAll(async () => {
  await database?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const at = (iso: string) => () => new Date(iso);

test("a backup asked for minutes after the scheduled one is refused, naming it and when, and writes nothing", async () => {
  const dir = path.join(scratch, "after-scheduled");
  const scheduled = await makeBackup(database, { dir, keep: 7, now: at("2026-12-07T16:30:20Z") });
  expect(scheduled.name).toBe("peerdesk-20261207-163020.tar.gz");

  const refusal = await makeBackupOnRequest(database, { dir, keep: 7, now: at("2026-12-07T16:32:50Z") }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(BackupTooSoonError);
  expect((refusal as BackupTooSoonError).message).toBe(
    "A backup was made 2 minutes ago (peerdesk-20261207-163020.tar.gz): it already holds everything up to then. You can make another from 16:46 UTC.",
  );
  // 16:46:00 is 13 minutes 10 seconds later.
  expect((refusal as BackupTooSoonError).retryAfterSeconds).toBe(790);
  expect(readdirSync(dir)).toEqual([scheduled.name]);

  // From the time it named, one is made.
  const asked = await makeBackupOnRequest(database, { dir, keep: 7, now: at("2026-12-07T16:46:00Z") });
  expect((await listBackups(dir)).map((backup) => backup.name)).toEqual([asked.name, scheduled.name]);
}, 60_000);

test("a press right after the admin's own backup is refused too, and presses at once share one backup", async () => {
  const dir = path.join(scratch, "presses");
  const now = at("2026-12-07T09:00:00Z");
  const presses = await Promise.all([1, 2, 3].map(() => makeBackupOnRequest(database, { dir, keep: 7, now })));
  expect(new Set(presses.map((backup) => backup.name))).toEqual(new Set(["peerdesk-20261207-090000.tar.gz"]));
  await expect(makeBackupOnRequest(database, { dir, keep: 7, now: at("2026-12-07T09:00:30Z") })).rejects.toThrow(
    "A backup was made less than a minute ago (peerdesk-20261207-090000.tar.gz): it already holds everything up to then. You can make another from 09:15 UTC.",
  );
  expect(readdirSync(dir)).toEqual(["peerdesk-20261207-090000.tar.gz"]);
}, 60_000);

test("a backup can be asked for when there is none, or the newest is 15 minutes old or dated ahead of the clock", () => {
  const madeAt = new Date("2026-12-07T16:30:00Z");
  const newest = { name: backupName(madeAt), bytes: 1, madeAt };
  expect(backupTooSoon(undefined, madeAt)).toBeNull();
  expect(backupTooSoon(newest, new Date("2026-12-07T16:45:00Z"))).toBeNull();
  expect(backupTooSoon(newest, new Date("2026-12-07T16:44:59Z"))?.message).toBe(
    "A backup was made 14 minutes ago (peerdesk-20261207-163000.tar.gz): it already holds everything up to then. You can make another from 16:45 UTC.",
  );
  expect(backupTooSoon(newest, new Date("2026-12-07T16:31:10Z"))?.message).toContain("made 1 minute ago");
  // The clock put back an hour: the newest reads as made in the future, and would otherwise block for that hour.
  expect(backupTooSoon(newest, new Date("2026-12-07T15:30:00Z"))).toBeNull();
});
