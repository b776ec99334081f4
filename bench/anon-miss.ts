/**
 * npx tsx bench/anon-miss.ts [options]: measures signed-out readers the page cache cannot serve (a unique `_bench`
 * query parameter per request, as bench:pages does: X-Cache: miss) on the question page with the most answers, the
 * first how-to and the home page, for one or more builds side by side in one run, on a copy of the bench:pages data
 * set: req/s, p50, p99 and the server's CPU ms per request. Each build is served by its own `node server.js` started in
 * its directory (a directory holding build/, public/, db/ and server.js; default: this checkout), one after the other
 * on the same data. Options:
 *   --data DIR        the PGlite data set (copied to a scratch directory first; default the bench:pages one)
 *   --app DIR         a build to measure (repeatable; default .)
 *   --seconds S       seconds per measured run (default 4)
 *   --rounds N        measure every build N times, alternating (default 1)
 *   --conc N          concurrency (repeatable; default 1)
 *   --page NAME       question, how-to or home (repeatable; default all three)
 *   --prof DIR        write a V8 CPU profile of each run into DIR (bench/cpu-profile-preload.mjs)
 */
import { cpSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "#db/client.server";
import { startBuildServer } from "./build-server";
import { argValues, BROWSER_HEADERS, measure, rawRequest, waitUntilIdle } from "./lib";

const args = process.argv.slice(2);
const options = (name: string) => argValues(args, name);
const dataSource = path.resolve(options("data")[0] ?? "bench/.data/pglite-v2-50-2000-20000");
const apps = (options("app").length > 0 ? options("app") : ["."]).map((dir) => path.resolve(dir));
const seconds = Number(options("seconds")[0] ?? 4);
const rounds = Number(options("rounds")[0] ?? 1);
const concurrencies = options("conc").length > 0 ? options("conc").map(Number) : [1];
const wantedPages = options("page").length > 0 ? options("page") : ["question", "how-to", "home"];
const profDir = options("prof")[0] ? path.resolve(options("prof")[0] ?? "") : null;

/** The pages bench:pages measures under these names (same choice of question and how-to). */
async function resolvePages(dataDir: string): Promise<{ name: string; path: string }[]> {
  const database = await openDatabase({ pgliteDir: dataDir });
  try {
    const rows = async <T>(query: ReturnType<typeof sql>) =>
      ((await database.db.execute(query)) as unknown as { rows: T[] }).rows;
    const [question] = await rows<{ id: number }>(
      sql`select id from posts where kind = 'question' order by answer_count desc limit 1`,
    );
    const [howto] = await rows<{ id: number }>(sql`select id from posts where kind = 'howto' order by id limit 1`);
    const all = [
      { name: "question", path: `/q/${question?.id ?? 1}` },
      { name: "how-to", path: `/howtos/${howto?.id ?? 1}` },
      { name: "home", path: "/" },
    ];
    return all.filter((p) => wantedPages.includes(p.name));
  } finally {
    await database.close();
  }
}

function startServer(appDir: string, dataDir: string, profOut: string | null) {
  return startBuildServer(appDir, { pgliteDir: dataDir }, profOut, "anon-miss");
}

const scratch = path.resolve("bench/.data/anon-miss");
rmSync(scratch, { recursive: true, force: true });
cpSync(dataSource, scratch, { recursive: true });
const pages = await resolvePages(scratch);
if (profDir) mkdirSync(profDir, { recursive: true });

const lines: string[] = [];
const run = `${process.pid}-${Date.now().toString(36)}`;
let n = 0;
for (let round = 0; round < rounds; round++) {
  for (const appDir of apps) {
    const name = path.basename(appDir) || appDir;
    const server = await startServer(appDir, scratch, profDir ? path.join(profDir, `${name}-r${round}`) : null);
    try {
      for (const page of pages) {
        const unique = () => `${page.path}?_bench=${run}-${++n}`;
        // Warm the process (JIT, the first queries) on this page before measuring, as a long-running server is.
        for (let i = 0; i < 20; i++) {
          const sent = await rawRequest(server.url + unique(), { headers: { ...BROWSER_HEADERS } });
          if (sent.status !== 200) throw new Error(`${page.path} answered ${sent.status}`);
          if (i === 0 && String(sent.headers["x-cache"]) !== "miss")
            throw new Error(`${page.path}: expected X-Cache: miss, got ${String(sent.headers["x-cache"])}`);
        }
        for (const connections of concurrencies) {
          if (profDir) await server.toggleProfile(false);
          const result = await measure(server.url, {
            path: page.path,
            connections,
            seconds,
            serverPid: server.pid,
            settle: () => waitUntilIdle(`${server.url}/healthz`),
            plan: () => ({ path: unique(), headers: { ...BROWSER_HEADERS } }),
          });
          if (profDir) await server.toggleProfile(true);
          lines.push(
            [
              name,
              page.name,
              connections,
              result.requestsPerSecond,
              result.p50,
              result.p99,
              result.cpuMsPerRequest ?? "-",
              result.non2xx + result.errors,
            ].join("\t"),
          );
          console.error(lines.at(-1));
        }
      }
    } finally {
      await server.stop();
    }
  }
}
console.log(
  `anonymous cache misses, ${seconds} s per run; load: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(["app", "page", "conc", "req/s", "p50", "p99", "CPU ms", "bad"].join("\t"));
for (const line of lines) console.log(line);
