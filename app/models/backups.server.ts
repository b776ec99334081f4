/**
 * Backups of the embedded database: its data folder copied while the forum runs (statements held back only for the
 * copy), then packed as a .tar.gz in the background (on a schedule and when an admin asks), kept in a folder and pruned
 * to the newest few; `npm run db:restore` puts one back.
 */
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { chmod, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { sql } from "drizzle-orm";
import { create as createTar, extract as extractTar, list as listTar } from "tar";
import {
  type Database,
  DatabaseInUseError,
  LOCK_FILES,
  dataDirHolder,
  dataDirLeftOpenMessage,
  databaseInUseMessage,
  holdDataDir,
  isDataDirLeftOpen,
  makeFolders,
  openDatabase,
  queryRows,
} from "#db/client.server";
import { startLoop } from "~/lib/loop.server";

/** peerdesk-20261204-131500.tar.gz: made at 13:15:00 UTC on 4 December 2026. Nothing else in the folder is a backup. */
const BACKUP_NAME = /^peerdesk-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.tar\.gz$/;

export type Backup = { name: string; bytes: number; madeAt: Date };

export class BackupError extends Error {}

/** Where backups go unless BACKUP_DIR says: "backups" beside the embedded database's folder (.data/backups). */
export function defaultBackupDir(pgliteDir: string): string {
  return path.join(path.dirname(path.resolve(pgliteDir)), "backups");
}

function isBackupName(name: string): boolean {
  return BACKUP_NAME.test(name);
}

export function backupName(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", "-");
  return `peerdesk-${stamp}.tar.gz`;
}

function madeAtOf(name: string): Date | null {
  const match = BACKUP_NAME.exec(name);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const at = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Makes the backup folder if missing and checks that a backup can be written in it (a folder for the copy, a file in
 * that), or throws a BackupError saying in one line what is wrong. The server checks at start, so a folder that can't
 * hold backups is said at once rather than at the first backup (one under /proc used to hang it: see makeFolders).
 */
export function checkBackupFolder(dir: string): void {
  const probe = path.join(dir, `.write-check-${process.pid}`);
  try {
    makeFolders(dir);
    mkdirSync(probe, { mode: 0o700 });
    writeFileSync(path.join(probe, "check"), "");
  } catch (error) {
    throw new BackupError(backupFolderProblem(dir, error));
  } finally {
    try {
      rmSync(probe, { recursive: true, force: true });
    } catch {
      // Never made: the folder itself is what failed.
    }
  }
}

/** Why a backup folder failed, by the system's error code. */
const FOLDER_PROBLEMS: Record<string, string> = {
  EEXIST: "it is a file, not a folder",
  ENOTDIR: "part of its path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "it is on a read-only file system",
  ENOSPC: "the disk is full",
  // A folder that exists but can't hold folders: a system one (/proc), or a link to nowhere.
  ENOENT: "no folder can be made there",
};

/** One line for the operator: why backups can't be written to `dir`, and what to set. */
function backupFolderProblem(dir: string, error: unknown): string {
  const code = error instanceof Error ? String((error as { code?: unknown }).code) : "";
  const why = isFile(dir)
    ? FOLDER_PROBLEMS.EEXIST
    : (FOLDER_PROBLEMS[code] ?? (error instanceof Error ? error.message : String(error)));
  return `Backups can't be written to ${dir} (BACKUP_DIR): ${why}. Set BACKUP_DIR to a folder the server's user can write.`;
}

function isFile(file: string): boolean {
  try {
    return !statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The folder's backups, newest first; a missing folder has none. */
export async function listBackups(dir: string): Promise<Backup[]> {
  // Nor one that isn't a folder (a file put there since the start): making a backup says what is wrong with it.
  if (!isFolder(dir)) return [];
  const backups: Backup[] = [];
  for (const name of await readdir(dir)) {
    const madeAt = madeAtOf(name);
    if (!madeAt) continue;
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info?.isFile()) backups.push({ name, bytes: info.size, madeAt });
  }
  return backups.sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime());
}

/** The path of a backup in `dir`, or null for anything that is not one of its backups' names (no `..`, no folders). */
export function backupPath(dir: string, name: string): string | null {
  return isBackupName(name) ? path.join(dir, name) : null;
}

/** Whether the newest backup is older than `everyHours` (or there is none). */
export function isBackupDue(newest: Backup | undefined, everyHours: number, now: Date): boolean {
  if (everyHours <= 0) return false;
  return !newest || now.getTime() - newest.madeAt.getTime() >= everyHours * 60 * 60 * 1000;
}

const making = new Map<string, Promise<Backup>>();

/** `make` for `dir`, unless a backup is being made there already: then that one, for every caller alike. */
function oneAtATime(dir: string, make: () => Promise<Backup>): Promise<Backup> {
  const running = making.get(dir);
  if (running) return running;
  const made = make().finally(() => making.delete(dir));
  making.set(dir, made);
  return made;
}

/**
 * Writes a backup of the embedded database into `dir` (under a temporary name first, so a half-written file is never
 * taken for a backup), then keeps the newest `keep`. One at a time per folder: a second call while one is being made
 * gets the same backup.
 */
export function makeBackup(
  database: Pick<Database, "kind" | "copyDataDir">,
  { dir, keep, now = () => new Date() }: { dir: string; keep: number; now?: () => Date },
): Promise<Backup> {
  return oneAtATime(dir, () => writeBackup(database, dir, keep, now));
}

/**
 * How long after the newest backup (scheduled or asked for) an admin can ask for another. Only the newest BACKUP_KEEP
 * are kept, whatever made them, so presses in a row would push the scheduled ones out, days of them, for copies that
 * hold next to nothing new. Scheduled backups (makeBackup) are not held back: they come hours apart anyway.
 */
export const BACKUP_ON_REQUEST_GAP_MINUTES = 15;

/** A backup asked for within BACKUP_ON_REQUEST_GAP_MINUTES of the newest: nothing was written. */
export class BackupTooSoonError extends BackupError {
  constructor(
    message: string,
    /** When the next one can be asked for, in seconds from the refusal (a Retry-After). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** "16:45": a time of day in UTC, as the backups page shows times. */
const utcTime = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** The refusal of a backup asked for at `now`, too soon after `newest`; null when one may be made. */
export function backupTooSoon(newest: Backup | undefined, now: Date): BackupTooSoonError | null {
  if (!newest) return null;
  const age = now.getTime() - newest.madeAt.getTime();
  const gap = BACKUP_ON_REQUEST_GAP_MINUTES * 60_000;
  // A newest backup dated after now (the clock was put back) blocks nothing: it would block for as long as it is ahead.
  if (age < 0 || age >= gap) return null;
  // Whole minutes, rounded up, so the time said is never one at which it would still be refused.
  const allowedAt = new Date(Math.ceil((newest.madeAt.getTime() + gap) / 60_000) * 60_000);
  const minutes = Math.floor(age / 60_000);
  const ago = minutes < 1 ? "less than a minute ago" : minutes === 1 ? "1 minute ago" : `${minutes} minutes ago`;
  return new BackupTooSoonError(
    `A backup was made ${ago} (${newest.name}): it already holds everything up to then. You can make another from ${utcTime.format(allowedAt)} UTC.`,
    Math.ceil((allowedAt.getTime() - now.getTime()) / 1000),
  );
}

/**
 * A backup an admin asks for ("Make a backup now"): as makeBackup (asked for again while one is being made, it is that
 * one), but refused with a BackupTooSoonError, writing nothing, within BACKUP_ON_REQUEST_GAP_MINUTES of the newest.
 */
export function makeBackupOnRequest(
  database: Pick<Database, "kind" | "copyDataDir">,
  { dir, keep, now = () => new Date() }: { dir: string; keep: number; now?: () => Date },
): Promise<Backup> {
  return oneAtATime(dir, async () => {
    const refusal = backupTooSoon((await listBackups(dir))[0], now());
    if (refusal) throw refusal;
    return writeBackup(database, dir, keep, now);
  });
}

async function writeBackup(
  database: Pick<Database, "kind" | "copyDataDir">,
  dir: string,
  keep: number,
  now: () => Date,
): Promise<Backup> {
  if (database.kind !== "pglite") throw new BackupError("Back PostgreSQL up with pg_dump or your provider's backups.");
  if (!database.copyDataDir) throw new BackupError("The database is in memory: there are no files to back up.");
  try {
    makeFolders(dir);
  } catch (error) {
    throw new BackupError(backupFolderProblem(dir, error));
  }
  const madeAt = now();
  const name = backupName(madeAt);
  const copy = path.join(dir, `.${name}.copy`);
  const partial = path.join(dir, `.${name}.partial`);
  try {
    // The only part during which the forum's reads and writes wait: a file copy, not the packing.
    await database.copyDataDir(copy);
    await chmod(copy, 0o700);
    // Everyone's email address and password hash is in here: readable by the server's user only.
    // Node's gzip stream compresses on libuv's threads; tar's own (minizlib) would on this one, which renders pages.
    await pipeline(
      createTar({ cwd: copy, portable: true }, ["."]),
      createGzip({ level: 6 }),
      createWriteStream(partial, { mode: 0o600 }),
    );
    await rename(partial, path.join(dir, name));
  } finally {
    await rm(copy, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
  await pruneBackups(dir, keep);
  const { size } = await stat(path.join(dir, name));
  // The time its name says (to the second), as listBackups reads it back.
  return { name, bytes: size, madeAt: madeAtOf(name) ?? madeAt };
}

/** Deletes all but the newest `keep` backups (at least one is always kept). */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const old = (await listBackups(dir)).slice(Math.max(1, keep));
  for (const backup of old) await rm(path.join(dir, backup.name), { force: true });
  return old.map((backup) => backup.name);
}

export type RestoredCounts = { people: number; questions: number; answers: number; howtos: number };

/**
 * Puts a backup in place of the embedded database in `pgliteDir` (the server stopped). The backup is unpacked and opened
 * beside it first (`<dir>.restoring-<time>`, held by this process's lock until it takes the database's place), so the
 * database is only touched once the backup is known to open as a PeerDesk database; then the database there is moved
 * aside to `<dir>.before-restore-<time>` and the backup takes its place. Refused while a process has the database open
 * (even with `force`: it would go on writing into a moved or half-copied folder), and while one that stopped without
 * closing it left it open (isDataDirLeftOpen) unless `force`. Migrations newer than the backup are applied by the next
 * start, as for any older database.
 */
export async function restoreBackup(
  file: string,
  pgliteDir: string,
  { force = false, now = new Date() }: { force?: boolean; now?: Date } = {},
): Promise<{ counts: RestoredCounts; keptAt: string | null }> {
  if (!(await stat(file).catch(() => null))?.isFile()) throw new BackupError(`There is no backup at ${file}.`);
  if (!(await holdsDataFolder(file))) throw new BackupError(`${file} is not a PeerDesk backup.`);
  const dir = path.resolve(pgliteDir);
  refuseOpenDatabase(dir, pgliteDir, force);
  const stamp = backupName(now).slice(9, 24);
  const incoming = `${dir}${RESTORING_INFIX}${stamp}`;
  // One left by a restore that stopped in this same second goes; one that is still running is not touched.
  const running = dataDirHolder(incoming);
  if (running) throw new BackupError(databaseInUseMessage(running));
  await rm(incoming, { recursive: true, force: true });
  makeFolders(incoming);
  let release: (movedTo?: string) => void;
  try {
    release = holdDataDir(incoming);
  } catch (error) {
    if (error instanceof DatabaseInUseError) throw new BackupError(error.message);
    throw error;
  }
  try {
    let counts: RestoredCounts;
    try {
      // Files and folders only, inside the folder (tar refuses absolute paths and ".."), without a running one's locks.
      await extractTar({
        file,
        cwd: incoming,
        strict: true,
        filter: (entryPath, entry) => isFileOrFolder(entry) && !LOCK_FILES.includes(path.basename(entryPath)),
      });
      counts = await openAndCount(incoming);
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw new BackupError(
        `${file} does not hold a PeerDesk database (${error instanceof Error ? error.message : String(error)}).`,
      );
    }
    try {
      // Again just before the swap (without a pause in between): a server may have started on it meanwhile.
      refuseOpenDatabase(dir, pgliteDir, force);
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw error;
    }
    const keptAt = existsSync(dir) && readdirSync(dir).length > 0 ? `${dir}.before-restore-${stamp}` : null;
    if (keptAt) renameSync(dir, keptAt);
    else rmSync(dir, { recursive: true, force: true });
    // The lock moves with the folder: nobody takes the restored database before this process lets it go.
    renameSync(incoming, dir);
    release(dir);
    return { counts, keptAt };
  } finally {
    // Only does something when the restore failed (the folder is gone with its lock by then).
    release();
  }
}

/** `<dir>.restoring-<time>` beside the database: a backup being unpacked by restoreBackup. */
const RESTORING_INFIX = ".restoring-";
const RESTORING_STAMP = /^\d{8}-\d{6}$/;

/**
 * Removes the folders beside the embedded database in `pgliteDir` that restores left unfinished (interrupted while
 * unpacking or checking a backup): `<dir>.restoring-<time>` whose restore is not running (no live process holds it).
 * Never the database itself, a backup or a database kept aside; one that can't be removed is left. Returns the folders
 * removed.
 */
export function removeUnfinishedRestores(pgliteDir: string): string[] {
  if (pgliteDir.startsWith("memory://")) return [];
  const dir = path.resolve(pgliteDir);
  const prefix = `${path.basename(dir)}${RESTORING_INFIX}`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(dir));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !RESTORING_STAMP.test(name.slice(prefix.length))) continue;
    const folder = path.join(path.dirname(dir), name);
    // A real folder only (not a link to somewhere else), and not one a running restore holds.
    if (!lstatSync(folder, { throwIfNoEntry: false })?.isDirectory() || dataDirHolder(folder)) continue;
    try {
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Not ours to remove (another user's, a read-only disk): left for the operator, as it was.
    }
  }
  return removed;
}

/** One line saying which unfinished restores' folders were removed (removeUnfinishedRestores), or null for none. */
export function unfinishedRestoresMessage(removed: readonly string[]): string | null {
  if (removed.length === 0) return null;
  return removed.length === 1
    ? `Removed ${removed[0]}, left by a restore that did not finish.`
    : `Removed ${removed.length} folders left by restores that did not finish: ${removed.join(", ")}.`;
}

/**
 * Throws a BackupError while a process has the database in `dir` open (its lock names a live process), and while one
 * that stopped without closing it left it open unless `force`.
 */
function refuseOpenDatabase(dir: string, shown: string, force: boolean): void {
  const holder = dataDirHolder(dir);
  if (holder) throw new BackupError(databaseInUseMessage(holder));
  if (!force && isDataDirLeftOpen(dir)) throw new BackupError(dataDirLeftOpenMessage(shown));
}

function isFileOrFolder(entry: unknown): boolean {
  const type = (entry as { type?: string }).type;
  return type === "File" || type === "Directory";
}

/** Whether the file is a .tar.gz with PostgreSQL's PG_VERSION at its top (a damaged or foreign file is not). */
async function holdsDataFolder(file: string): Promise<boolean> {
  let hasVersion = false;
  try {
    await listTar({
      file,
      strict: true,
      onReadEntry: (entry) => {
        if (entry.path.replace(/^\.\//, "") === "PG_VERSION") hasVersion = true;
      },
    });
  } catch {
    return false;
  }
  return hasVersion;
}

async function openAndCount(dir: string): Promise<RestoredCounts> {
  const database = await openDatabase({ pgliteDir: dir, pgliteSharedBuffersMb: 16 });
  try {
    const [row] = await queryRows<Record<keyof RestoredCounts, number | string>>(
      database.db,
      sql`select (select count(*) from users) as people,
        (select count(*) from posts where kind = 'question' and deleted_at is null) as questions,
        (select count(*) from posts where kind = 'answer' and deleted_at is null) as answers,
        (select count(*) from posts where kind = 'howto' and deleted_at is null) as howtos`,
    );
    return {
      people: Number(row?.people ?? 0),
      questions: Number(row?.questions ?? 0),
      answers: Number(row?.answers ?? 0),
      howtos: Number(row?.howtos ?? 0),
    };
  } finally {
    await database.close();
  }
}

export type BackupSchedule = {
  dir: string;
  everyHours: number;
  keep: number;
  /** The last scheduled backup's failure, until one succeeds (shown to admins). */
  lastFailure: () => { at: Date; message: string } | null;
  stop: () => Promise<void>;
};

/**
 * Makes a backup whenever the newest in `dir` is `everyHours` old, checking every `checkMs` (the first check one
 * interval after start, so a restart loop never fills the folder). Never throws: a failure is logged and kept.
 */
export function startScheduledBackups(
  database: Pick<Database, "kind" | "copyDataDir">,
  {
    dir,
    everyHours,
    keep,
    checkMs = 10 * 60 * 1000,
    log,
  }: {
    dir: string;
    everyHours: number;
    keep: number;
    checkMs?: number;
    log: (level: "info" | "error", message: string, fields: Record<string, unknown>) => void;
  },
): BackupSchedule {
  let lastFailure: { at: Date; message: string } | null = null;
  const tick = async () => {
    const now = new Date();
    try {
      if (!isBackupDue((await listBackups(dir))[0], everyHours, now)) return;
      const backup = await makeBackup(database, { dir, keep });
      lastFailure = null;
      log("info", "backup made", { file: backup.name, bytes: backup.bytes, ms: Date.now() - now.getTime() });
    } catch (error) {
      lastFailure = { at: now, message: error instanceof Error ? error.message : String(error) };
      log("error", "backup failed", { dir, error: lastFailure.message });
    }
  };
  const loop = everyHours > 0 ? startLoop(tick, checkMs) : null;
  return {
    dir,
    everyHours,
    keep,
    lastFailure: () => lastFailure,
    stop: async () => {
      await loop?.stop();
      await making.get(dir)?.catch(() => {});
    },
  };
}
