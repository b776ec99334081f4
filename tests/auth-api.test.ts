/**
 * better-auth's own endpoints (/api/auth/*) against the real built server: a session cookie kept after signing out
 * is refused there at once, as on every page (its signed cookie cache would otherwise vouch for it for minutes), and
 * the generic profile endpoint is not served, so names and pictures change only through PeerDesk's own form.
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
  expect((await api("/list-sessions", cookie)).status).toBe(200);

  const signedOut = await fetch(`${suite.server.url}/signout`, {
    method: "POST",
    headers: { cookie, Origin: suite.server.url, "Content-Type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  expect(signedOut.status).toBe(302);

  // The same cookie, still signed and within its five minutes: nobody, everywhere.
  expect(await (await api("/get-session", cookie)).json()).toBeNull();
  expect((await api("/list-sessions", cookie)).status).toBe(401);
  expect((await api("/change-password", cookie, { currentPassword: "x", newPassword: "y" })).status).toBe(401);
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

test("better-auth's messages are the app's JSON log lines: a request's newline can't forge a line", async () => {
  const forged = '{"level":"info","msg":"forged by a visitor"}';
  const res = await api(
    `/verify-email?token=abc&callbackURL=${encodeURIComponent(`https://evil.example/\n${forged}`)}`,
    "",
  );
  expect(res.status).toBeLessThan(500);
  // Logged lines arrive a moment after the answer: wait for better-auth's refusal to be logged.
  const lines = (await suite.server.waitForLog("callbackURL")).split("\n");
  expect(lines.filter((line) => line.trim() === forged)).toEqual([]);
  expect(lines.some((line) => line.includes("[Better Auth]"))).toBe(false);
  const entries = lines
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const refused = entries.find((entry) => entry.msg === "better-auth" && String(entry.message).includes("callbackURL"));
  // A client's bad address is a warning, not an error.
  expect(refused?.level).toBe("warn");
});
