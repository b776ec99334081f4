/**
 * Small pieces shared by benchmarks: free ports, the production server and the plain reference server
 * (each in its own process), raw HTTP fetches and autocannon runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import autocannon from "autocannon";

/** The operators' progress bar (scripts/progress.ts), used by the benchmarks' data sets too. */
export { progressBar } from "../scripts/progress";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port")),
      );
    });
  });
}

/** The secret this run's servers get (fresh per run): the bench makes session cookies with it (see sessions.ts). */
export const BENCH_AUTH_SECRET = randomBytes(32).toString("hex");

/** What a browser sends: the app compresses (or serves its stored compressed copy), as it would for a reader. */
export const BROWSER_HEADERS = {
  "accept-encoding": "gzip, deflate, br",
  accept: "text/html,application/xhtml+xml,*/*;q=0.8",
} as const;

/** User + system CPU ms in a /proc `stat` file (a process's, or one thread's under task/); USER_HZ is 100 on Linux. */
function statCpuMs(statPath: string): number {
  const fields = readFileSync(statPath, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time (ms, user + system) used so far by a process's main thread alone: the one that runs the app's JavaScript
 * (requests, rendering), without its database worker thread, libuv's pool (compression) or V8's helper threads (garbage
 * collection). One thread can give at most 1,000 ms a second, so this bounds a single process's requests per second.
 * Under node:cluster it is the primary's thread only, which renders nothing.
 */
export function mainThreadCpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
  } catch {
    return null;
  }
}

/**
 * CPU time (ms, user + system) used so far by a process and its live children (the app's workers under node:cluster),
 * from /proc: null where there is none (not Linux) or the process is gone.
 */
export function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
    return statCpuMs(`/proc/${pid}/stat`) + children.reduce((sum, child) => sum + statCpuMs(`/proc/${child}/stat`), 0);
  } catch {
    return null;
  }
}

/** `output` is the end of what the server printed so far (shown when it dies in the middle of a run). */
export type Server = { url: string; child: ChildProcess; output: () => string; stop: () => Promise<void> };

/** The last `bytes` of a file: the server's log can grow to many megabytes with one line per request. */
function tail(file: string, bytes = 8000): string {
  if (!existsSync(file)) return "";
  const size = statSync(file).size;
  const length = Math.min(size, bytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/**
 * Starts the production server (`node server.js`, or `script`, e.g. the cluster launcher) with the given environment
 * and waits for /healthz. Request logging stays as in production (LOG_REQUESTS unset: on); the server writes its log to
 * `logFile` rather than through a pipe into this process, so reading it costs the load generator nothing. A big data set
 * needs a longer `startupSeconds`: the app refreshes the database statistics before it listens.
 */
export async function startProductionServer(
  env: Record<string, string>,
  {
    startupSeconds = 60,
    script = "server.js",
    logFile = "bench/.data/server.log",
    cwd = ".",
    nodeArgs = [],
  }: { startupSeconds?: number; script?: string; logFile?: string; cwd?: string; nodeArgs?: string[] } = {},
): Promise<Server> {
  if (!existsSync(path.join(cwd, "build/index.js")))
    throw new Error(`No build in ${cwd}: run \`npm run build\` first (or pass --build).`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, "w");
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      SEED_DEMO: "false",
      BETTER_AUTH_SECRET: BENCH_AUTH_SECRET,
      // A scheduled backup of the embedded database would pause its reads mid-measurement.
      BACKUP_HOURS: "0",
      ...env,
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const output = () => tail(logFile);
  const deadline = Date.now() + startupSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`server not healthy after ${startupSeconds} s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output, stop: () => stopChild(child, 10_000) };
}

/** A response exactly as sent: status, headers and the body bytes before any decompression. */
export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export function rawRequest(
  url: string,
  { method = "GET", headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** The body as text, undoing the content encoding. */
export function decodedBody(response: RawResponse): Buffer {
  const encoding = String(response.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "gzip") return gunzipSync(response.body);
  if (encoding === "br") return brotliDecompressSync(response.body);
  if (encoding === "deflate") return inflateSync(response.body);
  return response.body;
}

/** Headers that belong to one connection or one moment, not to the response the reference server repeats. */
const NOT_REPEATED = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "set-cookie"]);

export type ReferencePage = { path: string; response: RawResponse };
export type ReferenceServer = { url: string; stop: () => Promise<void> };

/**
 * Starts bench/reference-server.js in its own process, answering each `path` with the captured response's bytes and
 * headers (without hop-by-hop headers and cookies). Its load comes from this process, like the app's.
 */
export async function startReferenceServer(
  pages: ReferencePage[],
  dir = "bench/.data/reference",
): Promise<ReferenceServer> {
  mkdirSync(dir, { recursive: true });
  const manifest: Record<string, { file: string; headers: Record<string, string> }> = {};
  pages.forEach((page, i) => {
    const file = path.resolve(dir, `${i}.body`);
    writeFileSync(file, page.response.body);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(page.response.headers)) {
      if (value === undefined || NOT_REPEATED.has(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    manifest[page.path] = { file, headers };
  });
  const manifestFile = path.resolve(dir, "manifest.json");
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const child = spawn(process.execPath, ["bench/reference-server.js", manifestFile], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (c: Buffer) => {
      text += c.toString();
      const line = text.split("\n")[0] ?? "";
      if (text.includes("\n")) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => reject(new Error(`reference server exited with code ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

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

export type LoadResult = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Responses by their X-Cache header ("none" when absent). */
  xCache: Record<string, number>;
  /** The server's CPU time per answered request over the measured run (Linux; when the caller named its process). */
  cpuMsPerRequest?: number | null;
  /** Of that, the main thread's alone (see mainThreadCpuMsOf). */
  mainThreadMsPerRequest?: number | null;
};

/** One kind of request in a load: `next` gives each request's method, path, headers and body. */
export type RequestPlan = () => {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

/**
 * Runs autocannon against `base` for `seconds` at `connections`; `plan` chooses every request. X-Cache and status
 * codes are counted from the responses themselves. `timeout` (s) is how long a request may take before it counts as a
 * time-out (and an error).
 */
export async function load(
  base: string,
  {
    connections,
    seconds,
    plan,
    timeout = 10,
  }: { connections: number; seconds: number; plan: RequestPlan; timeout?: number },
): Promise<LoadResult> {
  const xCache: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout,
    requests: [
      {
        setupRequest: (request) => {
          const next = plan();
          return {
            ...request,
            method: next.method ?? "GET",
            path: next.path,
            headers: { ...request.headers, ...next.headers },
            body: next.body ?? "",
          };
        },
        onResponse: (status, _body, _context, headers) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "x-cache");
          const value = entry ? String(entry[1]).toLowerCase() : "none";
          xCache[value] = (xCache[value] ?? 0) + 1;
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    requests: result.requests.total,
    statuses,
    xCache,
  };
}

/**
 * Loads one page: a one-second warm-up (JIT and caches in their steady state), then the counted run; `settle` (e.g.
 * waitUntilIdle) runs before each, so neither starts behind a backlog. `plan` defaults to GET `path` with `headers`.
 */
export async function measure(
  base: string,
  {
    path: pagePath,
    connections,
    seconds,
    headers,
    settle,
    plan,
    serverPid,
  }: {
    path: string;
    connections: number;
    seconds: number;
    headers?: Record<string, string>;
    settle?: () => Promise<unknown>;
    plan?: RequestPlan;
    /** The server's process, to report its CPU time per request. */
    serverPid?: number;
  },
): Promise<LoadResult> {
  const requests = plan ?? (() => ({ path: pagePath, headers }));
  await settle?.();
  await load(base, { connections, seconds: 1, plan: requests });
  await settle?.();
  const cpuBefore = cpuMsOf(serverPid);
  const mainBefore = mainThreadCpuMsOf(serverPid);
  const result = await load(base, { connections, seconds, plan: requests });
  const cpuAfter = cpuMsOf(serverPid);
  const mainAfter = mainThreadCpuMsOf(serverPid);
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null || result.requests === 0
      ? null
      : Math.round(((after - before) / result.requests) * 10) / 10;
  return {
    ...result,
    cpuMsPerRequest: perRequest(cpuBefore, cpuAfter),
    mainThreadMsPerRequest: perRequest(mainBefore, mainAfter),
  };
}

/** Every value a command line gives for `--name` (as `--name value` or `--name=value`), in order. */
export function argValues(args: string[], name: string): string[] {
  const found: string[] = [];
  args.forEach((arg, i) => {
    if (arg === `--${name}`) found.push(args[i + 1] ?? "");
    else if (arg.startsWith(`--${name}=`)) found.push(arg.slice(name.length + 3));
  });
  return found;
}

/** A positive number given as `--name N` (or `--name=N`), else `fallback`. */
export function positiveNumberArg(args: string[], name: string, fallback: number): number {
  const [raw] = argValues(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got ${raw}).`);
  return value;
}

/** The value at fraction `p` (0–1) of an ascending list: the element at floor(length × p); NaN for an empty list. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}
