/**
 * tsx bench/impact-page.ts [--questions N --users N --spaces N] [--requests N]: the My impact page over HTTP for the
 * busiest helper signed in, one request at a time (concurrency 1), on the pulse data set bench:impact and
 * bench:pages --pulse keep (bench/.data/pglite-pulse-v1-*; seed it with `npm run bench:impact` first). Starts the
 * production server from build/ and prints p50/p95 latency and the server's CPU time per request. It needs nothing
 * but the page itself, so the same file measures an older build for a before/after table.
 */
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "#db/client.server";
import {
  BROWSER_HEADERS,
  cpuMsOf,
  percentile,
  positiveNumberArg,
  rawRequest,
  startProductionServer,
  waitUntilIdle,
} from "./lib";
import { BENCH_PASSWORD } from "./pulse-data";
import { refreshCookie, sessionCookies } from "./sessions";

const args = process.argv.slice(2);
const numberOption = (name: string, fallback: number) => positiveNumberArg(args, name, fallback);
const sizes = {
  spaces: numberOption("spaces", 50),
  users: numberOption("users", 2000),
  questions: numberOption("questions", 100_000),
};
const requests = numberOption("requests", 60);
const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = path.resolve(`bench/.data/pglite-pulse-v1-${sizes.spaces}-${sizes.users}-${sizes.questions}`);

async function main() {
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: dataDir });
  let helper: { id: string; email: string };
  let cookie: string;
  try {
    await database.migrate();
    const [row] = (
      (await database.db.execute(sql`select u.id, u.email
        from posts q join posts a on a.id = q.accepted_answer_id join users u on u.id = a.author_id
        where q.kind = 'question' and q.deleted_at is null and a.deleted_at is null and a.author_id <> q.author_id
        group by u.id, u.email order by count(*) desc, u.email limit 1`)) as unknown as {
        rows: { id: string; email: string }[];
      }
    ).rows;
    if (!row) throw new Error("No accepted answers: seed the data set with `npm run bench:impact` first.");
    helper = row;
    const cookies = await sessionCookies(database.db, [{ email: row.email, userId: row.id }], BENCH_PASSWORD);
    cookie = cookies.get(row.email) ?? "";
  } finally {
    await database.close();
  }
  const env: Record<string, string> = databaseUrl
    ? { DATABASE_URL: databaseUrl }
    : { PGLITE_DIR: dataDir, DATABASE_URL: "" };
  // Re-rendering the seeded posts (minutes of background work) would be counted against the page, which shows none.
  env.POSTS_RERENDER = "false";
  const server = await startProductionServer(env, { startupSeconds: 300 });
  try {
    cookie = await refreshCookie(server.url, cookie);
    const get = () => rawRequest(`${server.url}/me/impact`, { headers: { ...BROWSER_HEADERS, cookie } });
    const first = await get();
    if (first.status !== 200) throw new Error(`/me/impact answered ${first.status}`);
    for (let i = 0; i < 10; i++) await get();
    await waitUntilIdle(`${server.url}/healthz`);
    // The server's start-up work (the search ranking index, statistics) runs in the background after it listens:
    // wait until it uses under 5 % of a core for two seconds, so only the page is counted.
    for (let waited = 0; waited < 300; waited += 2) {
      const before = cpuMsOf(server.child.pid);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const after = cpuMsOf(server.child.pid);
      if (before === null || after === null || after - before < 100) break;
    }
    const times: number[] = [];
    const cpuBefore = cpuMsOf(server.child.pid);
    for (let i = 0; i < requests; i++) {
      const started = performance.now();
      const response = await get();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`/me/impact answered ${response.status}`);
    }
    const cpuAfter = cpuMsOf(server.child.pid);
    times.sort((a, b) => a - b);
    const cpu = cpuBefore === null || cpuAfter === null ? "n/a" : ((cpuAfter - cpuBefore) / requests).toFixed(1);
    console.log(
      `/me/impact (${helper.email}, ${databaseUrl ? "PostgreSQL" : "PGlite"}, ${sizes.questions} questions), ${requests} requests at concurrency 1: p50 ${percentile(
        times,
        0.5,
      ).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms, server CPU ${cpu} ms/request; load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await server.stop();
  }
}

await main();
