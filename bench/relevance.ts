/**
 * npm run bench:relevance [-- DIR …] [--reset]: how often search finds the right thing, on real data. Imports Stack
 * Exchange dumps (default: every site under ../shared/data/stackexchange/) into a fresh embedded database (and into
 * DATABASE_URL's database when set, which must be a throw-away one: --reset empties it; and into Meilisearch when
 * MEILISEARCH_URL is set), then, for every pair its community linked (duplicates, PostLinks type 3; and the larger
 * "linked" set, type 1), searches with one question's title and reports where the other ranks: top-1/5/10 and MRR
 * for /api/search and for the ask page's similar questions (their own code paths), next to a plain BM25 baseline
 * (MiniSearch over title and body), with latency p50/p95 beside each.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import MiniSearch from "minisearch";
import { type Database, openDatabase } from "#db/client.server";
import { type ImportStage, dumpFile, importStackExchange, readDumpRows } from "~/models/stackexchange-import.server";
import { createSearchEngine, findSimilarQuestions, reindexAll, searchPosts } from "~/search/engine.server";
import { parseSearchInput } from "~/search/query";
import type { SearchEngine, SearchHit } from "~/search/types";
import { progressBar } from "./lib";

const args = process.argv.slice(2);
const reset = args.includes("--reset");
// --misses: print the duplicate pairs /api/search does not find in its first ten, to study them.
const showMisses = args.includes("--misses");
const misses: string[] = [];
// The shared data sits beside the checkout (../shared), or two levels up from a worktree.
const dataRoot = path.resolve(
  process.env.SE_DATA_DIR ??
    (["../shared/data/stackexchange", "../../shared/data/stackexchange"].find((dir) => existsSync(dir)) ||
      "../shared/data/stackexchange"),
);
const dirs = args.filter((arg) => !arg.startsWith("--"));
const siteDirs =
  dirs.length > 0
    ? dirs.map((dir) => path.resolve(dir))
    : existsSync(dataRoot)
      ? readdirSync(dataRoot, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => path.join(dataRoot, e.name))
      : [];
if (siteDirs.length === 0) {
  console.error(`No Stack Exchange dumps found (looked in ${dataRoot}); pass folders as arguments or set SE_DATA_DIR.`);
  process.exit(2);
}

type Pair = { from: number; to: number; title: string; toTitle: string };
type Scores = { n: number; top1: number; top5: number; top10: number; mrr: number; p50: number; p95: number };
type Row = { system: string; set: string; scores: Scores };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

/** Runs `rankOf` for every pair: the 1-based rank of the other post (null when not in the list). */
async function evaluate(pairs: Pair[], rankOf: (pair: Pair) => Promise<number | null>): Promise<Scores> {
  const times: number[] = [];
  let top1 = 0;
  let top5 = 0;
  let top10 = 0;
  let mrr = 0;
  for (const pair of pairs) {
    const started = performance.now();
    const rank = await rankOf(pair);
    times.push(performance.now() - started);
    if (rank === null) continue;
    if (rank <= 1) top1 += 1;
    if (rank <= 5) top5 += 1;
    if (rank <= 10) top10 += 1;
    mrr += 1 / rank;
  }
  const n = Math.max(pairs.length, 1);
  return {
    n: pairs.length,
    top1: top1 / n,
    top5: top5 / n,
    top10: top10 / n,
    mrr: mrr / n,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
  };
}

/** Where the hits name `target` (a hit is a thread: the question, or an answer in it). */
function rankIn(hits: Pick<SearchHit, "id" | "questionId">[], target: number): number | null {
  const index = hits.findIndex((hit) => hit.id === target || hit.questionId === target);
  return index < 0 ? null : index + 1;
}

async function importAll(database: Database, engine: SearchEngine, label: string): Promise<void> {
  await database.migrate();
  for (const dir of siteDirs) {
    let current: { stage: ImportStage; bar: ReturnType<typeof progressBar> } | null = null;
    await importStackExchange(database.db, {
      dir,
      onProgress: (stage, done, total) => {
        if (current?.stage !== stage) {
          current?.bar.finish();
          current = { stage, bar: progressBar(`bytes (${label}, ${path.basename(dir)}: ${stage})`, total) };
        }
        current.bar.update(done);
      },
    });
    (current as { bar: ReturnType<typeof progressBar> } | null)?.bar.finish();
  }
  let bar: ReturnType<typeof progressBar> | undefined;
  await reindexAll(database.db, engine, (n, total) => {
    bar ??= progressBar(`documents indexed (${engine.name}, ${label})`, total);
    bar.update(n);
  });
  bar?.finish();
}

/** The pairs of a link type whose two ends are both imported questions, as our ids. */
async function pairsOf(database: Database, linkType: "1" | "3"): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for (const dir of siteDirs) {
    const file = dumpFile(dir, "PostLinks");
    if (!file) continue;
    const source = `stackexchange:${path.basename(dir).toLowerCase()}`;
    const rows = (
      (await database.db.execute(sql`select i.external_id, p.id, p.title from import_ids i join posts p on p.id = i.local_id::int
        where i.source = ${source} and i.entity = 'post' and p.kind = 'question' and p.deleted_at is null`)) as unknown as {
        rows: { external_id: string; id: number; title: string }[];
      }
    ).rows;
    const byExternal = new Map(rows.map((row) => [row.external_id, row]));
    const seen = new Set<string>();
    for await (const batch of readDumpRows(file)) {
      for (const link of batch) {
        if (link.LinkTypeId !== linkType) continue;
        const from = byExternal.get(link.PostId ?? "");
        const to = byExternal.get(link.RelatedPostId ?? "");
        const key = `${from?.id}:${to?.id}`;
        if (!from || !to || from.id === to.id || seen.has(key)) continue;
        seen.add(key);
        pairs.push({ from: from.id, to: to.id, title: from.title, toTitle: to.title });
      }
    }
  }
  return pairs;
}

async function measure(database: Database, engine: SearchEngine, label: string): Promise<Row[]> {
  const services = { db: database.db, search: engine };
  const sets = [
    { set: "duplicates", pairs: await pairsOf(database, "3") },
    { set: "linked", pairs: await pairsOf(database, "1") },
  ];
  // The baseline: MiniSearch's BM25 over every question's title and body, default options (any word, no boosts).
  const questions = (
    (await database.db.execute(
      sql`select id, title, body_md from posts where kind = 'question' and deleted_at is null`,
    )) as unknown as {
      rows: { id: number; title: string; body_md: string }[];
    }
  ).rows;
  const bm25 = new MiniSearch<{ id: number; title: string; body: string }>({
    fields: ["title", "body"],
    storeFields: [],
  });
  bm25.addAll(questions.map((q) => ({ id: q.id, title: q.title, body: q.body_md })));
  const rows: Row[] = [];
  for (const { set, pairs } of sets) {
    // Warm-up: the first searches pay for caches and plans.
    for (const pair of pairs.slice(0, 5)) await searchPosts(services, parseSearchInput(pair.title).query);
    rows.push({
      system: `/api/search (${label})`,
      set,
      scores: await evaluate(pairs, async (pair) => {
        // As the route asks (facets and all), one more than ten so excluding the question itself still leaves ten.
        const query = parseSearchInput(pair.title, { perPage: 11 }).query;
        const { hits } = await searchPosts(services, query);
        const rank = rankIn(
          hits.filter((hit) => hit.id !== pair.from && hit.questionId !== pair.from).slice(0, 10),
          pair.to,
        );
        if (showMisses && rank === null) {
          // Where it ranks further down (among the first 100), to tell a near miss from a word problem.
          const deeper = await searchPosts(services, { ...query, perPage: 100 });
          const at = rankIn(
            deeper.hits.filter((hit) => hit.id !== pair.from && hit.questionId !== pair.from),
            pair.to,
          );
          misses.push(
            `${label} ${set}: ${JSON.stringify(pair.title)} → ${JSON.stringify(pair.toTitle)} (rank ${at ?? "> 100"})`,
          );
        }
        return rank;
      }),
    });
    rows.push({
      system: `similar questions (${label})`,
      set,
      scores: await evaluate(pairs, async (pair) =>
        rankIn(await findSimilarQuestions(services, pair.title, { limit: 5, excludeId: pair.from }), pair.to),
      ),
    });
    rows.push({
      system: "BM25 baseline (MiniSearch)",
      set,
      scores: await evaluate(pairs, async (pair) => {
        const found = bm25.search(pair.title).filter((r) => r.id !== pair.from);
        const index = found.slice(0, 10).findIndex((r) => r.id === pair.to);
        return index < 0 ? null : index + 1;
      }),
    });
  }
  return rows;
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}

function table(rows: Row[]): string {
  const lines = [
    "| system | set | pairs | top 1 | top 5 | top 10 | MRR | p50 ms | p95 ms |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const { system, set, scores: s } of rows) {
    const top10 = system.startsWith("similar") ? "—" : pct(s.top10);
    lines.push(
      `| ${system} | ${set} | ${s.n} | ${pct(s.top1)} | ${pct(s.top5)} | ${top10} | ${s.mrr.toFixed(3)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}

const results: Row[] = [];
const dataDir = path.resolve("bench/.data/relevance-pglite");
// --reuse: measure again on the database a previous `--reuse` run imported (for tuning the ranking); kept afterwards.
const reuse = args.includes("--reuse");
const isImported = reuse && existsSync(path.join(dataDir, "imported"));
if (!isImported) rmSync(dataDir, { recursive: true, force: true });
const embedded = await openDatabase({ pgliteDir: dataDir });
try {
  const engine = createSearchEngine({}, embedded.db);
  if (isImported) {
    await embedded.migrate();
    await engine.setup();
  } else {
    await importAll(embedded, engine, "PGlite");
    if (reuse) writeFileSync(path.join(dataDir, "imported"), "");
  }
  results.push(...(await measure(embedded, engine, "PGlite")));
  if (process.env.MEILISEARCH_URL) {
    const meili = createSearchEngine(
      {
        MEILISEARCH_URL: process.env.MEILISEARCH_URL,
        MEILISEARCH_KEY: process.env.MEILISEARCH_KEY,
        MEILISEARCH_INDEX: "bench_relevance",
      },
      embedded.db,
    );
    await reindexAll(embedded.db, meili);
    results.push(...(await measure(embedded, meili, "Meilisearch")));
  }
} finally {
  await embedded.close();
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
}

if (process.env.DATABASE_URL) {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  try {
    await database.migrate();
    const [existing] = (
      (await database.db.execute(sql`select count(*)::int as n from posts`)) as unknown as { rows: { n: number }[] }
    ).rows;
    if ((existing?.n ?? 0) > 0 && !reset)
      throw new Error(
        "DATABASE_URL's database already holds posts; point it at a throw-away database and pass --reset.",
      );
    if (reset) {
      await database.db.execute(sql`drop schema public cascade`);
      await database.db.execute(sql`drop schema if exists drizzle cascade`);
      await database.db.execute(sql`create schema public`);
    }
    const engine = createSearchEngine({}, database.db);
    await importAll(database, engine, "PostgreSQL");
    results.push(...(await measure(database, engine, "PostgreSQL")));
  } finally {
    await database.close();
  }
}

console.log(
  `\nRelevance on ${siteDirs.map((dir) => path.basename(dir)).join(", ")}: search with one question's title, rank of the question its community linked.\n`,
);
for (const set of ["duplicates", "linked"]) console.log(`${table(results.filter((row) => row.set === set))}\n`);
if (showMisses)
  console.log(
    `Not in the first ten of /api/search (duplicates):\n${misses.filter((line) => line.includes(" duplicates: ")).join("\n")}\n`,
  );
mkdirSync("bench/results", { recursive: true });
const out = `bench/results/relevance-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
writeFileSync(out, JSON.stringify({ sites: siteDirs.map((dir) => path.basename(dir)), results }, null, 2));
console.log(`Wrote ${out}`);
