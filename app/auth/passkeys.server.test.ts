import { eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { passkeyChallenges, passkeys, users } from "#db/schema";
import { deleteAccount } from "~/models/account-deletion.server";
import { listPasskeys, removePasskey } from "~/models/passkeys.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { SoftwarePasskey } from "../../tests/fixtures/webauthn";
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

function call(path: string, { body, cookie, ip }: { body?: unknown; cookie?: string; ip?: string } = {}) {
  ipCounter += 1;
  const headers: Record<string, string> = {
    origin: BASE,
    "content-type": "application/json",
    [CLIENT_IP_HEADER]: ip ?? `10.40.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`,
  };
  if (cookie) headers.cookie = cookie;
  return auth.handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

function sessionCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("peerdesk.session_token="));
  return (cookie ?? "").split(";")[0] ?? "";
}

async function signUp(name: string, email: string): Promise<string> {
  const res = await call("/sign-up/email", { body: { name, email, password: `${name} fixes the printers daily` } });
  expect(res.status).toBe(200);
  return sessionCookie(res);
}

async function register(cookie: string, passkey: SoftwarePasskey, name = "My phone") {
  const optionsRes = await call("/passkey/register-options", { cookie, body: {} });
  expect(optionsRes.status).toBe(200);
  const { challengeId, options } = await optionsRes.json();
  const answer = passkey.register(options);
  return {
    res: await call("/passkey/register", { cookie, body: { challengeId, name, response: answer } }),
    answer,
    challengeId,
  };
}

async function signInWith(
  passkey: SoftwarePasskey,
  { bumpCounter = true, ip }: { bumpCounter?: boolean; ip?: string } = {},
) {
  const optionsRes = await call("/passkey/sign-in-options", { body: {}, ip });
  expect(optionsRes.status).toBe(200);
  const { challengeId, options } = await optionsRes.json();
  const response = passkey.signIn(options, { bumpCounter });
  return { res: await call("/passkey/sign-in", { body: { challengeId, response }, ip }), challengeId, response };
}

async function code(res: Response): Promise<string> {
  return ((await res.json()) as { code: string }).code;
}

describe("passkeys through better-auth, on the real database", () => {
  let cookie = "";
  let userId = "";
  const phone = new SoftwarePasskey(BASE);

  test("a signed-in person registers a passkey; the options name the site from the base URL", async () => {
    cookie = await signUp("Kai Lindqvist", "kai@example.com");
    const [kai] = await database.db.select().from(users).where(eq(users.email, "kai@example.com"));
    userId = kai?.id ?? "";
    const optionsRes = await call("/passkey/register-options", { cookie, body: {} });
    const { options } = await optionsRes.json();
    expect(options.rp).toEqual({ id: "localhost", name: "PeerDesk" });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });

    const { res, answer, challengeId } = await register(cookie, phone, "Kai's phone");
    expect(res.status).toBe(200);
    expect((await listPasskeys(database.db, userId)).map((p) => p.name)).toEqual(["Kai's phone"]);
    // The challenge was used once: the same answer again is refused, and nothing is added.
    const again = await call("/passkey/register", { cookie, body: { challengeId, name: "again", response: answer } });
    expect(again.status).toBe(401);
    expect(await code(again)).toBe("PASSKEY_EXPIRED");
    expect(await listPasskeys(database.db, userId)).toHaveLength(1);
  });

  test("registering needs a session, and an answer made for another site is refused", async () => {
    expect((await call("/passkey/register-options", { body: {} })).status).toBe(401);
    const phishing = new SoftwarePasskey("https://peerdesk.example.net");
    const { res } = await register(cookie, phishing);
    expect(res.status).toBe(401);
    expect(await code(res)).toBe("PASSKEY_INVALID");
    expect(await listPasskeys(database.db, userId)).toHaveLength(1);
  });

  test("signing in with the passkey makes a real better-auth session and records when it was used", async () => {
    const { res } = await signInWith(phone);
    expect(res.status).toBe(200);
    const session = sessionCookie(res);
    expect(session).not.toBe("");
    const me = await call("/get-session", { cookie: session });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe("kai@example.com");
    const [row] = await database.db.select().from(passkeys).where(eq(passkeys.userId, userId));
    expect(row?.counter).toBe(1);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  test("a replayed answer, a counter that does not move (a cloned key), another site and an unknown key are refused alike", async () => {
    const { response, challengeId } = await signInWith(phone);
    const replay = await call("/passkey/sign-in", { body: { challengeId, response } });
    expect(replay.status).toBe(401);
    expect(await code(replay)).toBe("PASSKEY_EXPIRED");

    const cloned = await signInWith(phone, { bumpCounter: false });
    expect(cloned.res.status).toBe(401);
    expect(sessionCookie(cloned.res)).toBe("");
    const clonedBody = (await cloned.res.json()) as { code: string; message: string };
    expect(clonedBody.code).toBe("PASSKEY_NOT_RECOGNISED");

    const elsewhere = new SoftwarePasskey("https://peerdesk.example.net", "localhost");
    const unknown = await signInWith(elsewhere);
    const unknownBody = (await unknown.res.json()) as { code: string; message: string };
    // The same words whether the key is unknown or a check failed: nothing says whose key it was.
    expect(unknownBody).toEqual(clonedBody);
    expect(JSON.stringify(unknownBody)).not.toMatch(/counter|origin|kai/i);
    // Spent and expired challenges are gone from the table.
    const left = await database.db.select().from(passkeyChallenges).where(eq(passkeyChallenges.id, challengeId));
    expect(left).toEqual([]);
  });

  test("a suspended person cannot sign in with their passkey", async () => {
    await database.db.update(users).set({ banned: true }).where(eq(users.id, userId));
    const { res } = await signInWith(phone);
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBe("");
    await database.db.update(users).set({ banned: false }).where(eq(users.id, userId));
  });

  test("a deleted account's passkey never signs in again", async () => {
    const zed = new SoftwarePasskey(BASE);
    const zedCookie = await signUp("Zed Quinn", "zed@example.com");
    expect((await register(zedCookie, zed)).res.status).toBe(200);
    const [row] = await database.db.select().from(users).where(eq(users.email, "zed@example.com"));
    await deleteAccount(database.db, { userId: row?.id ?? "", by: row?.id ?? "", deleteUnansweredQuestions: false });
    // Deleting the account removes its passkeys with the rest of its personal data.
    expect(await listPasskeys(database.db, row?.id ?? "")).toHaveLength(0);
    const { res } = await signInWith(zed);
    expect(res.status).toBe(401);
    expect(sessionCookie(res)).toBe("");
  });

  test("people remove only their own passkeys", async () => {
    await signUp("Lea Moss", "lea@example.com");
    const [lea] = await database.db.select().from(users).where(eq(users.email, "lea@example.com"));
    const [kaisKey] = await listPasskeys(database.db, userId);
    expect(await removePasskey(database.db, { userId: lea?.id ?? "", passkeyId: kaisKey?.id ?? 0 })).toBe(false);
    expect(await listPasskeys(database.db, userId)).toHaveLength(1);
    expect(await removePasskey(database.db, { userId, passkeyId: kaisKey?.id ?? 0 })).toBe(true);
    // A removed passkey no longer signs in.
    const { res } = await signInWith(phone);
    expect(res.status).toBe(401);
  });

  test("passkey sign-in attempts are rate limited per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await call("/passkey/sign-in-options", { body: {}, ip: "10.99.0.1" })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.at(-1)).toBe(429);
  });
});
