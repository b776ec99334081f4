/**
 * The anonymous page cache's building blocks, free of any web framework: request keys and bypass rules, the opt-in
 * directive a page sends, a byte-bounded LRU store whose entries carry the tags (entities) they show, one render
 * shared by concurrent misses, pre-compressed bodies with strong ETags, and CSP hashes of a page's inline scripts.
 */
import { createHash, createHmac } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";

/** The internal response header by which a page opts in; read and removed by the server, never sent to a browser. */
export const CACHE_DIRECTIVE_HEADER = "x-peerdesk-page-cache";

/** The NOTIFY channel of the page cache: `{"tags":[…]}` from the database triggers, `{"barrier":"…"}` from app processes. */
export const PAGE_CACHE_CHANNEL = "peerdesk_page_cache";

/** A message on the channel: the tags a committed write touched, and/or a process's barrier marker; null if malformed. */
export function parseAnnouncement(payload: string): { tags: string[] | null; barrier: string | null } | null {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!message || typeof message !== "object") return null;
  const { tags, barrier } = message as { tags?: unknown; barrier?: unknown };
  return {
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : null,
    barrier: typeof barrier === "string" ? barrier : null,
  };
}

/** A tag that every entry carries implicitly: invalidating it empties the cache. */
export const ALL_PAGES = "*";

/** How each of this process's memos of public data (question pages, how-tos, lists) forgets everything it keeps. */
const keptElsewhere = new Set<() => void>();

/**
 * Registers how a memo that follows the channel forgets everything (returns how to stop). The page cache's barrier
 * calls them all when it can't confirm that a write's announcements arrived, as it empties its own store: else the
 * writer could read the data from before their write in a memo until the announcement turns up.
 */
export function onForgetKept(forget: () => void): () => void {
  keptElsewhere.add(forget);
  return () => {
    keptElsewhere.delete(forget);
  };
}

/** Empties every memo registered with onForgetKept. */
export function forgetKept(): void {
  for (const forget of keptElsewhere) forget();
}

/** Longest lifetime a page may ask for, whatever it declares. */
export const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

const MAX_KEY_LENGTH = 2048;
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*)*\/?$/;
const MAX_TAGS = 32;
const TAG_PATTERN = /^[a-z*][a-z0-9:_*-]{0,63}$/;

export type CacheDirective = { tags: string[]; maxAgeSeconds: number };

/** Formats the directive a page sends: `tags=post:12 lists; max-age=60`. */
export function formatDirective({ tags, maxAgeSeconds }: CacheDirective): string {
  return `tags=${tags.join(" ")}; max-age=${Math.floor(maxAgeSeconds)}`;
}

/** Reads a directive; anything malformed means "not cacheable" (null), never a guess. */
export function parseDirective(value: string | null | undefined): CacheDirective | null {
  if (!value) return null;
  let tags: string[] | null = null;
  let maxAgeSeconds: number | null = null;
  for (const part of value.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    const raw = rest.join("=").trim();
    if (name === "tags") tags = raw.split(/\s+/).filter(Boolean);
    else if (name === "max-age" && /^\d{1,6}$/.test(raw)) maxAgeSeconds = Number(raw);
  }
  if (!tags || maxAgeSeconds === null || maxAgeSeconds <= 0) return null;
  if (tags.length > MAX_TAGS || !tags.every((tag) => TAG_PATTERN.test(tag))) return null;
  return { tags: [...new Set(tags)], maxAgeSeconds: Math.min(maxAgeSeconds, MAX_LIFETIME_SECONDS) };
}

type HeaderValue = string | string[] | undefined;
export type RequestFacts = { method: string; url: string; host: string; headers: Record<string, HeaderValue> };

const first = (value: HeaderValue): string => (Array.isArray(value) ? value.join(", ") : (value ?? ""));

/**
 * Cookies named after the prefix that say nothing about who is reading: the known-device cookie (app/auth/
 * known-device.server.ts) only tells the sign-in lock which browser this is, and stays after signing out, so a
 * signed-out reader carrying it still gets cached pages.
 */
const NOT_ACCOUNT_COOKIES = new Set(["known_device"]);

/** better-auth's cookies are all named after the prefix (session token, cookie cache, two-factor), bare or __Secure-/__Host-. */
export function hasAccountCookie(cookieHeader: string, prefix = "peerdesk"): boolean {
  for (const pair of cookieHeader.split(";")) {
    const name = pair.split("=")[0]?.trim() ?? "";
    const bare = name.replace(/^__(Secure|Host)-/, "");
    if (bare.startsWith(`${prefix}.`) && NOT_ACCOUNT_COOKIES.has(bare.slice(prefix.length + 1))) continue;
    if (
      bare === prefix ||
      bare.startsWith(`${prefix}.`) ||
      bare.startsWith(`${prefix}_`) ||
      bare.startsWith(`${prefix}-`)
    )
      return true;
  }
  return false;
}

/** Why a request must not be answered from (or stored in) the cache; null when it may be. */
export function bypassReason(request: Pick<RequestFacts, "method" | "headers">): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return "method";
  if (first(request.headers.authorization)) return "authorization";
  if (hasAccountCookie(first(request.headers.cookie))) return "cookie";
  return null;
}

/**
 * The cache key: host, path and query with its parameters sorted (so `?b=1&a=2` and `?a=2&b=1` share an entry).
 * HEAD shares GET's entry; the content coding is chosen per request from the entry's three bodies. Remix data
 * requests (`/q/1.data?_routes=…`) differ by path and query, so they get entries of their own.
 * Null for URLs too long to be worth a slot.
 */
export function cacheKey(request: Pick<RequestFacts, "url" | "host">): string | null {
  // Most requests are a plain path: segments of characters URL parsing leaves alone, none starting with a dot (so no
  // dot segments), no escapes, no query. Such a path is its own normal form; skip building a URL for it.
  if (PLAIN_PATH.test(request.url) && request.url.length + request.host.length <= MAX_KEY_LENGTH)
    return `${request.host.toLowerCase()}${request.url}`;
  let url: URL;
  try {
    // Joined, as the app reads a target (requestAddress in app/server/http-guards.server.ts): `//evil.example/q/1` is
    // a path here, which resolving against a base would read as /q/1 on another host, and answer with /q/1's page.
    url = new URL(`http://cache.invalid${request.url}`);
  } catch {
    return null;
  }
  const params = new URLSearchParams(url.search);
  params.sort();
  const query = params.toString();
  const key = `${request.host.toLowerCase()}${url.pathname}${query ? `?${query}` : ""}`;
  return key.length > MAX_KEY_LENGTH ? null : key;
}

export type Coding = "br" | "gzip" | "identity";

/** Picks br, then gzip, then identity, honouring q=0 refusals (including `*;q=0`). */
export function chooseCoding(acceptEncoding: string): Coding {
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q ? Number(q.slice(2)) : 1;
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const accepts = (coding: string) => (weights.get(coding) ?? weights.get("*") ?? 0) > 0;
  if (accepts("br")) return "br";
  if (accepts("gzip")) return "gzip";
  return "identity";
}

/** RFC 9110 If-None-Match: a list of entity tags or `*`, compared weakly. */
export function matchesIfNoneMatch(header: string, etag: string): boolean {
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || bare(tag) === bare(etag));
}

const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const HTML_WHITESPACE = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const EXTERNAL_SCRIPT = /<script\s[^>]*\bsrc\s*=/i;

/** True when the bytes at `at` spell `word` (lower-case ASCII letters), in any case. */
function spells(page: Buffer, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (((page[at + i] ?? 0) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

const TAG_STARTS = {
  opening: [Buffer.from("<s"), Buffer.from("<S")],
  closing: [Buffer.from("</s"), Buffer.from("</S")],
};

/**
 * The offset of the next `<script` (or `</script`), in any case, at or after `from`, or -1. Byte searches for `<s` and
 * `<S` find the few candidates (a page has thousands of tags, a few hundred starting with s); each is then checked.
 */
function nextTag(page: Buffer, from: number, closing: boolean): number {
  const [lower, upper] = closing ? TAG_STARTS.closing : TAG_STARTS.opening;
  if (!lower || !upper) return -1;
  let nextLower = page.indexOf(lower, from);
  let nextUpper = page.indexOf(upper, from);
  for (;;) {
    if (nextLower === -1 && nextUpper === -1) return -1;
    const isLower = nextUpper === -1 || (nextLower !== -1 && nextLower < nextUpper);
    const at = isLower ? nextLower : nextUpper;
    if (spells(page, at + lower.length - 1, "script")) return at;
    if (isLower) nextLower = page.indexOf(lower, at + 1);
    else nextUpper = page.indexOf(upper, at + 1);
  }
}

/**
 * Where every inline classic or module script's text lies, as byte offsets into the page (not JSON data blocks, which
 * CSP does not govern), found as the browser's parser does: a script's text ends at the first `</script`. Works on
 * the bytes: decoding a large page to text (or lower-casing it) costs milliseconds; byte searches do not.
 */
function inlineScriptRanges(page: Buffer): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = nextTag(page, 0, false); start !== -1; ) {
    const after = page[start + 7];
    if (after !== undefined && after !== GREATER_THAN && after !== SLASH && !HTML_WHITESPACE.has(after)) {
      start = nextTag(page, start + 7, false);
      continue;
    }
    const tagEnd = page.indexOf(GREATER_THAN, start);
    const close = tagEnd === -1 ? -1 : nextTag(page, tagEnd + 1, true);
    if (close === -1) break;
    const attributes = page.toString("latin1", start + 7, tagEnd).toLowerCase();
    start = nextTag(page, close + 8, false);
    if (/\ssrc\s*=/.test(attributes)) continue;
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/.exec(attributes)?.[1];
    if (type && type !== "module" && type !== "text/javascript" && type !== "application/javascript") continue;
    ranges.push([tagEnd + 1, close]);
  }
  return ranges;
}

const bytesOf = (html: string | Buffer) => (typeof html === "string" ? Buffer.from(html, "utf8") : html);

/** The text of every inline script the browser would run (see inlineScriptRanges), from the page as text or bytes. */
export function inlineScripts(html: string | Buffer): string[] {
  const page = bytesOf(html);
  return inlineScriptRanges(page).map(([from, to]) => page.toString("utf8", from, to));
}

/** CSP source expressions allowing exactly these inline scripts (hashed over their UTF-8 bytes, as browsers do). */
export function scriptHashes(html: string | Buffer): string[] {
  const page = bytesOf(html);
  return [
    ...new Set(
      inlineScriptRanges(page).map(
        ([from, to]) => `'sha256-${createHash("sha256").update(page.subarray(from, to)).digest("base64")}'`,
      ),
    ),
  ];
}

/** True when the page has a parser-inserted external script (`<script src>`), which a hash cannot allow. */
export function hasExternalScripts(html: string | Buffer): boolean {
  const page = bytesOf(html);
  for (let at = nextTag(page, 0, false); at !== -1; at = nextTag(page, at + 7, false)) {
    const tagEnd = page.indexOf(GREATER_THAN, at);
    if (tagEnd === -1) return false;
    if (EXTERNAL_SCRIPT.test(page.toString("latin1", at, tagEnd + 1))) return true;
  }
  return false;
}

/**
 * A stored page's nonce, made the same wherever and whenever the same page is rendered: the per-request `nonce` in the
 * page (its `<script src nonce>` tags) is replaced, every occurrence, by one derived from the page itself with that
 * nonce blanked, keyed by the site's secret. Two app processes (or one, rendering again after an expiry or a restart)
 * then store the same bytes, so a page's strong ETag is the same on all of them and a browser's revalidation gets its
 * 304 from any. The nonce is still unguessable for content not yet on the page: changing the page changes it, and
 * deriving it needs the secret. The page is changed in place (its offsets stay: the new nonce is as long); `digest`
 * identifies its bytes (for the ETag, so they are not hashed a second time). The page is left as it is when the nonce
 * isn't in it.
 */
export function settleNonce(
  page: Buffer,
  nonce: string,
  key: string,
): { page: Buffer; nonce: string; digest: string | null } {
  const needle = Buffer.from(nonce, "latin1");
  const places: number[] = [];
  if (needle.length > 0)
    for (let at = page.indexOf(needle); at !== -1; at = page.indexOf(needle, at + needle.length)) places.push(at);
  if (places.length === 0) return { page, nonce, digest: null };
  for (const at of places) page.fill(0x30, at, at + needle.length);
  const derived = createHmac("sha256", key).update("page-nonce:").update(page).digest("base64");
  // As long as the request's nonce (base64 of 16 random bytes: 24 characters), base64 characters without padding, as
  // CSP's nonce grammar allows.
  const stable = derived.replace(/=+$/, "").slice(0, needle.length);
  for (const at of places) page.write(stable.padEnd(needle.length, "A"), at, "latin1");
  return { page, nonce: stable.padEnd(needle.length, "A"), digest: derived.replace(/\+/g, "-").replace(/\//g, "_") };
}

/**
 * The policy for a stored page: the server's policy with its per-request nonce replaced by the hashes of the page's
 * inline scripts. A nonce that was in the stored HTML is public knowledge once served to many readers; hashes allow
 * only the exact scripts the page was rendered with, and 'strict-dynamic' still lets those load the app's modules.
 * A page with external `<script src nonce>` tags can't be allowed by hashes: it keeps the nonce it was rendered with
 * (`keepNonce`), which changes with every render, and every content change causes a new render, so no content can be
 * written knowing it.
 */
export function policyWithHashes(
  policy: string,
  hashes: string[],
  { keepNonce = false }: { keepNonce?: boolean } = {},
): string {
  const sources = hashes.length > 0 ? hashes.join(" ") : "'none'";
  const directives = policy.split(";").map((d) => d.trim());
  let found = false;
  const rewritten = directives.map((directive) => {
    if (!/^script-src(\s|$)/i.test(directive)) return directive;
    found = true;
    const kept = directive
      .split(/\s+/)
      .slice(1)
      .filter(
        (source) =>
          (keepNonce || !/^'nonce-/i.test(source)) && !/^'sha(256|384|512)-/i.test(source) && source !== "'none'",
      );
    return ["script-src", ...(hashes.length > 0 ? [sources] : []), ...kept].join(" ") || "script-src 'none'";
  });
  if (!found) rewritten.push(`script-src ${sources} 'strict-dynamic'`);
  return rewritten.filter(Boolean).join("; ");
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type Entry = {
  key: string;
  status: number;
  /** Response headers to send (no content coding, length, ETag or CSP: those are per body and set when serving). */
  headers: [string, string][];
  bodies: Record<Coding, Buffer>;
  etags: Record<Coding, string>;
  /** For HTML: the CSP with this page's script hashes; null for data responses. */
  policy: string | null;
  tags: string[];
  expiresAt: number;
  bytes: number;
};

type EntryInput = {
  key: string;
  /** What identifies the body's bytes, when already known (settleNonce); else its SHA-256. */
  digest?: string | null;
  status: number;
  headers: [string, string][];
  body: Buffer;
  directive: CacheDirective;
  basePolicy: string | null;
  isHtml: boolean;
  now: number;
};

/** One coding of a page as sent: its body and its strong ETag. */
export type Representation = { coding: Coding; body: Buffer; etag: string };

/** Compresses off the main thread. Quality 5 brotli compresses about as fast as gzip 6 and still beats it on size. */
function compress(coding: "gzip" | "br", body: Buffer): Promise<Buffer> {
  if (coding === "gzip") return gzipAsync(body, { level: 6 });
  return brotliAsync(body, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
}

/**
 * Starts building an entry: `first` resolves as soon as the coding the waiting reader asked for is ready (so a miss
 * is answered after one compression, not two), `entry` once every coding is (identity, gzip and brotli, so a hit
 * costs no compression). Each coding has its own strong ETag (a different coding is a different representation).
 */
export function startEntry(input: EntryInput & { first: Coding }): {
  /** The entry's CSP (see Entry.policy). */
  policy: string | null;
  first: Promise<Representation>;
  entry: Promise<Entry>;
} {
  const digest = (input.digest ?? createHash("sha256").update(input.body).digest("base64url")).slice(0, 27);
  const etags: Record<Coding, string> = { identity: `"${digest}"`, gzip: `"${digest}-gz"`, br: `"${digest}-br"` };
  // Scanned as bytes: decoding a large page to a string would cost more than hashing its scripts.
  const policy =
    input.isHtml && input.basePolicy
      ? policyWithHashes(input.basePolicy, scriptHashes(input.body), { keepNonce: hasExternalScripts(input.body) })
      : null;
  const firstBody = input.first === "identity" ? Promise.resolve(input.body) : compress(input.first, input.body);
  const first = firstBody.then((body) => ({ coding: input.first, body, etag: etags[input.first] }));
  const entry = firstBody.then(async (firstCompressed) => {
    const [gzipped, brotli] = await Promise.all([
      input.first === "gzip" ? firstCompressed : compress("gzip", input.body),
      input.first === "br" ? firstCompressed : compress("br", input.body),
    ]);
    const headerBytes = input.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
    return {
      key: input.key,
      status: input.status,
      headers: input.headers,
      bodies: { identity: input.body, gzip: gzipped, br: brotli },
      etags,
      policy,
      tags: input.directive.tags,
      expiresAt: input.now + input.directive.maxAgeSeconds * 1000,
      // What the entry costs in memory, roughly: the three bodies, the key, headers and policy, plus bookkeeping.
      bytes:
        input.body.length +
        gzipped.length +
        brotli.length +
        input.key.length * 2 +
        headerBytes +
        (policy?.length ?? 0) +
        512,
    };
  });
  return { policy, first, entry };
}

/** Builds a whole entry (every coding) at once. */
export function buildEntry(input: EntryInput): Promise<Entry> {
  return startEntry({ ...input, first: "identity" }).entry;
}

export type StoreStats = {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  stores: number;
  evictions: number;
  invalidations: number;
};

/**
 * Entries in least-recently-used order (a Map keeps insertion order; a hit moves the entry to the end), bounded by
 * their total bytes, indexed by tag for invalidation. A render "ticket" (the invalidation counter when the render
 * began) keeps a page rendered before a write from being stored after that write's invalidation arrived.
 */
export class PageStore {
  readonly maxBytes: number;
  private readonly entries = new Map<string, Entry>();
  private readonly byTag = new Map<string, Set<string>>();
  private totalBytes = 0;
  private sequence = 0;
  /** The sequence number of each tag's latest invalidation (pruned: see `floor`). */
  private readonly invalidatedAt = new Map<string, number>();
  /** Renders that began before this sequence number are never stored (set when everything was invalidated or pruned). */
  private floor = 0;
  private readonly counters = { hits: 0, misses: 0, stores: 0, evictions: 0, invalidations: 0 };

  constructor(options: { maxBytes: number }) {
    this.maxBytes = options.maxBytes;
  }

  /** Taken before a render starts; hand it back to `set`. */
  ticket(): number {
    return this.sequence;
  }

  /** True when `get` would answer now; counts nothing and leaves the order alone. */
  has(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAt > now;
  }

  /** The live entry under `key`, now the most recently used; `countMiss: false` for a look that others will repeat. */
  get(key: string, now: number, { countMiss = true }: { countMiss?: boolean } = {}): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      if (countMiss) this.counters.misses += 1;
      return undefined;
    }
    if (entry.expiresAt <= now) {
      this.remove(key);
      this.counters.misses += 1;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.counters.hits += 1;
    return entry;
  }

  /** Stores unless too big for the cache or invalidated since `ticket`; evicts least recently used entries to fit. */
  set(entry: Entry, ticket: number): boolean {
    // One page may take at most a quarter of the cache, so a huge page never flushes all the others.
    if (entry.bytes > this.maxBytes / 4) return false;
    if (ticket < this.floor) return false;
    for (const tag of [ALL_PAGES, ...entry.tags]) {
      if ((this.invalidatedAt.get(tag) ?? -1) > ticket) return false;
    }
    this.remove(entry.key);
    this.entries.set(entry.key, entry);
    this.totalBytes += entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag) ?? new Set<string>();
      keys.add(entry.key);
      this.byTag.set(tag, keys);
    }
    for (const oldest of this.entries.keys()) {
      if (this.totalBytes <= this.maxBytes) break;
      this.remove(oldest);
      this.counters.evictions += 1;
    }
    this.counters.stores += 1;
    return true;
  }

  /** Drops every entry carrying any of the tags (all of them for "*"); returns how many were dropped. */
  invalidate(tags: readonly string[]): number {
    this.sequence += 1;
    this.counters.invalidations += 1;
    if (tags.includes(ALL_PAGES)) {
      const count = this.entries.size;
      this.clearEntries();
      this.floor = this.sequence;
      this.invalidatedAt.clear();
      return count;
    }
    let count = 0;
    for (const tag of tags) {
      this.invalidatedAt.set(tag, this.sequence);
      for (const key of [...(this.byTag.get(tag) ?? [])]) {
        if (this.remove(key)) count += 1;
      }
    }
    // The per-tag memory only matters for renders in flight; keep it small by raising the floor now and then.
    if (this.invalidatedAt.size > 10_000) {
      this.invalidatedAt.clear();
      this.floor = this.sequence;
    }
    return count;
  }

  clear(): void {
    this.invalidate([ALL_PAGES]);
  }

  stats(): StoreStats {
    return { entries: this.entries.size, bytes: this.totalBytes, maxBytes: this.maxBytes, ...this.counters };
  }

  private clearEntries(): void {
    this.entries.clear();
    this.byTag.clear();
    this.totalBytes = 0;
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
    return true;
  }
}

/**
 * One computation per key at a time: callers asking for a key while it is being computed get the same promise.
 * `forgetAll` detaches the computations in flight (their callers still get them) so that requests arriving after an
 * invalidation start afresh instead of joining a render that may have read the old data.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): { promise: Promise<T>; isLeader: boolean } {
    const existing = this.flights.get(key);
    if (existing) return { promise: existing, isLeader: false };
    const promise = compute();
    this.flights.set(key, promise);
    const done = () => {
      if (this.flights.get(key) === promise) this.flights.delete(key);
    };
    promise.then(done, done);
    return { promise, isLeader: true };
  }

  /** The computation in flight for `key`, if any (to wait for without starting one). */
  current(key: string): Promise<T> | undefined {
    return this.flights.get(key);
  }

  forgetAll(): void {
    this.flights.clear();
  }

  get size(): number {
    return this.flights.size;
  }
}
