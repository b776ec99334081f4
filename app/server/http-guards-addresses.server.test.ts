/**
 * Request targets and methods the built server (its page cache and Remix behind it) must answer at once and the same
 * way for everyone: addresses deeper or longer than any page here, methods no fetch Request can carry (TRACE, TRACK,
 * CONNECT), and paths starting with `//`, read as paths on this site by the page cache as by the app.
 */
import { connect } from "node:net";
import { cacheKey } from "~/lib/page-cache.server";
import { realServer } from "../../tests/fixtures/real-server";

const suite = realServer();
const reader = "priya@peerdesk.test";

type Reply = { status: number; headers: Record<string, string>; body: string };

/**
 * One request written by hand on its own connection (fetch refuses TRACE and CONNECT, and would tidy the target), read
 * to the end. Bodies come back plain: no Accept-Encoding is sent.
 */
function raw(method: string, target: string, headers: Record<string, string> = {}, body = ""): Promise<Reply> {
  const { hostname, port, host } = new URL(suite.server.url);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const end = text.indexOf("\r\n\r\n");
      const [statusLine = "", ...headerLines] = text.slice(0, end === -1 ? text.length : end).split("\r\n");
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(":");
        parsed[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      let rest = end === -1 ? "" : text.slice(end + 4);
      if (/chunked/i.test(parsed["transfer-encoding"] ?? "")) rest = unchunked(rest);
      resolve({ status: Number(statusLine.split(" ")[1] ?? 0), headers: parsed, body: rest });
    });
  });
}

function unchunked(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

/** The words of a refusal, whether it came as a page (apostrophes unescaped) or as JSON (data requests). */
function wordsOf(reply: Reply): string {
  if ((reply.headers["content-type"] ?? "").startsWith("application/json"))
    return (JSON.parse(reply.body) as { error: string }).error;
  return reply.body.replace(/&#(?:39|x27);/g, "'");
}

async function signedIn(): Promise<Record<string, string>> {
  return { Cookie: await suite.signIn(reader) };
}

describe("an address deeper or longer than any page here", () => {
  const deep = `/q/1/${"a/".repeat(200)}b`;
  const auditorsAddress = `/${"a/".repeat(3000)}`;
  const long = `/q/1/${"x".repeat(2100)}`;

  test("is told at once there is no page there, before the page cache or the app, signed in or out", async () => {
    const cookie = await signedIn();
    for (const target of [deep, auditorsAddress, `${deep}?sort=new`]) {
      for (const headers of [{}, cookie]) {
        const reply = await raw("GET", target, headers);
        expect(reply.status, target.slice(0, 40)).toBe(404);
        expect(wordsOf(reply)).toContain("There's no page at this address.");
        // The page cache marks every request it sees (hit, miss or bypass): this one never reached it.
        expect(reply.headers["x-cache"]).toBeUndefined();
      }
    }
    const head = await raw("HEAD", deep);
    expect([head.status, head.headers["x-cache"], head.body]).toEqual([404, undefined, ""]);
  }, 180_000);

  test("a path longer than any page's is told it is too long, signed in or out", async () => {
    for (const headers of [{}, await signedIn()]) {
      const reply = await raw("GET", long, headers);
      expect(reply.status).toBe(414);
      expect(reply.body).toContain("This address is too long for PeerDesk to read.");
      expect(reply.headers["x-cache"]).toBeUndefined();
    }
  });

  test("a form sent to such an address, with this site's Origin, is refused the same way before anything runs", async () => {
    const form = { Origin: suite.server.url, "Content-Type": "application/x-www-form-urlencoded" };
    for (const headers of [form, { ...form, ...(await signedIn()) }]) {
      const reply = await raw("POST", deep, headers, "title=hello");
      expect(reply.status).toBe(404);
      expect(wordsOf(reply)).toContain("There's no page at this address.");
      expect(reply.headers["x-cache"]).toBeUndefined();
    }
  });

  test("the app's data requests (.data, ?_data=) get the same answer as JSON", async () => {
    for (const target of [`${deep}.data`, `${deep}?_data=root`]) {
      const reply = await raw("GET", target);
      expect(reply.status, target.slice(-12)).toBe(404);
      expect(reply.headers["content-type"]).toMatch(/^application\/json/);
      expect(wordsOf(reply)).toContain("There's no page at this address.");
    }
  });

  test("an address just within the bound is still the app's own answer", async () => {
    // 32 segments, past any page here: the app looks and says it found nothing, in the error page's words.
    const reply = await raw("GET", `/q/1/${"a/".repeat(29)}b`);
    expect(reply.status).toBe(404);
    expect(reply.body).toContain("It may have moved, or the link may be mistyped.");
    expect(wordsOf(reply)).not.toContain("There's no page at this address.");
    expect(reply.headers["x-cache"]).toBeDefined();
  });
});

describe("a method no browser request can carry (TRACE, TRACK, CONNECT)", () => {
  test("is a 405 naming what the address answers, on pages, feeds, APIs and data, signed in or out, with or without Origin", async () => {
    const cookie = await signedIn();
    const expected: Record<string, string> = {
      "/questions": "GET, HEAD",
      "/questions.data": "GET, HEAD",
      "/questions.atom": "GET, HEAD",
      "/api/drafts": "GET, HEAD, POST",
      "/ask": "GET, HEAD, POST",
    };
    for (const [target, allow] of Object.entries(expected)) {
      const asked: Record<string, string>[] = [
        {},
        { Origin: suite.server.url },
        { ...cookie, Origin: suite.server.url },
      ];
      for (const headers of asked) {
        const reply = await raw("TRACE", target, headers);
        expect([target, reply.status, reply.headers.allow]).toEqual([target, 405, allow]);
        expect(wordsOf(reply)).toContain("This address doesn't answer TRACE requests.");
      }
    }
    const nowhere = await raw("TRACE", "/no-such-page", { Origin: suite.server.url });
    expect(nowhere.status).toBe(405);
    expect(nowhere.headers.allow).toBeTruthy();
  });

  test("TRACK and CONNECT, which Node itself doesn't accept, are a 405 in words too", async () => {
    for (const method of ["TRACK", "CONNECT"]) {
      const asked: Record<string, string>[] = [{}, { Origin: suite.server.url }, await signedIn()];
      for (const headers of asked) {
        const reply = await raw(method, "/questions", headers);
        expect([method, reply.status]).toEqual([method, 405]);
        expect(reply.headers.allow).toBeTruthy();
        expect(reply.body).toContain(`doesn't answer ${method} requests`);
      }
    }
    // The server goes on answering.
    expect((await raw("GET", "/questions")).status).toBe(200);
  });
});

describe("an address whose path starts with //", () => {
  test("is the same page signed in and out: a path on this site, never another page from the cache", async () => {
    const question = await raw("GET", "/q/1");
    const page = new URL(question.headers.location ?? "/q/1", suite.server.url).pathname;
    expect((await raw("GET", page)).status).toBe(200);
    expect((await raw("GET", page)).headers["x-cache"]).toBe("hit");
    const twin = `//evil.example${page}`;
    const signedInReply = await raw("GET", twin, await signedIn());
    for (const method of ["GET", "GET", "HEAD"]) {
      const signedOut = await raw(method, twin);
      expect([method, signedOut.status]).toEqual([method, signedInReply.status]);
      expect(signedOut.headers["x-cache"]).not.toBe("hit");
    }
    expect(signedInReply.status).toBe(404);
  });

  test("the page cache keys it apart from the page it would look like on another host", () => {
    const host = "forum.example.org";
    expect(cacheKey({ url: "//evil.example/q/1", host })).not.toBe(cacheKey({ url: "/q/1", host }));
    expect(cacheKey({ url: "/\\evil.example/q/1?b=1", host })).toBe(`${host}//evil.example/q/1?b=1`);
  });
});
