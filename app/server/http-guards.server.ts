/**
 * What stands between the network and the Remix app: one notion of this site's origin (shared with Remix's own
 * action check), request targets and bodies checked before any route runs (size per route kind, a type the route
 * can read, no NUL characters, complete multipart), the Remix handler fed from the checked body, and a last error
 * handler that never shows details. Each refusal is a short page or JSON saying what was wrong (a body too large for
 * the profile picture's page is told there instead, beside its field).
 */
import { type AppLoadContext, type ServerBuild, createRequestHandler } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import type {
  ErrorRequestHandler,
  Request as ExpressRequest,
  Response as ExpressResponse,
  RequestHandler,
} from "express";
import { AVATAR_MAX_BYTES } from "~/lib/avatars";
import { markBodyTooLarge } from "~/lib/body-too-large.server";
import { logEvent } from "~/lib/log.server";
import { markDocumentRequest } from "~/lib/html-once.server";
import { markFormSubmission } from "~/lib/form-submission.server";
import { writeStreamToResponse } from "./stream-response.server";

const KB = 1024;
const MB = 1024 * KB;

type BodyKind = "form" | "form-or-json";

type BodyRule = {
  pattern: RegExp;
  maxBytes: number;
  kind: BodyKind;
  /** Past maxBytes the route's own page says so beside the field (handed an empty form, see body-too-large.server.ts). */
  isTooLargeShownByRoute?: boolean;
};

/**
 * Body limits per route kind, first match wins. Post bodies are large (a how-to has up to 30 steps of 5,000
 * characters, and form encoding can take 9 bytes per character); JSON APIs and ordinary forms are small.
 */
export const BODY_RULES: BodyRule[] = [
  { pattern: /^\/api\/drafts\/?$/, maxBytes: 512 * KB, kind: "form-or-json" },
  { pattern: /^\/api\/preview\/?$/, maxBytes: 256 * KB, kind: "form-or-json" },
  // A picture for a post (up to 8 MB, see app/models/post-images.server.ts) and the multipart framing around it.
  { pattern: /^\/api\/images\/?$/, maxBytes: 8 * MB + 64 * KB, kind: "form" },
  { pattern: /^\/api\//, maxBytes: 16 * KB, kind: "form-or-json" },
  { pattern: /^\/(ask|q|a|howtos|sessions)(\/|$)/, maxBytes: 2 * MB, kind: "form" },
  // A profile picture (app/lib/avatars.ts) and the multipart framing around it. A phone photo past it is explained on
  // the page, beside the field.
  {
    pattern: /^\/settings\/avatar\/?$/,
    maxBytes: AVATAR_MAX_BYTES + 64 * KB,
    kind: "form",
    isTooLargeShownByRoute: true,
  },
  { pattern: /./, maxBytes: 64 * KB, kind: "form" },
];

/**
 * The rule for a request's path. With JavaScript, Remix sends a page's form to the page's address plus `.data`
 * (`/ask.data`; the home page's is `/_root.data`): it gets the page's rule. Before, `/ask.data` fell to the 64 KB
 * catch-all, so a long question or how-to posted with JavaScript was refused, in a form Remix can't read (a 500 page).
 */
export function bodyRuleFor(requestPath: string): BodyRule {
  const pathname = requestPath === "/_root.data" ? "/" : requestPath.replace(/\.data$/, "");
  const rule = BODY_RULES.find((candidate) => candidate.pattern.test(pathname));
  return rule ?? { pattern: /./, maxBytes: 64 * KB, kind: "form" };
}

/** A body limit in the words of the refusal: whole megabytes or kilobytes, without the room left for form framing. */
function limitInWords(maxBytes: number): string {
  return maxBytes >= MB ? `${Math.floor(maxBytes / MB)} MB` : `${Math.floor(maxBytes / KB)} KB`;
}

// How long and how much of an oversized body is read and dropped after the 413, so the client sees it (dropRestOfBody below).
const LINGER_MS = 5_000;
const LINGER_BYTES = 256 * MB;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

type GuardOptions = { baseURL: string; trustProxy: boolean };

/** A refusal, as JSON for APIs and data requests, otherwise as a small page. */
function refuse(
  req: ExpressRequest,
  res: ExpressResponse,
  status: number,
  title: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.status(status);
  res.setHeader("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (wantsJson(req)) {
    res.json({ error: message });
    return;
  }
  res.type("html").send(refusalPage(status, title, message));
}

function wantsJson(req: ExpressRequest): boolean {
  const path = req.path ?? "";
  return (
    path.startsWith("/api/") ||
    path.endsWith(".data") ||
    "_data" in (req.query ?? {}) ||
    (req.get("accept") ?? "").startsWith("application/json")
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function refusalPage(status: number, title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · PeerDesk</title></head><body><main><p>Error ${status}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the home page</a></p></main></body></html>`;
}

/** The first value of a possibly comma-separated forwarded header. */
function firstValue(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return raw?.split(",")[0]?.trim() || undefined;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Makes the host headers trustworthy before anything reads them. Without TRUST_PROXY, forwarded headers come from
 * the client, so they are dropped (Remix would otherwise compare a page's Origin with a host the client made up);
 * a missing or malformed Host becomes the configured one.
 */
function normalizeHost(req: ExpressRequest, { baseURL, trustProxy }: GuardOptions): void {
  const configured = new URL(baseURL).host;
  if (!trustProxy) {
    for (const name of ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "x-forwarded-port", "forwarded"])
      delete req.headers[name];
  } else {
    const forwarded = firstValue(req.headers["x-forwarded-host"]);
    if (forwarded && HOST.test(forwarded)) req.headers["x-forwarded-host"] = forwarded;
    else delete req.headers["x-forwarded-host"];
  }
  const host = req.headers.host;
  if (!host || !HOST.test(host)) req.headers.host = configured;
}

/** The origin this request was addressed to, as a browser on this site would name it in `Origin`. */
function requestOrigin(req: ExpressRequest, trustProxy: boolean): string {
  const host = (trustProxy ? firstValue(req.headers["x-forwarded-host"]) : undefined) ?? req.headers.host;
  return `${req.protocol}://${host}`;
}

/**
 * The target without the NUL characters its query carries (`%00`: a search box's text with one pasted in), or null
 * when it has none there. NUL means nothing in text and PostgreSQL can't store it, so it is dropped rather than the
 * search refused: with JavaScript, Remix could not read a refusal, and would show an error page instead of results.
 */
export function withoutNulInQuery(originalUrl: string): string | null {
  const at = originalUrl.indexOf("?");
  if (at === -1 || !/%00/i.test(originalUrl.slice(at))) return null;
  return originalUrl.slice(0, at) + originalUrl.slice(at).replace(/%00/gi, "");
}

/**
 * Bounds on a request's path, far past any address here: the deepest route has 4 segments (/avatars/:userId/:hash/:file),
 * better-auth's deepest endpoint 6 (/api/auth/callback/:id/oauth-proxy), built files 3 (/build/routes/…); slugs stop
 * at 80 characters, so real paths stay within a few hundred. Past them, Remix would match every prefix of the path
 * while rendering (lazy route discovery), a cost growing with the square of the segments: thousands of them held
 * the whole server for seconds. The query is not bounded here (Node's header limit does that): no router reads it.
 */
const MAX_PATH_SEGMENTS = 32;
const MAX_PATH_LENGTH = 2048;

type TargetProblem = { status: number; title: string; message: string };

const badTarget = (message: string): TargetProblem => ({
  status: 400,
  title: "That address didn't look right",
  message,
});

/**
 * Why the request target can't be served, or null: NUL characters, targets not starting with "/", broken escapes in
 * the path, a path deeper or longer than any here (`\` counts as `/`, as URL parsing reads it).
 */
export function targetProblem(originalUrl: string): TargetProblem | null {
  if (!originalUrl.startsWith("/")) return badTarget("The address of this request isn't a path on this site.");
  if (/%00/i.test(originalUrl) || /[\u0000-\u001f\u007f]/.test(originalUrl))
    return badTarget("Addresses can't contain the NUL character or other control characters.");
  const at = originalUrl.indexOf("?");
  const path = at === -1 ? originalUrl : originalUrl.slice(0, at);
  if ((path.match(/[/\\]/g)?.length ?? 0) > MAX_PATH_SEGMENTS)
    return {
      status: 404,
      title: "Page not found",
      message: "There's no page at this address. Check the link, or search for what you wanted.",
    };
  if (path.length > MAX_PATH_LENGTH)
    return {
      status: 414,
      title: "Address too long",
      message: "This address is too long for PeerDesk to read. Check the link and try again.",
    };
  try {
    decodeURIComponent(path);
  } catch {
    return badTarget("The address has a broken %-escape. Check the link and try again.");
  }
  return null;
}

/**
 * The address a request target names, as the app reads it: always a path on this site. Joined to the origin, not
 * resolved against it: `new URL("//evil.example/q/1", origin)` would read another host and the path /q/1.
 */
export function requestAddress(origin: string, target: string): URL {
  return new URL(`${origin}${target}`);
}

/**
 * Methods the fetch standard forbids: no Request (so no Remix request) can carry them. TRACE reaches the app (TRACK and
 * CONNECT are refused by the HTTP server itself, see server.js) and is refused before anything runs.
 */
const UNSUPPORTED_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

export function isUnsupportedMethod(method: string): boolean {
  return UNSUPPORTED_METHODS.has(method.toUpperCase());
}

type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: "too-large" | "aborted" };

/** Reads the body, stopping as soon as it passes `maxBytes` (a 20 MB post is refused after its first 64 KB, not read). */
function readBody(req: ExpressRequest, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle({ ok: false, reason: "too-large" });
      } else chunks.push(chunk);
    };
    const onEnd = () => settle({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = () => settle({ ok: false, reason: "aborted" });
    const onClose = () => {
      if (!req.complete) settle({ ok: false, reason: "aborted" });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

type BodyProblem = { status: number; title: string; message: string } | null;

/** Whether JSON text escapes half of a character (`\ud800` alone): JSON allows it, PostgreSQL's text and jsonb don't. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Text PostgreSQL can store: half a character becomes U+FFFD, a NUL character (invisible, meaningless) is dropped. */
const wellFormedText = (text: string) => text.replace(LONE_SURROGATE, "\uFFFD").replaceAll("\u0000", "");

/** `value` with every string made storable (wellFormedText): half a character (a string cut mid-emoji) becomes U+FFFD. */
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return wellFormedText(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [wellFormedText(key), wellFormed(inner)]));
  return value;
}

/**
 * A body with text PostgreSQL can't store, sent on mended, or null when it is fine as it is. In JSON, half a
 * character becomes U+FFFD (what a browser does with broken text in a form); in JSON and form fields, a NUL character
 * is dropped. Both are invisible in what the person typed, and refusing the form would lose it: with JavaScript, Remix
 * can't read a refusal from here, and shows an error page in place of the form (a draft with one is refused as well).
 * Multipart forms are pictures with a few fixed fields; a NUL there is still refused.
 */
function mendedBody(body: Buffer, contentType: string): Buffer | null {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const text = body.toString("utf8");
  if (type === "application/x-www-form-urlencoded") {
    if (!/%00|\u0000/.test(text)) return null;
    const params = new URLSearchParams(text);
    const mended = new URLSearchParams();
    for (const [key, value] of params) mended.append(key.replaceAll("\u0000", ""), value.replaceAll("\u0000", ""));
    return Buffer.from(mended.toString(), "utf8");
  }
  if (!(type === "application/json" || type.endsWith("+json"))) return null;
  if (!SURROGATE_ESCAPE.test(text) && !/\\u0000/.test(text)) return null;
  const mended = JSON.stringify(wellFormed(JSON.parse(text)));
  return mended === text ? null : Buffer.from(mended, "utf8");
}

const NUL_MESSAGE = "Text can't contain the NUL character (\\0). Remove it and send the form again.";

/** Checks a complete body against what the route can read: its type, and text PostgreSQL can store. */
async function bodyProblem(body: Buffer, contentType: string, kind: BodyKind): Promise<BodyProblem> {
  if (body.length === 0) return null;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const isForm = type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
  const isJson = type === "application/json" || type.endsWith("+json");
  if (!isForm && !(kind === "form-or-json" && isJson)) {
    const expected = kind === "form" ? "form fields" : "JSON or form fields";
    return {
      status: 415,
      title: "Unsupported content",
      message: `This address accepts ${expected}, not ${type || "a body without a type"}.`,
    };
  }
  if (type === "application/x-www-form-urlencoded") return null;
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    } catch {
      return {
        status: 400,
        title: "The form arrived incomplete",
        message: "The form arrived incomplete or damaged. Please send it again.",
      };
    }
    for (const [key, value] of form) {
      if (key.includes("\u0000") || (typeof value === "string" && value.includes("\u0000")))
        return { status: 400, title: "That request didn't look right", message: NUL_MESSAGE };
    }
    return null;
  }
  try {
    JSON.parse(body.toString("utf8"));
  } catch {
    return { status: 400, title: "That request didn't look right", message: "The body isn't valid JSON." };
  }
  return null;
}

function refuseForeignOrigin(req: ExpressRequest, res: ExpressResponse): void {
  refuse(
    req,
    res,
    403,
    "Not allowed",
    "This didn't come from a PeerDesk page, so nothing was changed. Reload the page and try again.",
  );
}

/**
 * Whether a body is a mail app's one-click unsubscribe (RFC 8058): `List-Unsubscribe=One-Click`, form-encoded or
 * multipart. Only that shape may reach /unsubscribe from another origin; the page's own form still needs ours.
 */
export async function isOneClickUnsubscribeBody(body: Buffer, contentType: string): Promise<boolean> {
  if (body.length === 0) return false;
  try {
    const form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    return form.get("List-Unsubscribe") === "One-Click";
  } catch {
    return false;
  }
}

/** Attached to the request once its body is read and checked; the Remix handler sends exactly these bytes on. */
const CHECKED_BODY = Symbol("peerdesk.checkedBody");
/** Attached instead when the body was too large for a route that says so on its own page (isTooLargeShownByRoute). */
const TOO_LARGE = Symbol("peerdesk.bodyTooLarge");
type CheckedRequest = ExpressRequest & { [CHECKED_BODY]?: Buffer; [TOO_LARGE]?: true };

/**
 * Reads and drops the rest of a body refused as too large. Hanging up at once would reset the connection under a
 * client still sending, which then never reads the answer: what keeps coming (never stored) is dropped for a few
 * seconds or LINGER_BYTES, then the connection is closed.
 */
function dropRestOfBody(req: ExpressRequest): void {
  let dropped = 0;
  const hangUp = () => req.socket.destroy();
  const timer = setTimeout(hangUp, LINGER_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) hangUp();
  });
  req.on("end", () => clearTimeout(timer));
  req.resume();
}

/**
 * Whether a request is a Remix 1-style data request (`?_data=route-id`). This app uses single fetch (`/page.data`);
 * Remix 2 answers `?_data=` there only with a warning that it will break, and for a route with a loader sends an
 * empty 200 (its loader's data isn't encoded for it), so every such request is refused whatever route it names.
 */
export function isLegacyDataRequest(originalUrl: string): boolean {
  const at = originalUrl.indexOf("?");
  return at !== -1 && new URLSearchParams(originalUrl.slice(at)).has("_data");
}

function refuseLegacyDataRequest(res: ExpressResponse): void {
  res.status(404);
  res.setHeader("Cache-Control", "no-store");
  res.json({ error: "This address doesn't answer old-style data requests (?_data=). Open the page itself instead." });
}

/**
 * One middleware, before static files and the app: host headers, the request target, the same-origin check on
 * every mutation (agreeing with the one Remix runs on actions), and the body.
 */
export function requestGuards(options: GuardOptions): RequestHandler {
  const appOrigin = new URL(options.baseURL).origin;
  const appHost = new URL(options.baseURL).host;
  return (req, res, next) => {
    normalizeHost(req, options);
    const mendedTarget = withoutNulInQuery(req.originalUrl);
    if (mendedTarget !== null) {
      req.url = mendedTarget;
      req.originalUrl = mendedTarget;
      // Express parsed the query already; read it again from the mended target.
      req.query = Object.fromEntries(new URL(mendedTarget, "http://x").searchParams);
    }
    const problem = targetProblem(req.originalUrl);
    if (problem) return refuse(req, res, problem.status, problem.title, problem.message);
    // Before any route runs: an action must not change anything for a request then told "not found".
    if (isLegacyDataRequest(req.originalUrl)) return refuseLegacyDataRequest(res);
    // A method no Request can carry reaches no route: remixHandler refuses it first (405, with what the address answers),
    // so its body is never read and it needs no Origin.
    if (SAFE_METHODS.has(req.method) || isUnsupportedMethod(req.method)) return next();

    // Cross-site request forgery: a browser always names the page's origin on a POST; it must be ours. A mail app's
    // one-click unsubscribe (RFC 8058) comes from no page: its signed link, not a cookie, says whose email stops.
    const origin = req.get("origin") ?? originOf(req.get("referer"));
    const own = requestOrigin(req, options.trustProxy);
    const isOwnOrigin = origin !== undefined && (origin === own || origin === appOrigin);
    // Whether it is a one-click unsubscribe is known only once its body is read (below).
    const mayBeOneClickUnsubscribe = !isOwnOrigin && req.path === "/unsubscribe" && typeof req.query.token === "string";
    if (!isOwnOrigin && !mayBeOneClickUnsubscribe) return refuseForeignOrigin(req, res);
    if (origin === appOrigin && own !== appOrigin) {
      // Reached under another name (a proxy's Host, 127.0.0.1 for localhost): Remix must see the host the page used.
      req.headers.host = appHost;
      if (options.trustProxy) req.headers["x-forwarded-host"] = appHost;
    }

    const rule = bodyRuleFor(req.path);
    const declared = Number(req.get("content-length") ?? "0");
    const tooLarge = () => {
      if (rule.isTooLargeShownByRoute) {
        // The route answers with its own page (or its data, to Remix in the browser), the message beside the field.
        dropRestOfBody(req);
        const checked = req as CheckedRequest;
        checked[TOO_LARGE] = true;
        checked[CHECKED_BODY] = Buffer.alloc(0);
        req.headers["content-type"] = "application/x-www-form-urlencoded";
        req.headers["content-length"] = "0";
        delete req.headers["transfer-encoding"];
        return next();
      }
      refuse(
        req,
        res,
        413,
        "Too large",
        `That is larger than this page accepts (${limitInWords(rule.maxBytes)}). Shorten the text or choose a smaller file, and try again.`,
      );
      dropRestOfBody(req);
    };
    if (Number.isFinite(declared) && declared > rule.maxBytes) return tooLarge();
    void readBody(req, rule.maxBytes).then(async (result) => {
      if (!result.ok) {
        if (result.reason === "too-large") tooLarge();
        return;
      }
      const bad = await bodyProblem(result.body, req.get("content-type") ?? "", rule.kind);
      if (bad) return refuse(req, res, bad.status, bad.title, bad.message);
      const mended = mendedBody(result.body, req.get("content-type") ?? "");
      if (mended) {
        result.body = mended;
        req.headers["content-length"] = String(mended.length);
      }
      if (mayBeOneClickUnsubscribe) {
        if (!(await isOneClickUnsubscribeBody(result.body, req.get("content-type") ?? "")))
          return refuseForeignOrigin(req, res);
        // The mail provider's own Origin (or "null") would make Remix's action check throw: a blank 500.
        delete req.headers.origin;
        delete req.headers.referer;
      }
      // An empty body is an empty form whatever its label says (a bare `curl -X POST`, a client's empty JSON or
      // multipart body): the page's action then answers with its own "what's missing" message instead of failing to
      // read a form that isn't labelled as one.
      if (result.body.length === 0 && rule.kind === "form")
        req.headers["content-type"] = "application/x-www-form-urlencoded";
      (req as CheckedRequest)[CHECKED_BODY] = result.body;
      next();
    }, next);
  };
}

/** The Remix request for an Express request, with the body the guards checked (never the raw stream again). */
function remixRequest(req: CheckedRequest, res: ExpressResponse): Request {
  const forwardedPort = Number.parseInt(firstValue(req.headers["x-forwarded-host"])?.split(":")[1] ?? "", 10);
  const hostPort = Number.parseInt(req.headers.host?.split(":")[1] ?? "", 10);
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : null;
  const url = requestAddress(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}`, req.originalUrl);
  const controller = new AbortController();
  // The client is gone when its response closes unfinished, or its connection closes: a response still queued behind
  // another on a pipelining connection never closes. Either may have happened already while the request was checked.
  const socket = req.socket;
  const onGone = () => {
    socket.off("close", onGone);
    if (!res.writableFinished) controller.abort();
  };
  res.once("close", onGone);
  socket.once("close", onGone);
  res.once("finish", () => socket.off("close", onGone));
  if (res.destroyed || socket.destroyed) onGone();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value) headers.set(name, value);
  }
  const init: RequestInit = { method: req.method, headers, signal: controller.signal };
  const body = req[CHECKED_BODY];
  if (req.method !== "GET" && req.method !== "HEAD") init.body = body ? new Uint8Array(body) : null;
  return new Request(url.href, init);
}

async function sendRemixResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (response.body) await writeStreamToResponse(response.body, res);
  else res.end();
}

/**
 * Remix's handler for a fetch Request (the page cache's renders), marking document requests as `remixHandler` does:
 * a signed-out page rendered for the cache keeps its post HTML out of the page data too, so the question page's
 * answers come from the page memo as the same objects every time and the answer-card cache finds their key digests
 * (see withHtmlOnce in the question route) instead of serialising and hashing each answer with its HTML again.
 */
export function fetchRenderer(
  build: ServerBuild,
  mode: string,
): (request: Request, context: AppLoadContext) => Promise<Response> {
  const handle = createRequestHandler(build, mode);
  return (request, context) => {
    if (!new URL(request.url).pathname.endsWith(".data")) markDocumentRequest(context);
    return handle(request, context);
  };
}

/** What the route an address leads to answers: the methods for `Allow`, and whether it is a page (a React component). */
export type RouteMethods = { allow: string; isPage: boolean; hasAction: boolean };

type RouteTree = Parameters<typeof matchRoutes>[0];

/** The build's routes as the router's tree (as Remix's own createRoutes makes it), keeping each route's id. */
function routeTree(routes: ServerBuild["routes"], parentId?: string): RouteTree {
  return Object.values(routes)
    .filter((route) => route.parentId === parentId)
    .map((route) =>
      route.index
        ? { id: route.id, path: route.path, caseSensitive: route.caseSensitive, index: true }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: routeTree(routes, route.id) },
    );
}

/**
 * The methods each address answers, read from the build's route modules (null for an address no route has). GET and
 * HEAD go to a page's loaders (or a resource route's loader), POST to the action of the route Remix would run it on: the
 * deepest route that adds to the path, or an index route when the address says `?index` (as Remix's router picks it).
 */
export function routeMethodsOf(
  build: Pick<ServerBuild, "routes">,
): (pathname: string, search: string) => RouteMethods | null {
  const tree = routeTree(build.routes);
  return (pathname, search) => {
    // With JavaScript, a page's data and forms go to its address plus `.data` (the home page's: /_root.data).
    const path = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
    const matches = matchRoutes(tree, path);
    const leaf = matches?.at(-1);
    // The catch-all (routes/$.tsx) is every unknown address's 404 page, not a route of its own.
    if (!matches || !leaf || leaf.route.id === "routes/$") return null;
    const moduleOf = (id: string | undefined) => (id === undefined ? undefined : build.routes[id]?.module);
    const leafModule = moduleOf(leaf.route.id);
    const isPage = Boolean(leafModule?.default || leafModule?.ErrorBoundary);
    const hasNakedIndex = new URLSearchParams(search).getAll("index").includes("");
    const target =
      !isPage || (leaf.route.index && hasNakedIndex)
        ? leaf
        : matches.filter((match, at) => at === 0 || Boolean(match.route.path)).at(-1);
    const hasLoader = isPage || typeof leafModule?.loader === "function";
    const hasAction = typeof moduleOf(target?.route.id)?.action === "function";
    const allow = [...(hasLoader ? ["GET", "HEAD"] : []), ...(hasAction ? ["POST"] : [])].join(", ");
    return { allow, isPage, hasAction };
  };
}

/** Methods an action is given (it answers them itself: the drafts API removes a draft with DELETE). */
const ACTION_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A method a resource route (a feed, robots.txt, a JSON API) doesn't answer, refused in its own kind of text before it
 * runs: Remix's own refusal says "Unexpected Server Error" (or, for OPTIONS, runs the loader and sends its body).
 */
function refuseMethod(req: ExpressRequest, res: ExpressResponse, methods: RouteMethods): void {
  const message = methods.hasAction
    ? answersOnly(req.method, methods.allow)
    : "This address can only be opened or read, not sent a form or data.";
  sendMethodRefusal(req, res, methods.allow, message);
}

/** "This address doesn't answer TRACE requests. It answers GET, HEAD and POST only." */
function answersOnly(method: string, allow: string): string {
  return `This address doesn't answer ${method.slice(0, 20)} requests. It answers ${allow.replace(/, (?=[^,]*$)/, " and ")} only.`;
}

function sendMethodRefusal(req: ExpressRequest, res: ExpressResponse, allow: string, message: string): void {
  res.status(405);
  res.setHeader("Allow", allow);
  res.setHeader("Cache-Control", "no-store");
  if (wantsJson(req) || req.path.endsWith(".json")) res.json({ error: message });
  else res.type("text/plain").send(`${message}\n`);
}

/** The Remix app as Express middleware (as @remix-run/express's, but reading the checked body). */
export function remixHandler({
  build,
  mode,
  getLoadContext,
}: {
  build: ServerBuild;
  mode: string;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
}): RequestHandler {
  const handle = createRequestHandler(build, mode);
  const methodsOf = routeMethodsOf(build);
  return async (req: CheckedRequest, res, next) => {
    try {
      const search = req.originalUrl.slice(req.path.length);
      if (isUnsupportedMethod(req.method)) {
        // On every address, pages included (their error page would need a Remix request, which can't carry TRACE).
        const allow = methodsOf(req.path, search)?.allow || "GET, HEAD";
        return sendMethodRefusal(req, res, allow, answersOnly(req.method, allow));
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        const methods = methodsOf(req.path, search);
        // OPTIONS asks what an address answers: the answer is `Allow`, with no body (an address no route has: 404).
        if (req.method === "OPTIONS") {
          res.status(methods ? 204 : 404);
          if (methods) res.setHeader("Allow", methods.allow);
          res.setHeader("Cache-Control", "no-store");
          res.end();
          return;
        }
        // Pages are told on the error page (ErrorPage's words for 405), with `Allow` added below.
        if (methods && !methods.isPage && !(methods.hasAction && ACTION_METHODS.has(req.method)))
          return refuseMethod(req, res, methods);
      }
      const context = getLoadContext(req, res);
      if (req[TOO_LARGE]) markBodyTooLarge(context);
      // Single-fetch data requests end in .data; anything else renders a document (see html-once.server.ts).
      if (!req.path.endsWith(".data")) {
        markDocumentRequest(context);
        if (!SAFE_METHODS.has(req.method)) markFormSubmission(context);
      }
      const response = await handle(remixRequest(req, res), context);
      // The router's refusal of a method (a form sent to a page without an action) says what the address answers.
      if (response.status === 405 && !response.headers.has("Allow"))
        res.setHeader("Allow", methodsOf(req.path, search)?.allow ?? "GET, HEAD");
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/**
 * A refusal a library meant (an http-errors error with a 4xx status, such as the static file server's 416 for a
 * range past the end of a file): its status, its headers (Content-Range) and a short reason, never a 500.
 */
function clientErrorOf(error: unknown): { status: number; headers: Record<string, string> } | null {
  if (!error || typeof error !== "object") return null;
  const { status, expose, headers } = error as { status?: unknown; expose?: unknown; headers?: unknown };
  if (typeof status !== "number" || status < 400 || status > 499 || expose !== true) return null;
  const safeHeaders: Record<string, string> = {};
  if (headers && typeof headers === "object")
    for (const [name, value] of Object.entries(headers))
      if (/^content-range$/i.test(name) && typeof value === "string") safeHeaders[name] = value;
  return { status, headers: safeHeaders };
}

const CLIENT_ERROR_MESSAGES: Record<number, [string, string]> = {
  416: [
    "Range not satisfiable",
    "The requested part of this file lies beyond its end. Ask for the whole file instead.",
  ],
};

/** The last handler: anything that escaped is logged with its details and answered without them. */
export const finalErrorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const refusal = clientErrorOf(error);
  if (refusal && !res.headersSent) {
    const [title, message] = CLIENT_ERROR_MESSAGES[refusal.status] ?? [
      "That request didn't look right",
      "This request couldn't be answered as sent.",
    ];
    // The file's own validators (set before the refusal) must not make the error page look like the file.
    for (const name of ["ETag", "Last-Modified", "Accept-Ranges"]) res.removeHeader(name);
    return refuse(req, res, refusal.status, title, message, refusal.headers);
  }
  logEvent("error", "request failed", {
    method: req.method,
    path: req.path,
    error: error instanceof Error ? error : String(error),
  });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  refuse(req, res, 500, "Something went wrong", "We couldn't answer this request. Please try again in a moment.");
};
