/** Opens PeerDesk's database: embedded PGlite by default, a PostgreSQL server when DATABASE_URL is set; same schema either way. */
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type SQL, sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { isIPv6 } from "node:net";
import pg from "pg";
import { withoutSecrets } from "~/lib/log.server";
import { PGliteWorkerClient, toError } from "./pglite-worker-client.server";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Applies the committed SQL migrations in db/migrations. */
  migrate: () => Promise<void>;
  /**
   * Refreshes planner statistics and the visibility map. PGlite runs no autovacuum, so without this
   * every estimate is "1 row" and queries pick sequential scans; PostgreSQL's autovacuum does it itself.
   * By default only the app's own tables: the system catalogs are most of a VACUUM's time in WebAssembly (about 1 s
   * of a 1.2 s run on the demo database) and none of the app's queries read them; `catalogs` includes them too.
   */
  maintain: (options?: { catalogs?: boolean }) => Promise<void>;
  /**
   * Calls `onMessage` with each NOTIFY payload on `channel` (sent by any process sharing the database, delivered once
   * the sending transaction commits). Resolves once listening; the returned function stops it. `gaps` hears when the
   * listening connection is lost and when it listens again (messages sent in between are lost: PostgreSQL, and the
   * embedded database's worker thread when it stops and is started again).
   */
  listen: (channel: string, onMessage: (payload: string) => void, gaps?: ListenGaps) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
  /** PGlite only: the data directory as an uncompressed tarball, for `pgliteSnapshot` (tests copy one migrated database). */
  dumpDataDir?: () => Promise<Blob>;
  /**
   * PGlite in a folder only: copies its data folder to `target` (a new folder), checkpointed, with every other
   * statement held back while the files are copied, so the copy is the database at rest (backups.server.ts).
   */
  copyDataDir?: (target: string) => Promise<void>;
};

/**
 * postgresql.conf of the embedded database, written on every start. Its data is in memory or the OS cache, so random
 * reads cost about what sequential ones do (the planner then walks indexes instead of fetching every match), and the
 * server's 256 MB of buffers (PGLITE_SHARED_BUFFERS_MB) keep the search index of a 100,000-post forum in memory.
 * PostgreSQL clears its buffers when it starts, which in WebAssembly costs about 1 s of CPU for 256 MB: the small
 * databases of tests start with less (tests/fixtures/db.ts).
 */
function pgliteSettings(sharedBuffersMb: number): string[] {
  return [`shared_buffers = ${sharedBuffersMb}MB`, "random_page_cost = 1.1", "work_mem = 16MB"];
}

/** The server's default (PGLITE_SHARED_BUFFERS_MB), and that of scripts and benchmarks. */
export const DEFAULT_SHARED_BUFFERS_MB = 256;

export type ListenGaps = { onLost: () => void; onRestored: () => void };

/** How long a connection to PostgreSQL may take to open before it is given up (DATABASE_CONNECT_TIMEOUT_SECONDS). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export type DatabaseConfig = {
  databaseUrl?: string;
  pgliteDir?: string;
  poolSize?: number;
  /** PostgreSQL only: how long opening a connection may take (default DEFAULT_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** PGlite only: start from this data directory (from `dumpDataDir`) instead of an empty cluster. */
  pgliteSnapshot?: Blob;
  /**
   * PGlite only: run the database in a worker thread (db/pglite-worker.mjs) so its work uses another core than the
   * app's rendering. The server does (PGLITE_WORKER, on by default); tests and scripts run it in-process.
   */
  pgliteWorker?: boolean;
  /** PGlite only: PostgreSQL's shared_buffers in MB (default DEFAULT_SHARED_BUFFERS_MB). */
  pgliteSharedBuffersMb?: number;
  /**
   * PGlite in a folder only: who holds it open, written in its lock file (DATA_DIR_LOCK) and named to anyone refused
   * meanwhile: "server" for the server; the command's name (npm run …) by default.
   */
  holder?: string;
};

/** db/migrations, found from the source tree or from the server build one level below the project. */
export function migrationsFolder(): string {
  const fromEnv = process.env.PEERDESK_MIGRATIONS_DIR;
  if (fromEnv) return fromEnv;
  return path.resolve(process.cwd(), "db/migrations");
}

/**
 * How many of db/migrations this database has not applied yet (all of them when it has none), read as drizzle's
 * migrator does: from the newest entry of its `drizzle.__drizzle_migrations` table.
 */
export async function unappliedMigrations(db: Db): Promise<{ unapplied: number; known: number }> {
  const known = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  const rows = async <Row>(query: SQL) => ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
  const [table] = await rows<{ exists: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`,
  );
  let newest = Number.NEGATIVE_INFINITY;
  if (table?.exists) {
    const [row] = await rows<{ newest: string | null }>(
      sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`,
    );
    if (row?.newest) newest = Number(row.newest);
  }
  return { unapplied: known.filter((migration) => migration.folderMillis > newest).length, known: known.length };
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl) {
    const Client = clientWithConnectTimeout(config.databaseUrl, config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize ?? 10, Client });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on("error", (error) =>
      console.error(JSON.stringify({ level: "error", msg: "postgres pool error", error: error.message })),
    );
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const listener = createPgListener(() => new Client({ connectionString: config.databaseUrl }));
    return {
      db,
      kind: "postgres",
      migrate: async () => {
        await pool.query("create extension if not exists pg_trgm");
        await migratePg(drizzlePg(pool, { schema }), { migrationsFolder: migrationsFolder() });
      },
      maintain: async () => {},
      listen: (channel, onMessage, gaps) => listener.listen(channel, onMessage, gaps),
      close: async () => {
        await listener.close();
        await pool.end();
      },
    };
  }
  const dir = config.pgliteDir ?? "memory://";
  let release = () => {};
  if (!dir.startsWith("memory://")) {
    prepareDataDir(dir);
    // Before PGlite touches the folder: a second process opening it would corrupt it (its worker thread is this process).
    release = claimDataDir(dir, config.holder ?? commandName());
  }
  const settings = pgliteSettings(config.pgliteSharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB);
  let client: PGlite | PGliteWorkerClient;
  try {
    client = config.pgliteWorker
      ? await PGliteWorkerClient.start({ dir, postgresqlconf: settings, snapshot: config.pgliteSnapshot })
      : await PGlite.create(dir, {
          extensions: { pg_trgm },
          postgresqlconf: settings,
          loadDataDir: config.pgliteSnapshot,
        }).catch((error: unknown) => {
          // PGlite's file errors are not Errors ({ name: "ErrnoError", errno }): made ones that say what went wrong.
          throw toError(error);
        });
  } catch (error) {
    release();
    throw error;
  }
  const pgliteDb = drizzlePglite(client instanceof PGliteWorkerClient ? client.asPGlite() : client, { schema });
  return {
    db: pgliteDb as unknown as Db,
    kind: "pglite",
    migrate: async () => {
      await client.exec("create extension if not exists pg_trgm");
      await migratePglite(pgliteDb, { migrationsFolder: migrationsFolder() });
    },
    maintain: async ({ catalogs = false } = {}) => {
      if (catalogs) {
        await client.exec("vacuum analyze");
        return;
      }
      const tables = await client.query<{ name: string }>(
        "select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
      );
      if (tables.rows.length > 0)
        await client.exec(`vacuum (analyze) ${tables.rows.map((row) => row.name).join(", ")}`);
    },
    listen: async (channel, onMessage, gaps) => {
      // In-process PGlite hears every NOTIFY while it runs; a worker may stop and be started again (gaps).
      const stop =
        client instanceof PGliteWorkerClient
          ? await client.listen(channel, onMessage, gaps)
          : await client.listen(channel, onMessage);
      return async () => stop();
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
    dumpDataDir: async () => {
      // Written-out pages mean a copy starts without replaying the write-ahead log.
      await client.exec("checkpoint");
      return client.dumpDataDir("none");
    },
    copyDataDir: dir.startsWith("memory://")
      ? undefined
      : async (target) => {
          if (client instanceof PGliteWorkerClient) return client.copyDataDir(target);
          // As the worker does it (db/pglite-worker.mjs): PGlite writes only while a statement runs. Asynchronously
          // here, so pages from the anonymous cache are still served on this thread meanwhile.
          await client.exec("checkpoint");
          await client.transaction(() =>
            cp(path.resolve(dir), target, {
              recursive: true,
              errorOnExist: true,
              filter: (source) => !LOCK_FILES.includes(path.basename(source)),
            }),
          );
        },
  };
}

/**
 * The file in an embedded database's folder naming the process that has it open: its pid, then "server" or the
 * command's name. PostgreSQL's own postmaster.pid there says -42 whoever opened it (PGlite runs no postmaster), so it
 * can't tell a running server from one that crashed; two processes on one folder corrupt it.
 */
export const DATA_DIR_LOCK = "peerdesk.pid";

/** Files of a running database that a copy of its folder (a backup) leaves out. */
export const LOCK_FILES = ["postmaster.pid", DATA_DIR_LOCK];

export type DataDirHolder = { pid: number; by: string };

/** Another process has the embedded database's folder open (its message is the one line an operator is told). */
export class DatabaseInUseError extends Error {
  constructor(readonly holder: DataDirHolder) {
    super(databaseInUseMessage(holder));
    this.name = "DatabaseInUseError";
  }
}

export function databaseInUseMessage({ pid, by }: DataDirHolder): string {
  return by === "server"
    ? `The server is running on this database (process ${pid}): stop it first.`
    : `Another command (${by}, process ${pid}) is using this database: let it finish first.`;
}

/**
 * Whether the embedded database in `dir` was left open by a process that stopped without closing it (killed, crashed):
 * PGlite's postmaster.pid is there, but no live process holds the folder. Opening it then is safe: PGlite recovers it
 * as PostgreSQL does after a crash, and the stale locks are taken over.
 */
export function isDataDirLeftOpen(dir: string): boolean {
  return existsSync(path.join(path.resolve(dir), "postmaster.pid")) && dataDirHolder(dir) === null;
}

/** The one line for a database left open by a process that stopped (isDataDirLeftOpen): what happened, what is safe. */
export function dataDirLeftOpenMessage(shown: string): string {
  return `The database in ${shown} was not closed properly: the server or command that had it open stopped without closing it, and nothing has it open now. It is safe to run this again with --force (the database recovers its saved changes as it opens).`;
}

/** How this process is named in a lock file when it is not the server: `npm run db:seed`, or its script's name. */
function commandName(): string {
  const script = process.env.npm_lifecycle_event;
  return script ? `npm run ${script}` : path.basename(process.argv[1] ?? "node");
}

function readLock(file: string): DataDirHolder | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const [pidLine = "", by = ""] = text.split("\n");
  const pid = Number(pidLine);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, by: by.trim() || "another process" } : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user.
    return errorCode(error) === "EPERM";
  }
}

/** Folders this process holds open, with how many of its databases have each. */
const heldDataDirs = new Map<string, number>();
let isExitHookSet = false;

/**
 * The process holding the embedded database in `dir` open, or null: none, or a lock left by one that stopped without
 * closing (killed, crashed), or by an earlier process with this one's pid (a container's restart).
 */
export function dataDirHolder(dir: string): DataDirHolder | null {
  const absolute = path.resolve(dir);
  const holder = readLock(path.join(absolute, DATA_DIR_LOCK));
  if (!holder) return null;
  if (holder.pid === process.pid) return heldDataDirs.has(absolute) ? holder : null;
  return isAlive(holder.pid) ? holder : null;
}

/**
 * Marks `dir` as open in this process (DATA_DIR_LOCK), or throws a DatabaseInUseError naming the live process that
 * has it. A stale lock is taken over. Returns the release, which removes the lock once this process's last database on
 * the folder closes (and at exit, if none did); `movedTo`: where the folder (with the lock in it) was renamed meanwhile.
 */
function claimDataDir(dir: string, by: string): (movedTo?: string) => void {
  const absolute = path.resolve(dir);
  const count = heldDataDirs.get(absolute);
  if (count === undefined) writeLock(absolute, by);
  heldDataDirs.set(absolute, (count ?? 0) + 1);
  let isReleased = false;
  return (movedTo) => {
    if (isReleased) return;
    isReleased = true;
    const left = (heldDataDirs.get(absolute) ?? 1) - 1;
    if (left > 0) heldDataDirs.set(absolute, left);
    else {
      heldDataDirs.delete(absolute);
      removeOwnLock(movedTo === undefined ? absolute : path.resolve(movedTo));
    }
  };
}

/**
 * Marks the existing folder `dir` as this process's while it fills it without a database open there (a restore
 * unpacking a backup), so others see a live holder; databases this process opens there meanwhile share the mark.
 * Throws a DatabaseInUseError while another live process holds it. Returns the release (see claimDataDir).
 */
export function holdDataDir(dir: string, by = commandName()): (movedTo?: string) => void {
  return claimDataDir(dir, by);
}

/** Writes this process's lock into `absolute`, taking over a stale one; throws while a live process holds it. */
function writeLock(absolute: string, by: string): void {
  const file = path.join(absolute, DATA_DIR_LOCK);
  const content = `${process.pid}\n${by}\n`;
  const draft = `${file}.${process.pid}`;
  writeFileSync(draft, content, { mode: 0o600 });
  try {
    for (let attempt = 1; !placeLock(draft, file, content); attempt++) {
      const holder = dataDirHolder(absolute);
      if (holder) throw new DatabaseInUseError(holder);
      if (attempt === 3) throw new Error(`couldn't take over ${file}, left by a process that stopped`);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
  if (!isExitHookSet) process.on("exit", removeLocksAtExit);
  isExitHookSet = true;
}

/**
 * Puts the lock in place only if none is there (false if one is). Linked from a whole draft, so nobody ever reads a
 * half-written lock; on a file system without hard links, created exclusively and written at once.
 */
function placeLock(draft: string, file: string, content: string): boolean {
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
  }
  try {
    writeFileSync(file, content, { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

function removeOwnLock(absolute: string): void {
  const file = path.join(absolute, DATA_DIR_LOCK);
  if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
}

/** A command that ends with process.exit() while its database is open leaves no lock behind. */
function removeLocksAtExit(): void {
  for (const absolute of heldDataDirs.keys()) removeOwnLock(absolute);
}

/**
 * Makes `dir` and any missing parents, each with `mode`, one level at a time. Node's `recursive: true` goes round for
 * ever where a folder exists but can't hold folders (under /proc, or a link to nowhere): mkdir there answers ENOENT,
 * its parent EEXIST, and so on. Here such an ENOENT is final.
 */
export function makeFolders(dir: string, mode = 0o700): void {
  const absolute = path.resolve(dir);
  try {
    makeFolder(absolute, mode);
  } catch (error) {
    if (errorCode(error) !== "ENOENT" || path.dirname(absolute) === absolute) throw error;
    makeFolders(path.dirname(absolute), mode);
    makeFolder(absolute, mode);
  }
}

/** mkdir, content with a folder already there. */
function makeFolder(absolute: string, mode: number): void {
  try {
    mkdirSync(absolute, { mode });
  } catch (error) {
    if (errorCode(error) !== "EEXIST" || !statSync(absolute).isDirectory()) throw error;
  }
}

/**
 * The embedded database's folder, for the server's user only: PGlite writes its files (WAL segments with everyone's
 * email address and password hash) readable and writable by all, so the folder is what keeps others out. Created 700
 * (with the parents made here), and an existing one set to 700 at every open.
 */
function prepareDataDir(dir: string): void {
  const absolute = path.resolve(dir);
  makeFolders(path.dirname(absolute));
  try {
    mkdirSync(absolute, { mode: 0o700 });
  } catch (error) {
    if (errorCode(error) !== "EEXIST") throw error;
    if (!statSync(absolute).isDirectory())
      throw Object.assign(new Error(`ENOTDIR: not a directory, open '${absolute}'`), {
        code: "ENOTDIR",
        syscall: "open",
        path: absolute,
      });
  }
  chmodSync(absolute, 0o700);
}

function errorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** An error, its causes and an AggregateError's errors (`localhost` is tried on IPv6 and IPv4), outermost first. */
function errorChain(error: unknown): Error[] {
  const chain: Error[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 10) {
    const current = queue.shift();
    if (!(current instanceof Error) || chain.includes(current)) continue;
    chain.push(current);
    queue.push(current.cause);
    if (current instanceof AggregateError) queue.push(...current.errors);
  }
  return chain;
}

/** What DATABASE_URL names, for messages: never its password. */
function postgresTarget(databaseUrl: string): { host: string; user: string; database: string } {
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname || "localhost";
    return {
      host: `${host}:${url.port || "5432"}`,
      user: decodeURIComponent(url.username) || "(none given)",
      database: decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username),
    };
  } catch {
    return { host: "the host in DATABASE_URL", user: "in DATABASE_URL", database: "in DATABASE_URL" };
  }
}

/** PostgreSQL didn't let a connection open in time (a host that never answers, or a firewall dropping the packets). */
export class DatabaseConnectTimeoutError extends Error {
  constructor(
    /** host:port, never the password. */
    readonly host: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`PostgreSQL at ${host} didn't answer within ${timeoutMs / 1000} s`, options);
    this.name = "DatabaseConnectTimeoutError";
  }
}

/** node-postgres's own words when its connectionTimeoutMillis has passed. */
const PG_CONNECT_TIMEOUT_MESSAGE = "timeout expired";

/**
 * node-postgres clients that give up opening a connection after `timeoutMs` (its default waits as long as the system
 * does: minutes, for a host that never answers), with a DatabaseConnectTimeoutError naming the host. Only opening a
 * connection is limited: a pool's queries waiting for a free connection wait as before.
 */
function clientWithConnectTimeout(databaseUrl: string, timeoutMs: number) {
  const { host } = postgresTarget(databaseUrl);
  const explained = (error: Error) =>
    error.message === PG_CONNECT_TIMEOUT_MESSAGE
      ? new DatabaseConnectTimeoutError(host, timeoutMs, { cause: error })
      : error;
  return class ClientWithConnectTimeout extends pg.Client {
    constructor(config: pg.ClientConfig = {}) {
      super({ ...config, connectionTimeoutMillis: timeoutMs });
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: (error: Error) => void): void;
    override connect(callback?: (error: Error) => void): Promise<pg.Client> | undefined {
      if (!callback)
        return super.connect().catch((error: Error) => {
          throw explained(error);
        });
      // The pool's way: called with no error once connected.
      super.connect((error: Error) => callback(error ? explained(error) : error));
    }
  };
}

const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset",
};

/**
 * One line for the operator when the database can't be opened at start (the server prints it and exits): what is
 * wrong and what to check, from the error openDatabase, migrate or the first query gave. Never DATABASE_URL's password.
 */
export function databaseStartProblem(
  error: unknown,
  config: Pick<DatabaseConfig, "databaseUrl" | "pgliteDir">,
): string {
  const chain = errorChain(error);
  const coded = chain.find((each) => errorCode(each) !== undefined);
  const code = errorCode(coded);
  const reason = withoutSecrets((chain.at(-1)?.message ?? String(error)).split("\n")[0] ?? "");
  const inUse = chain.find((each) => each instanceof DatabaseInUseError);
  if (inUse) return inUse.message;
  if (config.databaseUrl) {
    const target = postgresTarget(config.databaseUrl);
    // Node's own error names where it tried (each address of a name that has several).
    const tried = chain.find((each) => "address" in each && "port" in each) as
      | (Error & { address: unknown; port: unknown })
      | undefined;
    const where = tried
      ? `${isIPv6(String(tried.address)) ? `[${tried.address}]` : tried.address}:${tried.port}`
      : target.host;
    const timedOut = chain.find((each) => each instanceof DatabaseConnectTimeoutError);
    if (timedOut)
      return `Couldn't connect to PostgreSQL at ${timedOut.host} (no answer within ${timedOut.timeoutMs / 1000} s). Check DATABASE_URL, that the server is running and that no firewall is in the way.`;
    if (code && code in NETWORK_FAILURES)
      return `Couldn't connect to PostgreSQL at ${where} (${NETWORK_FAILURES[code]}). Check DATABASE_URL and that the server is running.`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN")
      return `Couldn't find the PostgreSQL host ${target.host.replace(/:\d+$/, "")} (no such host name). Check DATABASE_URL.`;
    if (code === "28P01") return `PostgreSQL refused the password for user ${target.user}. Check DATABASE_URL.`;
    if (code === "28000") return `PostgreSQL refused user ${target.user} (${reason}). Check DATABASE_URL.`;
    if (code === "3D000")
      return `PostgreSQL has no database ${target.database}. Create it (createdb ${target.database}) or check DATABASE_URL.`;
    if (/client password must be a string/.test(reason))
      return `PostgreSQL asks for a password and DATABASE_URL gives none for user ${target.user}. Add it to DATABASE_URL.`;
    return `Couldn't use the PostgreSQL database in DATABASE_URL (${reason}). Check DATABASE_URL and the server's log.`;
  }
  if (!config.pgliteDir || config.pgliteDir.startsWith("memory://"))
    return `Couldn't start the embedded database in memory: ${reason}.`;
  const dir = path.resolve(config.pgliteDir);
  const isFile = (() => {
    try {
      return statSync(dir).isFile();
    } catch {
      return false;
    }
  })();
  if (isFile)
    return `PGLITE_DIR (${dir}) is a file, not a folder. Set PGLITE_DIR to a folder (it is created if missing).`;
  const verb = (coded as { syscall?: unknown } | undefined)?.syscall === "mkdir" ? "create" : "open";
  if (code === "EACCES" || code === "EPERM")
    return `Can't ${verb} PGLITE_DIR (${dir}): permission denied. Give the server's user that folder, or set PGLITE_DIR to one it can write.`;
  if (code === "ENOTDIR" || code === "EEXIST")
    return `Can't create PGLITE_DIR (${dir}): part of its path is a file, not a folder. Check PGLITE_DIR.`;
  // Where a folder exists but can't hold folders (under /proc, a link to nowhere): see makeFolders.
  if (code === "ENOENT" && verb === "create")
    return `Can't create PGLITE_DIR (${dir}): no folder can be made there. Set PGLITE_DIR to a folder the server's user can write.`;
  if (code === "ENOSPC") return `PGLITE_DIR (${dir}) is on a full disk. Free some space, then start again.`;
  if (code === "EROFS")
    return `PGLITE_DIR (${dir}) is on a read-only file system. Set PGLITE_DIR to a writable folder.`;
  return `Couldn't open the embedded database in PGLITE_DIR (${dir}): ${reason}.`;
}

/**
 * One connection per process that LISTENs for the channels someone listens to (a pooled connection can't: LISTEN
 * belongs to a session). Reconnects after a second if the connection drops, and listens again.
 */
function createPgListener(newClient: () => pg.Client) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const gapListeners = new Set<ListenGaps>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let isClosed = false;
  const quote = (channel: string) => `"${channel.replace(/"/g, '""')}"`;

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const next = newClient();
      next.on("notification", (message) => {
        for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? "");
      });
      next.on("error", (error) => {
        console.error(
          JSON.stringify({ level: "error", msg: "postgres listener error; reconnecting", error: error.message }),
        );
        const wasListening = client === next;
        client = null;
        connecting = null;
        next.end().catch(() => {});
        if (wasListening) for (const gaps of gapListeners) gaps.onLost();
        if (!isClosed) setTimeout(() => void reconnect(), 1000).unref();
      });
      await next.connect();
      for (const channel of handlers.keys()) await next.query(`listen ${quote(channel)}`);
      client = next;
      return next;
    })();
    return connecting;
  };

  const reconnect = async () => {
    try {
      await connect();
      for (const gaps of gapListeners) gaps.onRestored();
    } catch {
      connecting = null;
      if (!isClosed) setTimeout(() => void reconnect(), 1000).unref();
    }
  };

  return {
    async listen(
      channel: string,
      onMessage: (payload: string) => void,
      gaps?: ListenGaps,
    ): Promise<() => Promise<void>> {
      const isNew = !handlers.has(channel);
      if (gaps) gapListeners.add(gaps);
      const set = handlers.get(channel) ?? new Set();
      set.add(onMessage);
      handlers.set(channel, set);
      const connection = client ?? (await connect());
      if (isNew) await connection.query(`listen ${quote(channel)}`);
      return async () => {
        set.delete(onMessage);
        if (gaps) gapListeners.delete(gaps);
        if (set.size === 0) {
          handlers.delete(channel);
          await client?.query(`unlisten ${quote(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      isClosed = true;
      await client?.end().catch(() => {});
      client = null;
    },
  };
}

/** True when the database answers a trivial query within the time limit. */
export async function isDatabaseReachable(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database check timed out")), timeoutMs);
    });
    await Promise.race([db.execute(sql`select 1`), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs raw SQL and returns its rows as the caller names them. Both drivers answer `{ rows }`, but drizzle types the
 * result per driver, so this is the one place that says what a row is; column names are SQL's (snake_case).
 */
export async function queryRows<Row>(db: Pick<Db, "execute">, query: SQL): Promise<Row[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: Row[] }).rows;
}

export { schema };
