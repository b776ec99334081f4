/**
 * PeerDesk's HTTP server: security headers with a per-request CSP nonce, same-origin checks on every
 * mutation, one log line per request, fingerprinted static assets, then the Remix app.
 */
import http from "node:http";
import { readdirSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";

const BUILD_PATH = path.resolve("build/index.js");
const build = await import(pathToFileURL(BUILD_PATH).href);
const {
  startApp,
  CLIENT_IP_HEADER,
  ConfigError,
  logEvent,
  logRequest,
  newNonce,
  securityHeaders,
  requestGuards,
  remixHandler,
  finalErrorHandler,
  fetchRenderer,
  createPageCache,
  AdmissionQueue,
  admissionMiddleware,
  removeUnfinishedRestores,
} = build.entry.module;

let services;
try {
  services = await startApp(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const { env, baseURL } = services;
// Folders an interrupted `npm run db:restore` left beside the embedded database (those of a running one are kept).
if (services.database.kind === "pglite") {
  const removed = removeUnfinishedRestores(env.PGLITE_DIR);
  if (removed.length > 0) logEvent("info", "unfinished restore removed", { folders: removed });
}

const app = express();
app.disable("x-powered-by");
if (env.TRUST_PROXY) app.set("trust proxy", true);
// Level 3 instead of zlib's default 6: pages rendered per request (signed-in ones) compress in roughly half the CPU
// time for a few per cent more bytes, so compression no longer shows up as a large share of a busy server's profile.
// Brotli keeps the middleware's quality 4 with a 256 KB window instead of its default 4 MB: the same bytes for pages
// up to that size (a 240 KB question page: 17.6 KB either way) in about 20 % less CPU, and a 4 MB buffer less per
// response being compressed.
app.use(compression({ level: 3, brotli: { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } } }));

// Forms post to this site only, and to the single sign-on providers: the sign-in button's POST is answered with a
// redirect to the provider, which browsers check against form-action too.
const security = securityHeaders({
  formTargets: ["'self'", ...env.ssoProviders.map((provider) => new URL(provider.issuer).origin)],
  isHttps: baseURL.startsWith("https://"),
});

app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    if (!env.LOG_REQUESTS) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logRequest({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
  });
  // Only this server decides the client address used for rate limits and session records.
  req.headers[CLIENT_IP_HEADER] = (env.TRUST_PROXY ? req.ip : req.socket.remoteAddress) ?? "unknown";

  const nonce = newNonce();
  res.locals.cspNonce = nonce;
  res.setHeader("Content-Security-Policy", security.policy(nonce));
  for (const [name, value] of security.fixed) res.setHeader(name, value);
  next();
});

// Host headers, request targets, the same-origin check on every mutation (agreeing with Remix's own) and bodies
// (size per route kind, type, NUL characters) are checked once here: see app/server/http-guards.server.ts.
app.use(requestGuards({ baseURL, trustProxy: env.TRUST_PROXY }));

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
// Looking for a file costs a failed stat (and an error object) per request: only paths whose first segment names
// something in public/ (or that the check can't judge, like dot segments) are looked for there.
const servePublic = express.static("public", { maxAge: "1h" });
const publicNames = new Set(readdirSync("public"));
app.use((req, res, next) => {
  const first = req.path.split("/")[1] ?? "";
  // "/" itself would only look for public/index.html (a failed stat per home page render): there is none.
  if (req.path === "/" && !publicNames.has("index.html")) return next();
  if (first === "" || first.startsWith(".") || first.includes("%") || publicNames.has(first))
    return servePublic(req, res, next);
  next();
});

/** Set when the page cache is on: answers a stored page before the Express stack (see the page cache below). */
let answerHit = null;

// ---- Anonymous page cache (app/lib/page-cache*.server.ts, app/server/page-cache-http.server.ts, README "Page cache") -------------------------------
// Signed-out GET/HEAD requests for pages that opted in are answered from memory (X-Cache: hit|miss|bypass); a write's
// response waits until this process has heard the invalidations the write announced. PAGE_CACHE_MB=0 leaves it out.
let pageCache = null;
if (env.PAGE_CACHE_MB > 0) {
  const renderForCache = fetchRenderer(build, env.NODE_ENV === "development" ? "development" : "production");
  pageCache = await createPageCache({
    maxBytes: env.PAGE_CACHE_MB * 1024 * 1024,
    database: services.database,
    render: (request, res) => renderForCache(request, { services, cspNonce: res.locals.cspNonce }),
    securityHeaders: security,
    nonceKey: services.secret,
  });
  answerHit = pageCache.answerHit;
}
// Requests that render or write take turns, ACTIVE_REQUESTS at a time, in arrival order (app/server/admission.server.ts);
// cache hits skip the line. Placed before the page cache so a cache miss waits here, not a hit.
if (env.ACTIVE_REQUESTS > 0) {
  const admit = admissionMiddleware(new AdmissionQueue(env.ACTIVE_REQUESTS));
  app.use((req, res, next) => (pageCache?.wouldServe(req) ? next() : admit(req, res, next)));
}
if (pageCache) app.use(pageCache.middleware);
// ---- end of the page cache -------------------------------------------------------------------------------------

app.all(
  "*",
  remixHandler({
    build,
    // Error details (messages, stacks) reach the browser only in development.
    mode: env.NODE_ENV === "development" ? "development" : "production",
    getLoadContext: (_req, res) => ({ services, cspNonce: res.locals.cspNonce }),
  }),
);
app.use(finalErrorHandler);

// A signed-out reader's stored page is answered here, before Express (its request and response objects, middleware
// and router cost more than the answer itself); everything else goes through the whole stack above.
const server = http.createServer((req, res) => {
  if (answerHit) {
    const started = process.hrtime.bigint();
    if (answerHit(req, res)) {
      if (env.LOG_REQUESTS) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        logRequest({ method: req.method ?? "GET", path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
      }
      return;
    }
  }
  app(req, res);
});
// Node reads a request's address and headers (16 KB in all, its maxHeaderSize) before any of the app sees them, and
// answers one past that with an empty 431 on its own. Here it says, in words, what was too long: the address (a 414)
// or the headers. Other malformed requests get Node's own answers, as before.
const NODE_REFUSALS = {
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "413 Payload Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};
/** Sockets already answered: Node reports each further piece a client sends as the same error. */
const answeredSockets = new WeakSet();
server.on("clientError", (error, socket) => {
  if (answeredSockets.has(socket)) return;
  answeredSockets.add(socket);
  // As Node checks it: no answer may start while a response on this (kept-alive) connection is half sent.
  const inFlight = socket._httpMessage;
  if (socket.writable && !inFlight?.headersSent && error.code !== "ECONNRESET") {
    if (error.code === "HPE_HEADER_OVERFLOW") {
      const [status, text] = isLongAddress(error.rawPacket)
        ? [
            "414 URI Too Long",
            "This address is too long for PeerDesk to read. Shorten it (for a search, use fewer words) and try again.",
          ]
        : [
            "431 Request Header Fields Too Large",
            "This request's headers are too large for PeerDesk to read. Clearing this site's cookies may help.",
          ];
      const body = `${text}\n`;
      // Closed from this side only once the answer is sent; what the client is still sending is read and dropped for
      // a few seconds, so it reads the answer instead of a reset connection.
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
      );
      setTimeout(() => socket.destroy(), 5_000).unref();
      return;
    }
    const method = error.code === "HPE_INVALID_METHOD" ? unsupportedMethodOf(error.rawPacket) : null;
    if (method) return refuseMethod(socket, method);
    socket.write(`HTTP/1.1 ${NODE_REFUSALS[error.code] ?? "400 Bad Request"}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(error);
});
// CONNECT (a proxy's tunnel) comes as its own event, never to the app: without a listener, Node hangs up unanswered.
server.on("connect", (_req, socket) => refuseMethod(socket, "CONNECT"));

/**
 * TRACK, TRACE or CONNECT when Node's parser stopped at it (TRACK, or any in lower case): methods no fetch Request can
 * carry, answered with a 405 in words as the app answers TRACE (app/server/http-guards.server.ts). Null for anything else.
 */
function unsupportedMethodOf(rawPacket) {
  if (!Buffer.isBuffer(rawPacket)) return null;
  return /^(TRACK|TRACE|CONNECT) /i.exec(rawPacket.toString("latin1", 0, 8))?.[1] ?? null;
}

/** A 405 for a method the app never sees: the address's own methods aren't known here, so Allow names what pages answer. */
function refuseMethod(socket, method) {
  const body = `This address doesn't answer ${method} requests. PeerDesk's pages answer GET, HEAD and POST.\n`;
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/**
 * Whether the part of the request Node was reading when it passed its limit is still the address: the request line
 * hasn't ended (a piece that starts with the method and has no line end yet, or one long line), or the piece's first
 * line ends it (`… HTTP/1.1`). Anything else is headers.
 */
function isLongAddress(rawPacket) {
  if (!Buffer.isBuffer(rawPacket)) return false;
  const text = rawPacket.toString("latin1");
  const lineEnd = text.indexOf("\r\n");
  if (/^[A-Z]+ \//.test(text)) return lineEnd === -1 || lineEnd > 8 * 1024;
  return lineEnd !== -1 && /HTTP\/\d\.\d$/.test(text.slice(0, lineEnd));
}

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  logEvent("info", "PeerDesk is ready", {
    url: env.APP_URL ?? `http://localhost:${port}`,
    database: services.database.kind,
    search: services.search.name,
  });
  if (!env.APP_URL) console.log(`\n  PeerDesk is running at http://localhost:${port}\n`);
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  logEvent("info", "shutting down", { signal });
  server.close();
  server.closeAllConnections?.();
  await services.stop().catch(() => {});
  await services.database.close().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
