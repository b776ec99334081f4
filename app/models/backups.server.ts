/**
 * Backups of the embedded database: its data folder copied while the forum runs (statements held back only for the
 * copy), then packed as a .tar.gz in the background (on a schedule and when an admin asks), kept in a folder and pruned
 * to the newest few; `npm run db:restore` puts one back.
 */
import { createWriteStream, existsSync } from "node:fs";
import { chmod, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { sql } from "drizzle-orm";
import { create as createTar, extract as extractTar, list as listTar } from "tar";
import { type Database, openDatabase, queryRows } from "#db/client.server";
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

/** The folder's backups, newest first; a missing folder has none. */
export async function listBackups(dir: string): Promise<Backup[]> {
  if (!existsSync(dir)) return [];
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

/**
 * Writes a backup of the embedded database into `dir` (under a temporary name first, so a half-written file is never
 * taken for a backup), then keeps the newest `keep`. One at a time per folder: a second call while one is being made
 * gets the same backup.
 */
export function makeBackup(
  database: Pick<Database, "kind" | "copyDataDir">,
  { dir, keep, now = () => new Date() }: { dir: string; keep: number; now?: () => Date },
): Promise<Backup> {
  const running = making.get(dir);
  if (running) return running;
  const made = writeBackup(database, dir, keep, now).finally(() => making.delete(dir));
  making.set(dir, made);
  return made;
}

async function writeBackup(
  database: Pick<Database, "kind" | "copyDataDir">,
  dir: string,
  keep: number,
  now: () => Date,
): Promise<Backup> {
  if (database.kind !== "pglite") throw new BackupError("Back PostgreSQL up with pg_dump or your provider's backups.");
  if (!database.copyDataDir) throw new BackupError("The database is in memory: there are no files to back up.");
  await mkdir(dir, { recursive: true, mode: 0o700 });
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
 * Puts a backup in place of the embedded database in `pgliteDir` (the server stopped): the database there is moved
 * aside to `<dir>.before-restore-<time>` first, and moved back if the backup does not open as a PeerDesk database.
 * Refuses while the database looks open (PostgreSQL's postmaster.pid, left by a running server or a crash) unless
 * `force`. Migrations newer than the backup are applied by the next start, as for any older database.
 */
export async function restoreBackup(
  file: string,
  pgliteDir: string,
  { force = false, now = new Date() }: { force?: boolean; now?: Date } = {},
): Promise<{ counts: RestoredCounts; keptAt: string | null }> {
  if (!(await stat(file).catch(() => null))?.isFile()) throw new BackupError(`There is no backup at ${file}.`);
  if (!(await holdsDataFolder(file))) throw new BackupError(`${file} is not a PeerDesk backup.`);
  const dir = path.resolve(pgliteDir);
  const isInUse = existsSync(path.join(dir, "postmaster.pid"));
  if (isInUse && !force)
    throw new BackupError(
      `The database in ${pgliteDir} looks open: stop the server first. If no server is running (it stopped without closing), add --force.`,
    );
  const keptAt =
    existsSync(dir) && (await readdir(dir)).length > 0 ? `${dir}.before-restore-${backupName(now).slice(9, 24)}` : null;
  if (keptAt) await rename(dir, keptAt);
  else await rm(dir, { recursive: true, force: true });
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Files and folders only, inside `dir` (tar refuses absolute paths and "..").
    await extractTar({ file, cwd: dir, strict: true, filter: (_, entry) => isFileOrFolder(entry) });
    const counts = await openAndCount(dir);
    return { counts, keptAt };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (keptAt) await rename(keptAt, dir);
    throw new BackupError(
      `${file} does not hold a PeerDesk database (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
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
