/**
 * Nothing a person can send gives a 500, and nothing leaks: every route in the built app's route manifest is walked
 * with each class of hostile input (NUL bytes, integers beyond the database's range, broken and wide characters,
 * bodies of the wrong type, truncated multipart, hostile redirect targets, a Host or X-Forwarded-Host that differs
 * from the page's Origin), GET and POST, signed out, as a member and (admin pages) as an admin, against the real
 * built server on PGlite, or on PostgreSQL when DATABASE_URL is set. Also: oversized bodies get 413 before they are
 * read, and return paths after signing in or following stay on this site.
 */
import { readFileSync, existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Parser } from "htmlparser2";
import { DEMO_PASSWORD } from "~/models/demo-admin.server";
import { bodyRuleFor } from "~/server/http-guards.server";
import { ensureBuild } from "./fixtures/build";
import { type SeededDatabase, seededDatabase } from "./fixtures/seeded-server";
import { type RunningServer, startServer } from "./e2e/harness";

type Reply = { status: number; body: string; headers: http.IncomingHttpHeaders };
type Send = { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; host?: string };

let server: RunningServer;
let base: URL;

/** One request through node:http (full control over Host and bodies); event streams are answered by their headers. */
function send({ method, path: target, headers = {}, body, host }: Send): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path: target,
        headers: {
          ...(host ? { host } : {}),
          ...(body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) }),
          ...headers,
        },
      },
      (response) => {
        if ((response.headers["content-type"] ?? "").includes("text/event-stream")) {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, body: "", headers: response.headers });
          return;
        }
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: response.headers,
          }),
        );
        response.on("error", reject);
      },
    );
    request.setTimeout(20_000, () => request.destroy(new Error(`no answer to ${method} ${target} within 20 s`)));
    request.on("error", reject);
    request.end(body);
  });
}

async function signIn(email: string): Promise<string> {
  const reply = await send({
    method: "POST",
    path: "/api/auth/sign-in/email",
    headers: { "content-type": "application/json", origin: base.origin },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  expect(reply.status).toBe(200);
  const cookies = reply.headers["set-cookie"] ?? [];
  return cookies.map((cookie) => cookie.split(";")[0]).join("; ");
}

// Markers of a leak: a stack frame, a file in node_modules, PostgreSQL's own error wording.
const LEAKS = [
  /\bat [^\n]*\.(?:js|ts|tsx|mjs):\d+/,
  /node_modules/,
  /syntax error at or near|violates|invalid input syntax|out of range for type|invalid byte sequence/i,
];

type Route = { id: string; path: string; hasAction: boolean; isPage: boolean; source: string };

/** Fields a person types into; a browser stops a paste at their `maxlength`. */
const TYPED_INPUTS = new Set(["text", "email", "url", "search", "password", "tel"]);

type PostedForm = { action: string; enctype: string; uncapped: string[]; mostBytes: number };

/**
 * A page's POST forms, with the most each could send: every typed field full to its `maxlength`, at 9 bytes a
 * character (a 3-byte character, percent-encoded), plus the hidden fields as they are. A typed field without a
 * `maxlength` could take any paste, so it is listed instead.
 */
function postedForms(html: string, pagePath: string): PostedForm[] {
  const forms: PostedForm[] = [];
  let current: PostedForm | null = null;
  const parser = new Parser({
    onopentag(tag, attrs) {
      if (tag === "form") {
        current = null;
        if ((attrs.method ?? "get").toLowerCase() !== "post") return;
        const action = new URL(attrs.action || pagePath, "http://peerdesk.invalid").pathname;
        current = { action, enctype: attrs.enctype ?? "", uncapped: [], mostBytes: 0 };
        forms.push(current);
        return;
      }
      const name = attrs.name;
      if (!current || !name) return;
      const type = (attrs.type ?? "text").toLowerCase();
      if (tag === "textarea" || (tag === "input" && TYPED_INPUTS.has(type))) {
        const cap = Number(attrs.maxlength);
        if (attrs.maxlength === undefined || !Number.isInteger(cap)) current.uncapped.push(name);
        else current.mostBytes += name.length + 2 + cap * 9;
      } else if (tag === "input" && type === "hidden")
        current.mostBytes += name.length + 2 + Buffer.byteLength(encodeURIComponent(attrs.value ?? ""));
    },
    onclosetag(tag) {
      if (tag === "form") current = null;
    },
  });
  parser.write(html);
  parser.end();
  return forms;
}

/** The app's routes from the built manifest, with full paths and the route file's source (to find its intents). */
async function manifestRoutes(): Promise<Route[]> {
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as {
    routes: Record<string, { path?: string; parentId?: string; module: Record<string, unknown> }>;
  };
  const full = (id: string): string => {
    const route = build.routes[id];
    if (!route || id === "root") return "";
    const parent = route.parentId ? full(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent;
  };
  return Object.keys(build.routes)
    .filter((id) => id !== "root")
    .map((id) => {
      const file = ["tsx", "ts"]
        .map((ext) => path.resolve("app", `${id}.${ext}`))
        .find((candidate) => existsSync(candidate));
      return {
        id,
        path: full(id) || "/",
        hasAction: typeof build.routes[id]?.module.action === "function",
        isPage: typeof build.routes[id]?.module.default === "function",
        source: file ? readFileSync(file, "utf8") : "",
      };
    });
}

/** The intents a route's action knows (its zod literals and comparisons), so each branch gets the hostile fields. */
function intentsOf(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/z\.literal\("([a-z-]+)"\)|intent === "([a-z-]+)"/g))
    found.add(match[1] ?? match[2] ?? "");
  found.delete("");
  return [...found];
}

const HOSTILE_PARAMS = [
  "x%00y",
  "2147483647",
  "2147483648",
  "99999999999999999999",
  "%E0%A4%A",
  "%ED%A0%80",
  "-1",
  "1e3",
  "%F0%9F%92%A9%E2%80%AE",
  "%0A%0D",
  "%C0%80",
];
const QUERY_NAMES = [
  "q",
  "tag",
  "space",
  "sort",
  "period",
  "page",
  "perPage",
  "before",
  "after",
  "cursor",
  "kind",
  "id",
  "token",
  "redirectTo",
  "days",
  "scope",
  "draftKey",
  "title",
  "prefix",
  "solved",
  "unanswered",
  "plain",
  "saved",
  "welcome",
];
/** The query values a data request (`.data`) gets too: the page request has them all. */
const DATA_QUERY_VALUES = new Set(["vp%00n", "%E0%A4%A", "%ED%A0%80", "%2F%0A%2Fx"]);
const HOSTILE_QUERY_VALUES = [
  "vp%00n",
  "99999999999999999999",
  "2147483648",
  "%E0%A4%A",
  "%ED%A0%80",
  "%F0%9F%92%A9%E2%80%AE%EF%BF%BF",
  "%0A%0D%09%1B",
  "%2F%0A%2Fx",
  "%2F%09%2Fevil.example%2Fphish",
  "-99999999999999999999",
];
const ID_FIELDS = [
  "spaceId",
  "postId",
  "questionId",
  "answerId",
  "suggestionId",
  "sessionId",
  "id",
  "before",
  "after",
  "page",
  "key",
  "maxQuestionsPerPerson",
  "rating",
  "minutes",
  "position",
];
const TEXT_FIELDS = [
  "title",
  "body",
  "comment",
  "name",
  "bio",
  "reason",
  "note",
  "summary",
  "question",
  "answer",
  "description",
  "tags",
  "expertise",
  "mentorPitch",
  "languages",
  "email",
  "password",
  "markdown",
  "q",
  "draftKey",
  "userId",
  "type",
  "role",
  "direction",
  "decision",
  "archived",
  "helpful",
  "kind",
  "token",
  "redirectTo",
];

/** Requests in flight at once during the walk. */
const IN_FLIGHT = 3;

function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

describe("hostile input on every route", () => {
  let database: SeededDatabase | undefined;
  let routes: Route[] = [];
  let memberCookie = "";
  let adminCookie = "";
  const realParams: Record<string, string> = { id: "1", handle: "grace", slug: "networking", "*": "get-session" };
  const failures: string[] = [];

  /** Sends, and records any 5xx, unanswered request or leaked detail as a failure (all are reported at the end). */
  async function probeNow(label: string, request: Send): Promise<Reply | null> {
    try {
      const reply = await send(request);
      if (reply.status >= 500)
        failures.push(
          `${label}: ${request.method} ${request.path} → ${reply.status} ${reply.body.slice(0, 160).replace(/\s+/g, " ")}`,
        );
      else if (LEAKS.some((pattern) => pattern.test(reply.body)))
        failures.push(`${label}: ${request.method} ${request.path} leaks details: ${reply.body.slice(0, 160)}`);
      return reply;
    } catch (error) {
      failures.push(
        `${label}: ${request.method} ${request.path} → ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }

  function resolvePath(routePath: string, override: Record<string, string> = {}): string {
    const filled = routePath
      .split("/")
      .map((segment) => {
        if (segment === "*") return override["*"] ?? realParams["*"];
        if (!segment.startsWith(":")) return segment;
        const optional = segment.endsWith("?");
        const name = segment.slice(1, optional ? -1 : undefined);
        if (name in override) return override[name];
        return optional ? "" : (realParams[name] ?? "1");
      })
      .filter((segment, index) => index === 0 || segment !== "")
      .join("/");
    return filled || "/";
  }

  beforeAll(async () => {
    ensureBuild();
    database = await seededDatabase();
    // A generous start: this runs beside the whole unit suite on a small machine.
    server = await startServer(database.env, { startTimeoutMs: 300_000 });
    base = new URL(server.url);
    routes = await manifestRoutes();
    // Real ids and names for the parameters the hostile values are not in, found on the public lists.
    const find = async (page: string, pattern: RegExp) =>
      pattern.exec((await send({ method: "GET", path: page })).body)?.[1];
    realParams.id = (await find("/questions", /href="\/q\/(\d+)/)) ?? "1";
    realParams.handle = (await find("/mentors", /href="\/u\/([a-z0-9-]+)"/)) ?? "grace";
    realParams.slug = (await find("/spaces", /href="\/s\/([a-z0-9-]+)"/)) ?? "networking";
    memberCookie = await signIn("tom@peerdesk.test");
    adminCookie = await signIn("admin@peerdesk.test");
  }, 480_000);

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("the route manifest was read (so the walk below covers the app)", () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(["/ask", "/q/:id/:slug?", "/follow", "/signin", "/api/drafts"]),
    );
  });

  test("return paths after signing in stay on this site (tabs, newlines)", async () => {
    for (const hostile of ["/\t/evil.example/phish", "/\n/x"]) {
      const reply = await send({
        method: "POST",
        path: "/signin",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: base.origin },
        body: formBody({ email: "grace@peerdesk.test", password: DEMO_PASSWORD, redirectTo: hostile }),
      });
      expect(reply.status).toBe(302);
      expect(reply.headers["set-cookie"]?.join(";")).toContain("session_token");
      expect(new URL(reply.headers.location ?? "", base).origin).toBe(base.origin);
    }
  });

  test("return paths after following stay on this site, for every hostile form", async () => {
    const hostile = [
      "/\t/evil.example/phish",
      "//evil.example",
      "/\\evil.example",
      "/%2F%2Fevil.example",
      "/%5Cevil.example",
      "/%09/evil.example",
      "/.//evil.example",
      "https://evil.example",
      "/\u2028/evil.example",
    ];
    for (const redirectTo of hostile) {
      const reply = await send({
        method: "POST",
        path: "/follow",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: base.origin, cookie: memberCookie },
        body: formBody({ type: "question", key: realParams.id ?? "1", intent: "follow", redirectTo }),
      });
      expect(reply.status, redirectTo).toBe(303);
      const target = new URL(reply.headers.location ?? "", base);
      expect(target.origin, redirectTo).toBe(base.origin);
      expect(target.pathname, redirectTo).toBe("/");
    }
    const kept = await send({
      method: "POST",
      path: "/follow",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base.origin, cookie: memberCookie },
      body: formBody({
        type: "question",
        key: realParams.id ?? "1",
        intent: "follow",
        redirectTo: `/s/${realParams.slug}?tab=new`,
      }),
    });
    expect(kept.headers.location).toBe(`/s/${realParams.slug}?tab=new`);
  });

  test("a failed follow and a ban of nobody answer with an error status", async () => {
    const follow = await send({
      method: "POST",
      path: "/follow",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base.origin, cookie: memberCookie },
      body: formBody({ type: "question", key: "2147483647", intent: "follow", js: "1" }),
    });
    // A plain form's refusal is the follow page saying why (the Follow button's fetcher gets the same status as data).
    expect(follow.status).toBe(404);
    expect(follow.body).toContain("Go back to where you were");
    const ban = await send({
      method: "POST",
      path: "/admin/users",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base.origin, cookie: adminCookie },
      body: formBody({ intent: "ban", userId: "nobody-has-this-id", reason: "test" }),
    });
    expect(ban.status).toBe(404);
  });

  test("JSON with half a character (a string cut mid-emoji) is kept with U+FFFD in its place, never a database error", async () => {
    const draft = (body: string) =>
      send({
        method: "POST",
        path: "/api/drafts",
        headers: { "content-type": "application/json", origin: base.origin, cookie: memberCookie },
        body,
      });
    const ask = async () =>
      (await send({ method: "GET", path: "/ask", headers: { cookie: memberCookie } })).body.match(
        /name="title"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="title"/,
      );
    const cut = await draft('{"draftKey":"question:new","content":{"title":"Printer \\ud83d jams","body":"\\udfff"}}');
    expect(cut.status).toBe(200);
    const kept = await ask();
    expect(kept?.[1] ?? kept?.[2]).toBe("Printer \uFFFD jams");
    // A whole emoji written as two escapes is left as it is.
    expect((await draft('{"draftKey":"question:new","content":{"title":"Printer \\ud83d\\ude00 jams"}}')).status).toBe(
      200,
    );
    const whole = await ask();
    expect(whole?.[1] ?? whole?.[2]).toBe("Printer \u{1F600} jams");
  });

  test("bodies over the route's limit are refused with 413 before they are read: declared, or streamed without a length", async () => {
    for (const [target, limit] of [
      ["/signin", 64 * 1024],
      ["/ask", 2 * 1024 * 1024],
      ["/api/drafts", 512 * 1024],
    ] as const) {
      const declared = await new Promise<number>((resolve, reject) => {
        const request = http.request(
          {
            host: base.hostname,
            port: base.port,
            method: "POST",
            path: target,
            headers: {
              origin: base.origin,
              "content-type": "application/x-www-form-urlencoded",
              "content-length": String(20 * 1024 * 1024),
              cookie: memberCookie,
            },
          },
          (response) => {
            resolve(response.statusCode ?? 0);
            response.resume();
            request.destroy();
          },
        );
        request.on("error", reject);
        // Only the first bytes are sent: the answer must come without the other 20 MB.
        request.write("title=x&body=");
      });
      expect(declared, target).toBe(413);

      const streamed = await new Promise<number>((resolve, reject) => {
        const request = http.request(
          {
            host: base.hostname,
            port: base.port,
            method: "POST",
            path: target,
            headers: {
              origin: base.origin,
              "content-type": "application/x-www-form-urlencoded",
              "transfer-encoding": "chunked",
              cookie: memberCookie,
            },
          },
          (response) => {
            resolve(response.statusCode ?? 0);
            response.resume();
            request.destroy();
          },
        );
        request.on("error", () => {});
        const chunk = Buffer.alloc(16 * 1024, "a");
        let sent = 0;
        let answered = false;
        request.on("response", () => (answered = true));
        // Keeps sending until the server answers (it must, long before 20 MB).
        const pump = () => {
          while (!answered && sent < 20 * 1024 * 1024) {
            sent += chunk.length;
            if (!request.write(chunk)) {
              request.once("drain", pump);
              return;
            }
          }
        };
        pump();
        setTimeout(
          () => reject(new Error(`no answer from ${target} to a streamed body (${sent} bytes sent, limit ${limit})`)),
          20_000,
        ).unref();
      });
      expect(streamed, target).toBe(413);
    }
  });

  test("an empty POST under any label is an empty form: the page's own message, not a failed read", async () => {
    const labels: Record<string, string>[] = [
      {},
      { "content-type": "application/json" },
      { "content-type": "multipart/form-data" },
    ];
    for (const headers of labels) {
      const reply = await send({
        method: "POST",
        path: "/signin",
        headers: { origin: base.origin, ...headers },
        body: "",
      });
      expect(reply.status, JSON.stringify(headers)).toBe(400);
      expect(reply.body).toContain("Please enter your email address.");
    }
  });

  test("a legacy ?_data request (this app uses single fetch's .data) is a 404 in plain words, whatever route it names", async () => {
    for (const path of [
      "/glossary?_data=bogus",
      "/glossary?_data=",
      `/glossary?_data=${encodeURIComponent("routes/q.$id.($slug)")}`,
      "/q/1?_data=routes%2Fglossary._index",
      // Routes the address has: before, an empty 200 without a Content-Type.
      `/q/${realParams.id}?_data=${encodeURIComponent("routes/q.$id.($slug)")}`,
      "/?_data=root",
      "/glossary?_data=root",
    ]) {
      const reply = await send({ method: "GET", path });
      expect(reply.status, path).toBe(404);
      expect(reply.headers["content-type"], path).toBe("application/json; charset=utf-8");
      const { error } = JSON.parse(reply.body) as { error: string };
      expect(error, path).toBe(
        "This address doesn't answer old-style data requests (?_data=). Open the page itself instead.",
      );
    }
    // Refused before any action runs.
    for (const path of ["/glossary?_data=bogus", "/signin?_data=routes%2Fsignin"]) {
      const post = await send({
        method: "POST",
        path,
        headers: { origin: base.origin, "content-type": "application/x-www-form-urlencoded" },
        body: "email=tom%40peerdesk.test",
      });
      expect(post.status, path).toBe(404);
    }
    // The page itself and its single-fetch data still answer.
    expect((await send({ method: "GET", path: "/glossary" })).status).toBe(200);
    expect((await send({ method: "GET", path: "/glossary.data" })).status).toBe(200);
  });

  test("a method an address doesn't answer is a 405 in plain words with Allow; OPTIONS is a 204 with Allow and no body", async () => {
    const resources = [
      "/questions.atom",
      "/sitemap.xml",
      "/robots.txt",
      "/sessions/1/calendar.ics",
      "/healthz",
      "/api/tags",
      "/me/data.json",
      "/images/nothing.webp",
    ];
    for (const path of resources) {
      const reply = await send({ method: "POST", path, headers: { origin: base.origin }, body: "" });
      expect(reply.status, path).toBe(405);
      expect(reply.headers.allow, path).toBe("GET, HEAD");
      expect(reply.body, path).not.toMatch(/Unexpected Server Error|Something went wrong|try again/i);
      const isJson = path.startsWith("/api/") || path.endsWith(".json");
      expect(reply.headers["content-type"], path).toBe(
        isJson ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      );
      const words = isJson ? (JSON.parse(reply.body) as { error: string }).error : reply.body.trim();
      expect(words, path).toBe("This address can only be opened or read, not sent a form or data.");
    }
    for (const path of ["/questions", "/tags", "/status", "/"]) {
      const reply = await send({ method: "POST", path, headers: { origin: base.origin }, body: "" });
      expect(reply.status, path).toBe(405);
      expect(reply.headers.allow, path).toBe("GET, HEAD");
      expect(reply.body, path).toContain("This page can only be opened, not sent a form.");
      expect(reply.body, path).not.toMatch(/Something went wrong|Please try again/);
      // With JavaScript (single fetch) too: the router's refusal, with Allow.
      const data = await send({
        method: "POST",
        path: path === "/" ? "/_root.data" : `${path}.data`,
        headers: { origin: base.origin },
        body: "",
      });
      expect(data.status, `${path}.data`).toBe(405);
      expect(data.headers.allow, `${path}.data`).toBe("GET, HEAD");
    }
    // A method nothing here answers, on a route with an action: the route's methods, in words.
    const propfind = await send({ method: "PROPFIND", path: "/api/drafts", headers: { origin: base.origin } });
    expect(propfind.status).toBe(405);
    expect(propfind.headers.allow).toBe("GET, HEAD, POST");
    expect(JSON.parse(propfind.body)).toEqual({
      error: "This address doesn't answer PROPFIND requests. It answers GET, HEAD and POST only.",
    });

    const expected: Record<string, string> = {
      "/questions": "GET, HEAD",
      "/questions.atom": "GET, HEAD",
      "/sitemap.xml": "GET, HEAD",
      "/robots.txt": "GET, HEAD",
      "/sessions/1/calendar.ics": "GET, HEAD",
      "/ask": "GET, HEAD, POST",
      "/questions.data": "GET, HEAD",
    };
    for (const [path, allow] of Object.entries(expected)) {
      const reply = await send({ method: "OPTIONS", path });
      expect(reply.status, path).toBe(204);
      expect(reply.headers.allow, path).toBe(allow);
      expect(reply.body, path).toBe("");
    }
    // Every route: OPTIONS never runs a loader or shows a page; a route without an action refuses a POST with Allow.
    for (const route of routes) {
      const path = resolvePath(route.path);
      const options = await send({ method: "OPTIONS", path });
      expect([204, 404], `OPTIONS ${path}`).toContain(options.status);
      expect(options.body, `OPTIONS ${path}`).toBe("");
      if (options.status === 204) expect(options.headers.allow, `OPTIONS ${path}`).toMatch(/^(GET, HEAD|POST)/);
      if (route.hasAction) continue;
      const post = await send({ method: "POST", path, headers: { origin: base.origin }, body: "" });
      if (post.status !== 405) continue;
      expect(post.headers.allow, `POST ${path}`).toBe("GET, HEAD");
      expect(post.body, `POST ${path}`).not.toMatch(/Unexpected Server Error|Something went wrong/);
    }
  }, 120_000);

  test("an address too long to read is a 414, and headers too large a 431, each saying so in words", async () => {
    const address = await send({ method: "GET", path: `/questions?q=${"a".repeat(70 * 1024)}` });
    expect(address.status).toBe(414);
    expect(address.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(address.body).toContain("This address is too long for PeerDesk to read.");
    const headers = await send({ method: "GET", path: "/questions", headers: { "x-padding": "a".repeat(70 * 1024) } });
    expect(headers.status).toBe(431);
    expect(headers.body).toContain("This request's headers are too large for PeerDesk to read.");
    // Other malformed requests still get Node's own answer, and the server goes on.
    expect((await send({ method: "GET", path: "/questions" })).status).toBe(200);
  });

  test("the live-updates address tells HEAD what it tells GET, and both vary by Accept", async () => {
    const path = `/q/${realParams.id}/events`;
    for (const method of ["GET", "HEAD"]) {
      const refused = await send({ method, path });
      expect(refused.status, method).toBe(406);
      expect(refused.headers.vary, method).toMatch(/\bAccept\b/);
      const stream = await send({ method, path, headers: { accept: "text/event-stream" } });
      expect(stream.status, method).toBe(200);
      expect(stream.headers["content-type"], method).toContain("text/event-stream");
      expect(stream.headers.vary, method).toMatch(/\bAccept\b/);
    }
  });

  test("a static file asked for past its end is a 416 with the file's size, not a 500", async () => {
    const whole = await send({ method: "GET", path: "/favicon.ico" });
    expect(whole.status).toBe(200);
    for (const method of ["GET", "HEAD"]) {
      const reply = await send({ method, path: "/favicon.ico", headers: { range: "bytes=99999999-" } });
      expect(reply.status, method).toBe(416);
      expect(reply.headers["content-range"]).toBe(`bytes */${whole.headers["content-length"]}`);
      expect(reply.headers.etag).not.toBe(whole.headers.etag);
    }
    const part = await send({ method: "GET", path: "/favicon.ico", headers: { range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(part.headers["content-length"]).toBe("10");
  });

  test("the Origin check and Remix's own agree: the app's origin sent to another Host, and a client's X-Forwarded-Host, are never a 500", async () => {
    const otherHost = `localhost:${base.port}`;
    const headers = { "content-type": "application/x-www-form-urlencoded", cookie: memberCookie };
    const body = formBody({ type: "question", key: realParams.id ?? "1", intent: "follow" });
    // The page's origin is APP_URL (127.0.0.1), reached under another name: accepted, and Remix sees the same host.
    const asOtherHost = await send({
      method: "POST",
      path: "/follow",
      host: otherHost,
      headers: { ...headers, origin: base.origin },
      body,
    });
    expect(asOtherHost.status).toBe(303);
    // A page on the other name posting to itself: its own origin, accepted too.
    const ownOther = await send({
      method: "POST",
      path: "/follow",
      host: otherHost,
      headers: { ...headers, origin: `http://${otherHost}` },
      body,
    });
    expect(ownOther.status).toBe(303);
    // Without TRUST_PROXY a client's X-Forwarded-Host is ignored, by us and by Remix.
    const forwarded = await send({
      method: "POST",
      path: "/follow",
      headers: { ...headers, origin: base.origin, "x-forwarded-host": "evil.example" },
      body,
    });
    expect(forwarded.status).toBe(303);
    const foreign = await send({
      method: "POST",
      path: "/follow",
      headers: { ...headers, origin: "https://evil.example" },
      body,
    });
    expect(foreign.status).toBe(403);
    const broken = await send({ method: "POST", path: "/follow", headers: { ...headers, origin: "http://[" }, body });
    expect(broken.status).toBe(403);
  });

  /**
   * Every route, GET and POST, with every class of hostile input, as one person (cookie) or signed out. A route's
   * requests go a few at a time (the server's database runs in its own thread, so the walk keeps both busy); the
   * routes one after another.
   */
  async function walk(label: string, cookie: string, only: (route: Route) => boolean = () => true) {
    const auth: Record<string, string> = cookie ? { cookie } : {};
    for (const route of routes.filter(only)) {
      const queued: Array<() => Promise<unknown>> = [];
      const probe = (label_: string, request: Send) => {
        queued.push(() => probeNow(label_, request));
      };
      // Skip signing out: it would end the session the rest of the walk uses.
      if (cookie && route.id === "routes/signout") continue;
      const params = [...route.path.matchAll(/:([a-zA-Z]+)\??|\*/g)].map((match) => match[1] ?? "*");
      const real = resolvePath(route.path);

      // GET: hostile path parameters, then hostile query strings (page and single-fetch data requests).
      for (const name of params)
        for (const value of HOSTILE_PARAMS)
          probe(`${label} param ${name}`, {
            method: "GET",
            path: resolvePath(route.path, { [name]: value }),
            headers: auth,
          });
      for (const value of HOSTILE_QUERY_VALUES) {
        const query = QUERY_NAMES.map((name) => `${name}=${value}`).join("&");
        probe(`${label} query`, { method: "GET", path: `${real}?${query}`, headers: auth });
        // A data request runs the same loaders as the page request above, which had every value: it gets the ones that
        // test how the request itself is read (a cut percent-escape, a NUL, an encoded path).
        // An event stream's data URL streams too (no end to wait for); its page URL above is answered by its headers.
        if (DATA_QUERY_VALUES.has(value) && !route.id.endsWith("events"))
          probe(`${label} data query`, {
            method: "GET",
            path: `${real === "/" ? "/_root" : real}.data?${query}`,
            headers: auth,
          });
      }

      // POST: wrong body types, truncated multipart, NUL, out-of-range ids per intent, hostile redirects, host mismatches.
      // Not to the backups page: a POST with its intent copies the whole database (seconds of the server, six times
      // before its limit); tests/backups.test.ts and app/routes/admin-backups-intent.test.ts post to it. A route without an action answers
      // any POST before reading its body: one POST, whatever its body, says whether that answer is an error.
      if (!route.hasAction) {
        probe(`${label} POST without an action`, {
          method: "POST",
          path: real,
          headers: { origin: base.origin, ...auth, "content-type": "application/json" },
          body: '{"title": "unfinished',
        });
      }
      const posts = route.hasAction && route.id !== "routes/admin.backups";
      const post = (kind: string, headers: Record<string, string>, body: string, extra: Partial<Send> = {}) => {
        if (!posts) return;
        probe(`${label} POST ${kind}`, {
          method: "POST",
          path: real,
          headers: { origin: base.origin, ...auth, ...headers },
          body,
          ...extra,
        });
      };
      post(
        "json",
        { "content-type": "application/json" },
        JSON.stringify({ title: "a\u0000b", body: "x", spaceId: 2147483648 }),
      );
      post(
        "json-nul",
        { "content-type": "application/json" },
        '{"draftKey":"ask","content":{"title":"a\\u0000b"},"markdown":"a\\u0000b"}',
      );
      post(
        "json-surrogate",
        { "content-type": "application/json" },
        '{"draftKey":"ask","content":{"title":"a\\ud800"},"markdown":"\\udc00b","title":"\\ud800"}',
      );
      post("json-broken", { "content-type": "application/json" }, '{"title": "unfinished');
      post("text", { "content-type": "text/plain" }, "title=hello");
      post("no-type", {}, "title=hello");
      // Empty bodies under every label (a bare `curl -X POST`): read as an empty form, never a failed read.
      post("empty", {}, "");
      post("empty-json", { "content-type": "application/json" }, "");
      post("empty-text", { "content-type": "text/plain" }, "");
      post("empty-multipart", { "content-type": "multipart/form-data; boundary=XYZ" }, "");
      post(
        "multipart-truncated",
        { "content-type": "multipart/form-data; boundary=XYZ" },
        '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello',
      );
      post(
        "multipart-nul",
        { "content-type": "multipart/form-data; boundary=XYZ" },
        '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\na\u0000b\r\n--XYZ--\r\n',
      );
      const intents = route.hasAction ? ["", ...intentsOf(route.source)] : [""];
      for (const intent of intents) {
        const base_: Record<string, string> = intent ? { intent } : {};
        const nul = Object.fromEntries(TEXT_FIELDS.map((name) => [name, "a\u0000b"]));
        post(
          `form-nul ${intent}`,
          { "content-type": "application/x-www-form-urlencoded" },
          formBody({ ...base_, ...nul }),
        );
        for (const big of ["2147483647", "2147483648", "99999999999999999999", "-2147483649", "1e400"]) {
          const ids = Object.fromEntries(ID_FIELDS.map((name) => [name, big]));
          post(
            `form-int ${intent} ${big}`,
            { "content-type": "application/x-www-form-urlencoded" },
            formBody({
              ...base_,
              ...ids,
              type: "question",
              direction: "up",
              decision: "accept",
              role: "member",
              archived: "true",
              title: "A perfectly ordinary title",
              body: "A body long enough to pass the length checks of the forms.",
              tags: "vpn",
            }),
          );
        }
        post(
          `form-wide ${intent}`,
          { "content-type": "application/x-www-form-urlencoded" },
          formBody({
            ...base_,
            title: "\u{1F4A9}\u202E\uFFFF\uD800",
            body: "\u{1F4A9}".repeat(50),
            tags: "\uD800",
            redirectTo: "/\u2028/x",
          }),
        );
        post(
          `form-redirect ${intent}`,
          { "content-type": "application/x-www-form-urlencoded" },
          formBody({ ...base_, redirectTo: "/\n/x", returnTo: "/\t/evil.example", next: "//evil.example" }),
        );
      }
      post("host-mismatch", { "content-type": "application/x-www-form-urlencoded" }, formBody({ intent: "nothing" }), {
        host: `localhost:${base.port}`,
      });
      post(
        "x-forwarded-host",
        { "content-type": "application/x-www-form-urlencoded", "x-forwarded-host": "evil.example" },
        formBody({ intent: "nothing" }),
      );
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let next = queued.shift(); next; next = queued.shift()) await next();
        }),
      );
    }
  }

  test("a page a reader may not see, or that isn't there, is the error page, and the browser tab says so", async () => {
    // The tab (and a screen reader's first words) named the refused page ("Edit question", "Admin"), or nothing; one
    // route without a component sent its refusal as bare text.
    const problems: string[] = [];
    let refusalsSeen = 0;
    const missing = { id: "99999999", handle: "no-such-person", slug: "no-such-space" };
    for (const [who, cookie] of [
      ["visitor", ""],
      ["member", memberCookie],
    ] as const) {
      for (const route of routes) {
        if (!route.isPage || route.path.includes("*")) continue;
        for (const page of new Set([resolvePath(route.path), resolvePath(route.path, missing)])) {
          const reply = await send({ method: "GET", path: page, headers: { cookie } });
          if (reply.status < 400) continue;
          refusalsSeen++;
          const title = /<title>([^<]*)<\/title>/.exec(reply.body)?.[1];
          const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(reply.body)?.[1];
          const isNamedMissing = reply.status === 404 && /^[A-Z][\w -]* not found · PeerDesk$/.test(title ?? "");
          if (!String(reply.headers["content-type"]).includes("text/html"))
            problems.push(`${who} ${page}: ${reply.status} sent as ${reply.headers["content-type"]}, not a page`);
          else if (!heading || (title !== `${heading} · PeerDesk` && !isNamedMissing))
            problems.push(`${who} ${page}: ${reply.status} "${heading}" in a tab titled "${title}"`);
        }
      }
    }
    expect(refusalsSeen).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  }, 600_000);

  test("every form a visitor, a member or an admin is shown caps what can be typed below its route's body limit", async () => {
    // Past the limit, the guards refuse the whole request (413) before the route could keep what was typed; with
    // JavaScript that refusal is a page Remix can't read. A field capped in the browser stops the paste instead, and
    // the route's own message (the limit, with the text kept) does the rest.
    const problems = new Set<string>();
    let formsSeen = 0;
    for (const [who, cookie] of [
      ["visitor", ""],
      ["member", memberCookie],
      ["admin", adminCookie],
    ] as const) {
      for (const route of routes) {
        if (route.path.includes("*")) continue;
        const page = resolvePath(route.path);
        const reply = await send({ method: "GET", path: page, headers: { cookie } });
        if (reply.status !== 200 || !String(reply.headers["content-type"]).includes("text/html")) continue;
        for (const form of postedForms(reply.body, page)) {
          formsSeen++;
          const rule = bodyRuleFor(form.action);
          if (rule.isTooLargeShownByRoute) continue;
          for (const field of form.uncapped)
            problems.add(`${who} ${page}: "${field}" (to ${form.action}) has no maxlength`);
          if (form.mostBytes > rule.maxBytes)
            problems.add(
              `${who} ${page}: the form to ${form.action} can send ${form.mostBytes} bytes, over ${rule.maxBytes}`,
            );
        }
      }
    }
    expect(formsSeen).toBeGreaterThan(50);
    expect([...problems]).toEqual([]);
  }, 600_000);

  test("signed out: no route answers any hostile request with a 5xx or leaks details", async () => {
    failures.length = 0;
    await walk("signed out", "");
    expect(failures).toEqual([]);
  }, 600_000);

  test("signed in as a member: no route answers any hostile request with a 5xx or leaks details", async () => {
    failures.length = 0;
    await walk("member", memberCookie);
    expect(failures).toEqual([]);
  }, 600_000);

  test("signed in as an admin: the admin pages answer hostile requests without a 5xx", async () => {
    failures.length = 0;
    await walk("admin", adminCookie, (route) => route.path.startsWith("/admin"));
    expect(failures).toEqual([]);
  }, 600_000);
});
