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
import { percentile, positiveNumberArg, progressBar } from "./lib";
import { BENCH_PASSWORD, moveDatesToNow, seedPulse } from "./pulse-data";

const args = process.argv.slice(2);
const numberOption = (name: string, fallback: number) => positiveNumberArg(args, name, fallback);
const sizes = {
  spaces: numberOption("spaces", 50),
  users: numberOption("users", 2000),
  questions: numberOption("questions", 100_000),
};
const runs = numberOption("runs", 30);
const explain = args.includes("--explain");
const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = path.resolve(`bench/.data/pglite-pulse-v1-${sizes.spaces}-${sizes.users}-${sizes.questions}`);

/** Wall-clock p50/p95 and this process's CPU time per call (PGlite runs in this process: its work is counted). */
async function timed(label: string, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; cpu: number }> {
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const result = {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    cpu: (used.user + used.system) / 1000 / runs,
  };
  console.log(
    `${label.padEnd(28)} p50 ${result.p50.toFixed(1).padStart(7)} ms   p95 ${result.p95.toFixed(1).padStart(7)} ms   CPU ${result.cpu.toFixed(1).padStart(6)} ms/call`,
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

const IMPACT_TRIGGERS = {
  posts: ["impact_posts_inserted", "impact_posts_updated", "impact_posts_deleted"],
  answer_thanks: ["impact_thanks_inserted", "impact_thanks_updated", "impact_thanks_deleted"],
  help_ratings: ["impact_ratings_inserted", "impact_ratings_updated", "impact_ratings_deleted"],
};

/**
 * What impact_events costs the writes that keep it: the same writes (thanks given and taken back, an answer accepted
 * and taken back, a vote's score change, a rating changed) timed with its triggers on and off, in a transaction that
 * is rolled back, so the data set is left as it was. Also the table's and indexes' size.
 */
async function writeCosts(db: Db, helperId: string) {
  const [target] = await queryRows<{ question_id: number; answer_id: number; other_answer_id: number | null }>(
    db,
    sql`select q.id as question_id, a.id as answer_id,
        (select o.id from posts o where o.parent_id = q.id and o.kind = 'answer' and o.id <> a.id and o.deleted_at is null limit 1) as other_answer_id
      from posts q join posts a on a.id = q.accepted_answer_id
      where a.author_id = ${helperId} and exists (select 1 from help_ratings r where r.question_id = q.id)
      order by q.answer_count desc, q.id limit 1`,
  );
  if (!target) return;
  const [thanker] = await queryRows<{ id: string }>(
    db,
    sql`select id from users where id <> ${helperId} and not exists (select 1 from answer_thanks t where t.answer_id = ${target.answer_id} and t.user_id = users.id) limit 1`,
  );
  const rounds = 40;
  const writes: [string, (d: Db) => Promise<unknown>][] = [
    [
      "thanks given + taken back",
      async (d) => {
        await d.execute(
          sql`insert into answer_thanks (answer_id, user_id) values (${target.answer_id}, ${thanker?.id})`,
        );
        await d.execute(
          sql`delete from answer_thanks where answer_id = ${target.answer_id} and user_id = ${thanker?.id}`,
        );
      },
    ],
    [
      "accepted moved + moved back",
      async (d) => {
        await d.execute(
          sql`update posts set accepted_answer_id = ${target.other_answer_id}, accepted_at = now() where id = ${target.question_id}`,
        );
        await d.execute(
          sql`update posts set accepted_answer_id = ${target.answer_id}, accepted_at = now() where id = ${target.question_id}`,
        );
      },
    ],
    [
      "vote (score only) x2",
      async (d) => {
        await d.execute(sql`update posts set score = score + 1 where id = ${target.answer_id}`);
        await d.execute(sql`update posts set score = score - 1 where id = ${target.answer_id}`);
      },
    ],
    [
      "rating changed x2",
      async (d) => {
        for (let i = 0; i < 2; i++)
          await d.execute(
            sql`update help_ratings set rating = 6 - rating, updated_at = now() where question_id = ${target.question_id}`,
          );
      },
    ],
  ];
  // CPU time per write (PGlite runs in this process), less disturbed by the machine's other work than wall-clock
  // time; on PostgreSQL the work is the server's, so the wall-clock mean is the figure there.
  const timeAll = async (d: Db) => {
    const out: { cpu: number; wall: number }[] = [];
    for (const [, write] of writes) {
      await write(d);
      const before = process.cpuUsage();
      const started = performance.now();
      for (let i = 0; i < rounds; i++) await write(d);
      const used = process.cpuUsage(before);
      out.push({ cpu: (used.user + used.system) / 1000 / rounds, wall: (performance.now() - started) / rounds });
    }
    return out;
  };
  class Rollback extends Error {}
  let on: { cpu: number; wall: number }[] = [];
  let off: { cpu: number; wall: number }[] = [];
  await db
    .transaction(async (tx) => {
      on = await timeAll(tx);
      for (const [table, names] of Object.entries(IMPACT_TRIGGERS))
        for (const name of names) await tx.execute(sql.raw(`alter table ${table} disable trigger ${name}`));
      off = await timeAll(tx);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  console.log(
    `\nWrite cost (mean of ${rounds}, question ${target.question_id} with its answers; impact triggers on / off; CPU of this process, wall clock):`,
  );
  const ms = (value: number | undefined) => (value ?? 0).toFixed(2).padStart(6);
  for (const [i, [label]] of writes.entries())
    console.log(
      `${label.padEnd(28)} CPU ${ms(on[i]?.cpu)} / ${ms(off[i]?.cpu)} ms   wall ${ms(on[i]?.wall)} / ${ms(off[i]?.wall)} ms`,
    );
  const [size] = await queryRows<{ rows: number; table_mb: number; indexes_mb: number; howto_idx_mb: number }>(
    db,
    sql`select (select count(*) from impact_events)::int as rows,
      round(pg_relation_size('impact_events') / 1048576.0, 1)::float8 as table_mb,
      round(pg_indexes_size('impact_events') / 1048576.0, 1)::float8 as indexes_mb,
      round(pg_relation_size('howto_feedback_post_idx') / 1048576.0, 1)::float8 as howto_idx_mb`,
  );
  console.log(
    `impact_events: ${size?.rows} rows, ${size?.table_mb} MB table + ${size?.indexes_mb} MB indexes; howto_feedback_post_idx ${size?.howto_idx_mb} MB`,
  );
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
    await writeCosts(db, helper.id);
    if (!same) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

await main();
