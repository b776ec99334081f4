import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { securitySettings, users } from "#db/schema";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "./auth.server";

const BASE = "http://localhost:3000";
let database: Database;
let auth: Auth;
let ipCounter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE });
});
afterAll(() => database.close());

function call(path: string, { body, cookie }: { body?: unknown; cookie?: string } = {}) {
  ipCounter += 1;
  const headers: Record<string, string> = { origin: BASE, [CLIENT_IP_HEADER]: `10.30.0.${ipCounter}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = cookie;
  return auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

async function signUp(name: string, email: string): Promise<string> {
  const res = await call("/sign-up/email", { body: { name, email, password: `${name} keeps bees on the roof` } });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("peerdesk.session_token="));
  return (cookie ?? "").split(";")[0] ?? "";
}

async function requireForStaff(required: boolean) {
  await database.db
    .insert(securitySettings)
    .values({ id: 1, requireTwoFactorForStaff: required })
    .onConflictDoUpdate({ target: securitySettings.id, set: { requireTwoFactorForStaff: required } });
}

describe("the staff two-step rule on better-auth's admin API", () => {
  test("an admin without two-step sign-in is refused /api/auth/admin/* while the rule is on, and let in once it is on", async () => {
    const cookie = await signUp("Ada Admin", "ada@example.com");
    await database.db.update(users).set({ role: "admin" }).where(eq(users.email, "ada@example.com"));
    const member = await signUp("Bea Member", "bea@example.com");
    const [bea] = await database.db.select().from(users).where(eq(users.email, "bea@example.com"));

    // Rule off: the admin API works as before.
    expect((await call("/admin/list-users", { cookie })).status).toBe(200);

    await requireForStaff(true);
    const refused = await call("/admin/list-users", { cookie });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { code: string; message: string };
    expect(body.code).toBe("TWO_FACTOR_REQUIRED");
    expect(body.message).toMatch(/two-step sign-in/);
    // A write through the admin API is refused too, and nothing changes.
    const ban = await call("/admin/ban-user", { cookie, body: { userId: bea?.id } });
    expect(ban.status).toBe(403);
    const [stillBea] = await database.db.select().from(users).where(eq(users.email, "bea@example.com"));
    expect(stillBea?.banned).toBe(false);

    // Members are not staff: the admin plugin's own answer (403, not an admin) stays, and no rule message leaks.
    const asMember = await call("/admin/list-users", { cookie: member });
    expect(asMember.status).toBe(403);
    expect(((await asMember.json()) as { code: string }).code).not.toBe("TWO_FACTOR_REQUIRED");

    // Once the admin's account has two-step sign-in, the same cookie works at once (read fresh, not from the cache).
    await database.db.update(users).set({ twoFactorEnabled: true }).where(eq(users.email, "ada@example.com"));
    expect((await call("/admin/list-users", { cookie })).status).toBe(200);

    // And turning the rule off lets an admin without it back in.
    await database.db.update(users).set({ twoFactorEnabled: false }).where(eq(users.email, "ada@example.com"));
    await requireForStaff(false);
    expect((await call("/admin/list-users", { cookie })).status).toBe(200);
  });
});
