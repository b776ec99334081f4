/** The page cache's pieces: keys and bypass rules, the opt-in directive, the byte-bounded LRU with tags, singleflight, CSP hashes. */
import { createHash } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import {
  type CacheDirective,
  type Entry,
  PageStore,
  SingleFlight,
  buildEntry,
  bypassReason,
  cacheKey,
  chooseCoding,
  formatDirective,
  hasExternalScripts,
  hasAccountCookie,
  inlineScripts,
  matchesIfNoneMatch,
  parseDirective,
  policyWithHashes,
  scriptHashes,
  settleNonce,
  startEntry,
} from "./page-cache.server";
import { LIFETIME_SECONDS, TAGS, cachedNumbersCaching } from "./page-cache-policy.server";

function fakeEntry(key: string, bytes: number, tags: string[] = [], expiresAt = Number.MAX_SAFE_INTEGER): Entry {
  const body = Buffer.alloc(0);
  const etags = { identity: '"a"', gzip: '"a-gz"', br: '"a-br"' };
  return {
    key,
    status: 200,
    headers: [],
    bodies: { identity: body, gzip: body, br: body },
    etags,
    policy: null,
    tags,
    expiresAt,
    bytes,
  };
}

describe("which requests the cache may answer", () => {
  test("signed-out GET and HEAD may; other methods, an Authorization header or any of our account cookies may not", () => {
    expect(bypassReason({ method: "GET", headers: {} })).toBeNull();
    expect(bypassReason({ method: "HEAD", headers: { cookie: "theme=dark; _ga=1" } })).toBeNull();
    expect(bypassReason({ method: "POST", headers: {} })).toBe("method");
    expect(bypassReason({ method: "GET", headers: { authorization: "Bearer x" } })).toBe("authorization");
    expect(bypassReason({ method: "GET", headers: { cookie: "theme=dark; peerdesk.session_token=abc.def" } })).toBe(
      "cookie",
    );
    expect(bypassReason({ method: "GET", headers: { cookie: "__Secure-peerdesk.session_token=abc" } })).toBe("cookie");
    expect(bypassReason({ method: "GET", headers: { cookie: "peerdesk.session_data=xyz" } })).toBe("cookie");
  });

  test("only cookies named after our prefix count, not look-alikes", () => {
    expect(hasAccountCookie("peerdeskfan=1; other=peerdesk.session_token")).toBe(false);
    expect(hasAccountCookie("__Host-peerdesk.two_factor=1")).toBe(true);
  });

  test("the known-device cookie a signed-out reader keeps after signing out does not make them signed in", () => {
    expect(hasAccountCookie("peerdesk.known_device=abc.def")).toBe(false);
    expect(hasAccountCookie("__Secure-peerdesk.known_device=abc.def")).toBe(false);
    expect(hasAccountCookie("peerdesk.known_device=abc; peerdesk.session_token=x")).toBe(true);
  });

  test("keys sort query parameters, keep repeated values in order, separate data requests and hosts", () => {
    const host = "forum.example.org";
    expect(cacheKey({ url: "/questions?sort=new&tag=vpn", host })).toBe(
      cacheKey({ url: "/questions?tag=vpn&sort=new", host }),
    );
    expect(cacheKey({ url: "/questions?tag=a&tag=b", host })).not.toBe(
      cacheKey({ url: "/questions?tag=b&tag=a", host }),
    );
    expect(cacheKey({ url: "/questions?", host })).toBe(cacheKey({ url: "/questions", host }));
    expect(cacheKey({ url: "/q/1.data?_routes=routes%2Fq.%24id.(%24slug)", host })).not.toBe(
      cacheKey({ url: "/q/1", host }),
    );
    expect(cacheKey({ url: "/q/1", host: "Forum.Example.org" })).toBe(cacheKey({ url: "/q/1", host }));
    expect(cacheKey({ url: "/q/1", host: "evil.example" })).not.toBe(cacheKey({ url: "/q/1", host }));
    expect(cacheKey({ url: `/search?q=${"x".repeat(3000)}`, host })).toBeNull();
  });

  test("a plain path keys as its normal form, the same as through URL parsing", () => {
    const host = "forum.example.org";
    const parsed = (url: string) => `${host}${new URL(url, "http://x.invalid").pathname}`;
    for (const url of [
      "/",
      "/q/1",
      "/q/1/",
      "/q/1.data",
      "/q/../x",
      "/./x",
      "/x/.",
      "/%2e%2e/x",
      "/x{y}",
      "/x y",
      "/a//b",
    ])
      expect(cacheKey({ url, host }), url).toBe(parsed(url));
  });

  test("the content coding follows Accept-Encoding, refusals included", () => {
    expect(chooseCoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chooseCoding("gzip")).toBe("gzip");
    expect(chooseCoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseCoding("")).toBe("identity");
    expect(chooseCoding("*;q=0")).toBe("identity");
    expect(chooseCoding("*")).toBe("br");
  });

  test("If-None-Match matches a listed tag (weakly) or *", () => {
    expect(matchesIfNoneMatch('"abc-br"', '"abc-br"')).toBe(true);
    expect(matchesIfNoneMatch('W/"abc-br", "zzz"', '"abc-br"')).toBe(true);
    expect(matchesIfNoneMatch("*", '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"abc"', '"abc-br"')).toBe(false);
  });
});

describe("the directive a page sends", () => {
  test("round-trips, caps the lifetime and refuses anything malformed", () => {
    const directive: CacheDirective = { tags: ["post:12", "lists"], maxAgeSeconds: 60 };
    expect(parseDirective(formatDirective(directive))).toEqual(directive);
    expect(parseDirective("tags=lists; max-age=999999")?.maxAgeSeconds).toBe(24 * 60 * 60);
    expect(parseDirective("tags=lists")).toBeNull();
    expect(parseDirective("tags=lists; max-age=0")).toBeNull();
    expect(parseDirective("tags=Lists,<x>; max-age=5")).toBeNull();
    expect(parseDirective("")).toBeNull();
    expect(parseDirective(null)).toBeNull();
  });

  test("a page of cached numbers (the pulse) carries no tags and lives only as long as its numbers have left", () => {
    const computedAt = new Date("2026-12-02T10:00:00Z");
    const at = (seconds: number) => computedAt.getTime() + seconds * 1000;
    expect(cachedNumbersCaching(60, computedAt, at(0))).toEqual({ tags: [], maxAgeSeconds: 60 });
    expect(cachedNumbersCaching(60, computedAt, at(45.5))).toEqual({ tags: [], maxAgeSeconds: 14 });
    // Rendered as the numbers expire: a second at most, never the full lifetime again.
    expect(cachedNumbersCaching(60, computedAt, at(60))).toEqual({ tags: [], maxAgeSeconds: 1 });
    // Numbers kept longer than any page lives: the page's usual lifetime.
    expect(cachedNumbersCaching(600, computedAt, at(0)).maxAgeSeconds).toBe(LIFETIME_SECONDS.untracked);
    // Numbers not cached: every change to activity drops the page, as before.
    expect(cachedNumbersCaching(0, computedAt, at(0))).toEqual({
      tags: [TAGS.lists],
      maxAgeSeconds: LIFETIME_SECONDS.untracked,
    });
    // A directive with no tags is a valid one (dropped only by "*" and by its lifetime).
    expect(parseDirective(formatDirective({ tags: [], maxAgeSeconds: 14 }))).toEqual({ tags: [], maxAgeSeconds: 14 });
  });
});

describe("the store", () => {
  test("is bounded by bytes, evicting the least recently used entries first", () => {
    const store = new PageStore({ maxBytes: 1000 });
    expect(store.set(fakeEntry("a", 200), store.ticket())).toBe(true);
    expect(store.set(fakeEntry("b", 200), store.ticket())).toBe(true);
    expect(store.set(fakeEntry("c", 200), store.ticket())).toBe(true);
    expect(store.get("a", 0)).toBeDefined(); // a is now the most recently used
    expect(store.set(fakeEntry("d", 200), store.ticket())).toBe(true);
    expect(store.set(fakeEntry("e", 200), store.ticket())).toBe(true);
    expect(store.stats().bytes).toBe(1000);
    expect(store.set(fakeEntry("f", 200), store.ticket())).toBe(true);
    expect(store.get("b", 0)).toBeUndefined();
    expect(store.get("a", 0)).toBeDefined();
    expect(store.stats()).toMatchObject({ entries: 5, bytes: 1000, evictions: 1 });
  });

  test("refuses an entry larger than a quarter of the cache, and replaces an entry under the same key", () => {
    const store = new PageStore({ maxBytes: 1000 });
    expect(store.set(fakeEntry("big", 251), store.ticket())).toBe(false);
    store.set(fakeEntry("a", 100), store.ticket());
    store.set(fakeEntry("a", 150), store.ticket());
    expect(store.stats()).toMatchObject({ entries: 1, bytes: 150 });
  });

  test("expired entries are not served", () => {
    const store = new PageStore({ maxBytes: 1000 });
    store.set(fakeEntry("a", 10, [], 5_000), store.ticket());
    expect(store.get("a", 4_999)).toBeDefined();
    expect(store.get("a", 5_000)).toBeUndefined();
    expect(store.stats().entries).toBe(0);
  });

  test("invalidating a tag drops exactly the entries carrying it; * drops all", () => {
    const store = new PageStore({ maxBytes: 10_000 });
    store.set(fakeEntry("/q/1", 10, ["post:1"]), store.ticket());
    store.set(fakeEntry("/q/2", 10, ["post:2"]), store.ticket());
    store.set(fakeEntry("/", 10, ["lists"]), store.ticket());
    expect(store.invalidate(["post:1", "lists"])).toBe(2);
    expect(store.get("/q/1", 0)).toBeUndefined();
    expect(store.get("/", 0)).toBeUndefined();
    expect(store.get("/q/2", 0)).toBeDefined();
    expect(store.invalidate(["*"])).toBe(1);
    expect(store.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  test("a page rendered before an invalidation of its tags is not stored after it; other tags are unaffected", () => {
    const store = new PageStore({ maxBytes: 10_000 });
    const ticket = store.ticket();
    store.invalidate(["post:1"]);
    expect(store.set(fakeEntry("/q/1", 10, ["post:1"]), ticket)).toBe(false);
    expect(store.set(fakeEntry("/q/2", 10, ["post:2"]), ticket)).toBe(true);
    expect(store.set(fakeEntry("/q/1", 10, ["post:1"]), store.ticket())).toBe(true);
    const before = store.ticket();
    store.invalidate(["*"]);
    expect(store.set(fakeEntry("/q/3", 10, ["post:3"]), before)).toBe(false);
  });
});

describe("one render for concurrent misses", () => {
  test("callers of a key in flight share its promise; after it settles, or after forgetAll, a new one starts", async () => {
    const flights = new SingleFlight<number>();
    let renders = 0;
    let finish: (value: number) => void = () => {};
    const render = () => {
      renders += 1;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const first = flights.run("/q/1", render);
    const second = flights.run("/q/1", render);
    expect([first.isLeader, second.isLeader, renders]).toEqual([true, false, 1]);
    finish(42);
    expect(await Promise.all([first.promise, second.promise])).toEqual([42, 42]);
    expect(flights.size).toBe(0);
    const third = flights.run("/q/1", render);
    flights.forgetAll();
    const fourth = flights.run("/q/1", render);
    expect([third.isLeader, fourth.isLeader, renders]).toEqual([true, true, 3]);
    finish(1);
  });

  test("a failed render is shared by its waiters and forgotten", async () => {
    const flights = new SingleFlight<number>();
    const failing = flights.run("k", () => Promise.reject(new Error("database away")));
    const joined = flights.run("k", () => Promise.resolve(1));
    await expect(joined.promise).rejects.toThrow("database away");
    await expect(failing.promise).rejects.toThrow("database away");
    expect(flights.run("k", () => Promise.resolve(2)).isLeader).toBe(true);
  });
});

describe("CSP for a stored page", () => {
  test("a stored page's nonce is the same for the same page, whichever render's nonce it came with; another page gets another", () => {
    const page = (nonce: string, text: string) =>
      Buffer.from(
        `<main><p>${text} €</p></main><script src="/build/reader.js" nonce="${nonce}" defer></script><script nonce="${nonce}">x()</script>`,
      );
    const first = settleNonce(page("AAAAAAAAAAAAAAAAAAAAAA==", "VPN drops"), "AAAAAAAAAAAAAAAAAAAAAA==", "secret");
    const second = settleNonce(page("zZ9/+zZ9/+zZ9/+zZ9/+zA==", "VPN drops"), "zZ9/+zZ9/+zZ9/+zZ9/+zA==", "secret");
    expect(second.page.equals(first.page)).toBe(true);
    expect(second.nonce).toBe(first.nonce);
    expect(first.nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    expect(first.page.toString()).toBe(page(first.nonce, "VPN drops").toString());
    // Other content, or another site's secret: a nonce nobody could have written into the page beforehand.
    const other = settleNonce(page("AAAAAAAAAAAAAAAAAAAAAA==", "VPN works"), "AAAAAAAAAAAAAAAAAAAAAA==", "secret");
    expect(other.nonce).not.toBe(first.nonce);
    expect(
      settleNonce(page("AAAAAAAAAAAAAAAAAAAAAA==", "VPN drops"), "AAAAAAAAAAAAAAAAAAAAAA==", "another").nonce,
    ).not.toBe(first.nonce);
    // A page without the nonce is left as it is.
    const plain = Buffer.from("<p>no scripts</p>");
    expect(settleNonce(plain, "AAAAAAAAAAAAAAAAAAAAAA==", "secret")).toEqual({
      page: plain,
      nonce: "AAAAAAAAAAAAAAAAAAAAAA==",
      digest: null,
    });
    // The digest names the stored bytes: the same for the same page, another for another.
    expect(second.digest).toBe(first.digest);
    expect(other.digest).not.toBe(first.digest);
  });

  const html =
    '<html><head><script type="application/ld+json">{"a":1}</script></head><body>' +
    '<script nonce="abc">window.__ctx = {"x":"</scr" + "ipt>"};</script>' +
    '<script nonce="abc" type="module" async="">import "/build/entry.js";</script>' +
    '<script src="/build/x.js" nonce="abc"></script></body></html>';

  test("hashes every inline script the browser would run, not data blocks or external scripts", () => {
    expect(inlineScripts(html)).toEqual(['window.__ctx = {"x":"</scr" + "ipt>"};', 'import "/build/entry.js";']);
    const expected = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(scriptHashes(html)).toEqual([
      expected('window.__ctx = {"x":"</scr" + "ipt>"};'),
      expected('import "/build/entry.js";'),
    ]);
  });

  test("finds the same scripts in a page's bytes as in its text, whatever the case of the tags or the characters", () => {
    const page = `${html}<p>Ünïcödé — “quotes”</p><SCRIPT>café("é")</SCRIPT ><Script type="module">x()</script>`;
    expect(inlineScripts(Buffer.from(page))).toEqual(inlineScripts(page));
    expect(inlineScripts(page).slice(-2)).toEqual(['café("é")', "x()"]);
    expect(scriptHashes(Buffer.from(page))).toEqual(scriptHashes(page));
    expect(hasExternalScripts(Buffer.from(page))).toBe(true);
  });

  test("replaces the per-request nonce with the hashes and keeps every other directive", () => {
    const policy = "default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic'; object-src 'none'";
    expect(policyWithHashes(policy, ["'sha256-A'", "'sha256-B'"])).toBe(
      "default-src 'self'; script-src 'sha256-A' 'sha256-B' 'strict-dynamic'; object-src 'none'",
    );
    expect(policyWithHashes(policy, [])).toBe("default-src 'self'; script-src 'strict-dynamic'; object-src 'none'");
    expect(policyWithHashes("default-src 'self'", ["'sha256-A'"])).toBe(
      "default-src 'self'; script-src 'sha256-A' 'strict-dynamic'",
    );
  });

  test("a page with an external script keeps the nonce it was rendered with besides the hashes", () => {
    expect(hasExternalScripts(html)).toBe(true);
    expect(hasExternalScripts('<script>inline()</script><script type="module">import "/x.js";</script>')).toBe(false);
    const policy = "script-src 'nonce-r4nd0m' 'strict-dynamic'";
    expect(policyWithHashes(policy, ["'sha256-A'"], { keepNonce: true })).toBe(
      "script-src 'sha256-A' 'nonce-r4nd0m' 'strict-dynamic'",
    );
  });

  test("an entry holds identity, gzip and brotli bodies of the same page, each with its own strong ETag", async () => {
    const body = Buffer.from(html.repeat(20));
    const entry = await buildEntry({
      key: "h/q/1",
      status: 200,
      headers: [["content-type", "text/html; charset=utf-8"]],
      body,
      directive: { tags: ["post:1"], maxAgeSeconds: 60 },
      basePolicy: "script-src 'nonce-x' 'strict-dynamic'",
      isHtml: true,
      now: 1_000,
    });
    expect(gunzipSync(entry.bodies.gzip).equals(body)).toBe(true);
    expect(brotliDecompressSync(entry.bodies.br).equals(body)).toBe(true);
    expect(new Set(Object.values(entry.etags)).size).toBe(3);
    expect(Object.values(entry.etags).every((tag) => /^"[^"]+"$/.test(tag))).toBe(true);
    // The sample page has an external script tag, so its render's nonce stays.
    expect(entry.policy).toBe(`script-src ${scriptHashes(html).join(" ")} 'nonce-x' 'strict-dynamic'`);
    expect(entry.expiresAt).toBe(61_000);
    expect(entry.bytes).toBeGreaterThan(body.length + entry.bodies.gzip.length + entry.bodies.br.length);
  });

  test("a waiting reader's coding is ready first, and is the very body the entry keeps", async () => {
    const body = Buffer.from(html.repeat(20));
    const building = startEntry({
      key: "h/q/1",
      status: 200,
      headers: [],
      body,
      directive: { tags: ["post:1"], maxAgeSeconds: 60 },
      basePolicy: "script-src 'nonce-x' 'strict-dynamic'",
      isHtml: true,
      now: 0,
      first: "gzip",
    });
    const first = await building.first;
    const entry = await building.entry;
    expect(first.coding).toBe("gzip");
    expect(first.body).toBe(entry.bodies.gzip);
    expect(first.etag).toBe(entry.etags.gzip);
    expect(building.policy).toBe(entry.policy);
    expect(brotliDecompressSync(entry.bodies.br).equals(body)).toBe(true);
  });
});
