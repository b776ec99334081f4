import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { users } from "#db/schema";
import { CLIENT_IP_HEADER, createAuth } from "~/auth/auth.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { hasAdmin } from "./users.server";

const BASE = "http://localhost:3000";
let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function signUp(auth: ReturnType<typeof createAuth>, name: string, email: string) {
  const res = await auth.handler(
    new Request(`${BASE}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, [CLIENT_IP_HEADER]: "10.0.0.1" },
      body: JSON.stringify({ name, email, password: "a long enough password" }),
    }),
  );
  expect(res.status).toBe(200);
  const [row] = await database.db.select({ role: users.role }).from(users).where(eq(users.email, email));
  return row?.role;
}

describe("the first admin of a fresh forum", () => {
  test("in production the first sign-up stays a member; outside it, the first sign-up becomes admin", async () => {
    const options = { secret: "s".repeat(40), baseURL: BASE, rateLimit: false };
    const production = createAuth(database.db, { ...options, firstSignUpIsAdmin: false });
    expect(await signUp(production, "Mallory Early", "mallory@example.com")).toBe("member");
    expect(await hasAdmin(database.db)).toBe(false);

    const development = createAuth(database.db, { ...options, firstSignUpIsAdmin: true });
    expect(await signUp(development, "Dev Person", "dev@example.com")).toBe("admin");
    expect(await signUp(development, "Later Person", "later@example.com")).toBe("member");
  });
});
