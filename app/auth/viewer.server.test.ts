/**
 * Who is asking: the signed cookie cache spares the session lookup, yet a ban, a sign-out elsewhere or a role change
 * acts on the very next request, because the one viewer query checks the session row and reads the person fresh.
 */
import type { AppLoadContext } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { notifications, posts, sessions, users } from "#db/schema";
import { banUser } from "~/models/users.server";
import { UNREAD_COUNT_CAP, countUnread } from "~/models/notifications.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "./auth.server";
import { getViewer } from "./viewer.server";

const BASE = "http://localhost:3000";
let database: Database;
let auth: Auth;

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE, rateLimit: false });
});
afterAll(() => database.close());

/** A fresh load context per request, as server.js makes one. */
function requestContext(): AppLoadContext {
  return { services: { auth, db: database.db }, cspNonce: "" } as unknown as AppLoadContext;
}

function pageRequest(cookie: string) {
  return new Request(`${BASE}/q/1`, { headers: { cookie } });
}

async function signUp(name: string, email: string): Promise<{ cookie: string; userId: string }> {
  const res = await auth.handler(
    new Request(`${BASE}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, [CLIENT_IP_HEADER]: "10.0.0.9" },
      body: JSON.stringify({ name, email, password: "a long enough password" }),
    }),
  );
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .join("; ");
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return { cookie, userId: user?.id ?? "" };
}

test("sign-up sets the cookie cache; the viewer is the person, with their unread count", async () => {
  const admin = await signUp("Ada Admin", "ada@example.com");
  expect(admin.cookie).toContain("peerdesk.session_data=");
  await database.db.insert(notifications).values([
    { userId: admin.userId, kind: "answer" },
    { userId: admin.userId, kind: "answer", readAt: new Date() },
  ] as (typeof notifications.$inferInsert)[]);
  const viewer = await getViewer(pageRequest(admin.cookie), requestContext());
  expect(viewer.user).toMatchObject({
    id: admin.userId,
    name: "Ada Admin",
    email: "ada@example.com",
    role: "admin",
    banned: false,
  });
  expect(viewer.unreadNotifications).toBe(1);
});

test("every loader of one request shares one answer; no cookie means no session work at all", async () => {
  const context = requestContext();
  const { cookie } = await signUp("Sam Shared", "sam@example.com");
  const first = getViewer(pageRequest(cookie), context);
  expect(getViewer(pageRequest(cookie), context)).toBe(first);
  // Another person on a context a test reuses is never mixed up with the first.
  const other = await signUp("Olga Other", "olga@example.com");
  expect((await getViewer(pageRequest(other.cookie), context)).user?.name).toBe("Olga Other");
  expect((await getViewer(new Request(`${BASE}/`), context)).user).toBeNull();
});

test("a ban, a deleted session and a role change act on the next request despite the cached cookie", async () => {
  const { userId: adminId } = await signUp("Bea Boss", "bea@example.com");
  const member = await signUp("Tom Troll", "tom@example.com");
  expect((await getViewer(pageRequest(member.cookie), requestContext())).user?.role).toBe("member");

  await database.db.update(users).set({ role: "moderator", name: "Tom T." }).where(eq(users.id, member.userId));
  expect((await getViewer(pageRequest(member.cookie), requestContext())).user).toMatchObject({
    role: "moderator",
    name: "Tom T.",
  });

  await banUser(database.db, { userId: member.userId, reason: "spam", by: adminId });
  expect((await getViewer(pageRequest(member.cookie), requestContext())).user).toBeNull();

  const again = await signUp("Sid Signedout", "sid@example.com");
  await database.db.delete(sessions).where(eq(sessions.userId, again.userId));
  expect((await getViewer(pageRequest(again.cookie), requestContext())).user).toBeNull();
});

test("better-auth is asked once a minute per cookie, while the session row is still checked on every request", async () => {
  // The real auth, with its session look-ups counted.
  let asked = 0;
  const counted = {
    ...auth,
    api: {
      ...auth.api,
      getSession: ((...args: Parameters<Auth["api"]["getSession"]>) => {
        asked++;
        return auth.api.getSession(...args);
      }) as Auth["api"]["getSession"],
    },
  };
  const contextFor = () =>
    ({ services: { auth: counted, db: database.db }, cspNonce: "" }) as unknown as AppLoadContext;
  const { cookie, userId } = await signUp("Cleo Claim", "cleo@example.com");
  expect((await getViewer(pageRequest(cookie), contextFor())).user?.id).toBe(userId);
  expect((await getViewer(pageRequest(cookie), contextFor())).user?.id).toBe(userId);
  expect(asked).toBe(1);
  // Another cookie header is another claim.
  expect((await getViewer(pageRequest(`${cookie}; theme=dark`), contextFor())).user?.id).toBe(userId);
  expect(asked).toBe(2);

  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
  try {
    expect((await getViewer(pageRequest(cookie), contextFor())).user?.id).toBe(userId);
    expect(asked).toBe(3);
  } finally {
    vi.useRealTimers();
  }

  // Signed out elsewhere: the remembered claim does not keep the session alive, and is dropped.
  await database.db.delete(sessions).where(eq(sessions.userId, userId));
  expect((await getViewer(pageRequest(cookie), contextFor())).user).toBeNull();
  expect((await getViewer(pageRequest(cookie), contextFor())).user).toBeNull();
  expect(asked).toBe(4);
});

test("the header's unread count leaves out news of removed posts and stops at 100 however many wait", async () => {
  const { db } = database;
  const { cookie, userId } = await signUp("Nora Busy", "nora@example.com");
  const [space] = await db
    .execute<{ id: number }>(
      sql`insert into spaces (slug, name, description) values ('busy', 'Busy', 'A busy space') returning id`,
    )
    .then((result) => (result as unknown as { rows: { id: number }[] }).rows);
  const [post] = await db
    .insert(posts)
    .values({
      kind: "question",
      spaceId: space?.id ?? 0,
      authorId: userId,
      title: "A question",
      bodyMd: "x",
      bodyHtml: "x",
    })
    .returning({ id: posts.id });
  const postId = post?.id ?? 0;
  await db.insert(notifications).values([{ userId, kind: "answer", postId }] as (typeof notifications.$inferInsert)[]);
  expect((await getViewer(pageRequest(cookie), requestContext())).unreadNotifications).toBe(1);
  await db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, postId));
  expect((await getViewer(pageRequest(cookie), requestContext())).unreadNotifications).toBe(0);
  await db
    .insert(notifications)
    .values(Array.from({ length: 150 }, () => ({ userId, kind: "answer" })) as (typeof notifications.$inferInsert)[]);
  expect((await getViewer(pageRequest(cookie), requestContext())).unreadNotifications).toBe(UNREAD_COUNT_CAP);
  expect(await countUnread(db, userId)).toBe(UNREAD_COUNT_CAP);
});
