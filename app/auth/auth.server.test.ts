import { count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { rateLimits, sessions, users } from "#db/schema";
import { banUser } from "~/models/users.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "./auth.server";

const BASE = "http://localhost:3000";
let database: Database;
let auth: Auth;

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE });
});
afterAll(() => database.close());

function post(path: string, body: unknown, ip = "10.0.0.1") {
  return auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, [CLIENT_IP_HEADER]: ip },
      body: JSON.stringify(body),
    }),
  );
}

describe("accounts through better-auth, on the real database", () => {
  test("signing up creates the account with a handle, a database session and an httpOnly cookie", async () => {
    const res = await post("/sign-up/email", {
      name: "Priya Raman",
      email: "priya@example.com",
      password: "a long enough password",
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("peerdesk.session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    const [user] = await database.db.select().from(users).where(eq(users.email, "priya@example.com"));
    expect(user?.handle).toBe("priya-raman");
    // The first account on a fresh site is its admin.
    expect(user?.role).toBe("admin");
    const [sessionCount] = await database.db
      .select({ n: count() })
      .from(sessions)
      .where(eq(sessions.userId, user?.id ?? ""));
    expect(sessionCount?.n).toBe(1);
  });

  test("the same email cannot sign up twice, and short passwords are refused", async () => {
    const duplicate = await post(
      "/sign-up/email",
      { name: "Other", email: "PRIYA@example.com", password: "another long password" },
      "10.0.0.2",
    );
    expect(duplicate.status).toBe(422);
    expect(((await duplicate.json()) as { code: string }).code).toMatch(/^USER_ALREADY_EXISTS/);
    const short = await post(
      "/sign-up/email",
      { name: "Short", email: "short@example.com", password: "abc" },
      "10.0.0.2",
    );
    expect(short.status).toBe(400);
    expect(((await short.json()) as { code: string }).code).toBe("PASSWORD_TOO_SHORT");
    const [second] = await database.db
      .select({ role: users.role })
      .from(users)
      .where(eq(users.email, "short@example.com"));
    expect(second).toBeUndefined();
  });

  test("a wrong password is refused with 401; the right one signs in", async () => {
    expect(
      (await post("/sign-in/email", { email: "priya@example.com", password: "wrong password!" }, "10.0.0.3")).status,
    ).toBe(401);
    expect(
      (await post("/sign-in/email", { email: "priya@example.com", password: "a long enough password" }, "10.0.0.3"))
        .status,
    ).toBe(200);
  });

  test("a banned person cannot sign in", async () => {
    await post(
      "/sign-up/email",
      { name: "Spammer", email: "spam@example.com", password: "spammy password 123" },
      "10.0.0.4",
    );
    const [spammer] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "spam@example.com"));
    const [admin] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "priya@example.com"));
    await banUser(database.db, { userId: spammer?.id ?? "", reason: "spam", by: admin?.id ?? "" });
    const res = await post(
      "/sign-in/email",
      { email: "spam@example.com", password: "spammy password 123" },
      "10.0.0.4",
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("BANNED_USER");
  });

  test("sign-in attempts are rate limited per address, and the counters live in the database", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await post("/sign-in/email", { email: "priya@example.com", password: `guess number ${i}` }, "10.9.9.9"))
          .status,
      );
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses[5]).toBe(429);
    const rows = await database.db.select().from(rateLimits);
    expect(rows.some((r) => r.key.includes("10.9.9.9"))).toBe(true);
    // Another address is not affected.
    expect(
      (await post("/sign-in/email", { email: "priya@example.com", password: "a long enough password" }, "10.1.1.1"))
        .status,
    ).toBe(200);
  });

  test("an office sharing one address can be given more sign-ins and sign-ups per address", async () => {
    const office = createAuth(database.db, {
      secret: "s".repeat(40),
      baseURL: BASE,
      signInsPerAddress: 8,
      signUpsPerAddress: 7,
    });
    const send = (path: string, body: unknown) =>
      office.handler(
        new Request(`${BASE}/api/auth${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: BASE, [CLIENT_IP_HEADER]: "10.7.7.7" },
          body: JSON.stringify(body),
        }),
      );
    const signIns: number[] = [];
    for (let i = 0; i < 9; i++)
      signIns.push(
        (await send("/sign-in/email", { email: `nobody${i}@example.com`, password: "not it at all" })).status,
      );
    expect(signIns.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(signIns[8]).toBe(429);
    const signUps: number[] = [];
    for (let i = 0; i < 8; i++)
      signUps.push(
        (
          await send("/sign-up/email", {
            name: `Colleague ${i}`,
            email: `colleague${i}@example.com`,
            password: "a long and unusual sentence for testing",
          })
        ).status,
      );
    expect(signUps.slice(0, 7).every((s) => s === 200)).toBe(true);
    expect(signUps[7]).toBe(429);
  });
});
