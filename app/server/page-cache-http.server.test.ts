/**
 * The page cache middleware over HTTP, with the real LISTEN/NOTIFY of a test database and a stand-in for the Remix
 * renderer (so a test can make a page set a cookie, fail, or take its time): what is stored, what never is, one render
 * for concurrent misses, invalidation by tag, and a write's response held until its invalidations were heard.
 */
import type { AddressInfo } from "node:net";
import { type IncomingHttpHeaders, type Server, createServer, request as httpRequest } from "node:http";
import { sql } from "drizzle-orm";
import express from "express";
import type { Database } from "#db/client.server";
import { createTestDatabase } from "../../tests/fixtures/db";
import { PAGE_CACHE_CHANNEL, type PageCache, createPageCache } from "./page-cache-http.server";
import { CACHE_DIRECTIVE_HEADER } from "~/lib/page-cache.server";
import { securityHeaders } from "./security-headers.server";

let database: Database;
let cache: PageCache;
let server: Server;
let fastServer: Server;
let base = "";
/** The same app behind a server that first lets the cache answer hits (`answerHit`), as server.js does. */
let fast = "";
let renders = 0;
/** Requests that went through the Express stack. */
let stackRequests = 0;
const security = securityHeaders({ formTargets: ["'self'"], isHttps: false });
let version = 1;
/** Lets a test hold a render until it says so. */
let gate: Promise<void> = Promise.resolve();

function page(path: string): Response {
  const html = `<!doctype html><html><body><h1>${path} v${version}</h1><script>window.x = ${version};</script></body></html>`;
  const headers = new Headers({ "content-type": "text/html; charset=utf-8" });
  const tags = path.startsWith("/q/") ? `post:${path.slice(3)}` : "lists";
  if (!path.startsWith("/private")) headers.set(CACHE_DIRECTIVE_HEADER, `tags=${tags}; max-age=60`);
  if (path.startsWith("/cookie")) headers.append("set-cookie", "flash=1; Path=/");
  return new Response(html, { status: path.startsWith("/missing") ? 404 : 200, headers });
}

beforeAll(async () => {
  database = await createTestDatabase();
  cache = await createPageCache({
    maxBytes: 1024 * 1024,
    database,
    render: async (request) => {
      renders += 1;
      await gate;
      return page(new URL(request.url).pathname);
    },
    securityHeaders: security,
  });
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    stackRequests += 1;
    res.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic'");
    for (const [name, value] of security.fixed) res.setHeader(name, value);
    next();
  });
  app.use(cache.middleware);
  app.post("/write/:tag", async (req, res) => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ tags: [req.params.tag] })})`);
    });
    version += 1;
    res.status(303).setHeader("Location", "/").end();
  });
  app.get("*", (req, res) => {
    renders += 1;
    res.setHeader(CACHE_DIRECTIVE_HEADER, "tags=lists; max-age=60");
    res.type("html").send(`<p>rendered for ${req.headers.cookie ?? "nobody"}</p>`);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fastServer = createServer((req, res) => {
    if (!cache.answerHit(req, res)) app(req, res);
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => fastServer.once("listening", resolve));
  fast = `http://127.0.0.1:${(fastServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  fastServer?.close();
  await cache?.stop();
  await database?.close();
});

beforeEach(() => {
  renders = 0;
  stackRequests = 0;
});

/** A response's headers, without those that belong to the connection or the moment. */
function headersOf(response: Response | { headers: IncomingHttpHeaders }): Record<string, string> {
  const entries = response.headers instanceof Headers ? [...response.headers] : Object.entries(response.headers);
  const headers = Object.fromEntries(entries.map(([name, value]) => [name, String(value)]));
  for (const name of ["date", "connection", "keep-alive"]) delete headers[name];
  return headers;
}

/** GET through the plain Express server, addressed (Host) as the early-answering one, so both share cache entries. */
function viaStack(path: string): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: { host: new URL(fast).host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("a hit answered before the Express stack carries exactly the headers it would get through it; 304 and HEAD too", async () => {
  await (await fetch(`${fast}/q/20`)).text();
  const stack = await viaStack("/q/20");
  expect(stack.headers["x-cache"]).toBe("hit");
  renders = 0;
  stackRequests = 0;
  const direct = await fetch(`${fast}/q/20`, { headers: { "accept-encoding": "identity" } });
  expect(await direct.text()).toBe(stack.body);
  expect(headersOf(direct)).toEqual(headersOf(stack));
  expect(direct.headers.get("content-security-policy")).toMatch(/script-src 'sha256-[^']+' 'strict-dynamic'/);
  expect(direct.headers.get("x-frame-options")).toBe("DENY");
  const etag = direct.headers.get("etag") ?? "";
  const revalidated = await fetch(`${fast}/q/20`, {
    headers: { "accept-encoding": "identity", "if-none-match": etag },
  });
  expect([revalidated.status, revalidated.headers.get("etag"), revalidated.headers.get("x-cache")]).toEqual([
    304,
    etag,
    "hit",
  ]);
  expect(revalidated.headers.get("content-type")).toBeNull();
  const brotli = await fetch(`${fast}/q/20`, { headers: { "accept-encoding": "gzip, deflate, br" } });
  expect(brotli.headers.get("content-encoding")).toBe("br");
  expect(await brotli.text()).toBe(stack.body);
  const head = await fetch(`${fast}/q/20`, { method: "HEAD" });
  expect([head.headers.get("x-cache"), await head.text()]).toEqual(["hit", ""]);
  expect({ renders, stackRequests }).toEqual({ renders: 0, stackRequests: 0 });
});

test("signed-in readers, Authorization, writes and unusual targets go through the full stack, never the early answer", async () => {
  await (await fetch(`${fast}/q/21`)).text();
  expect((await fetch(`${fast}/q/21`)).headers.get("x-cache")).toBe("hit");
  stackRequests = 0;
  const signedIn = await fetch(`${fast}/q/21`, { headers: { cookie: "theme=dark; peerdesk.session_token=abc" } });
  expect(signedIn.headers.get("x-cache")).toBe("bypass");
  expect(await signedIn.text()).toContain("rendered for theme=dark; peerdesk.session_token=abc");
  const withKey = await fetch(`${fast}/q/21`, { headers: { authorization: "Bearer x" } });
  expect(withKey.headers.get("x-cache")).toBe("bypass");
  const write = await fetch(`${fast}/write/post:99`, { method: "POST", redirect: "manual" });
  expect(write.headers.get("x-cache")).toBe("bypass");
  await fetch(`${fast}/q/21?x=%00`);
  expect(stackRequests).toBe(4);
  // A cookie that is not an account's does not stop the early answer.
  const other = await fetch(`${fast}/q/21`, { headers: { cookie: "theme=dark" } });
  expect(other.headers.get("x-cache")).toBe("hit");
  expect(stackRequests).toBe(4);
});

test("a signed-out page is rendered once, then served from the cache with the page's script hashes instead of the nonce", async () => {
  const first = await fetch(`${base}/q/1`);
  expect(first.headers.get("x-cache")).toBe("miss");
  const firstBody = await first.text();
  const second = await fetch(`${base}/q/1`);
  expect(second.headers.get("x-cache")).toBe("hit");
  expect(await second.text()).toBe(firstBody);
  expect(renders).toBe(1);
  expect(second.headers.get("content-security-policy")).toMatch(
    /^default-src 'self'; script-src 'sha256-[^']+' 'strict-dynamic'$/,
  );
  expect(second.headers.get(CACHE_DIRECTIVE_HEADER)).toBeNull();
});

test("concurrent misses share one render", async () => {
  let open: () => void = () => {};
  gate = new Promise((resolve) => (open = resolve));
  const responses = Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/q/concurrent`)));
  await vi.waitFor(() => expect(renders).toBe(1));
  open();
  const labels = (await responses).map((response) => response.headers.get("x-cache")).sort();
  expect(labels).toEqual(["hit", "hit", "hit", "hit", "miss"]);
  expect(renders).toBe(1);
  gate = Promise.resolve();
});

test("responses that set a cookie, fail, or did not opt in are passed on but never stored; none shows the internal header", async () => {
  for (const path of ["/cookie", "/missing", "/private"]) {
    const first = await fetch(`${base}${path}`);
    const second = await fetch(`${base}${path}`);
    expect({ path, first: first.headers.get("x-cache"), second: second.headers.get("x-cache") }).toEqual({
      path,
      first: "miss",
      second: "miss",
    });
    expect(second.headers.get(CACHE_DIRECTIVE_HEADER)).toBeNull();
  }
  expect((await fetch(`${base}/cookie`)).headers.getSetCookie()).toEqual(["flash=1; Path=/"]);
  expect((await fetch(`${base}/missing`)).status).toBe(404);
  expect(renders).toBe(8);
});

test("signed-in requests are neither answered from nor stored in the cache, and never see the internal header", async () => {
  await fetch(`${base}/q/2`);
  const signedIn = await fetch(`${base}/q/2`, { headers: { cookie: "peerdesk.session_token=abc" } });
  expect(signedIn.headers.get("x-cache")).toBe("bypass");
  expect(await signedIn.text()).toContain("rendered for peerdesk.session_token=abc");
  expect(signedIn.headers.get(CACHE_DIRECTIVE_HEADER)).toBeNull();
  const fresh = await fetch(`${base}/q/never-anonymous`, { headers: { authorization: "Bearer x" } });
  expect(fresh.headers.get("x-cache")).toBe("bypass");
  expect((await fetch(`${base}/q/never-anonymous`)).headers.get("x-cache")).toBe("miss");
});

test("a write's announcement drops exactly the pages with its tags, before the write's response arrives", async () => {
  await fetch(`${base}/q/3`);
  await fetch(`${base}/q/4`);
  expect((await fetch(`${base}/q/3`)).headers.get("x-cache")).toBe("hit");
  const before = await (await fetch(`${base}/q/3`)).text();
  const write = await fetch(`${base}/write/post:3`, { method: "POST", redirect: "manual" });
  expect(write.status).toBe(303);
  expect(write.headers.get("x-cache")).toBe("bypass");
  const after = await fetch(`${base}/q/3`);
  expect(after.headers.get("x-cache")).toBe("miss");
  expect(await after.text()).not.toBe(before);
  expect((await fetch(`${base}/q/4`)).headers.get("x-cache")).toBe("hit");
});

test("a page whose render began before an invalidation of its tags is served to its readers but not stored", async () => {
  let open: () => void = () => {};
  gate = new Promise((resolve) => (open = resolve));
  const pending = fetch(`${base}/q/5`);
  await vi.waitFor(() => expect(renders).toBe(1));
  await fetch(`${base}/write/post:5`, { method: "POST", redirect: "manual" });
  open();
  expect((await pending).headers.get("x-cache")).toBe("miss");
  gate = Promise.resolve();
  expect((await fetch(`${base}/q/5`)).headers.get("x-cache")).toBe("miss");
  expect((await fetch(`${base}/q/5`)).headers.get("x-cache")).toBe("hit");
});

test("ETags give 304s per content coding; gzip, brotli and identity bodies are the same page", async () => {
  const identity = await fetch(`${base}/q/6`, { headers: { "accept-encoding": "identity" } });
  const html = await identity.text();
  const etag = identity.headers.get("etag") ?? "";
  expect(etag).toMatch(/^"[^"]+"$/);
  const notModified = await fetch(`${base}/q/6`, { headers: { "accept-encoding": "identity", "if-none-match": etag } });
  expect(notModified.status).toBe(304);
  const gzip = await fetch(`${base}/q/6`, { headers: { "accept-encoding": "gzip" } });
  const brotli = await fetch(`${base}/q/6`, { headers: { "accept-encoding": "br, gzip" } });
  expect([gzip.headers.get("content-encoding"), brotli.headers.get("content-encoding")]).toEqual(["gzip", "br"]);
  // fetch decompresses for us: the same page either way, under different strong ETags.
  expect([await gzip.text(), await brotli.text()]).toEqual([html, html]);
  expect(new Set([etag, gzip.headers.get("etag"), brotli.headers.get("etag")]).size).toBe(3);
  expect((await fetch(`${base}/q/6`, { headers: { "accept-encoding": "gzip", "if-none-match": etag } })).status).toBe(
    200,
  );
  expect(gzip.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
  expect(gzip.headers.get("vary")).toContain("Accept-Encoding");
});

test("HEAD is answered from a stored page without a body", async () => {
  await fetch(`${base}/q/7`);
  const head = await fetch(`${base}/q/7`, { method: "HEAD" });
  expect(head.headers.get("x-cache")).toBe("hit");
  expect(await head.text()).toBe("");
});

test.skipIf(!process.env.DATABASE_URL)(
  "when the connection that hears invalidations drops, the cache pauses and comes back empty",
  async () => {
    await fetch(`${base}/q/8`);
    expect((await fetch(`${base}/q/8`)).headers.get("x-cache")).toBe("hit");
    await database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
    );
    await vi.waitFor(async () => expect((await fetch(`${base}/q/8`)).headers.get("x-cache")).toBe("bypass"), {
      timeout: 10_000,
      interval: 50,
    });
    await vi.waitFor(async () => expect((await fetch(`${base}/q/8`)).headers.get("x-cache")).not.toBe("bypass"), {
      timeout: 10_000,
      interval: 200,
    });
    // Resumed with nothing from before the gap: the page is rendered again, then stored again.
    expect(cache.store.stats().entries).toBeLessThanOrEqual(1);
    expect((await fetch(`${base}/q/8`)).headers.get("x-cache")).toBe("hit");
  },
);

test("HEAD of a page not stored yet is rendered as GET: the GET's caching headers, no body, and the page stored", async () => {
  const head = await fetch(`${base}/q/31`, { method: "HEAD" });
  expect(head.headers.get("x-cache")).toBe("miss");
  expect(head.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
  expect(head.headers.get("vary")).toBe("Accept-Encoding, Cookie");
  expect(head.headers.get("etag")).toMatch(/^"/);
  expect(await head.text()).toBe("");
  const get = await fetch(`${base}/q/31`);
  expect(get.headers.get("x-cache")).toBe("hit");
  expect(get.headers.get("etag")).toBe(head.headers.get("etag"));
  expect(renders).toBe(1);
});
