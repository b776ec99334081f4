// @ts-check
/**
 * The embedded database (PGlite) in a worker thread of its own, so that PostgreSQL's work (parsing, planning,
 * executing, its file layer) runs on the machine's second core while the app's main thread renders pages.
 *
 * Plain JavaScript (type-checked through JSDoc) because a worker thread starts from a file Node can run as it is,
 * from the source tree and from the server build alike. The main thread's side is `PGliteWorkerClient` in
 * pglite-worker-client.server.ts; the messages are described there.
 */
import { cpSync } from "node:fs";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

if (!parentPort) throw new Error("pglite-worker.mjs runs as a worker thread only");
const port = parentPort;

/** @type {{ dir: string; postgresqlconf: string[]; snapshot: ArrayBuffer | null }} */
const config = workerData;

/** @typedef {import("@electric-sql/pglite").Transaction} Transaction */
/** @typedef {{ tx: Transaction; finish: (commit: boolean) => void; done: Promise<unknown> }} OpenTransaction */

/** @type {Map<number, OpenTransaction>} */
const transactions = new Map();
/** @type {Map<number, () => Promise<void>>} */
const listeners = new Map();
let nextTransaction = 1;

/** Rollback request from the main thread: rejects the transaction's callback so PGlite rolls it back. */
class Rollback extends Error {}

/** @param {unknown} error */
function serializeError(error) {
  // PGlite's file errors are plain objects ({ name: "ErrnoError", errno }): their fields go as they are, and the
  // main thread gives them words (rebuildError in pglite-worker-client.server.ts).
  if (typeof error === "object" && error !== null && !(error instanceof Error)) {
    /** @type {Record<string, unknown>} */
    const fields = {};
    for (const [key, value] of Object.entries(error)) {
      if (value === undefined || typeof value === "function" || typeof value === "object") continue;
      fields[key] = value;
    }
    return fields;
  }
  if (!(error instanceof Error)) return { message: String(error) };
  // DatabaseError's fields (code, detail, constraint, …) are own properties; a structured clone would drop them.
  /** @type {Record<string, unknown>} */
  const fields = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === "function" || typeof value === "object") continue;
    fields[key] = value;
  }
  return fields;
}

/** Parsers for the given type ids that keep PostgreSQL's text (the only ones drizzle and preparedRows ask for). */
/** @param {number[] | undefined} ids */
function textParsers(ids) {
  if (!ids || ids.length === 0) return undefined;
  /** @type {Record<number, (value: string) => string>} */
  const parsers = {};
  for (const id of ids) parsers[id] = (value) => value;
  return parsers;
}

/** @param {number | undefined} id */
function transactionOf(id) {
  const open = id === undefined ? undefined : transactions.get(id);
  if (id !== undefined && !open) throw new Error(`transaction ${id} is not open`);
  return open;
}

/**
 * @param {PGlite} db
 * @param {any} message
 */
async function handle(db, message) {
  switch (message.op) {
    case "query": {
      const target = transactionOf(message.tx)?.tx ?? db;
      const result = await target.query(message.sql, message.params, {
        rowMode: message.rowMode,
        parsers: textParsers(message.textTypes),
      });
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case "exec": {
      const target = transactionOf(message.tx)?.tx ?? db;
      const results = await target.exec(message.sql);
      return results.map((result) => ({ rows: result.rows, fields: result.fields, affectedRows: result.affectedRows }));
    }
    case "begin": {
      // The main thread names the transaction (ids unique across restarts of this worker, so a transaction of a
      // worker that stopped can never reach one opened here); its own numbering is for older callers.
      const id = typeof message.tx === "number" ? message.tx : nextTransaction++;
      return await new Promise((resolve, reject) => {
        const done = db.transaction(
          (tx) =>
            new Promise((commit, rollback) => {
              transactions.set(id, {
                tx,
                done,
                finish: (shouldCommit) => (shouldCommit ? commit(undefined) : rollback(new Rollback())),
              });
              resolve(id);
            }),
        );
        // Failing before the callback ran (BEGIN itself): the caller hears it from here.
        done.catch((error) => {
          if (!transactions.has(id)) reject(error);
        });
      });
    }
    case "end": {
      const open = transactionOf(message.tx);
      if (!open) throw new Error("no transaction given");
      open.finish(message.commit);
      try {
        await open.done;
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      } finally {
        transactions.delete(message.tx);
      }
      return null;
    }
    case "listen": {
      const stop = await db.listen(message.channel, (payload) =>
        port.postMessage({ op: "notify", listener: message.listener, payload }),
      );
      listeners.set(message.listener, stop);
      return null;
    }
    case "unlisten": {
      const stop = listeners.get(message.listener);
      listeners.delete(message.listener);
      if (stop) await stop();
      return null;
    }
    case "copy": {
      // Written-out pages first; then no statement runs while the files are copied (PGlite writes only while one
      // does), so the copy is the database at rest. The running database's lock files (LOCK_FILES in
      // client.server.ts) are left behind. The synchronous copy is Node's fastest (about twice fs.promises.cp's
      // speed), and this thread has nothing else to do.
      await db.exec("checkpoint");
      await db.transaction(async () =>
        cpSync(config.dir, message.target, {
          recursive: true,
          errorOnExist: true,
          filter: (source) => !["postmaster.pid", "peerdesk.pid"].includes(path.basename(source)),
        }),
      );
      return null;
    }
    case "dump": {
      const blob = await db.dumpDataDir(message.compression);
      return await blob.arrayBuffer();
    }
    case "close": {
      await db.close();
      return null;
    }
    default:
      throw new Error(`unknown database worker request: ${message.op}`);
  }
}

try {
  const db = await PGlite.create(config.dir, {
    extensions: { pg_trgm },
    postgresqlconf: config.postgresqlconf,
    loadDataDir: config.snapshot ? new Blob([config.snapshot]) : undefined,
  });
  port.on("message", (message) => {
    handle(db, message).then(
      (value) => {
        const transfer = value instanceof ArrayBuffer ? [value] : [];
        port.postMessage({ id: message.id, ok: true, value }, transfer);
      },
      (error) => port.postMessage({ id: message.id, ok: false, error: serializeError(error) }),
    );
  });
  port.postMessage({ op: "ready" });
} catch (error) {
  port.postMessage({ op: "failed", error: serializeError(error) });
}
