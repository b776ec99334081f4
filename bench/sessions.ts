/**
 * Real session cookies for the benchmarks, made before the server starts, in this process, with better-auth on the
 * same database and secret as the server: the first person signs in through better-auth's email sign-in endpoint
 * (password check included); the others get their session from better-auth's own session store, because a password
 * check costs ~0.1–1 s of CPU each and the site allows five sign-ins a minute per address. Every cookie is then
 * checked against a private page once the server runs (see refreshCookie).
 */
import { createHmac } from "node:crypto";
import { CLIENT_IP_HEADER, createAuth } from "~/auth/auth.server";
import type { Db } from "#db/client.server";
import { BENCH_AUTH_SECRET, rawRequest } from "./lib";

/** better-call's signed cookie value: `token.base64(HMAC-SHA256(secret, token))`, URI-encoded. */
function signedValue(token: string): string {
  const signature = createHmac("sha256", BENCH_AUTH_SECRET).update(token).digest("base64");
  return encodeURIComponent(`${token}.${signature}`);
}

/** Returns a Cookie header per person (`people`: email and user id), the first one signed in with `password`. */
export async function sessionCookies(
  db: Db,
  people: { email: string; userId: string }[],
  password: string,
  onProgress?: (done: number) => void,
): Promise<Map<string, string>> {
  const auth = createAuth(db, { secret: BENCH_AUTH_SECRET, baseURL: "http://127.0.0.1", rateLimit: false });
  const cookies = new Map<string, string>();
  const [first, ...rest] = people;
  if (!first) return cookies;
  const response = await auth.api.signInEmail({
    body: { email: first.email, password },
    headers: new Headers({ [CLIENT_IP_HEADER]: "127.0.0.1", "user-agent": "peerdesk-bench" }),
    asResponse: true,
  });
  if (!response.ok)
    throw new Error(`Signing in as ${first.email} answered ${response.status}: ${await response.text()}`);
  const cookie = cookieHeader(response.headers.getSetCookie());
  if (!cookie.includes("session_token=")) throw new Error(`Signing in as ${first.email} set no session cookie.`);
  cookies.set(first.email, cookie);
  onProgress?.(cookies.size);
  const name = cookie.split("=")[0] ?? "peerdesk.session_token";
  const context = await auth.$context;
  for (const person of rest) {
    const session = await context.internalAdapter.createSession(person.userId);
    if (!session) throw new Error(`better-auth made no session for ${person.email}`);
    cookies.set(person.email, `${name}=${signedValue(session.token)}`);
    onProgress?.(cookies.size);
  }
  return cookies;
}

function cookieHeader(setCookies: string[], start = new Map<string, string>()): string {
  const jar = new Map(start);
  for (const line of setCookies) {
    const pair = line.split(";")[0] ?? "";
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    // An expired or emptied cookie is the server removing it.
    if (value === "" || /max-age=0\b/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * Visits a private page once with the cookie: it must answer 200 (a dead session is sent to the sign-in page). Keeps
 * whatever the server sets (e.g. a signed session cache cookie), as a browser would for its next request.
 */
export async function refreshCookie(base: string, cookie: string, path = "/settings/profile"): Promise<string> {
  const response = await rawRequest(base + path, { headers: { cookie } });
  if (response.status !== 200)
    throw new Error(
      `${path} answered ${response.status}${response.headers.location ? ` (to ${response.headers.location})` : ""} with a session cookie`,
    );
  const setCookie = response.headers["set-cookie"] ?? [];
  if (setCookie.length === 0) return cookie;
  const start = new Map(
    cookie
      .split("; ")
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] as [string, string]),
  );
  return cookieHeader(setCookie, start);
}
