/**
 * Renames that better-auth writes itself (its admin plugin's update-user through its real handler, and a person's own
 * update-user through its API) reach search as the profile form's rename does, and drop the cached pages showing the
 * old name; other changes to an account send nothing to the index.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { searchOutbox, users } from "#db/schema";
import { PAGE_CACHE_CHANNEL } from "~/lib/page-cache.server";
import { drainSearchOutbox } from "~/search/drain.server";
import { searchPosts } from "~/search/engine.server";
import { createPostgresSearch } from "~/search/postgres.server";
import { parseSearchInput } from "~/search/query";
import type { SearchEngine } from "~/search/types";
import { createTestDatabase } from "../../tests/fixtures/db";
import { makeSpace } from "../../tests/fixtures/people";
import { makeQuestion } from "../../tests/fixtures/qa";
import { Browser, type TestServices, signUp, signedInAdmin, testServices } from "../../tests/fixtures/routes";

let database: Database;
let services: TestServices;
let engine: SearchEngine;
let admin: Browser;
let member: Browser;
let memberId = "";
let heard: string[][] = [];
let onBarrier: (id: string) => void = () => {};
let stopListening: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  engine = createPostgresSearch(database.db);
  await engine.setup();
  admin = (await signedInAdmin(services, "10.4.0.1")).browser;
  member = new Browser(services, "10.4.0.2");
  await signUp(member, { name: "Bruno Member", email: "bruno@example.com", password: "bruno keeps the patch notes" });
  const [row] = await database.db.select().from(users).where(eq(users.email, "bruno@example.com"));
  memberId = row?.id ?? "";
  await database.db.update(users).set({ emailVerified: true }).where(eq(users.id, memberId));
  await makeQuestion(database.db, { id: memberId, role: "member", banned: false }, await makeSpace(database.db), {
    title: "Zephyrdock loses the second monitor after sleep",
  });
  await drain();
  stopListening = await database.listen(PAGE_CACHE_CHANNEL, (payload) => {
    const { tags, barrier } = JSON.parse(payload) as { tags?: string[]; barrier?: string };
    if (tags) heard.push(tags);
    if (barrier) onBarrier(barrier);
  });
});

afterAll(async () => {
  await stopListening();
  await database.close();
});

async function drain() {
  const result = await drainSearchOutbox(database.db, engine);
  expect(result.error).toBeNull();
}

/** The author's name search shows on the member's question. */
async function authorShownInSearch(): Promise<string | undefined> {
  const found = await searchPosts({ db: database.db, search: engine }, parseSearchInput("zephyrdock", {}).query);
  return found.hits[0]?.authorName;
}

/** Sends a barrier through the page cache channel and waits for it: every announcement committed before is heard. */
async function barrier(): Promise<void> {
  const marker = `barrier-${Math.random()}`;
  const heardBack = new Promise<void>((resolve) => {
    onBarrier = (id) => {
      if (id === marker) resolve();
    };
  });
  await database.db.execute(sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: marker })})`);
  await heardBack;
}

/** What the page cache was told to drop while `write` ran. */
async function pagesDroppedBy(write: () => Promise<void>): Promise<Set<string>> {
  await barrier();
  heard = [];
  await write();
  await barrier();
  return new Set(heard.flat());
}

/** An admin's call to better-auth's own admin endpoint, through its real handler (not served by the site over HTTP). */
async function adminEndpoint(path: string, body: unknown): Promise<Response> {
  return services.auth.handler(
    admin.request(`/api/auth/admin/${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  );
}

test("an admin's rename through better-auth's update-user shows in search and drops the cached pages", async () => {
  expect(await authorShownInSearch()).toBe("Bruno Member");
  const dropped = await pagesDroppedBy(async () => {
    const response = await adminEndpoint("update-user", { userId: memberId, data: { name: "Bruno Okafor" } });
    expect(response.status).toBe(200);
  });
  expect(dropped).toContain("*");
  await drain();
  expect(await authorShownInSearch()).toBe("Bruno Okafor");
  // A change that leaves the name alone sends nothing to search.
  expect((await adminEndpoint("set-role", { userId: memberId, role: "moderator" })).status).toBe(200);
  expect(await database.db.select().from(searchOutbox)).toEqual([]);
});

test("a person's own rename through better-auth's update-user shows in search", async () => {
  const response = await services.auth.api.updateUser({
    body: { name: "Bruno Silva" },
    headers: new Headers({ cookie: member.cookieHeader }),
    asResponse: true,
  });
  expect(response.status).toBe(200);
  await drain();
  expect(await authorShownInSearch()).toBe("Bruno Silva");
});
