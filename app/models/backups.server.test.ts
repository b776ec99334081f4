import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { create as createTar } from "tar";
import { inject } from "vitest";
import { type Database, openDatabase } from "#db/client.server";
import { posts } from "#db/schema";
import { TEST_SHARED_BUFFERS_MB } from "../../tests/fixtures/db";
import { makePerson, makeSpace, makeUser } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import {
  BackupError,
  backupName,
  backupPath,
  isBackupDue,
  listBackups,
  makeBackup,
  pruneBackups,
  restoreBackup,
  startScheduledBackups,
} from "./backups.server";

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "peerdesk-backups-"));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** An embedded database in a folder, as the app keeps it (in a worker thread unless told), migrated. */
async function embeddedDatabase(dir: string, { worker = true } = {}): Promise<Database> {
  let snapshotPath = "";
  try {
    snapshotPath = inject("pgliteSnapshotPath") ?? "";
  } catch {
    // Run outside the unit suite's set-up: migrate from scratch.
  }
  const database = await openDatabase({
    pgliteDir: dir,
    pgliteWorker: worker,
    pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB,
    pgliteSnapshot: snapshotPath ? new Blob([readFileSync(snapshotPath)]) : undefined,
  });
  await database.migrate();
  return database;
}

test.each([
  ["in its worker thread", true],
  ["on the main thread (PGLITE_WORKER=false)", false],
])(
  "a backup made while the forum's database is open %s restores, in another folder, with what was in it",
  async (_, worker) => {
    const database = await embeddedDatabase(path.join(scratch, "pglite"), { worker });
    const backups = path.join(scratch, "backups");
    let questionId = 0;
    try {
      const asker = await makePerson(database.db);
      questionId = await makeQuestion(database.db, asker, await makeSpace(database.db), {
        title: "Which printer driver works with the new laptops?",
      });
      const made = await makeBackup(database, { dir: backups, keep: 3 });
      expect(made.name).toMatch(/^peerdesk-\d{8}-\d{6}\.tar\.gz$/);
      expect(await listBackups(backups)).toEqual([made]);
      // Readable by the server's user only: it holds everyone's email address and password hash.
      expect(statSync(path.join(backups, made.name)).mode & 0o077).toBe(0);
      // Written after the backup: not in it.
      await makeQuestion(database.db, asker, await makeSpace(database.db), {
        title: "Asked after the backup was made",
      });
    } finally {
      await database.close();
    }
    const [backup] = await listBackups(backups);
    if (!backup) throw new Error("no backup");
    const restoredDir = path.join(scratch, "restored");
    const { counts, keptAt } = await restoreBackup(path.join(backups, backup.name), restoredDir);
    expect(keptAt).toBeNull();
    expect(counts).toMatchObject({ people: 1, questions: 1, answers: 0 });
    const restored = await openDatabase({ pgliteDir: restoredDir, pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB });
    try {
      const [row] = await restored.db.select({ title: posts.title }).from(posts).where(eq(posts.id, questionId));
      expect(row?.title).toBe("Which printer driver works with the new laptops?");
    } finally {
      await restored.close();
    }
  },
);

test("restoring moves the database it replaces aside, and refuses one a crash left open unless forced", async () => {
  const source = await embeddedDatabase(path.join(scratch, "source"));
  let file = "";
  try {
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
  mkdirSync(target);
  writeFileSync(path.join(target, "PG_VERSION"), "17\n");
  writeFileSync(path.join(target, "postmaster.pid"), "-42\n");
  await expect(restoreBackup(file, target)).rejects.toThrow(
    /was not closed properly: .* It is safe to run this again with --force/,
  );
  expect(readdirSync(target).sort()).toEqual(["PG_VERSION", "postmaster.pid"]);

  const { counts, keptAt } = await restoreBackup(file, target, {
    force: true,
    now: new Date("2026-12-04T13:15:00Z"),
  });
  expect(counts.people).toBe(1);
  expect(keptAt).toBe(`${path.resolve(target)}.before-restore-20261204-131500`);
  expect(readFileSync(path.join(keptAt ?? "", "PG_VERSION"), "utf8")).toBe("17\n");
  // The restored database was closed cleanly: nothing says it is open.
  expect(existsSync(path.join(target, "postmaster.pid"))).toBe(false);
});

test("writes that go on while a backup is made leave it whole: it opens with the writes before it began", async () => {
  const database = await embeddedDatabase(path.join(scratch, "pglite"));
  const dir = path.join(scratch, "backups");
  let joined = 0;
  try {
    let isDone = false;
    const joining = (async () => {
      while (!isDone) {
        await makeUser(database.db);
        joined++;
      }
    })();
    await vi.waitFor(() => expect(joined).toBeGreaterThan(2));
    const joinedBefore = joined;
    await makeBackup(database, { dir, keep: 1 });
    isDone = true;
    await joining;
    expect(joined).toBeGreaterThan(joinedBefore);
    const [backup] = await listBackups(dir);
    const { counts } = await restoreBackup(path.join(dir, backup?.name ?? ""), path.join(scratch, "restored"));
    expect(counts.people).toBeGreaterThanOrEqual(joinedBefore);
    expect(counts.people).toBeLessThanOrEqual(joined);
  } finally {
    await database.close();
  }
});

test("a backup whose files would land outside the database's folder is refused", async () => {
  const source = path.join(scratch, "source");
  mkdirSync(source);
  writeFileSync(path.join(source, "PG_VERSION"), "17\n");
  writeFileSync(path.join(scratch, "escaped.txt"), "outside");
  const file = path.join(scratch, "crafted.tar.gz");
  await createTar({ cwd: source, file, gzip: true, preservePaths: true }, ["PG_VERSION", "../escaped.txt"]);
  const target = path.join(scratch, "deep", "live");
  await expect(restoreBackup(file, target)).rejects.toBeInstanceOf(BackupError);
  expect(existsSync(path.join(scratch, "deep", "escaped.txt"))).toBe(false);
  expect(existsSync(target)).toBe(false);
});

test("a file that is not a backup is refused, and the database it would replace stays where it was", async () => {
  const target = path.join(scratch, "live");
  mkdirSync(target);
  writeFileSync(path.join(target, "PG_VERSION"), "17\n");
  const notGzip = path.join(scratch, "notes.tar.gz");
  writeFileSync(notGzip, "not a backup at all");
  await expect(restoreBackup(notGzip, target)).rejects.toThrow(/notes.tar.gz is not a PeerDesk backup\./);
  const notPeerDesk = path.join(scratch, "photos.tar.gz");
  writeFileSync(notPeerDesk, gzipSync(Buffer.alloc(4096, 7)));
  await expect(restoreBackup(notPeerDesk, target)).rejects.toThrow(/photos.tar.gz is not a PeerDesk backup\./);
  expect(readdirSync(target)).toEqual(["PG_VERSION"]);
  expect(readdirSync(scratch).filter((name) => name.includes("before-restore"))).toEqual([]);
  await expect(restoreBackup(path.join(scratch, "missing.tar.gz"), target)).rejects.toThrow(/There is no backup at/);
});

test("pruning keeps the newest backups and never touches other files in the folder", async () => {
  const dir = path.join(scratch, "backups");
  mkdirSync(dir);
  const names = ["2026-11-30T01:00:00Z", "2026-12-01T01:00:00Z", "2026-12-02T01:00:00Z", "2026-12-03T01:00:00Z"].map(
    (at) => backupName(new Date(at)),
  );
  for (const name of names) writeFileSync(path.join(dir, name), "x");
  writeFileSync(path.join(dir, "notes.txt"), "mine");
  writeFileSync(path.join(dir, `.${backupName(new Date("2026-12-04T01:00:00Z"))}.partial`), "half");
  expect((await listBackups(dir)).map((b) => b.name)).toEqual([...names].reverse());
  expect(await pruneBackups(dir, 2)).toEqual([names[1], names[0]]);
  expect(readdirSync(dir).sort()).toEqual(
    [".peerdesk-20261204-010000.tar.gz.partial", "notes.txt", names[2], names[3]].sort(),
  );
  // At least one is always kept.
  await pruneBackups(dir, 0);
  expect((await listBackups(dir)).map((b) => b.name)).toEqual([names[3]]);
});

test("a backup is due when the newest is as old as the schedule, never with the schedule off", () => {
  const madeAt = new Date("2026-12-04T00:00:00Z");
  const newest = { name: backupName(madeAt), bytes: 1, madeAt };
  expect(isBackupDue(undefined, 24, madeAt)).toBe(true);
  expect(isBackupDue(newest, 24, new Date("2026-12-04T23:59:59Z"))).toBe(false);
  expect(isBackupDue(newest, 24, new Date("2026-12-05T00:00:00Z"))).toBe(true);
  expect(isBackupDue(newest, 1, new Date("2026-12-04T01:00:00Z"))).toBe(true);
  expect(isBackupDue(undefined, 0, madeAt)).toBe(false);
});

test("only a backup's own name leads to a file in the folder", () => {
  const dir = path.join(scratch, "backups");
  expect(backupPath(dir, "peerdesk-20261204-131500.tar.gz")).toBe(path.join(dir, "peerdesk-20261204-131500.tar.gz"));
  for (const name of [
    "../pglite/PG_VERSION",
    "..%2Fauth-secret",
    "peerdesk-20261204-131500.tar.gz/../../auth-secret",
    ".peerdesk-20261204-131500.tar.gz.partial",
    "peerdesk-20261204-131500.tar.gz\0",
    "",
  ])
    expect(backupPath(dir, name), name).toBeNull();
});

test("the schedule makes a backup when one is due, not again while the newest is fresh, and logs it", async () => {
  const database = await embeddedDatabase(path.join(scratch, "pglite"));
  const dir = path.join(scratch, "backups");
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const schedule = startScheduledBackups(database, {
    dir,
    everyHours: 24,
    keep: 7,
    checkMs: 20,
    log: (level, message, fields) => lines.push({ level, message, fields }),
  });
  try {
    await vi.waitFor(() => expect(lines.map((line) => line.message)).toContain("backup made"), { timeout: 30_000 });
    // Several more checks pass: the newest is fresh, so no second backup.
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await schedule.stop();
    await database.close();
  }
  expect(await listBackups(dir)).toHaveLength(1);
  expect(lines.filter((line) => line.message === "backup made")).toHaveLength(1);
  expect(schedule.lastFailure()).toBeNull();
});

test("a failing scheduled backup is logged and kept for admins to see, and never thrown", async () => {
  const lines: string[] = [];
  // A file where the folder should be: the backup cannot be written.
  const blocked = path.join(scratch, "backups");
  writeFileSync(blocked, "a file, not a folder");
  const database = await embeddedDatabase(path.join(scratch, "pglite"));
  const schedule = startScheduledBackups(database, {
    dir: blocked,
    everyHours: 1,
    keep: 7,
    checkMs: 20,
    log: (level, message) => lines.push(`${level} ${message}`),
  });
  try {
    await vi.waitFor(() => expect(schedule.lastFailure()).not.toBeNull(), { timeout: 30_000 });
  } finally {
    await schedule.stop();
    await database.close();
  }
  expect(lines).toContain("error backup failed");
  expect(schedule.lastFailure()?.message).toBe(
    `Backups can't be written to ${blocked} (BACKUP_DIR): it is a file, not a folder. Set BACKUP_DIR to a folder the server's user can write.`,
  );
});

test("PostgreSQL is backed up with its own tools, and an in-memory database has nothing to back up: both say so", async () => {
  const dir = path.join(scratch, "backups");
  await expect(makeBackup({ kind: "postgres" }, { dir, keep: 1 })).rejects.toThrow(/Back PostgreSQL up with pg_dump/);
  const inMemory = await openDatabase({ pgliteDir: "memory://", pgliteSharedBuffersMb: TEST_SHARED_BUFFERS_MB });
  try {
    await expect(makeBackup(inMemory, { dir, keep: 1 })).rejects.toThrow(/in memory: there are no files to back up/);
  } finally {
    await inMemory.close();
  }
  expect(existsSync(path.join(scratch, "backups"))).toBe(false);
});
