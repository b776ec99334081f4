/**
 * What one sitemap file costs on the real database: the database walks the listed addresses in order (questions,
 * how-tos, sessions and profiles each from an index) and stops at the file's end, so a file's work stays the same as the
 * forum grows past it (it used to date and sort every address of the site for every file); the index at /sitemap.xml
 * reads the site a file at a time instead of numbering and dating every address in one sort; and the demo community's
 * sitemap, single or split into files with their index, is byte for byte what sorting the whole list gives.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Database, type Db, queryRows } from "#db/client.server";
import { officeHours } from "#db/schema";
import { howtoPath } from "~/lib/howtos";
import { questionPath } from "~/lib/qa";
import { insertPosts, seedDemoContent } from "../../scripts/seed/demo";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makePerson, makeSpace, makeUsers } from "../../tests/fixtures/people";
import { sitemapIndexXml, sitemapShape, sitemapUrls, sitemapXml } from "./sitemap.server";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

type PlanNode = { "Actual Rows": number; "Actual Loops": number; Plans?: PlanNode[] };

/** Rows every step of a statement's plan produced, summed: the work it did, counted the same way on every run. */
function rowsHandled(node: PlanNode): number {
  return (
    node["Actual Rows"] * node["Actual Loops"] + (node.Plans ?? []).reduce((sum, child) => sum + rowsHandled(child), 0)
  );
}

/** The plans of every statement `read` sends, each run again under EXPLAIN ANALYZE on `db`. */
async function plansOf(db: Db, read: (db: Db) => Promise<unknown>): Promise<PlanNode[]> {
  const statements: SQL[] = [];
  const watched = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "execute") return Reflect.get(target, property, receiver);
      return (query: SQL) => {
        statements.push(query);
        return target.execute(query);
      };
    },
  });
  await read(watched);
  const plans: PlanNode[] = [];
  for (const statement of statements) {
    const [row] = await queryRows<{ "QUERY PLAN": [{ Plan: PlanNode }] | string }>(
      db,
      sql`explain (analyze, format json) ${statement}`,
    );
    const plan = row?.["QUERY PLAN"];
    const parsed = typeof plan === "string" ? (JSON.parse(plan) as [{ Plan: PlanNode }]) : plan;
    if (!parsed?.[0]) throw new Error("no plan");
    plans.push(parsed[0].Plan);
  }
  return plans;
}

/** The rows handled by every statement `read` sends, each run again under EXPLAIN ANALYZE. */
async function workOf(read: (db: Db) => Promise<unknown>, db: Db = database.db): Promise<number> {
  return (await plansOf(db, read)).reduce((sum, plan) => sum + rowsHandled(plan), 0);
}

/** The most rows any one step of these plans produced in one go (a sort of the whole list produces all of them). */
function largestStep(node: PlanNode): number {
  return Math.max(node["Actual Rows"], ...(node.Plans ?? []).map(largestStep));
}

/**
 * `count` members who joined a minute apart from `from`, each hosting a session created half a minute after they
 * joined: both their profile and their session are listed.
 */
async function writeHosts(db: Db, spaceId: number, from: number, count: number): Promise<void> {
  const at = (i: number, seconds = 0) => new Date(from + i * 60_000 + seconds * 1000);
  const hosts = await makeUsers(
    db,
    Array.from({ length: count }, (_, i) => ({ role: "mentor" as const, createdAt: at(i) })),
  );
  await db.insert(officeHours).values(
    hosts.map((hostId, i) => ({
      hostId,
      spaceId,
      title: `Printer fleet office hours ${i}`,
      descriptionMd: "Bring your jammed trays.",
      descriptionHtml: "<p>Bring your jammed trays.</p>",
      startsAt: at(i, 3600),
      endsAt: at(i, 7200),
      createdAt: at(i, 30),
      updatedAt: at(i, 30),
    })),
  );
  await db.execute(sql`analyze`);
}

test("a sitemap file's work stays the same as the forum grows past it: it reads its own page, not the whole site", async () => {
  const { db } = database;
  const spaceId = await makeSpace(db);
  const authors = await Promise.all(Array.from({ length: 4 }, () => makePerson(db)));
  const start = Date.parse("2024-01-01T00:00:00Z");
  let written = 0;
  const write = async (count: number) => {
    const items = Array.from({ length: count }, () => {
      const n = written++;
      return {
        kind: n % 2 === 1 ? ("howto" as const) : ("question" as const),
        spaceId,
        authorId: authors[n % authors.length]?.id ?? "",
        title: `Printer queue question number ${n}`,
        body: "The printer on floor 3 drops jobs.",
        createdAt: new Date(start + n * 60_000),
      };
    });
    await insertPosts(db, items);
    await db.execute(sql`analyze`);
  };
  const perFile = 40;
  const secondFile = (handle: Db) => sitemapUrls(handle, { file: 2, perFile });

  await write(300);
  const before = await secondFile(db);
  const workBefore = await workOf(secondFile);

  // Four times as many posts, all written after the file's: its addresses and its work are the same.
  await write(1200);
  expect(await secondFile(db)).toEqual(before);
  // (Dating and sorting the whole list, as before, handled about 6,000 rows more here.)
  expect(await workOf(secondFile)).toBeLessThanOrEqual(workBefore);
}, 120_000);

test("a file of sessions and profiles reads its own page too: its work stays the same as the forum grows past it", async () => {
  const fresh = await createTestDatabase();
  try {
    const { db } = fresh;
    const spaceId = await makeSpace(db);
    const start = Date.parse("2025-01-01T00:00:00Z");
    const perFile = 40;
    const secondFile = (handle: Db) => sitemapUrls(handle, { file: 2, perFile });

    await writeHosts(db, spaceId, start, 300);
    const before = await secondFile(db);
    expect(new Set(before.map((url) => url.path.split("/")[1]))).toEqual(new Set(["sessions", "u"]));
    const workBefore = await workOf(secondFile, db);

    // Four times as many hosts and sessions, all after the file's: its addresses and its work are the same.
    await writeHosts(db, spaceId, start + 300 * 60_000, 1200);
    expect(await secondFile(db)).toEqual(before);
    // (Sorting every session and profile, as before, handled about 3,000 rows more here.)
    expect(await workOf(secondFile, db)).toBeLessThanOrEqual(workBefore);
  } finally {
    await fresh.close();
  }
}, 120_000);

test("the sitemap index reads the site a file at a time: no step handles more than a few files' worth of addresses", async () => {
  const fresh = await createTestDatabase();
  try {
    const { db } = fresh;
    const spaceId = await makeSpace(db);
    const authors = await Promise.all(Array.from({ length: 20 }, () => makePerson(db)));
    const start = Date.parse("2025-01-01T00:00:00Z");
    await insertPosts(
      db,
      Array.from({ length: 600 }, (_, n) => ({
        kind: n % 3 === 1 ? ("howto" as const) : ("question" as const),
        spaceId,
        authorId: authors[n % authors.length]?.id ?? "",
        title: `Badge reader question number ${n}`,
        body: "The badge reader at the side door blinks red.",
        createdAt: new Date(start + n * 45_000),
      })),
    );
    await writeHosts(db, spaceId, start, 300);
    const perFile = 40;
    const index = await sitemapShape(db, perFile);
    if (index.kind !== "index") throw new Error("expected an index");
    // About 1,220 addresses in some 30 files; numbering them all in one sort handled every one of them at once.
    expect(index.files.length).toBeGreaterThan(25);
    const plans = await plansOf(db, (handle) => sitemapShape(handle, perFile));
    expect(Math.max(...plans.map(largestStep))).toBeLessThanOrEqual(4 * (perFile + 1));
  } finally {
    await fresh.close();
  }
}, 180_000);

/** A post shown under its author's name (as the sitemap lists profiles). */
const namedPosts = sql`not posts.is_anonymous and posts.deleted_at is null and (posts.parent_id is null
  or exists (select 1 from posts q where q.id = posts.parent_id and q.deleted_at is null))`;

/** The sitemap's entries as sorting the whole list gives them (the query every file used to run), dated. */
const everyEntrySortedWhole = sql`select type, id, handle, kind, title, changed from (
  select 'post' as type, id, null::text as handle, kind, title, created_at as created,
    greatest(last_activity_at, updated_at) as changed
  from posts where kind in ('question', 'howto') and parent_id is null and deleted_at is null
    and not exists (select 1 from question_closures c where c.question_id = posts.id and c.reason = 'duplicate')
  union all
  select 'session', id, null, null, null, created_at, greatest(updated_at,
    (select max(greatest(q.created_at, q.edited_at, q.answered_at)) from session_questions q
     where q.session_id = qa_sessions.id and q.hidden_at is null and q.state <> 'withdrawn'))
  from qa_sessions where qa_sessions.cancelled_at is null
  union all
  select 'profile', null, handle, null, null, created_at, greatest(updated_at,
    (select max(posts.created_at) from posts where posts.author_id = users.id and ${namedPosts}),
    (select max(qa_sessions.updated_at) from qa_sessions where qa_sessions.host_id = users.id
      and qa_sessions.cancelled_at is null))
  from users where users.handle is not null and users.deleted_at is null and not users.banned
    and not exists (select 1 from hidden_profiles h where h.user_id = users.id)
    and (exists (select 1 from posts where posts.author_id = users.id and ${namedPosts})
      or exists (select 1 from qa_sessions where qa_sessions.host_id = users.id and qa_sessions.cancelled_at is null))
  ) entries order by created, type, id, handle`;

type Entry = { type: string; id: number | null; handle: string | null; kind: string | null; title: string | null };

function pathOf(entry: Entry): string {
  if (entry.type === "profile") return `/u/${encodeURIComponent(entry.handle ?? "")}`;
  if (entry.type === "session") return `/sessions/${entry.id}`;
  return entry.kind === "howto" ? howtoPath(entry.id ?? 0) : questionPath(entry.id ?? 0, entry.title);
}

test("the demo community's sitemap, whole or in files with their index, is byte for byte what sorting the whole list gives", async () => {
  const demo = await createTestDatabase();
  try {
    const { db } = demo;
    await seedDemoContent(db);
    // Entries of every type created in the same microsecond, and others a microsecond later: a file may end between
    // any two of them, and the next one starts right after, neither skipping nor repeating one.
    for (const [at, skip] of [
      ["2025-06-01 12:00:00.123456+00", 0],
      ["2025-06-01 12:00:00.123457+00", 2],
    ] as const) {
      await db.execute(sql`update posts set created_at = ${at}::timestamptz where id in (
        (select id from posts where kind = 'question' and parent_id is null order by id offset ${skip} limit 2)
        union all (select id from posts where kind = 'howto' order by id offset ${skip} limit 2))`);
      await db.execute(sql`update qa_sessions set created_at = ${at}::timestamptz
        where id in (select id from qa_sessions where cancelled_at is null order by id offset ${skip} limit 2)`);
      await db.execute(sql`update users set created_at = ${at}::timestamptz where id in (
        select author_id from posts where not is_anonymous and deleted_at is null and parent_id is null
        group by author_id order by author_id offset ${skip} limit 2)`);
    }
    const base = "https://peerdesk.example";
    const sorted = (await queryRows<Entry & { changed: Date | string }>(db, everyEntrySortedWhole)).map((entry) => ({
      path: pathOf(entry),
      lastModified: new Date(entry.changed),
    }));
    expect(sorted.length).toBeGreaterThan(20);
    expect(new Set(sorted.map((url) => url.path.split("/")[1]))).toEqual(new Set(["q", "howtos", "sessions", "u"]));
    const single = await sitemapUrls(db);
    const fixed = single.slice(0, single.length - sorted.length);
    expect(fixed.every((url) => !/^\/(q|howtos|sessions|u)\//.test(url.path))).toBe(true);
    const everything = [...fixed, ...sorted];
    expect(sitemapXml(base, single)).toBe(sitemapXml(base, everything));
    const shape = await sitemapShape(db);
    expect(shape.kind === "single" && sitemapXml(base, shape.urls)).toBe(sitemapXml(base, everything));

    // Files of a few addresses each: every file, and the index naming them with their newest change.
    for (const perFile of [fixed.length + 1, fixed.length + 7, fixed.length + 20]) {
      const files: (typeof everything)[] = [];
      for (let i = 0; i < everything.length; i += perFile) files.push(everything.slice(i, i + perFile));
      const index = await sitemapShape(db, perFile);
      if (index.kind !== "index") throw new Error("expected an index");
      const newest = (urls: typeof everything) =>
        urls.reduce<Date | null>(
          (max, url) => (url.lastModified && (!max || url.lastModified > max) ? url.lastModified : max),
          null,
        );
      expect(sitemapIndexXml(base, index.files)).toBe(
        sitemapIndexXml(
          base,
          files.map((urls, i) => ({ path: `/sitemap/${i + 1}.xml`, lastModified: newest(urls) })),
        ),
      );
      for (const [i, urls] of files.entries())
        expect(sitemapXml(base, await sitemapUrls(db, { file: i + 1, perFile }))).toBe(sitemapXml(base, urls));
      expect(await sitemapUrls(db, { file: files.length + 1, perFile })).toEqual([]);
    }
  } finally {
    await demo.close();
  }
}, 180_000);
