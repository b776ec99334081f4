/**
 * npx tsx bench/signed-in-question.ts [options]: measures one question page for signed-in readers only (the asker and
 * someone else), for one or more builds side by side in one run, on a copy of the bench:pages data set: req/s, p50,
 * p99, the server's CPU ms per request, the compressed bytes sent and the HTML's size. Each build is served by its own `node server.js`
 * started in its directory (a directory holding build/, public/, db/ and server.js; default: this checkout), one after
 * the other on the same data. "CPU ms" is all of the server's threads per request, "main ms" its main thread's alone
 * (the rest is the database worker, compression in libuv's pool and V8's garbage-collection helpers). Options:
 *   --data DIR        the PGlite data set (copied to a scratch directory first; default the bench:pages one); with
 *                     DATABASE_URL set, the servers use that PostgreSQL database instead (seeded by bench:pages with
 *                     the same DATABASE_URL), and the run signs the readers in there
 *   --app DIR         a build to measure (repeatable; default .)
 *   --seconds S       seconds per measured run (default 4)
 *   --rounds N        measure every build N times, alternating (default 1)
 *   --encoding E      the Accept-Encoding sent (default "gzip, deflate, br", as browsers; "identity": no compression)
 *   --node-flag F     a flag for each server's node (repeatable; e.g. --node-flag=--single-threaded-gc)
 *   --prof DIR        write a V8 CPU profile of each concurrency-1 run into DIR (bench/cpu-profile-preload.mjs), and
 *                     with --floor those of each floor server's whole life (a folder each; a file per thread)
 *   --path /q/N       the page (default: the question with the most answers); /howtos/N works too, and so does any
 *                     other page (e.g. /help/trust-levels, /healthz: what a signed-in request costs before its page's
 *                     own work), read by the busiest question's asker (labelled "member") and someone else
 *   --floor           also measure, each round, the floor under the page (bench/floor-server.ts: no Express, Remix
 *                     request pipeline or React, but compression and a log line, answering with the first build's HTML
 *                     for each reader): with the app's loaders and the page data's encoding ("floor + loaders"), with
 *                     the loaders' reads only ("floor") and with none ("floor, no reads"); a question page only
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "#db/client.server";
import { type BenchDatabase, type BuildServer, databaseEnv, startBuildServer } from "./build-server";
import {
  argValues,
  BROWSER_HEADERS,
  decodedBody,
  measure,
  rawRequest,
  startProductionServer,
  waitUntilIdle,
} from "./lib";
import { BENCH_PASSWORD } from "./pulse-data";
import { refreshCookie, sessionCookies } from "./sessions";

const args = process.argv.slice(2);
const options = (name: string) => argValues(args, name);
const dataSource = path.resolve(options("data")[0] ?? "bench/.data/pglite-v2-50-2000-20000");
const databaseUrl = process.env.DATABASE_URL || undefined;
const apps = (options("app").length > 0 ? options("app") : ["."]).map((dir) => path.resolve(dir));
const seconds = Number(options("seconds")[0] ?? 4);
const rounds = Number(options("rounds")[0] ?? 1);
const profDir = options("prof")[0] ? path.resolve(options("prof")[0] ?? "") : null;
const headers = { ...BROWSER_HEADERS, "accept-encoding": options("encoding")[0] ?? BROWSER_HEADERS["accept-encoding"] };
const nodeFlags = options("node-flag");
const floor = args.includes("--floor");

type Reader = { label: string; email: string; userId: string };

async function prepare(
  target: BenchDatabase,
): Promise<{ pagePath: string; readers: Reader[]; cookies: Map<string, string> }> {
  const database = await openDatabase(target);
  try {
    const db = database.db;
    const rows = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)) as unknown as { rows: T[] };
    const wanted = options("path")[0];
    const postId = wanted?.match(/^\/(?:q|howtos)\/(\d+)/)?.[1];
    const question = postId
      ? (
          await rows<{ id: number; author_id: string }>(
            sql`select id, author_id from posts where id = ${Number(postId)}`,
          )
        ).rows[0]
      : (
          await rows<{ id: number; author_id: string }>(
            sql`select id, author_id from posts where kind = 'question' order by answer_count desc limit 1`,
          )
        ).rows[0];
    if (!question) throw new Error("No question in the data set.");
    const people = (
      await rows<{ id: string; email: string }>(
        sql`select id, email from users where id = ${question.author_id}
            or email = (select min(email) from users where id <> ${question.author_id} and email like 'member%' and banned is not true)`,
      )
    ).rows;
    const readers = people
      .map((p) => ({
        label: p.id === question.author_id ? (wanted && !postId ? "member" : "asker") : "other",
        email: p.email,
        userId: p.id,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
    // The first person is signed in through the password endpoint: use someone whose password is the bench one.
    const cookies = await sessionCookies(
      db,
      [{ email: "member1@bench.test", userId: "" }, ...readers].filter(
        (p, i, all) => all.findIndex((q) => q.email === p.email) === i,
      ),
      BENCH_PASSWORD,
    );
    await db.execute(sql`delete from write_limits`);
    // --path keeps its page (a how-to's address, any other page too); by default the busiest question's.
    return { pagePath: wanted ?? `/q/${question.id}`, readers, cookies };
  } finally {
    await database.close();
  }
}

function startServer(appDir: string, target: BenchDatabase, profOut: string | null) {
  return startBuildServer(appDir, target, profOut, "signed-in-question", nodeFlags);
}

/** What the floor server does per request (see bench/floor-server.ts), and its label in the table. */
const FLOOR_MODES = { loaders: "floor + loaders", reads: "floor", none: "floor, no reads" } as const;
type FloorMode = keyof typeof FLOOR_MODES;

/** The floor server (bench/floor-server.ts) in this checkout, on the same data, answering with `pagesFile`'s bodies. */
async function startFloorServer(
  target: BenchDatabase,
  pagesFile: string,
  mode: FloorMode,
  profOut: string | null,
): Promise<BuildServer> {
  const server = await startProductionServer(
    {
      ...databaseEnv(target),
      POSTS_RERENDER: "false",
      FLOOR_PAGES: pagesFile,
      FLOOR_MODE: mode,
    },
    {
      script: "bench/floor-server.ts",
      // With --prof, profiles of the floor server's whole life (all its runs), written when it stops.
      nodeArgs: [...nodeFlags, ...(profOut ? ["--cpu-prof", `--cpu-prof-dir=${profOut}`] : []), "--import", "tsx"],
      logFile: path.join(os.tmpdir(), `signed-in-floor-${process.pid}-${mode}.log`),
      startupSeconds: 180,
    },
  );
  return { url: server.url, pid: server.child.pid, stop: server.stop, toggleProfile: async () => {} };
}

/** Headers of the app's page that the floor server sends again (not those about this one response's bytes). */
const RESPONSE_ONLY = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "set-cookie",
]);

/** Each reader's page as the app renders it, uncompressed, written for the floor server; returns the manifest file. */
async function capturePages(base: string, readerCookies: Map<Reader, string>): Promise<string> {
  const manifest: Record<string, { file: string; headers: Record<string, string>; cookie: string }> = {};
  for (const [reader, cookie] of readerCookies) {
    const sent = await rawRequest(base + pagePath, {
      headers: { cookie, ...BROWSER_HEADERS, "accept-encoding": "identity" },
    });
    if (sent.status !== 200) throw new Error(`${pagePath} answered ${sent.status} for ${reader.label}`);
    const file = path.join(scratchPages, `${reader.userId}.html`);
    writeFileSync(file, sent.body);
    const kept = Object.entries(sent.headers).filter(([name]) => !RESPONSE_ONLY.has(name));
    const pageHeaders = Object.fromEntries(kept.map(([name, value]) => [name, String(value)]));
    manifest[reader.userId] = { file, headers: pageHeaders, cookie };
  }
  const manifestFile = path.join(scratchPages, "pages.json");
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return manifestFile;
}

/** Measures `server` for every reader at concurrency 1 and 20, adding a table line per run. */
async function measureReaders(
  name: string,
  server: BuildServer,
  readerCookies: Map<Reader, string>,
  profiling: boolean,
) {
  for (const [reader, cookie] of readerCookies) {
    const sent = await rawRequest(server.url + pagePath, { headers: { cookie, ...headers } });
    if (sent.status !== 200) throw new Error(`${pagePath} answered ${sent.status} for ${reader.label} (${name})`);
    for (const connections of [1, 20]) {
      const profiled = profiling && connections === 1;
      if (profiled) await server.toggleProfile(false);
      const result = await measure(server.url, {
        path: pagePath,
        connections,
        seconds,
        serverPid: server.pid,
        settle: () => waitUntilIdle(`${server.url}/healthz`),
        plan: () => ({ path: pagePath, headers: { cookie, ...headers } }),
      });
      if (profiled) await server.toggleProfile(true);
      lines.push(
        [
          name,
          reader.label,
          connections,
          result.requestsPerSecond,
          result.p50,
          result.p99,
          result.cpuMsPerRequest ?? "-",
          result.mainThreadMsPerRequest ?? "-",
          (sent.body.length / 1024).toFixed(1),
          (decodedBody(sent).length / 1024).toFixed(1),
          result.non2xx + result.errors,
        ].join("\t"),
      );
      console.error(lines.at(-1));
    }
  }
}

const scratch = path.resolve("bench/.data/signed-in-question");
const scratchPages = path.resolve("bench/.data/signed-in-question-pages");
rmSync(scratch, { recursive: true, force: true });
rmSync(scratchPages, { recursive: true, force: true });
if (!databaseUrl) cpSync(dataSource, scratch, { recursive: true });
mkdirSync(scratchPages, { recursive: true });
const target: BenchDatabase = databaseUrl ? { databaseUrl } : { pgliteDir: scratch };
const { pagePath, readers, cookies } = await prepare(target);
if (profDir) mkdirSync(profDir, { recursive: true });
if (floor && !/^\/q\/\d+/.test(pagePath)) throw new Error("--floor measures a question page (/q/N) only.");

const lines: string[] = [];
let floorPages: { file: string; cookies: Map<Reader, string> } | null = null;
for (let round = 0; round < rounds; round++) {
  for (const appDir of apps) {
    const name = path.basename(appDir) || appDir;
    const server = await startServer(appDir, target, profDir ? path.join(profDir, `${name}-r${round}`) : null);
    try {
      const readerCookies = new Map<Reader, string>();
      for (const reader of readers) {
        readerCookies.set(reader, await refreshCookie(server.url, cookies.get(reader.email) ?? ""));
      }
      // The floor answers with the first build's pages, as that build rendered them for each reader.
      if (floor && floorPages === null)
        floorPages = { file: await capturePages(server.url, readerCookies), cookies: readerCookies };
      await measureReaders(name, server, readerCookies, profDir !== null);
    } finally {
      await server.stop();
    }
  }
  if (floorPages) {
    for (const [mode, label] of Object.entries(FLOOR_MODES) as [FloorMode, string][]) {
      // A folder per server: Node writes a profile for each of its threads (the main thread's has thread id 0).
      const profOut = profDir ? path.join(profDir, `floor-${mode}-r${round}`) : null;
      const server = await startFloorServer(target, floorPages.file, mode, profOut);
      try {
        await measureReaders(label, server, floorPages.cookies, false);
      } finally {
        await server.stop();
      }
    }
  }
}
const databaseLabel = databaseUrl
  ? "PostgreSQL (DATABASE_URL; CPU ms counts the app's process, not the database's)"
  : "PGlite";
console.log(
  `${pagePath} on ${databaseLabel}, ${seconds} s per run; load: ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")}`,
);
console.log(
  ["app", "reader", "conc", "req/s", "p50", "p99", "CPU ms", "main ms", "KB sent", "KB HTML", "bad"].join("\t"),
);
for (const line of lines) console.log(line);
