/**
 * One production build's server on a copy of a bench data set, for the side-by-side benchmarks that compare builds
 * (bench/signed-in-question.ts, bench/anon-miss.ts): started through bench/lib.ts `startProductionServer` in the build's
 * folder, with a CPU profiler that SIGUSR2 starts and stops when `profOut` is given (bench/cpu-profile-preload.mjs).
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

export async function startBuildServer(
  appDir: string,
  dataDir: string,
  profOut: string | null,
  label: string,
  /** More flags for the server's `node` (e.g. a V8 option to try). */
  nodeFlags: readonly string[] = [],
): Promise<BuildServer> {
  const server = await startProductionServer(
    {
      PGLITE_DIR: dataDir,
      DATABASE_URL: "",
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
