/**
 * The main thread's side of the embedded database in a worker thread (db/pglite-worker.mjs): the part of PGlite's
 * interface that drizzle's `drizzle-orm/pglite` driver, the migrator, `preparedRows` and `openDatabase` use, with each
 * call sent to the worker as a message.
 *
 * Why: PGlite is PostgreSQL compiled to WebAssembly and runs on the thread that calls it. Under load about a third of
 * the app's main thread went to it (bench:pages, mixed load), while the machine's second core stayed mostly idle.
 * In a worker, queries run there and the main thread goes on rendering; the database still runs one statement at a
 * time, as before.
 *
 * Messages (main → worker): `query` (sql, params, rowMode, the type ids whose text is kept, and the transaction it
 * belongs to if any), `exec`, `begin` (the transaction's id, named here; answers once inside it), `end` (commit or
 * roll back), `listen` / `unlisten`, `copy` (the data folder to another, statements held back), `dump`, `close`; each
 * answered `{ id, ok, value | error }`. The worker also sends `ready` or `failed` once at start and `notify` for each
 * NOTIFY heard. Errors keep PostgreSQL's fields (code, constraint, …).
 *
 * If the worker stops (a WebAssembly abort, say), what was waiting on it fails, listeners hear that notifications may
 * have been missed (`ListenGaps.onLost`), and a new worker opens the same data directory (PostgreSQL recovers it
 * from its write-ahead log: what was committed is there, what was not is gone); queries sent meanwhile wait for it
 * (up to RESTART_WAIT_MS), listening starts again and listeners hear `onRestored`. An in-memory database has nothing
 * to reopen: it stays failed. Transactions are named by this side, so one that was open in the stopped worker is
 * never confused with one in the new worker: its later queries fail ("transaction N is not open").
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { PGlite, QueryOptions, Results } from "@electric-sql/pglite";

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: Record<string, unknown> };
type Event =
  | { op: "ready" }
  | { op: "failed"; error: Record<string, unknown> }
  | { op: "notify"; listener: number; payload: string };

export type WorkerClientOptions = {
  dir: string;
  postgresqlconf: string[];
  snapshot?: Blob;
  /** Where the stop and restart of the worker are reported (default: a JSON line on stderr, like the server's log). */
  report?: (level: "error" | "info", message: string, fields: Record<string, unknown>) => void;
};

/** Same shape as db/client.server.ts's: told when notifications may have been missed, and when they are heard again. */
type ListenGaps = { onLost: () => void; onRestored: () => void };

/** How long a query waits for a worker that is starting again before it fails. */
export const RESTART_WAIT_MS = 15_000;
/** Waits between attempts to start a worker again: 1 s, doubling, at most 30 s. */
const RESTART_BACKOFF_MS = { first: 1_000, max: 30_000 };

function reportLine(level: "error" | "info", message: string, fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ t: new Date().toISOString(), level, msg: message, ...fields }));
}

/** Starts a worker and waits until its database answers (or rejects with why it could not open). */
async function startWorker(options: WorkerClientOptions): Promise<Worker> {
  const snapshot = options.snapshot ? await options.snapshot.arrayBuffer() : null;
  const worker = new Worker(workerFile(), {
    workerData: { dir: options.dir, postgresqlconf: options.postgresqlconf, snapshot },
    transferList: snapshot ? [snapshot] : [],
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: Event) => {
      if (message.op === "ready") resolve();
      else if (message.op === "failed") reject(rebuildError(message.error));
      else return;
      worker.off("message", onMessage);
      worker.off("error", reject);
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
  });
  return worker;
}

/** A query's options the worker can carry: a row mode, and parsers that keep PostgreSQL's text (drizzle's dates). */
function textTypes(options: QueryOptions | undefined): number[] | undefined {
  if (!options) return undefined;
  const { rowMode, parsers, ...rest } = options;
  const unsupported = Object.keys(rest).filter((key) => (rest as Record<string, unknown>)[key] !== undefined);
  if (unsupported.length > 0) throw new Error(`the database worker does not carry query option(s) ${unsupported}`);
  if (!parsers) return undefined;
  const ids: number[] = [];
  for (const [id, parse] of Object.entries(parsers)) {
    // A function can't cross to the worker; one that returns its text unchanged is the same as naming its type.
    const probe = "2026-01-01 00:00:00+00";
    if (parse(probe, Number(id)) !== probe) throw new Error(`the database worker keeps type ${id} as text only`);
    ids.push(Number(id));
  }
  return ids;
}

/** A query's message (an options error is thrown here, so the async callers reject with it). */
function queryMessage(sql: string, params: unknown[] | undefined, options: QueryOptions | undefined) {
  return { op: "query", sql, params: params ?? [], rowMode: options?.rowMode, textTypes: textTypes(options) };
}

/**
 * PGlite's file errors are emscripten's ErrnoError, `{ name, errno }` and no message; errno numbers are emscripten's
 * own (not the system's). The ones an operator can act on get Node's code and words.
 */
const FILE_ERRORS: Record<number, [code: string, words: string]> = {
  2: ["EACCES", "permission denied"],
  20: ["EEXIST", "file already exists"],
  31: ["EISDIR", "is a directory"],
  44: ["ENOENT", "no such file or directory"],
  51: ["ENOSPC", "no space left on device"],
  54: ["ENOTDIR", "not a directory"],
  63: ["EPERM", "operation not permitted"],
  69: ["EROFS", "read-only file system"],
};

/** An Error from the worker's fields (db/pglite-worker.mjs's serializeError): its message, code and PostgreSQL's fields. */
function rebuildError(fields: Record<string, unknown>): Error {
  const known = typeof fields.errno === "number" ? FILE_ERRORS[fields.errno] : undefined;
  const message =
    typeof fields.message === "string"
      ? fields.message
      : known
        ? `${known[0]}: ${known[1]}`
        : `database worker error${fields.name ? ` (${fields.name}${fields.errno === undefined ? "" : ` ${fields.errno}`})` : ""}`;
  const error = new Error(message);
  Object.assign(error, known ? { code: known[0] } : {}, fields, { message });
  return error;
}

/** Anything PGlite threw, as an Error (its ErrnoError is a plain object with an errno). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown !== "object" || thrown === null) return new Error(String(thrown));
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(thrown))
    if (typeof value !== "object" && typeof value !== "function") fields[key] = value;
  return rebuildError(fields);
}

/** The worker's file: beside this module in the source tree, or in db/ beside the migrations for the server build. */
export function workerFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, "pglite-worker.mjs"),
    path.resolve(
      process.env.PEERDESK_MIGRATIONS_DIR ?? path.resolve(process.cwd(), "db/migrations"),
      "..",
      "pglite-worker.mjs",
    ),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`database worker not found (looked for ${candidates.join(", ")})`);
  return found;
}

type Sender = (message: Record<string, unknown>) => Promise<unknown>;

/** What a transaction's callback gets: queries that run inside it. */
class WorkerTransaction {
  closed = false;
  constructor(
    private readonly send: Sender,
    readonly id: number,
  ) {}

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    if (this.closed) throw new Error("transaction is closed");
    return (await this.send({ ...queryMessage(sql, params, options), tx: this.id })) as Results<T>;
  }

  async exec(sql: string): Promise<Results[]> {
    if (this.closed) throw new Error("transaction is closed");
    return (await this.send({ op: "exec", sql, tx: this.id })) as Results[];
  }

  async rollback(): Promise<void> {
    throw new Error("roll back by throwing from the transaction's callback");
  }
}

export class PGliteWorkerClient {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<
    number,
    { channel: string; callback: (payload: string) => void; gaps?: ListenGaps }
  >();
  private nextId = 1;
  private closed = false;
  private worker!: Worker;
  /** Set while a stopped worker is being replaced; queries wait for it. */
  private restarting: Promise<void> | null = null;
  /** Set when a stopped worker can't be replaced (an in-memory database): every query fails with it. */
  private broken: Error | null = null;
  private readonly report: NonNullable<WorkerClientOptions["report"]>;

  private constructor(
    worker: Worker,
    private readonly options: WorkerClientOptions,
  ) {
    this.report = options.report ?? reportLine;
    this.attach(worker);
  }

  private attach(worker: Worker): void {
    this.worker = worker;
    worker.on("message", (message: Reply | Event) => {
      if ("op" in message) {
        if (message.op === "notify") this.listeners.get(message.listener)?.callback(message.payload);
        return;
      }
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      this.updateRef();
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(rebuildError(message.error));
    });
    worker.on("error", (error) => this.stopped(worker, error));
    worker.on("exit", (code) => this.stopped(worker, new Error(`database worker exited (code ${code})`)));
  }

  /** Starts the worker and opens the database there; resolves once it answers queries. */
  static async start(options: WorkerClientOptions): Promise<PGliteWorkerClient> {
    const client = new PGliteWorkerClient(await startWorker(options), options);
    client.updateRef();
    return client;
  }

  /** The worker stopped without being closed: fail what waited on it, and open the database in a new one. */
  private stopped(worker: Worker, error: Error): void {
    if (this.closed || worker !== this.worker) return;
    this.failAll(error);
    // A worker that stops while being started again fails the restart's own requests: the restart tries again.
    if (this.restarting || this.broken) return;
    for (const { gaps } of this.listeners.values()) gaps?.onLost();
    if (this.options.dir.startsWith("memory://")) {
      this.broken = error;
      this.report("error", "database worker stopped; an in-memory database can't be reopened", {
        error: error.message,
      });
      return;
    }
    this.report("error", "database worker stopped; opening the database again", { error: error.message });
    this.restarting = this.restart().finally(() => {
      this.restarting = null;
    });
  }

  private async restart(): Promise<void> {
    let wait = RESTART_BACKOFF_MS.first;
    for (let attempt = 1; !this.closed; attempt++) {
      const started = Date.now();
      let worker: Worker | null = null;
      try {
        // The data directory holds what was committed; a snapshot only seeds a new database.
        worker = await startWorker({ ...this.options, snapshot: undefined });
        if (this.closed) {
          await worker.terminate();
          return;
        }
        this.attach(worker);
        this.updateRef();
        for (const [listener, { channel }] of this.listeners)
          await this.post({ op: "listen", channel, listener }, worker);
        for (const { gaps } of this.listeners.values()) gaps?.onRestored();
        this.report("info", "database worker started again", { attempt, ms: Date.now() - started });
        return;
      } catch (error) {
        // Never two workers on one data directory: this one goes before the next attempt.
        await worker?.terminate();
        this.report("error", "database worker could not start again; retrying", {
          attempt,
          retryInMs: wait,
          error: error instanceof Error ? error.message : String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
        wait = Math.min(wait * 2, RESTART_BACKOFF_MS.max);
      }
    }
  }

  /** The worker keeps the process alive only while a request waits on it, as PGlite in-process would. */
  private updateRef(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private readonly send: Sender = async (message) => {
    if (this.closed) throw new Error("database is closed");
    if (this.restarting) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), RESTART_WAIT_MS);
      });
      const timedOut = await Promise.race([this.restarting.then(() => false), gaveUp]);
      clearTimeout(timer);
      if (timedOut) throw new Error("the database is starting again; try again shortly");
      if (this.closed) throw new Error("database is closed");
    }
    if (this.broken) throw this.broken;
    return this.post(message, this.worker);
  };

  /** Sends to this worker now (the restart uses it before the worker is announced to everyone else). */
  private post(message: Record<string, unknown>, worker: Worker): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.updateRef();
      worker.postMessage({ ...message, id });
    });
  }

  async query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return (await this.send(queryMessage(sql, params, options))) as Results<T>;
  }

  exec(sql: string): Promise<Results[]> {
    return this.send({ op: "exec", sql }) as Promise<Results[]>;
  }

  /** Runs `callback` inside one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(callback: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const id = (await this.send({ op: "begin", tx: this.nextId++ })) as number;
    const tx = new WorkerTransaction(this.send, id);
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      tx.closed = true;
      // The callback's error is the one the caller needs; a failed rollback (a dead worker) is reported by every later
      // query anyway.
      await this.send({ op: "end", tx: id, commit: false }).catch(() => {});
      throw error;
    }
    tx.closed = true;
    await this.send({ op: "end", tx: id, commit: true });
    return result;
  }

  async listen(channel: string, callback: (payload: string) => void, gaps?: ListenGaps): Promise<() => Promise<void>> {
    // Registered once the worker answers: a restart in progress listens again for the listeners it knows of.
    if (this.restarting) await this.restarting;
    const listener = this.nextId++;
    this.listeners.set(listener, { channel, callback, gaps });
    try {
      await this.send({ op: "listen", channel, listener });
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return async () => {
      if (!this.listeners.delete(listener) || this.closed) return;
      await this.send({ op: "unlisten", listener });
    };
  }

  /** Copies the database's folder to `target` with every other statement held back (db/pglite-worker.mjs). */
  async copyDataDir(target: string): Promise<void> {
    await this.send({ op: "copy", target });
  }

  async dumpDataDir(compression: "none" | "gzip" | "auto" = "none"): Promise<Blob> {
    const buffer = (await this.send({ op: "dump", compression })) as ArrayBuffer;
    return new Blob([buffer]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.broken) await this.send({ op: "close" });
    this.closed = true;
    this.listeners.clear();
    await this.worker.terminate();
  }

  /** For drizzle's `drizzle-orm/pglite` driver, which is typed for PGlite itself. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}
