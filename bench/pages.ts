/**
 * npm run bench:pages [-- options]: seeds a large community (50 spaces, 2,000 people, 20,000 posts by default) into its
 * own embedded database (or DATABASE_URL), starts the production server (NODE_ENV=production, request logging on as in
 * production) and measures, next to a plain node:http server in its own process returning the same bytes:
 *  - pages (home, /questions, a space, the question with 30 answers and 60 comments, a how-to, /pulse) for signed-out
 *    readers served from the page cache (X-Cache: hit), signed-out readers the cache cannot serve (a unique query
 *    parameter per request: X-Cache: miss) and signed-in readers, at concurrency 1 and 20;
 *  - /pulse again on a second server with the page cache and the pulse cache off (PAGE_CACHE_MB=0, PULSE_CACHE_SECONDS=0);
 *  - a mobile first visit in chromium (phone, Slow 4G, 4× CPU): largest contentful paint and bytes by kind;
 *  - a mixed load: reads at concurrency 50 with writes (answers, comments, votes) at concurrency 5 alongside;
 *  - the JS, CSS and HTML each page ships (gzip), signed out and signed in.
 * Prints tables with a legend and a targets summary, and writes bench/results/*.json. Options:
 *   --posts N --users N --spaces N   data set size (default 20,000 / 2,000 / 50; --small: 2,000 / 200 / 10)
 *   --duration S                     seconds per measured run (default 8; BENCH_SECONDS)
 *   --mixed-duration S               seconds of mixed load (default 60); --mixed-readers N, --mixed-writers N: its
 *                                    concurrency (default 50 and 5); --mixed-cold-start S: the same load's first S
 *                                    seconds (every connection arriving at once on pages nothing has warmed yet),
 *                                    reported on their own line before the measured S (default 10; --quick 5; 0: none)
 *   --quick                          3 s runs, 10 s mixed load, one mobile visit per page
 *   --skip pages,pulse,mobile,mixed  leave sections out; --workers N: N app processes on one port (PostgreSQL only)
 *   --build                          build the app first
 *
 * --pulse: the service pulse data set instead (bench/pulse-data.ts): 100,000 questions over the last 180 days
 * (BENCH_QUESTIONS or --questions overrides; 5,000 with --small) with answers, comments, accepted answers, ratings,
 * thanks and how-to feedback, then the question facts and the search index built once (seeding, facts and index times
 * are printed). It measures the pages above plus /pulse (30, 90 and 7 days, the busiest space, the most used tag),
 * cached and uncached, and /me/impact signed in as the person with the most accepted answers. The data set is kept in
 * bench/.data/pglite-pulse-v1-* and its dates are moved forward on reuse, so "the last 7 days" always has questions.
 * The mixed load writes into the data set it runs on (answers and comments on random questions, never the measured ones).
 */
import { execSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { desc, sql } from "drizzle-orm";
import { type Database, type Db, openDatabase } from "#db/client.server";
import { type NewPost, insertPosts, insertUsers } from "../scripts/seed/demo";
import { comments, posts, spaces } from "#db/schema";
import { renderMarkdown } from "~/lib/markdown.server";
import { requestOverdueFeedback } from "~/models/feedback.server";
import { needsFactsRebuild, rebuildQuestionFacts } from "~/models/pulse.server";
import { countStalePosts, rerenderStalePosts } from "~/models/post-rendering.server";
import { countSearchablePosts } from "~/search/documents.server";
import { reindexAll } from "~/search/engine.server";
import { createPostgresSearch } from "~/search/postgres.server";
import {
  BROWSER_HEADERS,
  type LoadResult,
  cpuMsOf,
  type RawResponse,
  type ReferencePage,
  type RequestPlan,
  type Server,
  decodedBody,
  measure,
  progressBar,
  rawRequest,
  startProductionServer,
  startReferenceServer,
  waitUntilIdle,
} from "./lib";
import { type MixedPlan, type MixedResult, checkWrites, runMixed } from "./mixed";
import { CPU_SLOWDOWN, type MobileResult, SLOW_4G, hasChromium, measureMobile } from "./mobile";
import { BENCH_PASSWORD, type PulseSeedReport, type PulseSizes, moveDatesToNow, seedPulse } from "./pulse-data";
import { refreshCookie, sessionCookies } from "./sessions";

const args = process.argv.slice(2);
/** `--name value` or `--name=value`. */
function option(name: string): string | undefined {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const arg = args[at] ?? "";
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[at + 1];
}
function numberOption(name: string, env: string | undefined, fallback: number, min = 1): number {
  const raw = option(name) ?? env;
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`--${name} must be a number of at least ${min} (got ${raw}).`);
  return value;
}
const small = args.includes("--small");
const pulse = args.includes("--pulse");
const quick = args.includes("--quick");
const sizes = {
  spaces: numberOption("spaces", process.env.BENCH_SPACES, small ? 10 : 50),
  users: numberOption("users", process.env.BENCH_USERS, small ? 200 : 2000),
  posts: numberOption("posts", process.env.BENCH_POSTS, small ? 2000 : 20000),
};
const seconds = numberOption("duration", process.env.BENCH_SECONDS, small || quick ? 3 : 8);
const mixedSeconds = numberOption("mixed-duration", undefined, quick ? 10 : 60);
const mixedColdStart = numberOption("mixed-cold-start", undefined, quick ? 5 : 10, 0);
const mobileRuns = numberOption("mobile-runs", undefined, quick ? 1 : 3);
const workers = numberOption("workers", undefined, 1);
const mixedReaders = numberOption("mixed-readers", undefined, 50);
const mixedWriters = numberOption("mixed-writers", undefined, 5, 0);
if (mixedReaders < 2) throw new Error("--mixed-readers must be at least 2 (signed-out and signed-in readers).");
const SECTIONS = ["pages", "pulse", "mobile", "mixed"] as const;
const skip = new Set((option("skip") ?? "").split(",").filter(Boolean));
for (const name of skip)
  if (!(SECTIONS as readonly string[]).includes(name))
    throw new Error(`--skip takes ${SECTIONS.join(", ")} (got ${name}).`);
const databaseUrl = process.env.DATABASE_URL || undefined;
if (workers > 1 && !databaseUrl)
  throw new Error("--workers needs DATABASE_URL: the embedded database (PGlite) is opened by one process only.");
const pulseSizes: PulseSizes = {
  spaces: sizes.spaces,
  users: sizes.users,
  questions: numberOption("questions", process.env.BENCH_QUESTIONS, small ? 5000 : 100_000),
};
// v2: the data set gained comments and how-tos; older directories are not reused.
const dataDir = path.resolve(
  pulse
    ? `bench/.data/pglite-pulse-v1-${pulseSizes.spaces}-${pulseSizes.users}-${pulseSizes.questions}`
    : `bench/.data/pglite-v2-${sizes.spaces}-${sizes.users}-${sizes.posts}`,
);

/**
 * A page to measure: its path resolved against the seeded data; `signInAs` for a private page (whose email to sign in
 * with; it is then measured signed in only). Other pages are measured signed out and signed in.
 */
type Page = { name: string; resolve: (db: Db) => Promise<string>; signInAs?: (db: Db) => Promise<string> };

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** The pages to measure, resolved against the seeded data. Later benchmarks add to this list. */
const PAGES: Page[] = [
  { name: "home", resolve: async () => "/" },
  {
    name: "space",
    resolve: async (db) => {
      const [row] = await db
        .select({
          slug: spaces.slug,
          n: sql<number>`(select count(*) from posts p where p.space_id = ${spaces.id} and p.parent_id is null)`.mapWith(
            Number,
          ),
        })
        .from(spaces)
        .orderBy(desc(sql`2`))
        .limit(1);
      return `/s/${row?.slug ?? "space-1"}`;
    },
  },
  {
    name: "question",
    resolve: async (db) => {
      const [row] = await db
        .select({ id: posts.id })
        .from(posts)
        .where(sql`${posts.kind} = 'question'`)
        .orderBy(desc(posts.answerCount))
        .limit(1);
      return `/q/${row?.id ?? 1}`;
    },
  },
  {
    name: "how-to",
    resolve: async (db) => {
      const [row] = await db
        .select({ id: posts.id })
        .from(posts)
        .where(sql`${posts.kind} = 'howto'`)
        .orderBy(posts.id)
        .limit(1);
      return `/howtos/${row?.id ?? 1}`;
    },
  },
  { name: "questions", resolve: async () => "/questions" },
];

/** The service pulse pages, measured with --pulse on its data set. */
const PULSE_PAGES: Page[] = [
  { name: "pulse", resolve: async () => "/pulse" },
  { name: "pulse-90d", resolve: async () => "/pulse?days=90" },
  { name: "pulse-7d", resolve: async () => "/pulse?days=7" },
  {
    name: "pulse-space",
    resolve: async (db) => {
      const [row] = rowsOf<{ slug: string }>(
        await db.execute(sql`select s.slug from spaces s join posts q on q.space_id = s.id and q.kind = 'question' and q.deleted_at is null
          group by s.slug order by count(*) desc, s.slug limit 1`),
      );
      return `/pulse?space=${encodeURIComponent(row?.slug ?? "space-1")}`;
    },
  },
  {
    name: "pulse-tag",
    resolve: async (db) => {
      const [row] = rowsOf<{ slug: string }>(
        await db.execute(sql`select t.slug from post_tags pt join tags t on t.id = pt.tag_id
          join posts q on q.id = pt.post_id and q.kind = 'question' and q.deleted_at is null
          group by t.slug order by count(*) desc, t.slug limit 1`),
      );
      return `/pulse?tag=${encodeURIComponent(row?.slug ?? "vpn")}`;
    },
  },
  {
    name: "my-impact",
    resolve: async () => "/me/impact",
    // The busiest helper: the most accepted answers on other people's questions, so the page has the most to add up.
    signInAs: async (db) => {
      const [row] = rowsOf<{ email: string; accepted: number }>(
        await db.execute(sql`select u.email, count(*)::int as accepted
          from posts q join posts a on a.id = q.accepted_answer_id join users u on u.id = a.author_id
          where q.kind = 'question' and q.deleted_at is null and a.deleted_at is null and a.author_id <> q.author_id
          group by u.email order by count(*) desc, u.email limit 1`),
      );
      if (!row) throw new Error("No accepted answers in the data set: nobody to sign in as for /me/impact.");
      console.error(`My impact: signed in as ${row.email} (${row.accepted.toLocaleString("en")} accepted answers).`);
      return row.email;
    },
  },
];

const WORDS = [
  ..."vpn dns exchange certificate intune printer teams sharepoint onedrive mfa phishing backup firewall switch vlan dhcp".split(
    " ",
  ),
  ..."wifi laptop driver update policy license outlook mailbox sync token azure tenant group conditional access bitlocker patch".split(
    " ",
  ),
];
function sentence(seed: number, length: number): string {
  const out: string[] = [];
  for (let i = 0; i < length; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length] ?? "it");
  return out.join(" ");
}

async function seed(db: Db) {
  const started = Date.now();
  const spaceRows = await db
    .insert(spaces)
    .values(
      Array.from({ length: sizes.spaces }, (_, i) => ({
        slug: `space-${i + 1}`,
        name: `Space ${i + 1}`,
        description: `Benchmark space ${i + 1}`,
        position: i + 1,
      })),
    )
    .returning({ id: spaces.id });
  const hash = await hashPassword("benchmark-password");
  const userBar = progressBar("people", sizes.users);
  const userIds: string[] = [];
  for (let i = 0; i < sizes.users; i += 500) {
    const batch = Array.from({ length: Math.min(500, sizes.users - i) }, (_, j) => ({
      name: `Member ${i + j + 1}`,
      email: `member${i + j + 1}@bench.test`,
      handle: `member-${i + j + 1}`,
    }));
    userIds.push(...(await insertUsers(db, batch, hash)));
    userBar.update(userIds.length);
  }
  userBar.finish();
  const questionCount = Math.round(sizes.posts * 0.4);
  const answerCount = sizes.posts - questionCount;
  const postBar = progressBar("posts", sizes.posts);
  const questionIds: { id: number; spaceId: number }[] = [];
  const day = 86_400_000;
  for (let i = 0; i < questionCount; i += 500) {
    const batch: NewPost[] = Array.from({ length: Math.min(500, questionCount - i) }, (_, j) => {
      const n = i + j;
      return {
        kind: "question",
        spaceId: spaceRows[n % spaceRows.length]?.id ?? 1,
        authorId: userIds[n % userIds.length] ?? "",
        title: `How do I fix ${sentence(n, 6)}?`,
        body: `We see this on ${sentence(n + 1, 12)}.\n\n\`\`\`powershell\nGet-Item -Path C:\\logs\\${n}.txt\n\`\`\`\n\nAny ideas about ${sentence(n + 2, 8)}?`,
        tags: [WORDS[n % WORDS.length] ?? "it", `tag-${n % 200}`],
        createdAt: new Date(Date.now() - (n % 365) * day),
        score: n % 11,
      };
    });
    const ids = await insertPosts(db, batch);
    for (const [k, id] of ids.entries()) questionIds.push({ id, spaceId: batch[k]?.spaceId ?? 1 });
    postBar.update(questionIds.length);
  }
  // Answers: the first question gets 30 (the heavy question page), the rest spread evenly.
  let answered = 0;
  for (let i = 0; i < answerCount; i += 500) {
    const batch: NewPost[] = Array.from({ length: Math.min(500, answerCount - i) }, (_, j) => {
      const n = i + j;
      const question = n < 30 ? questionIds[0] : questionIds[(n * 7919) % questionIds.length];
      return {
        kind: "answer",
        spaceId: question?.spaceId ?? 1,
        parentId: question?.id,
        authorId: userIds[(n * 31) % userIds.length] ?? "",
        body: `Try this: ${sentence(n + 3, 20)}.\n\n1. ${sentence(n + 4, 5)}\n2. ${sentence(n + 5, 5)}`,
        score: n % 7,
      };
    });
    await insertPosts(db, batch);
    answered += batch.length;
    postBar.update(questionIds.length + answered);
  }
  postBar.finish();
  // The heavy question page: 60 comments, 20 under the question and 40 spread over its 30 answers.
  const heavy = questionIds[0]?.id ?? 1;
  const heavyAnswers = await db.select({ id: posts.id }).from(posts).where(sql`${posts.parentId} = ${heavy}`);
  const commentRows = Array.from({ length: 60 }, (_, n) => {
    const body = `Did you check ${sentence(n + 9, 7)}? See \`${WORDS[n % WORDS.length]}\` in the log.`;
    return {
      postId: n < 20 ? heavy : (heavyAnswers[n % heavyAnswers.length]?.id ?? heavy),
      authorId: userIds[(n * 17) % userIds.length] ?? "",
      bodyMd: body,
      bodyHtml: renderMarkdown(body),
    };
  });
  await db.insert(comments).values(commentRows);
  await db.execute(
    sql`update posts set comment_count = (select count(*) from comments c where c.post_id = posts.id) where id = ${heavy} or parent_id = ${heavy}`,
  );
  // How-tos: one per space with eight steps, the size a real guide has.
  const steps = Array.from({ length: 8 }, (_, k) => {
    const bodyMd = `Open **${sentence(k, 3)}** and choose *${sentence(
      k + 1,
      2,
    )}*.\n\n\`\`\`powershell\nSet-Item -Path HKLM:\\Software\\Step${k} -Value 1\n\`\`\``;
    return { bodyMd, bodyHtml: renderMarkdown(bodyMd) };
  });
  await db.insert(posts).values(
    spaceRows.map((space, n) => {
      const prerequisitesMd = `- Admin rights on ${sentence(n, 2)}\n- ${sentence(n + 1, 4)}`;
      const bodyMd = `Set up ${sentence(n, 5)} step by step.`;
      return {
        kind: "howto" as const,
        spaceId: space.id,
        authorId: userIds[n % userIds.length] ?? "",
        title: `How to set up ${sentence(n, 4)}`,
        bodyMd,
        bodyHtml: renderMarkdown(bodyMd),
        summary: `A step-by-step guide to ${sentence(n + 2, 12)}.`,
        appliesTo: "Windows 11 23H2, Microsoft 365",
        difficulty: "beginner" as const,
        estimatedMinutes: 20,
        prerequisitesMd,
        prerequisitesHtml: renderMarkdown(prerequisitesMd),
        steps,
        helpfulYes: n % 13,
        helpfulNo: n % 3,
      };
    }),
  );
  return (Date.now() - started) / 1000;
}

type PulseTimes = {
  report: PulseSeedReport | null;
  seedSeconds: number | null;
  factsSeconds: number | null;
  indexSeconds: number | null;
  movedDays: number;
};

/**
 * Seeds the pulse data set into an empty database, or checks and refreshes a reused one. Facts and the search index
 * are built here, with progress bars, rather than by the server on its first start (which would outlast its health check).
 */
async function preparePulseData(database: Database, isEmpty: boolean): Promise<PulseTimes> {
  const db = database.db;
  const search = createPostgresSearch(db);
  if (!isEmpty) {
    if ((await needsFactsRebuild(db)) || (await search.count()) === 0) {
      throw new Error(
        `The data set in ${dataDir} is incomplete (an interrupted seed?). Delete that directory and run again.`,
      );
    }
    const started = performance.now();
    const movedDays = await moveDatesToNow(db);
    if (movedDays > 0) {
      await database.maintain();
      console.error(
        `Moved the data set's dates forward by ${movedDays.toFixed(1)} days (${((performance.now() - started) / 1000).toFixed(1)} s).`,
      );
    }
    return { report: null, seedSeconds: null, factsSeconds: null, indexSeconds: null, movedDays };
  }
  console.error(
    `Seeding ${pulseSizes.spaces} spaces, ${pulseSizes.users} people, ${pulseSizes.questions.toLocaleString("en")} questions into ${
      databaseUrl ? "DATABASE_URL" : path.relative(process.cwd(), dataDir)
    }`,
  );
  const seedStarted = performance.now();
  const report = await seedPulse(db, pulseSizes, await hashPassword(BENCH_PASSWORD));
  // PGlite runs no autovacuum: without fresh statistics the rebuild's per-question lookups plan as sequential scans.
  await database.maintain();
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const factsBar = progressBar("question facts", pulseSizes.questions);
  const factsStarted = performance.now();
  await rebuildQuestionFacts(db, (done, total) => factsBar.update(Math.min(done, total)));
  factsBar.finish();
  const factsSeconds = (performance.now() - factsStarted) / 1000;

  const indexBar = progressBar("search documents", await countSearchablePosts(db));
  const indexStarted = performance.now();
  await reindexAll(db, search, (indexed) => indexBar.update(indexed));
  indexBar.finish();
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  await database.maintain();
  return { report, seedSeconds, factsSeconds, indexSeconds, movedDays: 0 };
}

/**
 * The question facts and the search index of a freshly seeded ordinary data set, built here with progress bars: the
 * server would otherwise build them on its first start (over a minute for 20,000 posts), past its health check.
 */
async function prepareDerivedData(db: Db) {
  if (await needsFactsRebuild(db)) {
    const factsBar = progressBar("question facts", Math.round(sizes.posts * 0.4));
    await rebuildQuestionFacts(db, (done, total) => factsBar.update(Math.min(done, total)));
    factsBar.finish();
  }
  const search = createPostgresSearch(db);
  const indexBar = progressBar("search documents", await countSearchablePosts(db));
  await reindexAll(db, search, (indexed) => indexBar.update(indexed));
  indexBar.finish();
}

/** The signed-in reader of the ordinary data set; in --pulse the busiest helper reads everything signed in. */
const DEFAULT_READER = "member1@bench.test";
/** Mixed load: 20 signed-in readers and 100 writers taking turns (far below each person's write limits). */
const MIXED_READERS = Array.from({ length: 20 }, (_, i) => `member${i + 2}@bench.test`);
const MIXED_WRITERS = Array.from({ length: 100 }, (_, i) => `member${i + 101}@bench.test`);

/** Gzip bytes of the scripts (entry, module preloads) and style sheets a page's HTML loads from this site. */
async function shippedBytes(base: string, html: string): Promise<{ js: number; css: number }> {
  const tags = [...html.matchAll(/<(?:script|link)\b[^>]*>/g)].map((m) => m[0]);
  const assets = new Set<string>();
  for (const tag of tags) {
    const src = /\s(?:src|href)=["']([^"']+)["']/.exec(tag)?.[1];
    if (!src?.startsWith("/") || src.startsWith("//")) continue;
    const isScript = tag.startsWith("<script") || /rel=["'](?:modulepreload|preload)["']/.test(tag);
    const isStyle = /rel=["']stylesheet["']/.test(tag);
    if ((isScript && /\.m?js(?:\?|$)/.test(src)) || (isStyle && /\.css(?:\?|$)/.test(src))) assets.add(src);
  }
  let js = 0;
  let css = 0;
  for (const asset of assets) {
    const response = await fetch(base + asset);
    const size = gzipSync(Buffer.from(await response.arrayBuffer())).length;
    if (/\.css(?:\?|$)/.test(asset)) css += size;
    else js += size;
  }
  return { js, css };
}

type Reader = "anon hit" | "anon miss" | "signed in";
type ResolvedPage = { name: string; path: string; signedInOnly: boolean; isPulse: boolean };
type Row = {
  page: string;
  path: string;
  reader: Reader;
  connections: number;
  app: LoadResult;
  plain: LoadResult | null;
  bytes: number;
  phase: "cached" | "uncached";
};
type Shipped = { page: string; reader: "signed out" | "signed in"; js: number; css: number; html: number };

/** A path the page cache keys on but the page ignores: every request is a different cache entry, so none is a hit. */
function uniquePaths(path: string): () => string {
  let n = 0;
  const separator = path.includes("?") ? "&" : "?";
  const run = `${process.pid}-${Date.now().toString(36)}`;
  return () => `${path}${separator}_bench=${run}-${++n}`;
}

function xCacheOf(response: RawResponse): string {
  const value = response.headers["x-cache"];
  return value === undefined ? "n/a" : String(value);
}

/** "hit 100%", "miss 98%", or "n/a" when the server sends no X-Cache header. */
function xCacheSummary(result: LoadResult): string {
  const entries = Object.entries(result.xCache).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const [top] = entries;
  if (!top || top[0] === "none") return "n/a";
  return `${top[0]} ${Math.floor((top[1] / total) * 100)}%`;
}

function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = databaseUrl
    ? { DATABASE_URL: databaseUrl }
    : { PGLITE_DIR: dataDir, DATABASE_URL: "" };
  if (workers > 1) base.WORKERS = String(workers);
  return { ...base, ...extra };
}

async function startServer(extra: Record<string, string> = {}): Promise<Server> {
  return startProductionServer(serverEnv(extra), {
    startupSeconds: pulse ? 300 : 180,
    script: workers > 1 ? "bench/cluster.js" : "server.js",
  });
}

/**
 * Measures one page for one kind of reader at the given concurrency, and the reference server on the same bytes at the
 * same concurrency right after (reference runs are shared between readers that get the same bytes).
 */
async function measurePage(
  server: Server,
  reference: { url: string } | null,
  referenceRuns: Map<string, LoadResult>,
  page: ResolvedPage,
  reader: Reader,
  connections: number,
  cookie: string,
): Promise<{ app: LoadResult; plain: LoadResult | null }> {
  const settle = () => waitUntilIdle(`${server.url}/healthz`);
  let plan: RequestPlan;
  if (reader === "signed in") plan = () => ({ path: page.path, headers: { cookie, ...BROWSER_HEADERS } });
  else if (reader === "anon miss") {
    const next = uniquePaths(page.path);
    plan = () => ({ path: next(), headers: { ...BROWSER_HEADERS } });
  } else {
    // Two visits store the entry even under a "store on the second request" rule; the third must be a hit.
    for (let i = 0; i < 2; i++) await rawRequest(server.url + page.path, { headers: { ...BROWSER_HEADERS } });
    const check = xCacheOf(await rawRequest(server.url + page.path, { headers: { ...BROWSER_HEADERS } }));
    if (check !== "n/a" && check !== "hit")
      console.error(`  warning: ${page.path} answered X-Cache: ${check} after warming (expected hit)`);
    plan = () => ({ path: page.path, headers: { ...BROWSER_HEADERS } });
  }
  console.error(`Measuring ${page.path} (${reader}) at concurrency ${connections}…`);
  const app = await measure(server.url, {
    path: page.path,
    connections,
    seconds,
    settle,
    plan,
    serverPid: server.child.pid,
  });
  if (!reference) return { app, plain: null };
  const referencePath = `/${page.name}/${reader === "signed in" ? "signed-in" : "signed-out"}`;
  const key = `${referencePath}@${connections}`;
  let plain = referenceRuns.get(key);
  if (!plain) {
    plain = await measure(reference.url, {
      path: referencePath,
      connections,
      seconds,
      plan: () => ({ path: referencePath, headers: { ...BROWSER_HEADERS } }),
    });
    referenceRuns.set(key, plain);
  }
  return { app, plain };
}

/** Fetches what a reader gets (the bytes as sent, and the HTML decoded) and what its page ships. */
async function capture(
  server: Server,
  page: ResolvedPage,
  cookie: string | null,
): Promise<{ response: RawResponse; shipped: { js: number; css: number; html: number } }> {
  const headers: Record<string, string> = { ...BROWSER_HEADERS };
  if (cookie) headers.cookie = cookie;
  const response = await rawRequest(server.url + page.path, { headers });
  if (response.status !== 200) {
    const location = response.headers.location ? ` (to ${response.headers.location})` : "";
    throw new Error(`${page.path} answered ${response.status}${location} ${cookie ? "signed in" : "signed out"}`);
  }
  const html = decodedBody(response);
  return {
    response,
    shipped: { ...(await shippedBytes(server.url, html.toString("utf8"))), html: gzipSync(html).length },
  };
}

type Prepared = {
  pages: ResolvedPage[];
  readerEmail: string;
  cookies: Map<string, string>;
  mixedPlan: Omit<MixedPlan, "readerCookies" | "writers"> & { writerIds: Map<string, string> };
  counts?: { questions: number; posts: number };
  seedSeconds: number | null;
  pulseTimes: PulseTimes | null;
};

/** Seeds or reuses the data set, resolves the pages, signs people in and picks the mixed load's targets. */
async function prepare(): Promise<Prepared> {
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: dataDir });
  try {
    await database.migrate();
    const db = database.db;
    const [existing] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(posts);
    let seedSeconds: number | null = null;
    let pulseTimes: PulseTimes | null = null;
    if (pulse) {
      if ((existing?.n ?? 0) > 0) console.error(`Reusing the seeded data set (${existing?.n} posts).`);
      pulseTimes = await preparePulseData(database, (existing?.n ?? 0) === 0);
      seedSeconds = pulseTimes.seedSeconds;
      // The server's reminder loop would otherwise write these notifications in the middle of a measurement.
      await requestOverdueFeedback(db);
    } else if ((existing?.n ?? 0) === 0) {
      console.error(
        `Seeding ${sizes.spaces} spaces, ${sizes.users} people, ${sizes.posts} posts into ${databaseUrl ? "DATABASE_URL" : dataDir}`,
      );
      seedSeconds = await seed(db);
      await database.maintain();
      await prepareDerivedData(db);
      await database.maintain();
    } else {
      console.error(`Reusing the seeded data set (${existing?.n} posts).`);
    }
    // Posts stored by an older renderer (an older data set, raw inserts) are rendered again here, with progress, so the
    // server does not do it in the background during a measurement.
    const stale = await countStalePosts(db);
    if (stale > 0) {
      const rerenderBar = progressBar("posts rendered again", stale);
      await rerenderStalePosts(db, { onProgress: ({ done }) => rerenderBar.update(done) });
      rerenderBar.finish();
      await database.maintain();
    }
    const [counts] = pulse
      ? rowsOf<{ questions: number; posts: number }>(
          await db.execute(
            sql`select count(*) filter (where kind = 'question')::int as questions, count(*)::int as posts from posts`,
          ),
        )
      : [];
    const list = pulse ? [...PAGES, ...PULSE_PAGES] : [...PAGES, { name: "pulse", resolve: async () => "/pulse" }];
    let readerEmail = DEFAULT_READER;
    const pages: ResolvedPage[] = [];
    for (const p of list) {
      if (p.signInAs) readerEmail = await p.signInAs(db);
      pages.push({
        name: p.name,
        path: await p.resolve(db),
        signedInOnly: Boolean(p.signInAs),
        isPulse: p.name.startsWith("pulse") || Boolean(p.signInAs),
      });
    }
    const mixedPlan = skip.has("mixed") ? emptyMixed() : await mixedTargets(db, pages);
    const emails = [readerEmail, ...(skip.has("mixed") ? [] : [...MIXED_READERS, ...MIXED_WRITERS])];
    const userRows = rowsOf<{ id: string; email: string }>(
      await db.execute(
        sql`select id, email from users where email in (${sql.join(
          emails.map((e) => sql`${e}`),
          sql`, `,
        )})`,
      ),
    );
    const people = emails.flatMap((email) =>
      userRows.filter((u) => u.email === email).map((u) => ({ email, userId: u.id })),
    );
    if (people.length !== emails.length)
      throw new Error(
        `The data set has ${people.length} of the ${emails.length} people the benchmark signs in (--users too small?).`,
      );
    const bar = progressBar("sessions", people.length);
    const cookies = await sessionCookies(db, people, BENCH_PASSWORD, (done) => bar.update(done));
    bar.finish();
    // Earlier runs' writers must not start this one at their limits (the limits themselves stay on).
    await db.execute(sql`delete from write_limits`);
    // Seeded people joined on the day of seeding: as "new accounts" the writers would hit the new-account daily limit
    // after a few runs (429). The benchmark measures established members, as the demo's are.
    await db.execute(
      sql`update users set created_at = now() - interval '400 days' where email like '%@bench.test' and created_at > now() - interval '400 days'`,
    );
    return { pages, readerEmail, cookies, mixedPlan, counts, seedSeconds, pulseTimes };
  } finally {
    // PGlite is single-process: close it before the server opens the same directory.
    await database.close();
  }
}

function emptyMixed(): Prepared["mixedPlan"] {
  return { reads: [], targets: [], writerIds: new Map() };
}

/** What the mixed load reads and where it writes: random questions (never the measured ones) and their answers. */
async function mixedTargets(db: Db, pages: ResolvedPage[]): Promise<Prepared["mixedPlan"]> {
  const measured = pages
    .map((p) => /^\/q\/(\d+)/.exec(p.path)?.[1])
    .filter((id): id is string => Boolean(id))
    .map(Number);
  const excluded = measured.length
    ? sql`and id not in (${sql.join(
        measured.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const targetRows = rowsOf<{ id: number }>(
    await db.execute(
      sql`select id from posts where kind = 'question' and deleted_at is null ${excluded} order by random() limit 20`,
    ),
  );
  const targets = [];
  for (const row of targetRows) {
    const answers = rowsOf<{ id: number; author_id: string }>(
      await db.execute(
        sql`select id, author_id from posts where parent_id = ${row.id} and deleted_at is null limit 10`,
      ),
    );
    targets.push({ questionId: row.id, answers: answers.map((a) => ({ id: a.id, authorId: a.author_id })) });
  }
  const others = rowsOf<{ id: number }>(
    await db.execute(
      sql`select id from posts where kind = 'question' and deleted_at is null order by random() limit 30`,
    ),
  );
  const howtos = rowsOf<{ id: number }>(
    await db.execute(sql`select id from posts where kind = 'howto' and deleted_at is null order by random() limit 10`),
  );
  const spaceRows = rowsOf<{ slug: string }>(await db.execute(sql`select slug from spaces order by random() limit 10`));
  const writerRows = rowsOf<{ id: string; email: string }>(
    await db.execute(
      sql`select id, email from users where email in (${sql.join(
        MIXED_WRITERS.map((e) => sql`${e}`),
        sql`, `,
      )})`,
    ),
  );
  const page = (name: string) => pages.find((p) => p.name === name)?.path;
  const reads = [
    { kind: "home", weight: 15, paths: ["/"] },
    {
      kind: "lists",
      weight: 10,
      paths: ["/questions", "/questions?sort=active", "/questions?sort=unanswered", "/howtos"],
    },
    { kind: "spaces", weight: 10, paths: spaceRows.map((s) => `/s/${s.slug}`) },
    {
      kind: "questions",
      weight: 35,
      paths: [
        page("question") ?? "/questions",
        ...targets.map((t) => `/q/${t.questionId}`),
        ...others.map((q) => `/q/${q.id}`),
      ],
    },
    { kind: "how-tos", weight: 15, paths: howtos.map((h) => `/howtos/${h.id}`) },
    {
      kind: "search",
      weight: 10,
      paths: ["/search?q=vpn", "/search?q=printer", "/search?q=outlook+sync", "/search?q=certificate+error"],
    },
    { kind: "pulse", weight: 5, paths: ["/pulse"] },
  ].filter((r) => r.paths.length > 0);
  return { reads, targets, writerIds: new Map(writerRows.map((w) => [w.email, w.id])) };
}

async function main() {
  if (args.includes("--build") || !existsSync("build/index.js")) {
    console.error("Building the app…");
    execSync("npm run build", { stdio: "inherit" });
  }
  const prepared = await prepare();
  const { pages } = prepared;
  const rows: Row[] = [];
  const shipped: Shipped[] = [];
  let mobile: MobileResult[] | null = null;
  let mixed: MixedResult | null = null;
  let mixedCpuMs: number | null = null;
  const referenceRuns = new Map<string, LoadResult>();
  let reference: Awaited<ReturnType<typeof startReferenceServer>> | null = null;

  // Phase 1: the server as deployed (page cache and pulse cache at their defaults).
  let server = await startServer();
  const cookies = new Map<string, string>();
  try {
    for (const [email, cookie] of prepared.cookies) cookies.set(email, await refreshCookie(server.url, cookie));
    const readerCookie = cookies.get(prepared.readerEmail) ?? "";
    const captured: ReferencePage[] = [];
    for (const page of pages) {
      if (!page.signedInOnly) {
        const out = await capture(server, page, null);
        captured.push({ path: `/${page.name}/signed-out`, response: out.response });
        shipped.push({ page: page.name, reader: "signed out", ...out.shipped });
      }
      const inside = await capture(server, page, readerCookie);
      captured.push({ path: `/${page.name}/signed-in`, response: inside.response });
      shipped.push({ page: page.name, reader: "signed in", ...inside.shipped });
    }
    reference = await startReferenceServer(captured);
    const bodyBytes = (page: ResolvedPage, reader: Reader) =>
      captured.find((c) => c.path === `/${page.name}/${reader === "signed in" ? "signed-in" : "signed-out"}`)?.response
        .body.length ?? 0;

    for (const page of pages) {
      if (page.isPulse ? skip.has("pulse") : skip.has("pages")) continue;
      // /pulse without its caches is measured on the second server below; here it is served as deployed.
      const readers: Reader[] = page.signedInOnly
        ? ["signed in"]
        : page.isPulse
          ? ["anon hit", "signed in"]
          : ["anon hit", "anon miss", "signed in"];
      for (const reader of readers) {
        for (const connections of [1, 20]) {
          const result = await measurePage(server, reference, referenceRuns, page, reader, connections, readerCookie);
          rows.push({
            page: page.name,
            path: page.path,
            reader,
            connections,
            ...result,
            bytes: bodyBytes(page, reader),
            phase: "cached",
          });
        }
      }
    }

    if (!skip.has("mobile")) {
      if (!hasChromium()) console.error("Mobile first visit skipped: no chromium (set CHROMIUM_PATH).");
      else {
        const targets = ["how-to", "question"].flatMap((name) =>
          pages.filter((p) => p.name === name).map((p) => ({ name: p.name, path: p.path })),
        );
        // The server's page cache is warm for these (as for any page readers visit); the browser's cache is empty.
        for (const t of targets)
          for (let i = 0; i < 2; i++) await rawRequest(server.url + t.path, { headers: { ...BROWSER_HEADERS } });
        console.error(`Mobile first visit (phone, Slow 4G, ${CPU_SLOWDOWN}× CPU), ${mobileRuns} visit(s) per page…`);
        mobile = await measureMobile(server.url, targets, { runs: mobileRuns });
      }
    }

    if (!skip.has("mixed")) {
      const writers = MIXED_WRITERS.flatMap((email) => {
        const userId = prepared.mixedPlan.writerIds.get(email);
        const cookie = cookies.get(email);
        return userId && cookie ? [{ userId, cookie }] : [];
      });
      const readerCookies = MIXED_READERS.flatMap((email) => cookies.get(email) ?? []);
      const plan = { ...prepared.mixedPlan, readerCookies, writers };
      for (const check of await checkWrites(server.url, plan)) {
        if (check.status !== 303)
          throw new Error(
            `A ${check.kind} through the question page's form answered ${check.status} instead of 303: the mixed load would measure a broken write.`,
          );
      }
      await waitUntilIdle(`${server.url}/healthz`);
      console.error(
        `Mixed load: reads at concurrency ${mixedReaders}, writes at concurrency ${mixedWriters}, ${mixedColdStart} s from cold, then ${mixedSeconds} s measured…`,
      );
      let cpuBefore: number | null = null;
      mixed = await runMixed(server.url, plan, {
        seconds: mixedSeconds,
        coldStartSeconds: mixedColdStart,
        readConnections: mixedReaders,
        writeConnections: mixedWriters,
        onMeasuredStart: () => {
          cpuBefore = cpuMsOf(server.child.pid);
        },
      });
      const cpuAfter = cpuMsOf(server.child.pid);
      const answered = mixed.anonymous.requests + mixed.signedIn.requests + mixed.writes.requests;
      mixedCpuMs = cpuBefore === null || cpuAfter === null || answered === 0 ? null : (cpuAfter - cpuBefore) / answered;
    }
  } catch (error) {
    if (server.child.exitCode !== null)
      console.error(`The server exited with code ${server.child.exitCode}. Its last output:\n${server.output()}`);
    await reference?.stop();
    throw error;
  } finally {
    await server.stop();
  }

  // Phase 2: /pulse with both caches off, so every request computes the numbers and renders the page.
  try {
    if (!skip.has("pulse")) {
      server = await startServer({ PAGE_CACHE_MB: "0", PULSE_CACHE_SECONDS: "0" });
      try {
        const readerCookie = await refreshCookie(server.url, cookies.get(prepared.readerEmail) ?? "");
        for (const page of pages.filter((p) => p.isPulse)) {
          const readers: Reader[] = page.signedInOnly ? ["signed in"] : ["anon miss", "signed in"];
          for (const reader of readers) {
            for (const connections of [1, 20]) {
              const result = await measurePage(server, null, referenceRuns, page, reader, connections, readerCookie);
              rows.push({
                page: page.name,
                path: page.path,
                reader,
                connections,
                ...result,
                bytes: 0,
                phase: "uncached",
              });
            }
          }
        }
      } catch (error) {
        if (server.child.exitCode !== null)
          console.error(`The server exited with code ${server.child.exitCode}. Its last output:\n${server.output()}`);
        throw error;
      } finally {
        await server.stop();
      }
    }
  } finally {
    await reference?.stop();
  }

  report({ ...prepared, rows, shipped, mobile, mixed, mixedCpuMs });
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Prints rows under a header, each column as wide as its widest cell; the first `left` columns align left. */
function printTable(header: string[], rows: (string | number)[][], left = 1) {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  for (const r of cells)
    console.log(
      r
        .map((cell, i) => (i < left ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    );
}

/** Prints the tables, the legend and the targets, and writes the JSON results. */
function report(
  run: Prepared & {
    rows: Row[];
    shipped: Shipped[];
    mobile: MobileResult[] | null;
    mixed: MixedResult | null;
    mixedCpuMs: number | null;
  },
) {
  const { pages, counts, seedSeconds, pulseTimes, rows, shipped, mobile, mixed, mixedCpuMs } = run;
  const n = (value: number) => value.toLocaleString("en");
  const community = pulse
    ? `${pulseSizes.spaces} spaces, ${pulseSizes.users} people, ${n(counts?.questions ?? 0)} questions (${n(counts?.posts ?? 0)} posts)`
    : `${sizes.spaces} spaces, ${sizes.users} people, ${sizes.posts} posts`;
  const setup = `${databaseUrl ? "PostgreSQL" : "PGlite"}${workers > 1 ? `, ${workers} app processes (node:cluster)` : ""}`;
  console.log(
    `\nPeerDesk page benchmark${pulse ? " (service pulse data set)" : ""}: ${community}; ${setup}; ${os.cpus().length} CPUs, Node ${
      process.version
    }; ${seconds} s per run`,
  );
  if (seedSeconds !== null) console.log(`Seeding took ${seedSeconds.toFixed(1)} s`);
  if (pulseTimes?.report) {
    const r = pulseTimes.report;
    console.log(
      `Seeded ${n(r.answers)} answers, ${n(r.comments)} comments, ${n(r.accepted)} accepted, ${n(r.ratings)} ratings, ${n(r.thanks)} thanks, ` +
        `${n(r.howtos)} how-tos with ${n(r.howtoFeedback)} feedback`,
    );
  }
  if (pulseTimes && pulseTimes.factsSeconds !== null)
    console.log(`Question facts rebuild (rebuildQuestionFacts) took ${pulseTimes.factsSeconds.toFixed(1)} s`);
  if (pulseTimes && pulseTimes.indexSeconds !== null)
    console.log(`Search index build took ${pulseTimes.indexSeconds.toFixed(1)} s`);
  if (pulse && seedSeconds === null) console.log("Seeding, facts and index: reused from an earlier run");

  // Below 10 req/s a whole number hides the difference between 0.4 and 0; "-": no request finished within the run.
  const rate = (result: LoadResult, runSeconds = seconds) =>
    result.requestsPerSecond >= 10 || result.requests === 0
      ? String(result.requestsPerSecond)
      : (result.requests / runSeconds).toFixed(1);
  const ms = (result: LoadResult, value: number) => (result.requests === 0 ? "-" : String(value));
  const cached = rows.filter((r) => r.phase === "cached");
  if (cached.length) {
    console.log("\nPages (server as deployed: page cache and pulse cache on)");
    printTable(
      [
        "page",
        "path",
        "reader",
        "conc",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non2xx",
        "errors",
        "X-Cache",
        "CPU ms",
        "plain req/s",
        "ratio",
        "KB",
      ],
      cached.map((r) => {
        const ratio = r.plain?.requestsPerSecond
          ? `${((r.app.requestsPerSecond / r.plain.requestsPerSecond) * 100).toFixed(1)}%`
          : "-";
        const app = r.app;
        return [
          r.page,
          r.path,
          r.reader,
          r.connections,
          rate(app),
          ms(app, app.p50),
          ms(app, app.p99),
          app.non2xx,
          app.errors,
          xCacheSummary(app),
          app.cpuMsPerRequest ?? "-",
          r.plain?.requestsPerSecond ?? "-",
          ratio,
          kb(r.bytes),
        ];
      }),
      3,
    );
    if (cached.some((r) => r.app.requests === 0))
      console.log(
        `"-": no request finished within the ${seconds} s run (each one waited behind the others for longer than that).`,
      );
  }

  const pulseRows = rows.filter((r) => pages.find((p) => p.name === r.page)?.isPulse);
  if (pulseRows.some((r) => r.phase === "uncached")) {
    console.log(
      "\n/pulse cached (page cache hit signed out, PULSE_CACHE_SECONDS default signed in) and uncached (PAGE_CACHE_MB=0, PULSE_CACHE_SECONDS=0)",
    );
    printTable(
      ["page", "reader", "conc", "cached req/s", "p50 ms", "p99 ms", "uncached req/s", "p50 ms", "p99 ms", "non2xx"],
      pulseRows
        .filter((x) => x.phase === "uncached")
        .map((r) => {
          const cachedReader: Reader = r.reader === "signed in" ? "signed in" : "anon hit";
          const c = pulseRows.find(
            (x) =>
              x.phase === "cached" && x.page === r.page && x.reader === cachedReader && x.connections === r.connections,
          );
          const cells = c ? [rate(c.app), ms(c.app, c.app.p50), ms(c.app, c.app.p99)] : ["-", "-", "-"];
          return [
            r.page,
            r.reader === "signed in" ? "signed in" : "signed out",
            r.connections,
            ...cells,
            rate(r.app),
            ms(r.app, r.app.p50),
            ms(r.app, r.app.p99),
            r.app.non2xx,
          ];
        }),
      2,
    );
  }

  if (mixed) {
    const sent = Object.entries(mixed.writeKinds)
      .map(([kind, count]) => `${count} ${kind}s`)
      .join(", ");
    const signedOut = mixed.readConnections - mixed.signedInConnections;
    console.log(
      `\nMixed load: ${mixed.seconds} s, reads at concurrency ${mixed.readConnections} (${signedOut} signed out, ${mixed.signedInConnections} signed in), ` +
        `writes at concurrency ${mixed.writeConnections} (sent: ${sent || "none"})` +
        (mixedCpuMs === null ? "" : `; the app used ${mixedCpuMs.toFixed(1)} ms of CPU per answered request`),
    );
    const cold = mixed.coldStart;
    const classes: [string, LoadResult, number][] = [
      ...(cold
        ? ([
            [`cold ${cold.seconds} s: signed out`, cold.anonymous, cold.seconds],
            [`cold ${cold.seconds} s: signed in`, cold.signedIn, cold.seconds],
            [`cold ${cold.seconds} s: writes`, cold.writes, cold.seconds],
          ] as [string, LoadResult, number][])
        : []),
      ["signed out", mixed.anonymous, mixed.seconds],
      ["signed in", mixed.signedIn, mixed.seconds],
      ["writes", mixed.writes, mixed.seconds],
    ];
    if (cold)
      console.log(
        `First ${cold.seconds} s of the load ("cold": every connection arriving at once; ${skip.has("pages") ? "the server just started, every cache empty" : "after the page measurements, on pages they did not warm"}), then the ${mixed.seconds} s measured:`,
      );
    printTable(
      ["class", "requests", "req/s", "p50 ms", "p99 ms", "errors", "time-outs", "statuses", "X-Cache"],
      classes.map(([name, result, runSeconds]) => {
        // autocannon reports no status for a few responses on a connection it reopened after a time-out: "?".
        const statuses = Object.entries(result.statuses).map(
          ([status, count]) => `${status === "undefined" ? "?" : status}:${count}`,
        );
        const xCache = Object.entries(result.xCache).map(
          ([value, count]) => `${value === "none" ? "n/a" : value}:${count}`,
        );
        return [
          name,
          result.requests,
          rate(result, runSeconds),
          ms(result, result.p50),
          ms(result, result.p99),
          result.errors,
          result.timeouts,
          statuses.join(" "),
          xCache.join(" "),
        ];
      }),
    );
  }

  if (mobile) {
    const network = `${SLOW_4G.latency} ms latency per request, ${(SLOW_4G.downloadThroughput * 8) / 1e6} Mbit/s down, ${
      (SLOW_4G.uploadThroughput * 8) / 1e3
    } kbit/s up`;
    console.log(
      `\nMobile first visit, signed out: chromium, 390×844 phone, a fresh context each visit (empty browser cache), DevTools throttling`,
    );
    console.log(
      `(${network}, CPU ${CPU_SLOWDOWN}× slower); medians of ${mobileRuns} visit(s); times in ms, transfer sizes in KB`,
    );
    const time = (value: number | null) => (value === null ? "-" : Math.round(value));
    printTable(
      ["page", "LCP", "FCP", "TTFB", "DCL", "load", "requests", "HTML", "JS", "CSS", "other", "total"],
      mobile.map(({ page, median: v }) => [
        page,
        time(v.lcp),
        time(v.fcp),
        time(v.ttfb),
        time(v.domContentLoaded),
        time(v.load),
        v.requests,
        kb(v.bytes.html),
        kb(v.bytes.js),
        kb(v.bytes.css),
        kb(v.bytes.other),
        kb(v.bytes.total),
      ]),
    );
  }

  console.log("\nWhat each page ships (gzip KB): the JS and CSS files its HTML loads, and the HTML itself");
  const shippedCells = (name: string, reader: Shipped["reader"]) => {
    const s = shipped.find((x) => x.page === name && x.reader === reader);
    return s ? [kb(s.js), kb(s.css), kb(s.html)] : ["-", "-", "-"];
  };
  printTable(
    ["page", "out JS", "out CSS", "out HTML", "in JS", "in CSS", "in HTML"],
    [...new Set(shipped.map((s) => s.page))].map((name) => [
      name,
      ...shippedCells(name, "signed out"),
      ...shippedCells(name, "signed in"),
    ]),
  );
  console.log("(out: signed out, in: signed in)");

  printTargets(rows, shipped, mobile, mixed);

  console.log(`
Legend
  reader     anon hit: signed out, the page warmed first, so the page cache answers (X-Cache: hit) - what most readers get.
             anon miss: signed out, a unique "_bench=<n>" query parameter per request: the page ignores it but the cache
             keys on the whole query, so every request renders the page, compresses it and stores it (the price of a
             cold or just-invalidated page; the cache's code path stays in, unlike PAGE_CACHE_MB=0).
             signed in: a real session cookie of a seeded member (never cached whole).
  req/s p50 p99   autocannon, closed loop: "conc" connections each send the next request when the last one is answered;
             p50/p99 are response times in ms. Requests send Accept-Encoding like a browser (gzip, deflate, br).
  non2xx errors   responses other than 2xx (writes answer 303 on success, so see "statuses" there) / connection errors
             and time-outs (10 s).
  X-Cache    the share of responses with the most common X-Cache value; n/a: the server sends no X-Cache header.
  CPU ms     the app's CPU time (user + system, all its processes) per answered request during the run, from /proc.
  plain req/s, ratio   a plain node:http server in its own process answering the same bytes and headers the app sent,
             at the same concurrency, from the same load generator: the ceiling of this machine for that response.
  KB         the response body as sent (compressed when the app compressed it).
  cold       the mixed load's first seconds (--mixed-cold-start): all its connections arrive at once on pages nothing has
             warmed (page cache, page data and answer cards empty for them; with --skip pages the server has just
             started, so the JIT is cold too); the measured run follows without a pause (new connections, continuing
             the same request sequences).
  server     NODE_ENV=production, request logging on (one log line per request, to a file), ${workers > 1 ? `${workers} processes` : "one process"}; the app,
             the reference server and the load generator (this process) are three processes sharing ${os.cpus().length} CPUs.`);

  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/pages-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  const pulseResults = pulse ? { pulse: { sizes: pulseSizes, counts, ...pulseTimes } } : {};
  writeFileSync(
    file,
    JSON.stringify(
      {
        sizes: pulse ? pulseSizes : sizes,
        seconds,
        mixedSeconds,
        workers,
        database: databaseUrl ? "postgres" : "pglite",
        cpus: os.cpus().length,
        node: process.version,
        seedSeconds,
        ...pulseResults,
        rows,
        shipped,
        mobile,
        mixed,
        mixedCpuMs,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults written to ${file}`);
}

/** " (CPU 3.2 ms/request)" when the run measured the server's CPU time. */
function cpuNote(result: LoadResult): string {
  return result.cpuMsPerRequest == null ? "" : ` (CPU ${result.cpuMsPerRequest} ms/request)`;
}

/** The issue's targets next to what this run measured ("-": not measured in this run). */
function printTargets(rows: Row[], shipped: Shipped[], mobile: MobileResult[] | null, mixed: MixedResult | null) {
  const row = (page: string, reader: Reader, connections: number) =>
    rows.find((r) => r.phase === "cached" && r.page === page && r.reader === reader && r.connections === connections);
  const lines: { target: string; measured: string; met: boolean | null }[] = [];
  for (const page of ["question", "how-to"]) {
    const hit = row(page, "anon hit", 20);
    const ratio = hit?.plain?.requestsPerSecond ? hit.app.requestsPerSecond / hit.plain.requestsPerSecond : null;
    lines.push({
      target: `anon ${page}, cache hits, c=20: >= 30 % of plain`,
      measured: ratio === null ? "-" : `${(ratio * 100).toFixed(1)} % (${xCacheSummary(hit?.app as LoadResult)})`,
      met: ratio === null ? null : ratio >= 0.3,
    });
    const miss = row(page, "anon miss", 1);
    lines.push({
      target: `anon ${page}, cache misses, c=1: p50 < 10 ms`,
      measured: miss ? `${miss.app.p50} ms` : "-",
      met: miss ? miss.app.p50 < 10 : null,
    });
  }
  const signed1 = row("question", "signed in", 1);
  const signed20 = row("question", "signed in", 20);
  lines.push({
    target: "signed-in question, c=1: p50 < 5 ms",
    measured: signed1 ? `${signed1.app.p50} ms${cpuNote(signed1.app)}` : "-",
    met: signed1 ? signed1.app.p50 < 5 : null,
  });
  lines.push({
    target: "signed-in question, c=20: >= 300 req/s",
    measured: signed20 ? `${signed20.app.requestsPerSecond} req/s${cpuNote(signed20.app)}` : "-",
    met: signed20 ? signed20.app.requestsPerSecond >= 300 : null,
  });
  if (mixed) {
    const all = [mixed.anonymous, mixed.signedIn, mixed.writes];
    const cold = mixed.coldStart ? [mixed.coldStart.anonymous, mixed.coldStart.signedIn, mixed.coldStart.writes] : [];
    const errors = [...all, ...cold].reduce(
      (n, r) => n + r.errors + (r.statuses["500"] ?? 0) + (r.statuses["502"] ?? 0) + (r.statuses["503"] ?? 0),
      0,
    );
    const timeouts = [...all, ...cold].reduce((n, r) => n + r.timeouts, 0);
    const p99 = Math.max(...all.map((r) => r.p99));
    const coldNote = mixed.coldStart
      ? ` (first ${mixed.coldStart.seconds} s from cold: ${Math.max(...cold.map((r) => r.p99))} ms)`
      : "";
    lines.push({
      target: `mixed load ${mixed.seconds} s, c=${mixed.readConnections}+${mixed.writeConnections}: 0 errors, 0 time-outs, p99 < 1 s`,
      measured: `${errors} errors, ${timeouts} time-outs, worst p99 ${p99} ms${coldNote}`,
      met: errors === 0 && timeouts === 0 && p99 < 1000,
    });
  } else lines.push({ target: "mixed load: 0 errors, 0 time-outs, p99 < 1 s", measured: "-", met: null });
  for (const page of ["question", "how-to"]) {
    const s = shipped.find((x) => x.page === page && x.reader === "signed out");
    lines.push({
      target: `signed-out ${page}: JS <= 30 KB gzip`,
      measured: s ? `${kb(s.js)} KB` : "-",
      met: s ? s.js <= 30 * 1024 : null,
    });
  }
  const signedInJs = shipped.filter((s) => s.reader === "signed in" && ["question", "how-to"].includes(s.page));
  lines.push({
    target: "signed-in question/how-to: JS no more than before",
    measured: signedInJs.map((s) => `${s.page} ${kb(s.js)} KB`).join(", ") || "-",
    met: null,
  });
  const howto = mobile?.find((m) => m.page === "how-to")?.median.lcp;
  lines.push({
    target: "mobile first visit, how-to: LCP < 2.5 s",
    measured: howto == null ? "-" : `${Math.round(howto)} ms`,
    met: howto == null ? null : howto < 2500,
  });
  if (pulse) {
    const impact = row("my-impact", "signed in", 1);
    const uncached = rows.find((r) => r.phase === "uncached" && r.page === "my-impact" && r.connections === 1);
    const value = uncached ?? impact;
    lines.push({
      target: "My impact, busiest helper, c=1: p50 < 100 ms",
      measured: value ? `${value.app.p50} ms${uncached ? " (PULSE_CACHE_SECONDS=0)" : ""}` : "-",
      met: value ? value.app.p50 < 100 : null,
    });
  }
  console.log("\nTargets (issue 12)");
  const verdict = (met: boolean | null) => {
    if (met === null) return "";
    return met ? "met" : "NOT met";
  };
  printTable(
    ["target", "measured", ""],
    lines.map((l) => [l.target, l.measured, verdict(l.met)]),
    3,
  );
}

await main();
