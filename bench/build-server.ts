/**
 * One production build's server on a copy of a bench data set, for the side-by-side benchmarks that compare builds
 * (bench/signed-in-question.ts, bench/anon-miss.ts): started on a free port, healthy before it is measured, with a CPU
 * profiler that SIGUSR2 starts and stops when `profOut` is given (bench/cpu-profile-preload.mjs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_AUTH_SECRET, freePort } from "./lib";

export type BuildServer = {
  url: string;
  pid: number | undefined;
  stop: () => Promise<void>;
  /** Starts or stops the preloaded profiler; stopping waits for its file. */
  toggleProfile: (stopping: boolean) => Promise<void>;
};

export async function startBuildServer(
  appDir: string,
  dataDir: string,
  profOut: string | null,
  label: string,
): Promise<BuildServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(os.tmpdir(), `${label}-${port}.log`);
  const log = openSync(logFile, "w");
  const child: ChildProcess = spawn(
    process.execPath,
    [...(profOut ? ["--import", path.resolve("bench/cpu-profile-preload.mjs")] : []), "server.js"],
    {
      cwd: appDir,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        APP_URL: url,
        SEED_DEMO: "false",
        BETTER_AUTH_SECRET: BENCH_AUTH_SECRET,
        PGLITE_DIR: dataDir,
        DATABASE_URL: "",
        PROF_OUT: profOut ?? "",
        // Builds from before stored posts were re-rendered at start ignore it; later ones must not do it mid-measurement.
        POSTS_RERENDER: "false",
      },
      stdio: ["ignore", log, log],
    },
  );
  closeSync(log);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server in ${appDir} exited (${child.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server in ${appDir} not healthy; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  let profiles = 0;
  const toggleProfile = async (stopping: boolean) => {
    child.kill("SIGUSR2");
    if (!stopping) return;
    const file = `${profOut}-${profiles++}.cpuprofile`;
    while (!existsSync(file)) await new Promise((r) => setTimeout(r, 100));
  };
  return { url, pid: child.pid, stop, toggleProfile };
}
