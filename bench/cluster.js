/**
 * Several app processes behind one port, for `bench:pages -- --workers N` on PostgreSQL: node:cluster forks N copies
 * of server.js that share the listening socket (the primary hands out connections round-robin). PGlite is one process
 * per data directory, so this needs DATABASE_URL.
 *
 * Usage: WORKERS=2 node bench/cluster.js (same environment as server.js)
 */
import cluster from "node:cluster";

const workers = Math.max(1, Number(process.env.WORKERS ?? 2));

if (cluster.isPrimary) {
  if (!process.env.DATABASE_URL) {
    console.error(
      "bench/cluster.js needs DATABASE_URL: the embedded database (PGlite) can only be opened by one process.",
    );
    process.exit(1);
  }
  let stopping = false;
  // One worker at a time: the first runs the migrations before the next one starts; only the first sends mail.
  const fork = (n) =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({
        BENCH_WORKER: String(n),
        MAILER: n === 1 ? (process.env.MAILER ?? "true") : "false",
      });
      worker.once("listening", () => resolve(worker));
      worker.once("exit", (code) => {
        if (!stopping) reject(new Error(`worker ${n} exited with code ${code} before listening`));
      });
    });
  cluster.on("exit", (worker, code) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited with code ${code}; stopping the cluster`);
    stopping = true;
    for (const other of Object.values(cluster.workers ?? {})) other?.kill("SIGTERM");
    process.exitCode = 1;
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  try {
    for (let n = 1; n <= workers; n++) await fork(n);
    console.log(JSON.stringify({ level: "info", msg: "bench cluster ready", workers }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    stop();
    process.exitCode = 1;
  }
} else {
  await import("../server.js");
}
