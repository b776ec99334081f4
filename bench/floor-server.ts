/**
 * The floor under a signed-in question page: what the cheapest server that still does a signed-in request's own work
 * costs, in its own process, on the same data (bench/signed-in-question.ts --floor starts it). It answers the page
 * with no Express, no Remix request pipeline and no React: plain node:http and, per request, the work of FLOOR_MODE,
 *   - "reads": the reader's session and person, read fresh (the app's getCurrentUser: better-auth's cookie claim and
 *     the session query, so a ban or a sign-out would act at once, as in the app), and the question loader's own reads
 *     (the page memo, closure, invitations, related questions and the reader's state: votes, permissions, drafts),
 *     with the app's functions from its sources;
 *   - "loaders": the built app's own root and question loaders, run as for a document request (the same reads, and
 *     what the loaders make of them), and the page data encoded for the client runtime as Remix encodes it
 *     (turbo-stream, read to its end): everything a page put together from stored parts would still do per request;
 *   - "none": no reads at all (the bound if a reader's state were also kept in memory);
 * then the body: the HTML the app rendered for this reader, captured once (the cheapest stand-in for a page put
 * together from stored parts: a real one would still join them), compressed per request with the app's settings
 * (Brotli quality 4, 256 KB window; gzip level 3), and one request log line, as the app writes.
 *
 * Usage (from the checkout, with the app's environment and a build): node --import tsx bench/floor-server.ts
 * FLOOR_PAGES is a JSON file mapping a user id to { file, headers, cookie }: the app's identity-encoded body for that
 * reader and the reader's Cookie header, by which the page is picked.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const BROTLI = {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 },
};
const QUESTION_ROUTE = "routes/q.$id.($slug)";

/** A mode's per-request work for a question: false when the cookie names nobody signed in. */
type Work = (request: Request, questionId: number) => Promise<boolean>;
type Started = {
  work: Work | null;
  logRequest: (fields: { method: string; path: string; status: number; ms: number }) => void;
  stop: () => Promise<void>;
};
type Services = { stop: () => Promise<void>; database: { close: () => Promise<void> } };

/** The app's own shutdown: its loops, then the database (the next server opens the same scratch copy). */
const stopper = (services: Services) => async () => {
  await services.stop().catch(() => {});
  await services.database.close().catch(() => {});
};

async function readsWork(): Promise<Started> {
  const { asActor, getCurrentUser } = await import("~/auth/session.server");
  const { logRequest } = await import("~/lib/log.server");
  const { getQuestionClosure, getQuestionInvitations, getQuestionPage } = await import(
    "~/models/question-page-memo.server"
  );
  const { loadQuestionViewer } = await import("~/models/question-viewer.server");
  const { relatedToQuestion } = await import("~/models/related-cache.server");
  const { startApp } = await import("~/server/app.server");
  const services = await startApp(process.env);
  const { db } = services;
  const context = { services } as unknown as AppLoadContext;
  const work: Work = async (request, questionId) => {
    const user = await getCurrentUser(request, context);
    if (!user) return false;
    const data = await getQuestionPage(db, questionId, { includeDeleted: false });
    if (!data) throw new Error(`no question ${questionId}`);
    const closure = await getQuestionClosure(db, questionId);
    const [, invitations] = await Promise.all([
      relatedToQuestion(db, data.question),
      getQuestionInvitations(db, questionId),
    ]);
    await loadQuestionViewer(db, questionId, asActor(user), { invitations, closure });
    return true;
  };
  return { work, logRequest, stop: stopper(services) };
}

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

async function loadersWork(): Promise<Started> {
  const buildPath = path.resolve("build/index.js");
  const build = await import(pathToFileURL(buildPath).href);
  const { startApp, logRequest, markDocumentRequest, newNonce } = build.entry.module;
  const rootLoader = build.routes.root.module.loader as Loader;
  const questionLoader = build.routes[QUESTION_ROUTE].module.loader as Loader;
  // The encoder Remix's document requests use, from the build's own copy of the server runtime.
  const { encodeViaTurboStream } = createRequire(buildPath)("@remix-run/server-runtime/dist/single-fetch.js") as {
    encodeViaTurboStream: (data: unknown, signal: AbortSignal, timeout: undefined, mode: string) => ReadableStream;
  };
  const services = await startApp(process.env);
  /** What `data()` wraps (a loader's data with its headers), or the value itself. */
  const unwrap = (value: unknown) =>
    value && typeof value === "object" && "type" in value && value.type === "DataWithResponseInit" && "data" in value
      ? value.data
      : value;
  const work: Work = async (request, questionId) => {
    const context = { services, cspNonce: newNonce() } as unknown as AppLoadContext;
    markDocumentRequest(context);
    const params = { id: String(questionId) };
    const [root, question] = await Promise.all([
      rootLoader({ request, context, params }),
      questionLoader({ request, context, params }),
    ]);
    const rootData = unwrap(root) as { user: unknown };
    if (!rootData.user) return false;
    const state = {
      loaderData: { root: rootData, [QUESTION_ROUTE]: unwrap(question) },
      actionData: null,
      errors: null,
    };
    const reader = encodeViaTurboStream(state, request.signal, undefined, "production").getReader();
    for (;;) if ((await reader.read()).done) break;
    return true;
  };
  return { work, logRequest, stop: stopper(services) };
}

async function noWork(): Promise<Started> {
  const { logRequest } = await import("~/lib/log.server");
  return { work: null, logRequest, stop: async () => {} };
}

const mode = process.env.FLOOR_MODE ?? "reads";
const modes: Record<string, () => Promise<Started>> = { reads: readsWork, loaders: loadersWork, none: noWork };
const start = modes[mode];
if (!start) throw new Error(`FLOOR_MODE must be one of ${Object.keys(modes).join(", ")}`);
const { work, logRequest, stop } = await start();
const baseURL = process.env.APP_URL ?? "http://127.0.0.1";

const manifest = JSON.parse(readFileSync(process.env.FLOOR_PAGES ?? "", "utf8")) as Record<
  string,
  { file: string; headers: Record<string, string>; cookie: string }
>;
const pagesByCookie = new Map(
  Object.values(manifest).map((entry) => [entry.cookie, { body: readFileSync(entry.file), headers: entry.headers }]),
);

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  if (url === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    return;
  }
  const questionId = Number(url.match(/^\/q\/(\d+)/)?.[1]);
  const page = pagesByCookie.get(req.headers.cookie ?? "");
  if (!Number.isSafeInteger(questionId) || !page) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("only a captured reader's question page is served here");
    return;
  }
  if (work) {
    const request = new Request(new URL(url, baseURL), { headers: { cookie: req.headers.cookie ?? "" } });
    if (!(await work(request, questionId))) {
      res.writeHead(403, { "content-type": "text/plain" });
      res.end("a signed-in reader's page only");
      return;
    }
  }
  const accepts = String(req.headers["accept-encoding"] ?? "");
  const [encoding, body] = accepts.includes("br")
    ? (["br", await brotli(page.body, BROTLI)] as const)
    : accepts.includes("gzip")
      ? (["gzip", await gzip(page.body, { level: 3 })] as const)
      : ([null, page.body] as const);
  res.writeHead(200, {
    ...page.headers,
    ...(encoding ? { "content-encoding": encoding } : {}),
    "content-length": String(body.length),
  });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logRequest({
      method: req.method ?? "GET",
      path: req.url ?? "/",
      status: res.statusCode,
      ms: Math.round(ms * 10) / 10,
    });
  });
  answer(req, res).catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
    res.end("floor server error");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void stop().finally(() => process.exit(0));
});
