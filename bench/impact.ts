/**
 * npm run bench:impact [-- options]: My impact for the busiest helper on the service pulse data set (bench/pulse-data.ts),
 * in this process: getImpact next to the from-scratch computation (the statement the page ran before its summary table,
 * tests/fixtures/impact-from-scratch.ts), the two results compared figure by figure, timed side by side in one run
 * (p50/p95 over --runs calls each), with EXPLAIN ANALYZE on request. The page itself over HTTP is measured by
 * `npm run bench:pages -- --pulse` (my-impact row). Options:
 *   --questions N --users N --spaces N   data set size (default 100,000 / 2,000 / 50, as bench:pages --pulse)
 *   --runs N                             timed calls of each (default 30)
 *   --explain                            print EXPLAIN ANALYZE of getImpact's statements
 * The data set is the one bench:pages --pulse keeps (bench/.data/pglite-pulse-v1-*): seeded here when absent (with the
 * question facts and search index bench:pages expects), reused otherwise.
 */
import { isDeepStrictEqual } from "node:util";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { sql } from "drizzle-orm";
import { type Db, openDatabase, queryRows } from "#db/client.server";
import { getImpact, impactStatement } from "~/models/impact.server";
import { needsFactsRebuild, rebuildQuestionFacts } from "~/models/pulse.server";
import { countSearchablePosts } from "~/search/documents.server";
import { reindexAll } from "~/search/engine.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { impactFromScratch } from "../tests/fixtures/impact-from-scratch";
import { progressBar } from "./lib";
import { BENCH_PASSWORD, moveDatesToNow, seedPulse } from "./pulse-data";

const args = process.argv.slice(2);
function numberOption(name: string, fallback: number): number {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const arg = args[at] ?? "";
  const value = Number(arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[at + 1]);
  if (!Number.isFinite(value) || value < 1) throw new Error(`--${name} must be a positive number`);
  return value;
}
const sizes = {
  spaces: numberOption("spaces", 50),
  users: numberOption("users", 2000),
  questions: numberOption("questions", 100_000),
};
const runs = numberOption("runs", 30);
const explain = args.includes("--explain");
const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = path.resolve(`bench/.data/pglite-pulse-v1-${sizes.spaces}-${sizes.users}-${sizes.questions}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const result = { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
  console.log(
    `${label.padEnd(28)} p50 ${result.p50.toFixed(1).padStart(7)} ms   p95 ${result.p95.toFixed(1).padStart(7)} ms`,
  );
  return result;
}

async function seedIfEmpty(database: Awaited<ReturnType<typeof openDatabase>>) {
  const db = database.db;
  const [existing] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from posts`);
  if ((existing?.n ?? 0) > 0) {
    const moved = await moveDatesToNow(db);
    if (moved > 0) {
      await database.maintain();
      console.error(`Moved the data set's dates forward by ${moved.toFixed(1)} days.`);
    }
    return;
  }
  console.error(`Seeding ${sizes.spaces} spaces, ${sizes.users} people, ${sizes.questions} questions…`);
  const started = performance.now();
  console.error(JSON.stringify(await seedPulse(db, sizes, await hashPassword(BENCH_PASSWORD))));
  await database.maintain();
  console.error(`Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (await needsFactsRebuild(db)) {
    const bar = progressBar("question facts", sizes.questions);
    await rebuildQuestionFacts(db, (done, total) => bar.update(Math.min(done, total)));
    bar.finish();
  }
  const search = createPostgresSearch(db);
  const bar = progressBar("search documents", await countSearchablePosts(db));
  await reindexAll(db, search, (indexed) => bar.update(indexed));
  bar.finish();
  await database.maintain();
}

/** The busiest helper, chosen as bench:pages does: the most accepted answers on other people's questions. */
async function busiestHelper(db: Db): Promise<{ id: string; email: string; accepted: number }> {
  const [row] = await queryRows<{ id: string; email: string; accepted: number }>(
    db,
    sql`select u.id, u.email, count(*)::int as accepted
      from posts q join posts a on a.id = q.accepted_answer_id join users u on u.id = a.author_id
      where q.kind = 'question' and q.deleted_at is null and a.deleted_at is null and a.author_id <> q.author_id
      group by u.id, u.email order by count(*) desc, u.email limit 1`,
  );
  if (!row) throw new Error("No accepted answers in the data set.");
  return row;
}

async function main() {
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: dataDir });
  try {
    const migrateStarted = performance.now();
    await database.migrate();
    console.error(`Migrations: ${((performance.now() - migrateStarted) / 1000).toFixed(1)} s`);
    await seedIfEmpty(database);
    // As the server does before it listens (PGlite runs no autovacuum): fresh statistics and visibility map.
    await database.maintain();
    const db = database.db;
    const helper = await busiestHelper(db);
    const [counts] = await queryRows<Record<string, number>>(
      db,
      sql`select (select count(*) from posts where kind = 'question')::int as questions, (select count(*) from posts)::int as posts,
        (select count(*) from posts where author_id = ${helper.id} and kind = 'answer')::int as helper_answers`,
    );
    console.log(
      `My impact, ${database.kind}: ${sizes.spaces} spaces, ${sizes.users} people, ${counts?.questions} questions (${counts?.posts} posts); busiest helper ${helper.email}: ${counts?.helper_answers} answers, ${helper.accepted} accepted; ${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    const now = new Date();
    const fast = await getImpact(db, helper.id, now);
    const slow = await impactFromScratch(db, helper.id, now);
    const same = isDeepStrictEqual(fast, slow);
    console.log(`getImpact equals the from-scratch computation: ${same ? "yes" : "NO"}`);
    if (!same) console.log(JSON.stringify({ getImpact: fast, fromScratch: slow }, null, 1));
    // Interleaved warm-up, then each timed in turn.
    for (let i = 0; i < 3; i++) {
      await getImpact(db, helper.id);
      await impactFromScratch(db, helper.id);
    }
    await timed("from scratch (before)", () => impactFromScratch(db, helper.id));
    await timed("getImpact (after)", () => getImpact(db, helper.id));
    if (explain) {
      const from = new Date(now.getTime() - 12 * 7 * 86_400_000).toISOString();
      const plan = await queryRows<{ "QUERY PLAN": string }>(
        db,
        sql`explain (analyze, buffers) ${impactStatement(helper.id, from)}`,
      );
      console.log(plan.map((line) => line["QUERY PLAN"]).join("\n"));
    }
    if (!same) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

await main();
