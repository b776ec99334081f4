/**
 * npm run bench:pages [-- --small] [--build] [--pulse]
 * Seeds a large community (50 spaces, 2,000 people, 20,000 posts by default) into its own embedded database
 * (or DATABASE_URL), starts the production server, and measures pages under load at concurrency 1 and 20,
 * next to a plain node:http server returning the same bytes. Prints a table and writes bench/results/*.json.
 *
 * --pulse: the service pulse data set instead (bench/pulse-data.ts): 100,000 questions over the last 180 days
 * (BENCH_QUESTIONS overrides; 5,000 with --small) with answers, comments, accepted answers, ratings, thanks and how-to
 * feedback, then the question facts and the search index built once (seeding, facts and index times are printed).
 * It measures the pages above plus /pulse (30, 90 and 7 days, the busiest space, the most used tag) and /me/impact,
 * signed in as the person with the most accepted answers. The data set is kept in bench/.data/pglite-pulse-v1-* and
 * its dates are moved forward on reuse, so "the last 7 days" always has questions in it.
 */
import { execSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { desc, sql } from "drizzle-orm";
import { type Database, type Db, openDatabase } from "#db/client.server";
import { type NewPost, insertPosts, insertUsers } from "#db/seed";
import { comments, posts, spaces } from "#db/schema";
import { renderMarkdown } from "~/lib/markdown.server";
import { requestOverdueFeedback } from "~/models/feedback.server";
import { needsFactsRebuild, rebuildQuestionFacts } from "~/models/pulse.server";
import { countSearchablePosts } from "~/search/documents.server";
import { reindexAll } from "~/search/engine.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { type LoadResult, measure, progressBar, startProductionServer, waitUntilIdle } from "./lib";
import { BENCH_PASSWORD, type PulseSeedReport, type PulseSizes, moveDatesToNow, seedPulse } from "./pulse-data";

const args = process.argv.slice(2);
const small = args.includes("--small");
const pulse = args.includes("--pulse");
const sizes = {
  spaces: Number(process.env.BENCH_SPACES ?? (small ? 10 : 50)),
  users: Number(process.env.BENCH_USERS ?? (small ? 200 : 2000)),
  posts: Number(process.env.BENCH_POSTS ?? (small ? 2000 : 20000)),
};
const seconds = Number(process.env.BENCH_SECONDS ?? (small ? 3 : 8));
const databaseUrl = process.env.DATABASE_URL || undefined;
const pulseSizes: PulseSizes = { spaces: sizes.spaces, users: sizes.users, questions: Number(process.env.BENCH_QUESTIONS ?? (small ? 5000 : 100_000)) };
// v2: the data set gained comments and how-tos; older directories are not reused.
const dataDir = path.resolve(
  pulse ? `bench/.data/pglite-pulse-v1-${pulseSizes.spaces}-${pulseSizes.users}-${pulseSizes.questions}` : `bench/.data/pglite-v2-${sizes.spaces}-${sizes.users}-${sizes.posts}`,
);

/** A page to measure: its path resolved against the seeded data, and for private pages whose email to sign in with. */
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
        .select({ slug: spaces.slug, n: sql<number>`(select count(*) from posts p where p.space_id = ${spaces.id} and p.parent_id is null)`.mapWith(Number) })
        .from(spaces)
        .orderBy(desc(sql`2`))
        .limit(1);
      return `/s/${row?.slug ?? "space-1"}`;
    },
  },
  {
    name: "question",
    resolve: async (db) => {
      const [row] = await db.select({ id: posts.id }).from(posts).where(sql`${posts.kind} = 'question'`).orderBy(desc(posts.answerCount)).limit(1);
      return `/q/${row?.id ?? 1}`;
    },
  },
  {
    name: "how-to",
    resolve: async (db) => {
      const [row] = await db.select({ id: posts.id }).from(posts).where(sql`${posts.kind} = 'howto'`).orderBy(posts.id).limit(1);
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
        await db.execute(sql`select s.slug from spaces s join posts q on q.space_id = s.id and q.kind = 'question' and q.deleted_at is null group by s.slug order by count(*) desc, s.slug limit 1`),
      );
      return `/pulse?space=${encodeURIComponent(row?.slug ?? "space-1")}`;
    },
  },
  {
    name: "pulse-tag",
    resolve: async (db) => {
      const [row] = rowsOf<{ slug: string }>(
        await db.execute(sql`select t.slug from post_tags pt join tags t on t.id = pt.tag_id join posts q on q.id = pt.post_id and q.kind = 'question' and q.deleted_at is null
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
        await db.execute(sql`select u.email, count(*)::int as accepted from posts q join posts a on a.id = q.accepted_answer_id join users u on u.id = a.author_id
          where q.kind = 'question' and q.deleted_at is null and a.deleted_at is null and a.author_id <> q.author_id
          group by u.email order by count(*) desc, u.email limit 1`),
      );
      if (!row) throw new Error("No accepted answers in the data set: nobody to sign in as for /me/impact.");
      console.error(`My impact: signed in as ${row.email} (${row.accepted.toLocaleString("en")} accepted answers).`);
      return row.email;
    },
  },
];

const WORDS = "vpn dns exchange certificate intune printer teams sharepoint onedrive mfa phishing backup firewall switch vlan dhcp wifi laptop driver update policy license outlook mailbox sync token azure tenant group conditional access bitlocker patch".split(" ");
function sentence(seed: number, length: number): string {
  const out: string[] = [];
  for (let i = 0; i < length; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length] ?? "it");
  return out.join(" ");
}

async function seed(db: Db) {
  const started = Date.now();
  const spaceRows = await db
    .insert(spaces)
    .values(Array.from({ length: sizes.spaces }, (_, i) => ({ slug: `space-${i + 1}`, name: `Space ${i + 1}`, description: `Benchmark space ${i + 1}`, position: i + 1 })))
    .returning({ id: spaces.id });
  const hash = await hashPassword("benchmark-password");
  const userBar = progressBar("people", sizes.users);
  const userIds: string[] = [];
  for (let i = 0; i < sizes.users; i += 500) {
    const batch = Array.from({ length: Math.min(500, sizes.users - i) }, (_, j) => ({ name: `Member ${i + j + 1}`, email: `member${i + j + 1}@bench.test`, handle: `member-${i + j + 1}` }));
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
    ids.forEach((id, k) => questionIds.push({ id, spaceId: batch[k]?.spaceId ?? 1 }));
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
    return { postId: n < 20 ? heavy : (heavyAnswers[n % heavyAnswers.length]?.id ?? heavy), authorId: userIds[(n * 17) % userIds.length] ?? "", bodyMd: body, bodyHtml: renderMarkdown(body) };
  });
  await db.insert(comments).values(commentRows);
  await db.execute(sql`update posts set comment_count = (select count(*) from comments c where c.post_id = posts.id) where id = ${heavy} or parent_id = ${heavy}`);
  // How-tos: one per space with eight steps, the size a real guide has.
  const steps = Array.from({ length: 8 }, (_, k) => {
    const bodyMd = `Open **${sentence(k, 3)}** and choose *${sentence(k + 1, 2)}*.\n\n\`\`\`powershell\nSet-Item -Path HKLM:\\Software\\Step${k} -Value 1\n\`\`\``;
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

type PulseTimes = { report: PulseSeedReport | null; seedSeconds: number | null; factsSeconds: number | null; indexSeconds: number | null; movedDays: number };

/**
 * Seeds the pulse data set into an empty database, or checks and refreshes a reused one. Facts and the search index
 * are built here, with progress bars, rather than by the server on its first start (which would outlast its health check).
 */
async function preparePulseData(database: Database, isEmpty: boolean): Promise<PulseTimes> {
  const db = database.db;
  const search = createPostgresSearch(db);
  if (!isEmpty) {
    if ((await needsFactsRebuild(db)) || (await search.count()) === 0) {
      throw new Error(`The data set in ${dataDir} is incomplete (an interrupted seed?). Delete that directory and run again.`);
    }
    const started = performance.now();
    const movedDays = await moveDatesToNow(db);
    if (movedDays > 0) {
      await database.maintain();
      console.error(`Moved the data set's dates forward by ${movedDays.toFixed(1)} days (${((performance.now() - started) / 1000).toFixed(1)} s).`);
    }
    return { report: null, seedSeconds: null, factsSeconds: null, indexSeconds: null, movedDays };
  }
  console.error(`Seeding ${pulseSizes.spaces} spaces, ${pulseSizes.users} people, ${pulseSizes.questions.toLocaleString("en")} questions into ${databaseUrl ? "DATABASE_URL" : path.relative(process.cwd(), dataDir)}`);
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

/** Signs in through better-auth's endpoint, as a browser on the site would, and returns the cookie header to send. */
async function signIn(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  if (!response.ok) throw new Error(`Signing in as ${email} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter(Boolean)
    .join("; ");
  if (!cookie.includes("session_token=")) throw new Error(`Signing in as ${email} set no session cookie.`);
  return cookie;
}

function plainServer(body: Buffer, contentType: string): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": contentType, "content-length": body.length });
      res.end(body);
    });
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** Gzip bytes of the scripts (module preloads and the entry) and style sheets a page loads. */
async function shippedBytes(base: string, html: string): Promise<{ js: number; css: number }> {
  const assets = [...new Set([...html.matchAll(/["'](\/build\/[^"']+\.(?:js|css))["']/g)].map((m) => m[1] ?? ""))];
  let js = 0;
  let css = 0;
  for (const asset of assets) {
    const response = await fetch(base + asset);
    const size = gzipSync(Buffer.from(await response.arrayBuffer())).length;
    if (asset.endsWith(".css")) css += size;
    else js += size;
  }
  return { js, css };
}

async function main() {
  if (args.includes("--build") || !existsSync("build/index.js")) {
    console.error("Building the app…");
    execSync("npm run build", { stdio: "inherit" });
  }
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: dataDir });
  await database.migrate();
  const [existing] = await database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(posts);
  let seedSeconds: number | null = null;
  let pulseTimes: PulseTimes | null = null;
  if (pulse) {
    if ((existing?.n ?? 0) > 0) console.error(`Reusing the seeded data set (${existing?.n} posts).`);
    pulseTimes = await preparePulseData(database, (existing?.n ?? 0) === 0);
    seedSeconds = pulseTimes.seedSeconds;
    // The server's reminder loop would otherwise write these notifications in the middle of a measurement.
    await requestOverdueFeedback(database.db);
  } else if ((existing?.n ?? 0) === 0) {
    console.error(`Seeding ${sizes.spaces} spaces, ${sizes.users} people, ${sizes.posts} posts into ${databaseUrl ? "DATABASE_URL" : dataDir}`);
    seedSeconds = await seed(database.db);
  } else {
    console.error(`Reusing the seeded data set (${existing?.n} posts).`);
  }
  const [counts] = pulse
    ? rowsOf<{ questions: number; posts: number }>(await database.db.execute(sql`select count(*) filter (where kind = 'question')::int as questions, count(*)::int as posts from posts`))
    : [];
  const pages = pulse ? [...PAGES, ...PULSE_PAGES] : PAGES;
  const paths = await Promise.all(pages.map(async (p) => ({ name: p.name, path: await p.resolve(database.db), signInAs: p.signInAs ? await p.signInAs(database.db) : null })));
  // PGlite is single-process: close it before the server opens the same directory.
  await database.close();

  const server = await startProductionServer(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DIR: dataDir, DATABASE_URL: "" }, { startupSeconds: pulse ? 300 : 60 });
  const rows: { page: string; path: string; connections: number; app: LoadResult; plain: LoadResult; bytes: number }[] = [];
  const shipped: { page: string; js: number; css: number; html: number }[] = [];
  try {
    for (const page of paths) {
      const headers = page.signInAs ? { cookie: await signIn(server.url, page.signInAs) } : undefined;
      // A private page must answer 200 itself: following a redirect would measure the sign-in page instead.
      const response = await fetch(server.url + page.path, { headers, redirect: headers ? "manual" : "follow" });
      if (headers && response.status !== 200) {
        throw new Error(`${page.path} answered ${response.status}${response.headers.get("location") ? ` (to ${response.headers.get("location")})` : ""} with the session cookie of ${page.signInAs}`);
      }
      if (!response.ok) throw new Error(`${page.path} answered ${response.status}`);
      const body = Buffer.from(await response.arrayBuffer());
      shipped.push({ page: page.name, ...(await shippedBytes(server.url, body.toString("utf8"))), html: gzipSync(body).length });
      const plain = await plainServer(body, response.headers.get("content-type") ?? "text/html");
      for (const connections of [1, 20]) {
        console.error(`Measuring ${page.path} at concurrency ${connections}…`);
        // Pulse pages take long enough that a run's abandoned requests would still be running when the next one starts.
        const settle = pulse ? () => waitUntilIdle(`${server.url}/healthz`) : undefined;
        const app = await measure(server.url + page.path, { connections, seconds, headers, settle });
        const reference = await measure(plain.url, { connections, seconds });
        rows.push({ page: page.name, path: page.path, connections, app, plain: reference, bytes: body.length });
      }
      await plain.close();
    }
  } catch (error) {
    if (server.child.exitCode !== null) console.error(`The server exited with code ${server.child.exitCode}. Its last output:\n${server.output().slice(-4000)}`);
    throw error;
  } finally {
    await server.stop();
  }

  // Wider columns only when a name or path needs them (the pulse pages' query strings).
  const pageWidth = Math.max(10, ...rows.map((r) => r.page.length));
  const pathWidth = Math.max(22, ...rows.map((r) => r.path.length));
  const header = `${"page".padEnd(pageWidth)} ${"path".padEnd(pathWidth)} ${"conc".padStart(4)} ${"req/s".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"non2xx".padStart(6)} ${"plain req/s".padStart(11)} ${"ratio".padStart(6)} ${"KB".padStart(5)}`;
  const community = pulse
    ? `${pulseSizes.spaces} spaces, ${pulseSizes.users} people, ${(counts?.questions ?? 0).toLocaleString("en")} questions (${(counts?.posts ?? 0).toLocaleString("en")} posts)`
    : `${sizes.spaces} spaces, ${sizes.users} people, ${sizes.posts} posts`;
  console.log(`\nPeerDesk page benchmark${pulse ? " (service pulse data set)" : ""}: ${community}; ${databaseUrl ? "PostgreSQL" : "PGlite"}; ${os.cpus().length} CPUs, Node ${process.version}; ${seconds}s per run`);
  if (seedSeconds !== null) console.log(`Seeding took ${seedSeconds.toFixed(1)} s`);
  if (pulseTimes?.report) {
    const r = pulseTimes.report;
    console.log(
      `Seeded ${r.answers.toLocaleString("en")} answers, ${r.comments.toLocaleString("en")} comments, ${r.accepted.toLocaleString("en")} accepted, ${r.ratings.toLocaleString("en")} ratings, ${r.thanks.toLocaleString("en")} thanks, ${r.howtos.toLocaleString("en")} how-tos with ${r.howtoFeedback.toLocaleString("en")} feedback`,
    );
  }
  if (pulseTimes && pulseTimes.factsSeconds !== null) console.log(`Question facts rebuild (rebuildQuestionFacts) took ${pulseTimes.factsSeconds.toFixed(1)} s`);
  if (pulseTimes && pulseTimes.indexSeconds !== null) console.log(`Search index build took ${pulseTimes.indexSeconds.toFixed(1)} s`);
  if (pulse && seedSeconds === null) console.log("Seeding, facts and index: reused from an earlier run");
  console.log(header);
  // Below 10 req/s a whole number hides the difference between 0.4 and 0; "-": no request finished within the run.
  const rate = (result: LoadResult) => (result.requestsPerSecond >= 10 || result.requests === 0 ? String(result.requestsPerSecond) : (result.requests / seconds).toFixed(1));
  const latency = (result: LoadResult, ms: number) => (result.requests === 0 ? "-" : String(ms));
  for (const r of rows) {
    const ratio = r.plain.requestsPerSecond ? r.app.requestsPerSecond / r.plain.requestsPerSecond : 0;
    console.log(
      `${r.page.padEnd(pageWidth)} ${r.path.padEnd(pathWidth)} ${String(r.connections).padStart(4)} ${rate(r.app).padStart(7)} ${latency(r.app, r.app.p50).padStart(7)} ${latency(r.app, r.app.p99).padStart(7)} ${String(r.app.non2xx).padStart(6)} ${String(r.plain.requestsPerSecond).padStart(11)} ${(ratio * 100).toFixed(1).padStart(5)}% ${(r.bytes / 1024).toFixed(0).padStart(5)}`,
    );
  }
  if (rows.some((r) => r.app.requests === 0)) console.log(`"-": no request finished within the ${seconds} s run (each one waited behind the others for longer than that).`);
  console.log("\nWhat each page ships (gzip, KB): the JS and CSS files it loads, and its HTML");
  console.log(`${"page".padEnd(pageWidth)} ${"JS".padStart(6)} ${"CSS".padStart(6)} ${"HTML".padStart(6)}`);
  for (const s of shipped) console.log(`${s.page.padEnd(pageWidth)} ${(s.js / 1024).toFixed(1).padStart(6)} ${(s.css / 1024).toFixed(1).padStart(6)} ${(s.html / 1024).toFixed(1).padStart(6)}`);
  mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/pages-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  const pulseResults = pulse ? { pulse: { sizes: pulseSizes, counts, ...pulseTimes } } : {};
  writeFileSync(
    file,
    JSON.stringify({ sizes: pulse ? pulseSizes : sizes, seconds, database: databaseUrl ? "postgres" : "pglite", cpus: os.cpus().length, node: process.version, seedSeconds, ...pulseResults, rows, shipped }, null, 2),
  );
  console.log(`Results written to ${file}`);
}

await main();
