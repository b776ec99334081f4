/**
 * The floor under a signed-in question page: what the cheapest server that still does a signed-in request's own work
 * costs, in its own process, on the same data (bench/signed-in-question.ts --floor starts it). It answers the page
 * with no Express, no Remix and no React: plain node:http, then, per request,
 *   - the reader's session and person, read fresh (the app's getCurrentUser: better-auth's cookie claim and the session
 *     query, so a ban or a sign-out would act at once, as in the app),
 *   - the question loader's own per-request reads (the page memo, closure, invitations, related questions and the
 *     reader's state: votes, permissions, drafts), with the app's functions on the app's database,
 *   - the body: the HTML the app rendered for this reader, captured once (the cheapest stand-in for a page put
 *     together from stored parts: a real one would still join them),
 *   - compression per request with the app's settings (Brotli quality 4, 256 KB window; gzip level 3), and
 *   - one request log line, as the app writes.
 * FLOOR_QUERIES=false leaves out the session and loader reads: the bound if a reader's state were also kept in memory.
 *
 * Usage (from the checkout, with the app's environment): node --import tsx bench/floor-server.ts
 * FLOOR_PAGES is a JSON file mapping a user id to { file, headers, cookie } (the app's identity-encoded body for that
 * reader, and the reader's Cookie header, by which the no-reads variant picks the page).
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { AppLoadContext } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { logRequest } from "~/lib/log.server";
import { getQuestionClosure, getQuestionInvitations, getQuestionPage } from "~/models/question-page-memo.server";
import { loadQuestionViewer } from "~/models/question-viewer.server";
import { relatedToQuestion } from "~/models/related-cache.server";
import { startApp } from "~/server/app.server";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const BROTLI = {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 },
};

const services = await startApp(process.env);
const { db, baseURL } = services;
const context = { services } as unknown as AppLoadContext;
const withQueries = process.env.FLOOR_QUERIES !== "false";

const manifest = JSON.parse(readFileSync(process.env.FLOOR_PAGES ?? "", "utf8")) as Record<
  string,
  { file: string; headers: Record<string, string>; cookie: string }
>;
const pages = new Map(
  Object.entries(manifest).map(([userId, entry]) => [
    userId,
    { body: readFileSync(entry.file), headers: entry.headers },
  ]),
);
const pagesByCookie = new Map(Object.entries(manifest).map(([userId, entry]) => [entry.cookie, pages.get(userId)]));
const [firstPage] = pages.values();

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
    return;
  }
  const questionId = Number(path.match(/^\/q\/(\d+)/)?.[1]);
  if (!Number.isSafeInteger(questionId) || !firstPage) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("only a question page is served here");
    return;
  }
  let page = pagesByCookie.get(req.headers.cookie ?? "") ?? firstPage;
  if (withQueries) {
    const request = new Request(new URL(path, baseURL), { headers: { cookie: req.headers.cookie ?? "" } });
    const user = await getCurrentUser(request, context);
    if (!user) {
      res.writeHead(403, { "content-type": "text/plain" });
      res.end("a signed-in reader's page only");
      return;
    }
    const data = await getQuestionPage(db, questionId, { includeDeleted: false });
    if (!data) throw new Error(`no question ${questionId}`);
    const closure = await getQuestionClosure(db, questionId);
    const [, invitations] = await Promise.all([
      relatedToQuestion(db, data.question),
      getQuestionInvitations(db, questionId),
    ]);
    await loadQuestionViewer(db, questionId, asActor(user), { invitations, closure });
    page = pages.get(user.id) ?? firstPage;
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
  void services
    .stop()
    .then(() => services.database.close())
    .finally(() => process.exit(0));
});
