/**
 * better-auth over HTTP, through its Remix route as server.js serves it: only what browsers and JSON clients use
 * answers; the admin plugin, change-email and every other endpoint are a 404 that changes nothing, while PeerDesk's own
 * forms still reach what they need. Every account better-auth creates obeys the forms' rule for names.
 */
import { count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { accounts, emailOutbox, moderationLog, sessions, users } from "#db/schema";
import { action as authAction, loader as authLoader } from "~/routes/api.auth.$";
import { action as accountAction } from "~/routes/settings.account";
import { action as adminUsersAction } from "~/routes/admin.users";
import { createTestDatabase } from "../../tests/fixtures/db";
import { Browser, type TestServices, payload, signUp, testServices } from "../../tests/fixtures/routes";
import { INVALID_NAME } from "./account-fields.server";
import { isPublicAuthEndpoint } from "./public-endpoints.server";
import { nameFromClaims } from "./sso.server";

let database: Database;
let services: TestServices;
let admin: Browser;
let member: Browser;
let memberId = "";
const MEMBER_PASSWORD = "bruno keeps the patch notes";

beforeAll(async () => {
  database = await createTestDatabase();
  services = testServices(database);
  admin = new Browser(services, "10.3.0.1");
  // The first account on a fresh site is its admin.
  await signUp(admin, { name: "Ada Admin", email: "ada@example.com", password: "ada signs the change requests" });
  member = new Browser(services, "10.3.0.2");
  await signUp(member, { name: "Bruno Member", email: "bruno@example.com", password: MEMBER_PASSWORD });
  memberId = (await userByEmail("bruno@example.com"))?.id ?? "";
});
afterAll(() => database.close());

/** A request to /api/auth/* as the server sends it to the route (GET to its loader, anything else to its action). */
async function api(
  browser: Browser,
  path: string,
  { method = "POST", body }: { method?: string; body?: unknown } = {},
) {
  const request = browser.request(`/api/auth${path}`, {
    method,
    body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
    headers: method === "GET" ? {} : { "content-type": "application/json" },
  });
  const args = { request, params: { "*": path.slice(1) }, context: browser.context() };
  const response = await (method === "GET" ? authLoader(args) : authAction(args));
  browser.take(response);
  return response;
}

async function userByEmail(email: string) {
  const [user] = await database.db.select().from(users).where(eq(users.email, email));
  return user;
}

async function mailTo(address: string) {
  return database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, address));
}

/** Everything an admin endpoint could change: people, their sessions and passwords, and the moderation log. */
async function accountsSnapshot() {
  const people = await database.db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, banned: users.banned })
    .from(users)
    .orderBy(users.id);
  const passwords = await database.db.select({ userId: accounts.userId, password: accounts.password }).from(accounts);
  const [sessionCount] = await database.db.select({ n: count() }).from(sessions);
  const [logCount] = await database.db.select({ n: count() }).from(moderationLog);
  return { people, passwords, sessions: sessionCount?.n, log: logCount?.n };
}

type Endpoint = { path: string; methods: string[] };

/** Every endpoint the better-auth instance has, read from it (so a plugin's new endpoint is tried too). */
function allEndpoints(): Endpoint[] {
  const found: Endpoint[] = [];
  for (const endpoint of Object.values(services.auth.api) as unknown[]) {
    if (!endpoint || typeof endpoint !== "function" || !("path" in endpoint) || typeof endpoint.path !== "string")
      continue;
    const method = "options" in endpoint ? (endpoint.options as { method?: string | string[] }).method : undefined;
    found.push({ path: endpoint.path, methods: Array.isArray(method) ? method : [method ?? "POST"] });
  }
  return found;
}

/** A path with its parameters filled in (/reset-password/:token → /reset-password/x). */
function concrete(path: string): string {
  return path.replace(/:[^/]+/g, "x");
}

describe("better-auth's admin plugin over HTTP", () => {
  test("an admin trying every /admin/* endpoint gets 404, and nobody's role, ban, password or session changes", async () => {
    const adminPaths = allEndpoints().filter((endpoint) => endpoint.path.startsWith("/admin/"));
    expect(adminPaths.map((endpoint) => endpoint.path)).toEqual(
      expect.arrayContaining(["/admin/set-role", "/admin/remove-user", "/admin/impersonate-user", "/admin/list-users"]),
    );
    const before = await accountsSnapshot();
    const body = {
      userId: memberId,
      role: "superuser",
      newPassword: "a password the attacker chose",
      banReason: "no reason",
      email: "made-up@example.com",
      password: "a password the attacker chose",
      name: "Made Up",
      data: { name: "Renamed", role: "superuser" },
      permissions: { user: ["list"] },
    };
    for (const { path, methods } of adminPaths) {
      for (const method of methods) {
        const query = method === "GET" ? `?userId=${memberId}&id=${memberId}` : "";
        const response = await api(admin, `${path}${query}`, { method, body });
        expect({ path, method, status: response.status }).toEqual({ path, method, status: 404 });
      }
    }
    // The admin's own demotion is refused the same way, so the site keeps its admin.
    const adminId = (await userByEmail("ada@example.com"))?.id;
    expect((await api(admin, "/admin/set-role", { body: { userId: adminId, role: "member" } })).status).toBe(404);
    expect(await accountsSnapshot()).toEqual(before);
  });

  test("role changes still work on /admin/users, with their rules and a moderation log entry", async () => {
    const changed = payload<{ ok: boolean }>(
      await admin.submit(adminUsersAction, "/admin/users", {
        intent: "role",
        userId: memberId,
        role: "moderator",
        baseRole: "member",
      }),
    );
    expect(changed.data.ok).toBe(true);
    expect((await userByEmail("bruno@example.com"))?.role).toBe("moderator");
    const entries = await database.db.select().from(moderationLog).where(eq(moderationLog.targetId, memberId));
    expect(entries.map((entry) => entry.action)).toContain("user.role");

    const adminId = (await userByEmail("ada@example.com"))?.id ?? "";
    const selfDemotion = payload<{ ok: boolean; message: string }>(
      await admin.submit(adminUsersAction, "/admin/users", {
        intent: "role",
        userId: adminId,
        role: "member",
        baseRole: "admin",
      }),
    );
    expect(selfDemotion.data).toMatchObject({ ok: false, message: expect.stringMatching(/own admin role/) });
    expect((await userByEmail("ada@example.com"))?.role).toBe("admin");

    await admin.submit(adminUsersAction, "/admin/users", {
      intent: "role",
      userId: memberId,
      role: "member",
      baseRole: "moderator",
    });
  });
});

describe("what /api/auth serves", () => {
  test("every endpoint outside the list answers 404 to a signed-in member; the listed ones answer", async () => {
    for (const { path, methods } of allEndpoints()) {
      const url = concrete(path);
      const served = isPublicAuthEndpoint(`/api/auth${url}`);
      for (const method of methods) {
        // Signing out would end the member's session for the rest of the file.
        if (url === "/sign-out") continue;
        const response = await api(member, url, { method, body: {} });
        if (served) expect({ url, method, status: response.status }).not.toEqual({ url, method, status: 404 });
        else expect({ url, method, status: response.status }).toEqual({ url, method, status: 404 });
      }
    }
    expect(isPublicAuthEndpoint("/api/auth/callback/testidp")).toBe(true);
    // Only the path exactly as listed: no other spelling reaches better-auth.
    for (const path of [
      "/api/auth/admin/set-role",
      "/api/auth//admin/set-role",
      "/API/AUTH/sign-in/email",
      "/api/auth/sign-in/email/",
      "/api/auth/sign-in%2Femail",
      "/api/auth/callback/x/../../admin/set-role",
      "/api/authsign-in/email",
    ])
      expect({ path, served: isPublicAuthEndpoint(path) }).toEqual({ path, served: false });
  });

  test("a stolen session cannot move the account to another address: change-email over HTTP is a 404 and sends nothing", async () => {
    const response = await api(member, "/change-email", { body: { newEmail: "attacker@evil.example" } });
    expect(response.status).toBe(404);
    expect(await mailTo("attacker@evil.example")).toEqual([]);
    expect((await userByEmail("bruno@example.com"))?.email).toBe("bruno@example.com");
  });

  test("the settings form still starts an address change, with the current password only", async () => {
    const wrong = payload<{ ok: boolean; fieldErrors: Record<string, string> }>(
      await member.submit(accountAction, "/settings/account", {
        intent: "email",
        newEmail: "bruno.new@example.com",
        currentPassword: "not my password at all",
      }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data.fieldErrors.currentPassword).toMatch(/isn't your password/);
    expect(await mailTo("bruno.new@example.com")).toEqual([]);

    const right = payload<{ ok: boolean; message: string }>(
      await member.submit(accountAction, "/settings/account", {
        intent: "email",
        newEmail: "bruno.new@example.com",
        currentPassword: MEMBER_PASSWORD,
      }),
    );
    expect(right.data).toMatchObject({ ok: true, message: expect.stringContaining("We sent a link to bruno.new@") });
    expect((await mailTo("bruno.new@example.com")).length).toBe(1);
  });

  test("delete-user is a 404 without an error line, through the route and at better-auth's own refusal", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const lines = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect((await api(member, "/delete-user", { body: {} })).status).toBe(404);
      // PeerDesk's own calls go to the handler itself: better-auth's "Delete user is disabled" is a warning there.
      const direct = await services.auth.handler(
        member.request("/api/auth/delete-user", {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        }),
      );
      expect(direct.status).toBe(404);
      expect(errors.mock.calls).toEqual([]);
      const logged = lines.mock.calls.map((call) => String(call[0]));
      expect(logged.some((line) => line.includes("Delete user is disabled") && line.includes('"level":"warn"'))).toBe(
        true,
      );
    } finally {
      errors.mockRestore();
      lines.mockRestore();
    }
  });
});

describe("names on every way in", () => {
  test("sign-up over HTTP with a name the form would refuse is a 400 with the form's message, and makes no account", async () => {
    const visitor = new Browser(services, "10.3.0.9");
    const cases = [
      { name: "x".repeat(8000), message: /60 characters or fewer/ },
      { name: "\u0007\u0008\u202e", message: /at least 2 characters/ },
      { name: "Q", message: /at least 2 characters/ },
    ];
    for (const [index, { name, message }] of cases.entries()) {
      const email = `bad-name-${index}@example.com`;
      const response = await api(visitor, "/sign-up/email", {
        body: { name, email, password: "a long and unusual sentence for testing" },
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code).toBe(INVALID_NAME);
      expect(body.message).toMatch(message);
      expect(await userByEmail(email)).toBeUndefined();
    }
  });

  test("what cannot be seen is dropped from a name as the form drops it, and a picture address is not taken", async () => {
    const visitor = new Browser(services, "10.3.0.10");
    const response = await api(visitor, "/sign-up/email", {
      body: {
        name: "  Cleo\r\nBcc: all@example.com\u202e\u0007 ",
        email: "cleo@example.com",
        password: "cleo labels every cable twice",
        image: "/avatars/someone-else/abc",
      },
    });
    expect(response.status).toBe(200);
    const cleo = await userByEmail("cleo@example.com");
    expect(cleo?.name).toBe("Cleo Bcc: all@example.com");
    expect(cleo?.image).toBeNull();
  });

  test("a rename through better-auth's own handler obeys the same rule", async () => {
    const response = await services.auth.handler(
      admin.request("/api/auth/admin/update-user", {
        method: "POST",
        body: JSON.stringify({ userId: memberId, data: { name: "y".repeat(61) } }),
        headers: { "content-type": "application/json" },
      }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe(INVALID_NAME);
    expect((await userByEmail("bruno.new@example.com"))?.name ?? (await userByEmail("bruno@example.com"))?.name).toBe(
      "Bruno Member",
    );
  });

  test("single sign-on makes a name by the same rule from the provider's claims", () => {
    expect(nameFromClaims({ name: "\u202eDana\nOkafor\u0007" })).toBe("Dana Okafor");
    expect(nameFromClaims({ name: "Z".repeat(90) })).toBe("Z".repeat(60));
    expect(nameFromClaims({ name: "E", given_name: "Eli", family_name: "Sato" })).toBe("Eli Sato");
    expect(nameFromClaims({ name: "\u0001", email: "fz@example.com" })).toBe("fz");
    expect(nameFromClaims({})).toBe("Member");
  });
});
