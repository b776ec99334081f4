/**
 * better-auth's own endpoints (/api/auth/*) against the real built server: a session cookie kept after signing out
 * is refused there at once, as on every page (its signed cookie cache would otherwise vouch for it for minutes), only
 * the endpoints browsers and JSON clients use are served (not the admin plugin's, not change-email, not update-user),
 * names obey the forms' rule, and nothing a client sends writes an error line.
 */
import { realServer, signInCookie } from "./fixtures/real-server";

const suite = realServer();

const api = (path: string, cookie: string, body?: unknown) =>
  fetch(`${suite.server.url}/api/auth${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { cookie, Origin: suite.server.url, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });

test("a cookie kept after signing out opens nothing, on pages or on better-auth's endpoints", async () => {
  const cookie = await signInCookie(suite.server, "sofia@peerdesk.test");
  expect(cookie).toContain("session_data=");
  const before = await (await api("/get-session", cookie)).json();
  expect(before?.user?.email).toBe("sofia@peerdesk.test");
  expect((await api("/passkey/register-options", cookie, {})).status).toBe(200);

  const signedOut = await fetch(`${suite.server.url}/signout`, {
    method: "POST",
    headers: { cookie, Origin: suite.server.url, "Content-Type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  expect(signedOut.status).toBe(302);

  // The same cookie, still signed and within its five minutes: nobody, everywhere.
  expect(await (await api("/get-session", cookie)).json()).toBeNull();
  expect((await api("/passkey/register-options", cookie, {})).status).toBe(401);
  const page = await fetch(`${suite.server.url}/settings/profile`, { headers: { cookie }, redirect: "manual" });
  expect(page.status).toBe(302);
  // Signing in again with the stale cookie still in the jar works.
  const again = await api("/sign-in/email", cookie, {
    email: "sofia@peerdesk.test",
    password: "peerdesk-demo-password",
  });
  expect(again.status).toBe(200);
});

test("names and pictures change only through the profile form: better-auth's update-user is not served", async () => {
  const cookie = await suite.signIn("grace@peerdesk.test");
  for (const body of [{ name: "Marcus Lee" }, { name: "" }, { image: "/avatars/someone-else/abc" }]) {
    const res = await api("/update-user", cookie, body);
    expect({ body, status: res.status }).toEqual({ body, status: 404 });
  }
  const profile = await (await suite.get("/settings/profile", "grace@peerdesk.test")).text();
  expect(profile).not.toContain("Marcus Lee");
});

test("profile saves are limited: a loop of renames gets 429 with Retry-After, and keeps what was typed", async () => {
  let last: Response | null = null;
  for (let i = 0; i < 40; i++) {
    last = await suite.post("/settings/profile", "tom@peerdesk.test", {
      name: `Tom Becker ${i % 2 === 0 ? "A" : "B"}`,
      audience: "it",
    });
    if (last.status === 429) break;
    expect(last.status).toBe(200);
  }
  expect(last?.status).toBe(429);
  expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  const html = (await last?.text()) ?? "";
  expect(html).toContain("Nothing you typed was lost.");
  expect(html).toMatch(/value="Tom Becker [AB]"/);
});

test("better-auth's admin endpoints answer 404 over HTTP even to an admin, who stays admin", async () => {
  const cookie = await suite.signIn("admin@peerdesk.test");
  const session = await (await api("/get-session", cookie)).json();
  const adminId: string = session?.user?.id ?? "";
  expect(adminId).not.toBe("");
  for (const [path, body] of [
    ["/admin/set-role", { userId: adminId, role: "member" }],
    ["/admin/set-role", { userId: adminId, role: "superuser" }],
    ["/admin/remove-user", { userId: adminId }],
    ["/admin/impersonate-user", { userId: adminId }],
    ["/admin/set-user-password", { userId: adminId, newPassword: "an attacker's own passphrase" }],
    ["/admin/create-user", { email: "made@example.com", password: "a made up passphrase", name: "Made Up" }],
    ["/admin/ban-user", { userId: adminId }],
  ] as const) {
    const res = await api(path, cookie, body);
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
  }
  expect((await api("/admin/list-users", cookie)).status).toBe(404);
  // Still an admin, with the same password: PeerDesk's own admin page opens.
  expect((await suite.get("/admin/users", "admin@peerdesk.test")).status).toBe(200);
});

test("a stolen session cookie cannot change the address: change-email over HTTP is a 404", async () => {
  const cookie = await suite.signIn("grace@peerdesk.test");
  const res = await api("/change-email", cookie, { newEmail: "attacker@evil.example" });
  expect(res.status).toBe(404);
  const session = await (await api("/get-session", cookie)).json();
  expect(session?.user?.email).toBe("grace@peerdesk.test");
});

test("sign-up over HTTP with a name the form would refuse is a 400 and makes no account", async () => {
  const password = "a long and unusual sentence for testing";
  const res = await api("/sign-up/email", "", { name: "n".repeat(8000), email: "longname@peerdesk.test", password });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ code: "INVALID_NAME", message: expect.stringMatching(/60 characters/) });
  expect((await api("/sign-in/email", "", { email: "longname@peerdesk.test", password })).status).toBe(401);
});

test("better-auth's messages are the app's JSON log lines: a request's newline can't forge a line", async () => {
  const from = suite.server.logs().length;
  // A disabled endpoint: a 404, and nothing at error level (better-auth logged "Delete user is disabled" as one).
  const cookie = await suite.signIn("grace@peerdesk.test");
  expect((await api("/delete-user", cookie, {})).status).toBe(404);
  const forged = '{"level":"info","msg":"forged by a visitor"}';
  const res = await api("/sign-in/email", "", {
    email: "grace@peerdesk.test",
    password: "not her password at all",
    callbackURL: `https://evil.example/\n${forged}`,
  });
  expect(res.status).toBe(403);
  // Logged lines arrive a moment after the answer: wait for better-auth's refusal to be logged.
  const lines = (await suite.server.waitForLog("callbackURL", from)).split("\n");
  expect(lines.filter((line) => line.trim() === forged)).toEqual([]);
  expect(lines.some((line) => line.includes("[Better Auth]"))).toBe(false);
  const entries = lines
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const refused = entries.find((entry) => entry.msg === "better-auth" && String(entry.message).includes("callbackURL"));
  // A client's bad address is a warning, not an error; nothing these requests did is an error.
  expect(refused?.level).toBe("warn");
  expect(entries.filter((entry) => entry.level === "error")).toEqual([]);
});

test("/login and /register, the addresses people guess, lead to the sign-in and sign-up pages with the return path", async () => {
  const login = await suite.get("/login?redirectTo=%2Fask");
  expect({ status: login.status, location: login.headers.get("location") }).toEqual({
    status: 301,
    location: "/signin?redirectTo=%2Fask",
  });
  const register = await suite.get("/register");
  expect({ status: register.status, location: register.headers.get("location") }).toEqual({
    status: 301,
    location: "/signup",
  });
});
