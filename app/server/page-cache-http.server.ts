/**
 * The anonymous page cache in front of the Remix handler: answers signed-out GET/HEAD requests from the store,
 * renders a miss once for all concurrent askers, stores what a page opted into, drops entries when the database
 * announces (LISTEN/NOTIFY) that the entities they show changed, and holds every write's response until this
 * process has heard the write's announcements (a "barrier"), so the writer never reads their own stale page.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { writeStreamToResponse } from "./stream-response.server";
import { sql } from "drizzle-orm";
import type { Database } from "#db/client.server";
import {
  CACHE_DIRECTIVE_HEADER,
  type Coding,
  type Entry,
  PAGE_CACHE_CHANNEL,
  PageStore,
  type Representation,
  SingleFlight,
  bypassReason,
  cacheKey,
  chooseCoding,
  forgetKept,
  matchesIfNoneMatch,
  parseAnnouncement,
  parseDirective,
  settleNonce,
  startEntry,
} from "~/lib/page-cache.server";
import { logEvent } from "~/lib/log.server";
import { acceptsEventStream } from "~/lib/sse.server";
import { HOST, requestAddress, targetProblem } from "~/server/http-guards.server";
import { type SecurityHeaders, newNonce } from "~/server/security-headers.server";

export { PAGE_CACHE_CHANNEL };

/**
 * How long a write's response waits to hear its barrier once sent, before this process empties its cache and memos
 * instead. Counted from when the database ran the NOTIFY, not from the request: on a busy embedded database the
 * statement may wait its turn behind others for longer than that, and the barrier then says nothing about delivery.
 */
const BARRIER_TIMEOUT_MS = 2_000;

/** Browsers keep a copy but ask again every time (with the ETag); shared caches may do the same for signed-out readers. */
const BROWSER_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/** A stored page differs by content coding, and a reader with a session cookie gets another page. */
const VARY = "Accept-Encoding, Cookie";

/** Headers that belong to one body or one response, never to the stored entry. */
const UNSTORED_HEADERS = new Set([
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "etag",
  "cache-control",
  "vary",
  "set-cookie",
  "content-security-policy",
  "date",
  CACHE_DIRECTIVE_HEADER,
]);

type CacheRequest = IncomingMessage & { originalUrl: string; method: string; protocol: string };
type CacheResponse = ServerResponse;
type Next = (error?: unknown) => void;

export type PageCacheOptions = {
  maxBytes: number;
  database: Pick<Database, "db" | "listen">;
  /** Renders with the app (the Remix request handler and this response's load context). */
  render: (request: Request, res: CacheResponse) => Promise<Response>;
  /** The headers every response carries; with them, `answerHit` can answer hits before the rest of the server. */
  securityHeaders?: SecurityHeaders;
  /**
   * The site's secret: with it, a stored page's nonce is derived from the page (settleNonce), so every process stores
   * the same bytes and ETag for the same page. Without it, each render keeps its own nonce.
   */
  nonceKey?: string;
  now?: () => number;
  /** Tests only: how long a barrier waits to be heard (default BARRIER_TIMEOUT_MS). */
  barrierTimeoutMs?: number;
};

export type PageCache = {
  middleware: (req: CacheRequest, res: CacheResponse, next: Next) => void;
  /** True when the middleware would answer this request from memory right now (a hit: no render, no database). */
  wouldServe: (req: CacheRequest) => boolean;
  /**
   * Answers a stored page for a plain signed-out GET/HEAD straight from the HTTP server (true when it did); anything
   * else, and every miss, is left to the full stack (guards, static files, this middleware, the app).
   */
  answerHit: (req: IncomingMessage, res: CacheResponse) => boolean;
  /** Resolves once every NOTIFY committed before the call has been applied in this process. */
  barrier: () => Promise<void>;
  store: PageStore;
  stop: () => Promise<void>;
};

/** `served`: the leader's own reader was already answered (as soon as their coding was compressed). */
type Rendered = { entry: Entry | null; response: Response | null; served: boolean };

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : (value ?? ""));

export async function createPageCache(options: PageCacheOptions): Promise<PageCache> {
  const now = options.now ?? (() => Date.now());
  const store = new PageStore({ maxBytes: options.maxBytes });
  const flights = new SingleFlight<Rendered>();
  const barriers = new Map<string, () => void>();
  const prefix = `${process.pid}.${randomBytes(4).toString("hex")}`;
  let barrierCount = 0;
  // False while the LISTEN connection is down: announcements may be missed, so nothing is served or stored.
  let isListening = true;

  const onMessage = (payload: string) => {
    const message = parseAnnouncement(payload);
    if (message?.tags) {
      flights.forgetAll();
      store.invalidate(message.tags);
    }
    if (message?.barrier) barriers.get(message.barrier)?.();
  };
  const stopListening = await options.database.listen(PAGE_CACHE_CHANNEL, onMessage, {
    onLost: () => {
      isListening = false;
      flights.forgetAll();
      store.clear();
      logEvent("warn", "page cache paused: the database connection that hears invalidations was lost");
    },
    onRestored: () => {
      flights.forgetAll();
      store.clear();
      isListening = true;
      logEvent("info", "page cache resumed");
    },
  });

  async function barrier(): Promise<void> {
    barrierCount += 1;
    const id = `${prefix}.${barrierCount}`;
    let timer: NodeJS.Timeout | undefined;
    let settle: (heard: boolean) => void = () => {};
    const heard = new Promise<boolean>((resolve) => {
      settle = resolve;
      barriers.set(id, () => resolve(true));
    });
    try {
      await options.database.db.execute(
        sql`select pg_notify(${PAGE_CACHE_CHANNEL}, ${JSON.stringify({ barrier: id })})`,
      );
      // The embedded database delivers it with the statement (heard already); PostgreSQL a moment later.
      timer = setTimeout(() => settle(false), options.barrierTimeoutMs ?? BARRIER_TIMEOUT_MS);
      if (!(await heard)) throw new Error("barrier not heard in time");
    } catch (error) {
      // Not sure every invalidation arrived: forget everything rather than serve a page that may be stale, and the
      // memos the app renders signed-in pages from too (else the writer could be shown their page from before).
      flights.forgetAll();
      store.clear();
      forgetKept();
      logEvent("warn", "page cache emptied: a write's invalidations could not be confirmed", {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      clearTimeout(timer);
      barriers.delete(id);
    }
  }

  function serve(req: CacheRequest, res: CacheResponse, entry: Entry, label: "hit" | "miss"): void {
    const coding = chooseCoding(headerText(req.headers["accept-encoding"]));
    sendRepresentation(req, res, entry, { coding, body: entry.bodies[coding], etag: entry.etags[coding] }, label);
  }

  /** Sends one coding of a page through the Express response (whose middleware already set the security headers). */
  function sendRepresentation(
    req: CacheRequest,
    res: CacheResponse,
    page: Pick<Entry, "headers" | "policy" | "status">,
    { coding, body, etag }: Representation,
    label: "hit" | "miss",
  ): void {
    const grouped = new Map<string, string[]>();
    for (const [name, value] of page.headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? (values[0] ?? "") : values);
    res.setHeader("Cache-Control", BROWSER_CACHE_CONTROL);
    res.setHeader("Vary", VARY);
    res.setHeader("ETag", etag);
    res.setHeader("X-Cache", label);
    if (page.policy) res.setHeader("Content-Security-Policy", page.policy);
    const ifNoneMatch = headerText(req.headers["if-none-match"]);
    if (ifNoneMatch && matchesIfNoneMatch(ifNoneMatch, etag)) {
      res.statusCode = 304;
      res.removeHeader("Content-Type");
      res.end();
      return;
    }
    res.statusCode = page.status;
    if (coding !== "identity") res.setHeader("Content-Encoding", coding);
    res.setHeader("Content-Length", String(body.length));
    if (req.method === "HEAD") res.end();
    else res.end(body);
  }

  /**
   * A hit's full header list, in raw form (name, value, name, value…), kept per entry and coding: the same headers
   * the Express stack sends (security headers, the entry's own, caching, X-Cache), built once instead of per request.
   * Null for an entry without a policy of its own (a data response): it gets a fresh nonce per request.
   */
  const rawHeaders = new WeakMap<Entry, Partial<Record<Coding | "304", string[]>>>();
  function hitHeaders(entry: Entry, coding: Coding | "304", security: SecurityHeaders): string[] {
    const known = rawHeaders.get(entry)?.[coding];
    if (known && entry.policy) return known;
    const list: string[] = ["Content-Security-Policy", entry.policy ?? security.policy(newNonce())];
    for (const [name, value] of security.fixed) list.push(name, value);
    for (const [name, value] of entry.headers) {
      if (coding === "304" && name.toLowerCase() === "content-type") continue;
      list.push(name, value);
    }
    const etag = entry.etags[coding === "304" ? "identity" : coding];
    list.push("Cache-Control", BROWSER_CACHE_CONTROL, "Vary", VARY, "ETag", etag, "X-Cache", "hit");
    if (coding !== "304") {
      if (coding !== "identity") list.push("Content-Encoding", coding);
      list.push("Content-Length", String(entry.bodies[coding].length));
    }
    if (entry.policy) rawHeaders.set(entry, { ...rawHeaders.get(entry), [coding]: list });
    return list;
  }

  function answerHit(req: IncomingMessage, res: CacheResponse): boolean {
    const security = options.securityHeaders;
    const method = req.method;
    if (!security || !isListening || (method !== "GET" && method !== "HEAD")) return false;
    const url = req.url ?? "";
    const host = req.headers.host;
    // Exactly what the guards would let through unchanged; anything they would refuse or rewrite takes the full path.
    if (!host || !HOST.test(host) || targetProblem(url) !== null) return false;
    if (bypassReason({ method, headers: req.headers }) !== null) return false;
    const key = cacheKey({ url, host });
    const entry = key ? store.get(key, now(), { countMiss: false }) : undefined;
    if (!entry) return false;
    const coding = chooseCoding(headerText(req.headers["accept-encoding"]));
    const etag = entry.etags[coding];
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch && matchesIfNoneMatch(ifNoneMatch, etag)) {
      // The 304 names the representation the reader holds: swap the identity ETag for this coding's.
      const headers = hitHeaders(entry, "304", security).slice();
      headers[headers.indexOf("ETag") + 1] = etag;
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(entry.status, hitHeaders(entry, coding, security));
    if (method === "HEAD") res.end();
    else res.end(entry.bodies[coding]);
    return true;
  }

  /**
   * Renders for the cache; stores the result if the page opted in and nothing personal came with it. The leader's
   * reader is answered as soon as their coding is compressed; the other codings and the store follow off their path.
   */
  async function renderForCache(req: CacheRequest, res: CacheResponse, key: string, ticket: number): Promise<Rendered> {
    const response = await options.render(fetchRequestFor(req, res), res);
    const type = response.headers.get("content-type");
    if (type) response.headers.set("content-type", withCharset(type));
    const directive = parseDirective(response.headers.get(CACHE_DIRECTIVE_HEADER));
    response.headers.delete(CACHE_DIRECTIVE_HEADER);
    const contentType = response.headers.get("content-type") ?? "";
    const isHtml = contentType.startsWith("text/html");
    const isStorable =
      directive !== null &&
      response.status === 200 &&
      response.body !== null &&
      response.headers.getSetCookie().length === 0 &&
      !/\b(private|no-store)\b/i.test(response.headers.get("cache-control") ?? "") &&
      // Pages, their Remix data, the Atom feeds (polled by feed readers every few minutes) and the sitemap.
      (isHtml || /^(text\/x-script|application\/atom\+xml|application\/xml)\b/.test(contentType));
    if (!isStorable || !directive) return { entry: null, response, served: false };
    let body: Buffer = Buffer.from(await response.arrayBuffer());
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (!UNSTORED_HEADERS.has(name.toLowerCase())) headers.push([name, value]);
    });
    const requestPolicy = res.getHeader("Content-Security-Policy");
    let basePolicy = typeof requestPolicy === "string" ? requestPolicy : null;
    const nonce = basePolicy ? /'nonce-([^']+)'/.exec(basePolicy)?.[1] : undefined;
    let digest: string | null = null;
    if (isHtml && basePolicy && nonce && options.nonceKey) {
      const settled = settleNonce(body, nonce, options.nonceKey);
      body = settled.page;
      digest = settled.digest;
      basePolicy = basePolicy.replace(`'nonce-${nonce}'`, `'nonce-${settled.nonce}'`);
    }
    const building = startEntry({
      key,
      status: 200,
      headers,
      body,
      digest,
      directive,
      basePolicy,
      isHtml,
      now: now(),
      first: chooseCoding(headerText(req.headers["accept-encoding"])),
    });
    sendRepresentation(req, res, { headers, status: 200, policy: building.policy }, await building.first, "miss");
    const entry = await building.entry.catch((error: unknown) => {
      logEvent("error", "page cache entry not stored", {
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    });
    if (entry) store.set(entry, ticket);
    return { entry, response: null, served: true };
  }

  async function handleMiss(req: CacheRequest, res: CacheResponse, next: Next, key: string): Promise<void> {
    const ticket = store.ticket();
    const { promise, isLeader } = flights.run(key, () => renderForCache(req, res, key, ticket));
    let rendered: Rendered;
    try {
      rendered = await promise;
    } catch (error) {
      if (isLeader) return next(error);
      // The shared render failed (its reader left, or an error): render this one on its own.
      res.setHeader("X-Cache", "miss");
      return next();
    }
    if (isLeader && rendered.served) return;
    if (rendered.entry) return serve(req, res, rendered.entry, isLeader ? "miss" : "hit");
    res.setHeader("X-Cache", "miss");
    if (isLeader && rendered.response) return sendResponse(res, rendered.response);
    return next();
  }

  function middleware(req: CacheRequest, res: CacheResponse, next: Next): void {
    // Whatever path the response takes, the internal opt-in header never reaches the client.
    stripDirective(res);
    const reason = bypassReason({ method: req.method, headers: req.headers });
    if (reason) {
      res.setHeader("X-Cache", "bypass");
      if (reason === "method") holdUntil(res, barrier);
      next();
      return;
    }
    const key = isListening ? cacheKey({ url: req.originalUrl, host: headerText(req.headers.host) }) : null;
    if (!key) {
      res.setHeader("X-Cache", "bypass");
      next();
      return;
    }
    const entry = store.get(key, now());
    if (entry) {
      serve(req, res, entry, "hit");
      return;
    }
    // An event stream rendered as GET would open (and hold) a stream nobody reads: HEAD asks the app as HEAD.
    if (req.method === "HEAD" && acceptsEventStream(headerText(req.headers.accept))) {
      headMiss(res, next);
      return;
    }
    // HEAD renders (or joins the render of) the page as GET, so it gets the GET's headers: stored pages' caching
    // headers and ETag included.
    handleMiss(req, res, next, key).catch(next);
  }

  function wouldServe(req: CacheRequest): boolean {
    if (!isListening || bypassReason({ method: req.method, headers: req.headers })) return false;
    const key = cacheKey({ url: req.originalUrl, host: headerText(req.headers.host) });
    return key !== null && store.has(key, now());
  }

  return {
    middleware,
    wouldServe,
    answerHit,
    barrier,
    store,
    stop: async () => {
      await stopListening();
    },
  };
}

function headMiss(res: CacheResponse, next: Next): void {
  res.setHeader("X-Cache", "miss");
  next();
}

/**
 * A content type with the charset Express adds when the rest of the server sends a response (`res.set`, as
 * remixHandler does): text and JSON are UTF-8. Without it, a signed-out reader's GET (sent from here) and their HEAD or a
 * signed-in reader's GET (sent by Express) named different types for the same answer.
 */
export function withCharset(contentType: string): string {
  if (/;\s*charset=/i.test(contentType) || !/^\s*(text\/|application\/(javascript|json)\b)/i.test(contentType))
    return contentType;
  return `${contentType}; charset=utf-8`;
}

/**
 * A GET request for the app, as Remix's express adapter builds it: aborted if the client leaves before the answer. A
 * HEAD request is rendered as GET, so its answer has the GET's headers (and can be stored for the GETs after it).
 */
function fetchRequestFor(req: CacheRequest, res: CacheResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const controller = new AbortController();
  let isFinished = false;
  res.on("finish", () => (isFinished = true));
  res.on("close", () => {
    if (!isFinished) controller.abort();
  });
  // As the app reads it: `//evil.example/q/1` is a path here (a 404), not /q/1 on another host.
  const url = requestAddress(`${req.protocol}://${headerText(req.headers.host) || "localhost"}`, req.originalUrl);
  const method = req.method === "HEAD" ? "GET" : req.method;
  return new Request(url.href, { method, headers, signal: controller.signal });
}

/** Sends an app response the cache did not keep, as Remix's express adapter does (streams, events, several cookies). */
async function sendResponse(res: CacheResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name.toLowerCase() !== "set-cookie") res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  // A HEAD rendered as GET: the headers only, and the body's work stopped.
  if (res.req?.method === "HEAD") {
    await response.body?.cancel().catch(() => {});
    res.end();
  } else if (response.body) await writeStreamToResponse(response.body, res);
  else res.end();
}

/** Keeps the internal opt-in header out of responses the cache does not handle itself. */
function stripDirective(res: CacheResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) =>
    name.toLowerCase() === CACHE_DIRECTIVE_HEADER ? res : setHeader(name, value)) as CacheResponse["setHeader"];
}

/**
 * Holds a response's first byte until `gate` resolves: the first writeHead/write/end starts the gate (by then the
 * request's writes have committed) and every call is replayed in order afterwards.
 */
export function holdUntil(res: CacheResponse, gate: () => Promise<void>): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  type Method = keyof typeof original;
  const queued: { method: Method; args: unknown[] }[] = [];
  let state: "waiting" | "holding" | "released" = "waiting";
  const release = () => {
    state = "released";
    Object.assign(res, original);
    for (const { method, args } of queued.splice(0))
      (original[method] as (...a: unknown[]) => unknown).apply(res, args);
  };
  const hold = (method: Method) =>
    function held(this: CacheResponse, ...args: unknown[]): unknown {
      if (state === "released") return (original[method] as (...a: unknown[]) => unknown).apply(res, args);
      queued.push({ method, args });
      if (state === "waiting") {
        state = "holding";
        gate().then(release, release);
      }
      return method === "write" ? true : res;
    };
  res.writeHead = hold("writeHead") as CacheResponse["writeHead"];
  res.write = hold("write") as CacheResponse["write"];
  res.end = hold("end") as CacheResponse["end"];
  res.flushHeaders = hold("flushHeaders") as CacheResponse["flushHeaders"];
}
