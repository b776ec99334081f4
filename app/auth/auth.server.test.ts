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

  test("one address (an office at 9 am) may sign in many times; a flood of attempts is limited, counted in the database", async () => {
    // Right passwords count nothing but the flood guard (60 a minute): a dozen colleagues behind one address get in.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await post("/sign-in/email", { email: "priya@example.com", password: "a long enough password" }, "10.9.9.9"))
          .status,
      );
    expect(statuses).toEqual(Array(12).fill(200));
    const rows = await database.db.select().from(rateLimits);
    expect(rows.some((r) => r.key.includes("10.9.9.9"))).toBe(true);
  });

  test("30 wrong passwords from one address, across accounts, pause sign-ins from it for new browsers only", async () => {
    // A colleague's browser signed in here before: it carries the known-device cookie.
    const before = await post(
      "/sign-in/email",
      { email: "priya@example.com", password: "a long enough password" },
      "10.6.6.6",
    );
    expect(before.status).toBe(200);
    const knownDevice = before.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0] ?? "")
      .filter((cookie) => !cookie.startsWith("peerdesk.session_token=") && !cookie.startsWith("peerdesk.session_data="))
      .join("; ");
    expect(knownDevice).not.toBe("");

    // Someone tries a password on many addresses from the same network.
    for (let i = 0; i < 30; i++) {
      const guess = await post(
        "/sign-in/email",
        { email: `staff${i}@example.com`, password: "Summer2026!" },
        "10.6.6.6",
      );
      expect(guess.status, `guess ${i}`).toBe(401);
    }
    const paused = await post(
      "/sign-in/email",
      { email: "priya@example.com", password: "a long enough password" },
      "10.6.6.6",
    );
    expect(paused.status).toBe(429);
    const body = (await paused.json()) as { message: string };
    expect(body.message).toMatch(
      /^Too many wrong passwords were tried from your network, so signing in from it is paused for 15 minutes/,
    );
    // The browser that signed in before still gets in, and so does everyone elsewhere.
    const known = await auth.handler(
      new Request(`${BASE}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: BASE,
          [CLIENT_IP_HEADER]: "10.6.6.6",
          cookie: knownDevice,
        },
        body: JSON.stringify({ email: "priya@example.com", password: "a long enough password" }),
      }),
    );
    expect(known.status).toBe(200);
    expect(
      (await post("/sign-in/email", { email: "priya@example.com", password: "a long enough password" }, "10.6.6.7"))
        .status,
    ).toBe(200);
  });

  test("a team joining together from one office address is not turned away by the sign-up limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (
          await post(
            "/sign-up/email",
            { name: `Team Mate ${i}`, email: `teammate${i}@example.com`, password: "a long and unusual sentence here" },
            "10.8.8.8",
          )
        ).status,
      );
    expect(statuses).toEqual(Array(12).fill(200));
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
