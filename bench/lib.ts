/** Small pieces shared by benchmarks: a progress bar, free ports, starting the production server, autocannon runs. */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import autocannon from "autocannon";

/** A one-line progress bar on stderr: [#####.....] 45% 9,000/20,000 posts 3.2s */
export function progressBar(label: string, total: number) {
  const started = Date.now();
  let last = 0;
  const draw = (done: number, force = false) => {
    const now = Date.now();
    if (!force && now - last < 100 && done < total) return;
    last = now;
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const text = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done.toLocaleString("en")}/${total.toLocaleString("en")} ${label} ${((now - started) / 1000).toFixed(1)}s`;
    process.stderr.write(`\r${text}`);
  };
  return {
    update: (done: number) => draw(done),
    finish: () => {
      draw(total, true);
      process.stderr.write("\n");
      return (Date.now() - started) / 1000;
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** `output` is what the server printed so far (shown when it dies in the middle of a run). */
export type Server = { url: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };

/**
 * Starts `node server.js` (production build) with the given environment and waits for /healthz. A big data set needs a
 * longer `startupSeconds`: the app refreshes the database statistics before it listens.
 */
export async function startProductionServer(env: Record<string, string>, { startupSeconds = 60 }: { startupSeconds?: number } = {}): Promise<Server> {
  if (!existsSync("build/index.js")) throw new Error("No build: run `npm run build` first (or pass --build).");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", APP_URL: url, SEED_DEMO: "false", LOG_REQUESTS: "false", BETTER_AUTH_SECRET: "b".repeat(64), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + startupSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not healthy after ${startupSeconds} s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  return { url, child, output: () => output, stop };
}

export type LoadResult = { requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; requests: number };

/**
 * Resolves once `url` answers within 100 ms: the server has worked off the requests an earlier run abandoned when it
 * stopped (an app on one embedded database keeps answering them one after another). Returns the seconds waited.
 */
export async function waitUntilIdle(url: string, maxSeconds = 300): Promise<number> {
  const started = performance.now();
  for (;;) {
    const sent = performance.now();
    await fetch(url)
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
    if (performance.now() - sent < 100) return (performance.now() - started) / 1000;
    if (performance.now() - started > maxSeconds * 1000) throw new Error(`${url} was still slow after ${maxSeconds} s`);
  }
}

/**
 * Loads `url` with autocannon; `headers` go with every request (a session cookie for private pages), and `settle`
 * (e.g. waitUntilIdle) runs before the warm-up and before the counted run, so neither starts behind a backlog.
 */
export async function measure(
  url: string,
  { connections, seconds, headers, settle }: { connections: number; seconds: number; headers?: Record<string, string>; settle?: () => Promise<unknown> },
): Promise<LoadResult> {
  // A short warm-up so JIT and caches are in their steady state before counting.
  await settle?.();
  await autocannon({ url, connections, duration: 1, headers });
  await settle?.();
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    requests: result.requests.total,
  };
}
