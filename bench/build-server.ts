/**
 * One production build's server on a copy of a bench data set (or on a PostgreSQL database), for the side-by-side
 * benchmarks that compare builds (bench/signed-in-question.ts, bench/anon-miss.ts): started through bench/lib.ts
 * `startProductionServer` in the build's folder, with a CPU profiler that SIGUSR2 starts and stops when `profOut` is
 * given (bench/cpu-profile-preload.mjs).
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startProductionServer } from "./lib";

export type BuildServer = {
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
  /** Starts or stops the preloaded profiler; stopping waits for its file. */
  toggleProfile: (stopping: boolean) => Promise<void>;
};

let started = 0;

/** Where a bench server's data is: a PGlite folder (a scratch copy), or a PostgreSQL server. */
export type BenchDatabase = { pgliteDir: string } | { databaseUrl: string };

/** The environment that points a server at `database`. */
export function databaseEnv(database: BenchDatabase): Record<string, string> {
  return "databaseUrl" in database
    ? { DATABASE_URL: database.databaseUrl }
    : { PGLITE_DIR: database.pgliteDir, DATABASE_URL: "" };
}

export async function startBuildServer(
  appDir: string,
  database: BenchDatabase,
  profOut: string | null,
  label: string,
  /** More flags for the server's `node` (e.g. a V8 option to try). */
  nodeFlags: readonly string[] = [],
): Promise<BuildServer> {
  const server = await startProductionServer(
    {
      ...databaseEnv(database),
      PROF_OUT: profOut ?? "",
      // Builds from before stored posts were re-rendered at start ignore it; later ones must not do it mid-measurement.
      POSTS_RERENDER: "false",
    },
    {
      cwd: appDir,
      nodeArgs: [...nodeFlags, ...(profOut ? ["--import", path.resolve("bench/cpu-profile-preload.mjs")] : [])],
      logFile: path.join(os.tmpdir(), `${label}-${process.pid}-${started++}.log`),
      startupSeconds: 180,
    },
  );
  let profiles = 0;
  const toggleProfile = async (stopping: boolean) => {
    server.child.kill("SIGUSR2");
    if (!stopping) return;
    const file = `${profOut}-${profiles++}.cpuprofile`;
    while (!existsSync(file)) await new Promise((r) => setTimeout(r, 100));
  };
  return { url: server.url, pid: server.child.pid, stop: server.stop, toggleProfile };
}
