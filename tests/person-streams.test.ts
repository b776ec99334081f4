/**
 * A person's own live streams (their unread count at /events, a moderator's review count at /review/events) end once
 * the reader may no longer have them: banned (which signs them out everywhere) or no longer a moderator. Before, a
 * stream opened while allowed stayed open for as long as the tab did. Real better-auth sessions, the real loaders and
 * a real realtime hub on the test database; the streams check again every 50 ms here (25 s in production).
 */
import type { AppLoadContext } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "#db/client.server";
import { createRealtimeHub } from "~/lib/realtime.server";
import { EventStreamLimits } from "~/lib/sse.server";
import { banUser, setUserRole } from "~/models/users.server";
import { loader as unreadLoader } from "~/routes/events";
import { loader as reviewLoader } from "~/routes/review.events";
import { createTestDatabase } from "./fixtures/db";
import { makePerson } from "./fixtures/people";
import { Browser, type TestServices, signUp, testServices } from "./fixtures/routes";

let database: Database;
let services: TestServices;
let admin: Awaited<ReturnType<typeof makePerson>>;
beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  admin = await makePerson(database.db, { role: "admin" });
});
afterAll(async () => {
  await database?.close();
});

type Loader = typeof unreadLoader;

async function idOf(email: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(database.db, sql`select id from users where email = ${email}`);
  return row?.id ?? "";
}

/** Opens the stream as this browser; `text()` is everything it said once it ends. */
function open(browser: Browser, loader: Loader, path: string) {
  const client = new AbortController();
  const context = {
    services: {
      ...services,
      realtime: createRealtimeHub(database),
      eventStreams: new EventStreamLimits({ limit: 10, limitPerAddress: 10, recheckMs: 50, log: () => {} }),
    },
  } as unknown as AppLoadContext;
  const request = new Request(browser.request(path, { headers: { Accept: "text/event-stream" } }), {
    signal: client.signal,
  });
  const answer = (async () => (await loader({ request, params: {}, context })) as Response)();
  return { answer, client };
}

/** Reads the stream as it comes: what it said so far, and whether it has ended. */
function follow(response: Response) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  const seen = { text: "", ended: false };
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.text += decoder.decode(value, { stream: true });
    }
    seen.ended = true;
  })();
  return seen;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a member's unread stream ends once they are banned, and reconnecting is refused", async () => {
  const member = new Browser(services, "10.9.0.1");
  await signUp(member, { name: "Bea Banned", email: "bea@example.test", password: "a long enough password 1" });
  const other = new Browser(services, "10.9.0.2");
  await signUp(other, { name: "Kim Kept", email: "kim@example.test", password: "a long enough password 2" });
  const [stream, kept] = [open(member, unreadLoader, "/events"), open(other, unreadLoader, "/events")];
  try {
    const response = await stream.answer;
    expect(response.status).toBe(200);
    const seen = follow(response);
    const keptSeen = follow(await kept.answer);

    // Still allowed: several checks pass and the stream stays open, having sent the count.
    await pause(400);
    expect(seen.ended).toBe(false);
    expect(seen.text).toContain("event: unread");

    await banUser(database.db, { userId: await idOf("bea@example.test"), reason: "Spam", by: admin.id });
    await expect.poll(() => seen.ended, { timeout: 5_000 }).toBe(true);
    expect((await open(member, unreadLoader, "/events").answer).status).toBe(401);
    // Someone else's stream is not touched.
    await pause(200);
    expect(keptSeen.ended).toBe(false);
  } finally {
    stream.client.abort();
    kept.client.abort();
  }
});

test("a moderator's review stream ends once they are no longer a moderator, not before", async () => {
  const moderator = new Browser(services, "10.9.0.3");
  await signUp(moderator, { name: "Mo Demoted", email: "mo@example.test", password: "a long enough password 3" });
  const id = await idOf("mo@example.test");
  await setUserRole(database.db, { userId: id, role: "moderator", by: admin.id });
  const stream = open(moderator, reviewLoader, "/review/events");
  try {
    const response = await stream.answer;
    expect(response.status).toBe(200);
    const seen = follow(response);
    await pause(400);
    expect(seen.ended).toBe(false);
    expect(seen.text).toContain("event: pending");

    await setUserRole(database.db, { userId: id, role: "member", by: admin.id });
    await expect.poll(() => seen.ended, { timeout: 5_000 }).toBe(true);
    expect((await open(moderator, reviewLoader, "/review/events").answer).status).toBe(403);
  } finally {
    stream.client.abort();
  }
});
