/**
 * The anonymous page cache against the real built server (built first when missing or stale): signed-out readers get stored
 * pages (X-Cache: hit, 304s, gzip and brotli), signed-in readers never do, and every kind of write that changes a
 * public page shows on the next signed-out request (a moderator's deletion as soon as the moderator's request returns).
 */
import { randomBytes } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { request as httpRequest } from "node:http";
import { scriptHashes } from "~/lib/page-cache.server";
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { signIn } = suite;

/** A plain form POST that must succeed; returns the response (redirects not followed). */
async function post(email: string, path: string, fields: Record<string, string>): Promise<Response> {
  const res = await suite.post(path, email, fields);
  expect(res.status, `${path} ${JSON.stringify(fields)}`).toBeLessThan(400);
  return res;
}

async function anonymous(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ cache: string | null; html: string; res: Response }> {
  const res = await fetch(`${suite.server.url}${path}`, { headers });
  return { cache: res.headers.get("x-cache"), html: await res.text(), res };
}

/** The raw bytes as sent (fetch would decompress them). */
type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

function rawGet(path: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${suite.server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A signed-in reader's page (rendered every time, from the question data each process keeps in memory). */
async function signedIn(path: string, email = "priya@peerdesk.test"): Promise<string> {
  const res = await fetch(`${suite.server.url}${path}`, { headers: { cookie: await signIn(email) } });
  expect(res.headers.get("x-cache")).toBe("bypass");
  return res.text();
}

/** Tom asks a plain-language question in the first space the ask form offers; its address and id. */
async function ask(title: string, body: string, tags: string): Promise<{ path: string; id: number }> {
  const askForm = await (
    await fetch(`${suite.server.url}/ask`, { headers: { cookie: await signIn("tom@peerdesk.test") } })
  ).text();
  const spaceId = ids(askForm, /<option value="(\d+)"/g)[0];
  expect(spaceId).toBeDefined();
  const asked = await post("tom@peerdesk.test", "/ask", {
    spaceId: String(spaceId),
    title,
    body,
    tags,
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  const path = asked.headers.get("location") ?? "";
  const id = Number(/\/q\/(\d+)/.exec(path)?.[1]);
  expect(id).toBeGreaterThan(0);
  return { path, id };
}

/** A page's text without its tags: bodies mark glossary terms with buttons, which split a sentence in the HTML. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, "");

const ids = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => Number(m[1]));

describe("the anonymous page cache on the real server", () => {
  let questionId = 0;
  let questionPath = "";
  let questionMark = "";
  let answerId = 0;

  test("a new question shows on the cached lists at once, and its page is stored for the next signed-out reader", async () => {
    expect((await anonymous("/questions")).cache).toBe("miss");
    expect((await anonymous("/questions")).cache).toBe("hit");
    expect((await anonymous("/")).cache).toBe("miss");
    questionMark = randomBytes(3).toString("hex");
    const title = `Printer queue stalls every Monday ${questionMark}`;
    ({ path: questionPath, id: questionId } = await ask(
      title,
      "Every Monday morning the shared printer queue stops and only a restart of the spooler helps.",
      "printers",
    ));
    for (const path of ["/questions", "/"]) {
      const page = await anonymous(path);
      expect({ path, cache: page.cache, shows: page.html.includes(title) }).toEqual({
        path,
        cache: "miss",
        shows: true,
      });
    }
    expect((await anonymous(questionPath)).cache).toBe("miss");
    expect((await anonymous(questionPath)).cache).toBe("hit");
  });

  test("hits revalidate with a strong ETag (304) and come as gzip, brotli or plain bytes of the same page", async () => {
    await anonymous(questionPath);
    const plain = await rawGet(questionPath, { "accept-encoding": "identity" });
    const gzip = await rawGet(questionPath, { "accept-encoding": "gzip" });
    const brotli = await rawGet(questionPath, { "accept-encoding": "gzip, deflate, br" });
    expect([plain.headers["x-cache"], gzip.headers["x-cache"], brotli.headers["x-cache"]]).toEqual([
      "hit",
      "hit",
      "hit",
    ]);
    expect([gzip.headers["content-encoding"], brotli.headers["content-encoding"]]).toEqual(["gzip", "br"]);
    const html = plain.body.toString("utf8");
    expect(html).toContain("<html");
    expect(gunzipSync(gzip.body).toString("utf8")).toBe(html);
    expect(brotliDecompressSync(brotli.body).toString("utf8")).toBe(html);
    const etag = String(brotli.headers.etag);
    const revalidated = await rawGet(questionPath, { "accept-encoding": "gzip, deflate, br", "if-none-match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(brotli.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
  });

  test("a stored page's CSP allows exactly its inline scripts by hash, with no nonce", async () => {
    // The home page runs the full client runtime (inline bootstrap scripts): hashes only.
    await anonymous("/questions");
    const { res, html, cache } = await anonymous("/questions");
    expect(cache).toBe("hit");
    const policy = res.headers.get("content-security-policy") ?? "";
    expect(policy).not.toContain("'nonce-");
    const hashes = scriptHashes(html);
    expect(hashes.length).toBeGreaterThan(0);
    const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc.trim()).toBe(`script-src ${hashes.join(" ")} 'strict-dynamic'`);
  });

  test("a stored reader page allows its one external script by the page's own nonce, and nothing else", async () => {
    // Questions are reader pages for signed-out people: one external enhancement script, no inline script.
    const { res, html, cache } = await anonymous(questionPath);
    expect(cache).toBe("hit");
    expect(scriptHashes(html)).toEqual([]);
    const nonces = [...html.matchAll(/<script\s[^>]*\bnonce="([^"]+)"/g)].map((match) => match[1]);
    expect(nonces.length).toBeGreaterThan(0);
    const scriptSrc =
      (res.headers.get("content-security-policy") ?? "").split(";").find((d) => d.trim().startsWith("script-src")) ??
      "";
    expect(scriptSrc.trim()).toBe(`script-src 'nonce-${nonces[0]}' 'strict-dynamic'`);
    expect(new Set(nonces).size).toBe(1);
  });

  test("the same page rendered again is the same bytes with the same ETag (its nonce comes from the page), so a revalidation still gets a 304", async () => {
    const before = await anonymous(questionPath, { "accept-encoding": "identity" });
    expect(before.cache).toBe("hit");
    const etag = before.res.headers.get("etag") ?? "";
    // A vote and its undoing: the page is rendered again, showing what it showed before.
    for (const direction of ["up", "none"])
      await post("priya@peerdesk.test", questionPath, { intent: "vote", postId: String(questionId), direction });
    const again = await anonymous(questionPath, { "accept-encoding": "identity" });
    expect(again.cache).toBe("miss");
    expect(again.html).toBe(before.html);
    expect(again.res.headers.get("etag")).toBe(etag);
    expect(again.res.headers.get("content-security-policy")).toBe(before.res.headers.get("content-security-policy"));
    const revalidated = await fetch(`${suite.server.url}${questionPath}`, {
      headers: { "accept-encoding": "identity", "if-none-match": etag },
    });
    expect(revalidated.status).toBe(304);
  });

  test("a hit (answered before the rest of the server) carries the security headers of the render that stored it", async () => {
    const path = `${questionPath}?early=1`;
    const miss = await rawGet(path, { "accept-encoding": "br" });
    const hit = await rawGet(path, { "accept-encoding": "br" });
    expect([miss.headers["x-cache"], hit.headers["x-cache"]]).toEqual(["miss", "hit"]);
    expect(hit.body.equals(miss.body)).toBe(true);
    const without = (headers: RawResponse["headers"]) =>
      Object.fromEntries(
        Object.entries(headers).filter(([name]) => !["date", "x-cache", "connection", "keep-alive"].includes(name)),
      );
    expect(without(hit.headers)).toEqual(without(miss.headers));
    expect(hit.headers["x-frame-options"]).toBe("DENY");
    expect(hit.headers["x-content-type-options"]).toBe("nosniff");
    // A session cookie is never answered from the store, however early.
    const cookie = await signIn("priya@peerdesk.test");
    expect((await rawGet(path, { "accept-encoding": "br", cookie })).headers["x-cache"]).toBe("bypass");
  });

  test("Remix data requests are cached like pages; signed-in readers are never served nor stored", async () => {
    const dataPath = `/q/${questionId}.data?_routes=${encodeURIComponent("routes/q.$id.($slug)")}`;
    expect((await anonymous(dataPath)).cache).toBe("miss");
    const stored = await anonymous(dataPath);
    expect(stored.cache).toBe("hit");
    expect(stored.res.headers.get("content-type")).toContain("text/x-script");

    const tom = await signIn("tom@peerdesk.test");
    const signedIn = await anonymous(questionPath, { cookie: tom });
    expect(signedIn.cache).toBe("bypass");
    expect(signedIn.html).toContain("Tom Becker");
    expect(signedIn.res.headers.get("x-peerdesk-page-cache")).toBeNull();
    // A signed-in first visit leaves nothing behind for the next signed-out reader.
    const fresh = `/questions?sort=newest&probe=${randomBytes(3).toString("hex")}`;
    expect((await anonymous(fresh, { cookie: tom })).cache).toBe("bypass");
    expect((await anonymous(fresh)).cache).toBe("miss");
    expect((await anonymous(`${dataPath}`, { cookie: tom })).cache).toBe("bypass");
  });

  test("after signing out, the known-device cookie a sign-in left behind still gets stored pages", async () => {
    const tom = await signIn("tom@peerdesk.test");
    const knownDevice = tom.split("; ").find((cookie) => /^(__Secure-)?peerdesk\.known_device=/.test(cookie));
    expect(knownDevice).toBeDefined();
    const path = `/questions?sort=newest&probe=${randomBytes(3).toString("hex")}`;
    expect((await anonymous(path, { cookie: `${knownDevice}` })).cache).toBe("miss");
    const stored = await anonymous(path, { cookie: `theme=dark; ${knownDevice}` });
    expect(stored.cache).toBe("hit");
    // The page a signed-out reader gets: offered a sign-in, no account menu.
    expect(stored.html).toContain('href="/signin');
    expect(stored.html).not.toContain("Sign out");
  });

  test("an answer, a comment, a vote, accepting, and an edit each show on the next signed-out and signed-in request", async () => {
    const answerBody = `Clear the stuck jobs in the spooler folder first; ${randomBytes(3).toString("hex")}.`;
    await anonymous(questionPath);
    expect(textOf(await signedIn(questionPath))).not.toContain(answerBody);
    const answered = await post("priya@peerdesk.test", questionPath, {
      intent: "answer",
      body: answerBody,
      idempotencyKey: randomBytes(16).toString("base64url"),
    });
    answerId = Number(
      /answer-(\d+)|#post-(\d+)|\/a\/(\d+)/
        .exec(answered.headers.get("location") ?? "")
        ?.slice(1)
        .find(Boolean),
    );
    let page = await anonymous(questionPath);
    expect(textOf(page.html)).toContain(answerBody);
    // Search engines read the answer's text in the stored page's QAPage data too.
    expect(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.html)?.[1]).toContain(answerBody);
    expect(textOf(await signedIn(questionPath))).toContain(answerBody);
    if (!answerId) answerId = Math.max(...ids(page.html, /id="post-(\d+)"/g));
    expect(answerId).toBeGreaterThan(questionId);
    await anonymous(questionPath);

    const comment = `That was it, thank you ${randomBytes(3).toString("hex")}`;
    await post("tom@peerdesk.test", questionPath, { intent: "comment", postId: String(answerId), body: comment });
    page = await anonymous(questionPath);
    expect([page.cache, page.html.includes(comment)]).toEqual(["miss", true]);
    expect(await signedIn(questionPath)).toContain(comment);

    expect(page.html).toContain("Score 0");
    await post("tom@peerdesk.test", questionPath, { intent: "vote", postId: String(answerId), direction: "up" });
    page = await anonymous(questionPath);
    expect([page.cache, page.html.includes("Score 1")]).toEqual(["miss", true]);
    expect(await signedIn(questionPath)).toContain("Score 1");

    expect(page.html).not.toContain("Accepted answer");
    await post("tom@peerdesk.test", questionPath, { intent: "accept", postId: String(answerId) });
    page = await anonymous(questionPath);
    expect([page.cache, page.html.includes("Accepted answer")]).toEqual(["miss", true]);
    expect(await signedIn(questionPath)).toContain("Accepted answer");

    questionMark = randomBytes(3).toString("hex");
    const newTitle = `Spooler stalls every Monday morning ${questionMark}`;
    await anonymous("/questions");
    await post("tom@peerdesk.test", `/q/${questionId}/edit`, {
      title: newTitle,
      body: "Every Monday morning the shared printer queue stops; restarting the spooler helps for a day.",
      tags: "printers",
      audience: "plain",
      note: "clearer title",
    });
    expect((await anonymous(`/q/${questionId}`)).html).toContain(newTitle);
    expect(await signedIn(`/q/${questionId}`)).toContain(newTitle);
    expect((await anonymous("/questions")).html).toContain(newTitle);
    questionPath = `/q/${questionId}`;
  });

  test("a moderator's deletion hides the answer from signed-out and signed-in readers when the moderator's request returns; a restore brings it back", async () => {
    const before = await anonymous(questionPath);
    expect(before.html).toContain(`id="post-${answerId}"`);
    expect((await anonymous(questionPath)).cache).toBe("hit");
    await post("marcus@peerdesk.test", questionPath, { intent: "delete", postId: String(answerId) });
    const after = await anonymous(questionPath);
    expect(after.cache).toBe("miss");
    expect(after.html).not.toContain("Clear the stuck jobs in the spooler folder first");
    expect(textOf(await signedIn(questionPath))).not.toContain("Clear the stuck jobs in the spooler folder first");
    await anonymous(questionPath);
    await post("marcus@peerdesk.test", questionPath, { intent: "restore", postId: String(answerId) });
    expect((await anonymous(questionPath)).html).toContain("Clear the stuck jobs in the spooler folder first");
    expect(textOf(await signedIn(questionPath))).toContain("Clear the stuck jobs in the spooler folder first");
  });

  test("moving a question, renaming a space and changing a profile show on the next signed-out request", async () => {
    const moveForm = await (
      await fetch(`${suite.server.url}${questionPath}`, { headers: { cookie: await signIn("marcus@peerdesk.test") } })
    ).text();
    const current = await anonymous(questionPath);
    const targets = [...moveForm.matchAll(/<option value="(\d+)"[^>]*>([^<]+)<\/option>/g)].map((m) => ({
      id: m[1] ?? "",
      name: m[2] ?? "",
    }));
    const target = targets.find((t) => !current.html.includes(`>${t.name}<`)) ?? targets[targets.length - 1];
    expect(target).toBeDefined();
    await anonymous(questionPath);
    await post("marcus@peerdesk.test", questionPath, { intent: "move", spaceId: target?.id ?? "" });
    expect((await anonymous(questionPath)).html).toContain(target?.name ?? "?");

    const renamed = `Printing and scanning ${randomBytes(2).toString("hex")}`;
    await anonymous("/spaces");
    // The pulse's numbers are kept for a minute; the names beside them are today's.
    await anonymous("/pulse");
    await post("admin@peerdesk.test", "/admin/spaces", {
      intent: "update",
      spaceId: target?.id ?? "",
      name: renamed,
      description: "Printers, scanners and their queues.",
    });
    expect((await anonymous(questionPath)).html).toContain(renamed);
    expect((await anonymous("/spaces")).html).toContain(renamed);
    expect(textOf((await anonymous("/pulse")).html)).toContain(renamed);

    const newName = `Priya S. ${randomBytes(2).toString("hex")}`;
    await anonymous(questionPath);
    await post("priya@peerdesk.test", "/settings/profile", {
      name: newName,
      bio: "Network engineer.",
      audience: "it",
      expertise: "networking, vpn",
      mentorPitch: "",
      languages: "",
    });
    expect((await anonymous(questionPath)).html).toContain(newName);
  });

  test("how-to feedback and a question in a mentor session show on the next signed-out request", async () => {
    const howtoId = ids((await anonymous("/howtos")).html, /href="\/howtos\/(\d+)"/g)[0];
    expect(howtoId).toBeDefined();
    const howtoPath = `/howtos/${howtoId}`;
    const before = await anonymous(howtoPath);
    const helpful = (html: string) =>
      Number(/<strong>(\d+)<\/strong> (?:person|people) found this helpful/.exec(html)?.[1]);
    expect((await anonymous(howtoPath)).cache).toBe("hit");
    await post("tom@peerdesk.test", howtoPath, { intent: "feedback", answer: "yes", comment: "" });
    expect(helpful((await anonymous(howtoPath)).html)).toBe(helpful(before.html) + 1);

    const list = await anonymous("/sessions");
    const officeHoursId = ids(list.html, /href="\/sessions\/(\d+)"/g)[0];
    expect(officeHoursId).toBeDefined();
    const count = (html: string) =>
      Number(new RegExp(`href="/sessions/${officeHoursId}"[\\s\\S]*?(\\d+) questions?`).exec(html)?.[1]);
    expect((await anonymous("/sessions")).cache).toBe("hit");
    await post("tom@peerdesk.test", `/sessions/${officeHoursId}`, {
      intent: "ask",
      body: "How do you decide which printers get their own queue?",
    });
    expect(count((await anonymous("/sessions")).html)).toBe(count(list.html) + 1);
  });

  test("a signed-out search is stored; a comment keeps it and the lists, a moderator's deletion drops the question from all at once", async () => {
    // The search index learns of new posts a moment after they are written: wait for it with addresses nobody stores.
    const searchPath = `/search?q=${questionMark}`;
    const links = (html: string) => new RegExp(`href="/q/${questionId}[/"#?]`).test(html);
    for (let attempt = 0; ; attempt++) {
      if (links((await anonymous(`${searchPath}&attempt=${attempt}`)).html)) break;
      if (attempt > 50) throw new Error("the new question never showed in search");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(links((await anonymous(searchPath)).html)).toBe(true);
    expect((await anonymous(searchPath)).cache).toBe("hit");
    await anonymous("/questions");
    expect((await anonymous("/questions")).cache).toBe("hit");
    const spaceSlug = /href="\/s\/([^"?#]+)"/.exec((await anonymous(questionPath)).html)?.[1];
    expect(spaceSlug).toBeDefined();
    const spacePath = `/s/${spaceSlug}`;
    await anonymous(spacePath);
    expect((await anonymous(spacePath)).cache).toBe("hit");
    // A comment changes the thread, not what a list or a search result shows: they stay stored.
    await post("tom@peerdesk.test", questionPath, {
      intent: "comment",
      postId: String(questionId),
      body: "Same here on the third floor, every Monday since the update.",
    });
    expect((await anonymous(questionPath)).cache).toBe("miss");
    expect((await anonymous(searchPath)).cache).toBe("hit");
    expect((await anonymous("/questions")).cache).toBe("hit");
    expect((await anonymous(spacePath)).cache).toBe("hit");
    // The pulse shows numbers computed at most once a minute: a comment leaves its stored page (a render would show
    // the same numbers).
    await anonymous("/pulse");
    expect((await anonymous("/pulse")).cache).toBe("hit");
    await post("tom@peerdesk.test", questionPath, {
      intent: "comment",
      postId: String(questionId),
      body: "Still happening this week, by the way.",
    });
    expect((await anonymous("/pulse")).cache).toBe("hit");
    await post("marcus@peerdesk.test", questionPath, { intent: "delete", postId: String(questionId) });
    for (const path of [searchPath, "/questions", spacePath]) {
      const page = await anonymous(path);
      expect({ path, cache: page.cache, shows: links(page.html) }).toEqual({
        path,
        cache: "miss",
        shows: false,
      });
    }
  });

  test("a stored signed-out search drops a deleted answer's text at once, and a question closed as a duplicate (and reopened)", async () => {
    const mark = randomBytes(3).toString("hex");
    const original = await ask(
      `Docking station loses the second monitor ${mark}`,
      "After the laptop wakes up, the second screen on the dock stays black until I unplug it.",
      "hardware",
    );
    const { path, id } = await ask(
      `Second monitor black after sleep on the dock ${mark}`,
      "Same dock model: the second screen stays black after the laptop wakes up.",
      "hardware",
    );
    const answerText = "that old display tool grabs the second output of the dock";
    await post("priya@peerdesk.test", path, {
      intent: "answer",
      body: `Uninstall the display tool first: ${answerText}.`,
      idempotencyKey: randomBytes(16).toString("base64url"),
    });
    const answerId = Math.max(...ids((await anonymous(path)).html, /id="post-(\d+)"/g));
    expect(answerId).toBeGreaterThan(id);
    // The search index learns of the answer a moment after it is written: wait for it with addresses nobody stores.
    const searchPath = `/search?q=${mark}+uninstall`;
    const links = (html: string) => new RegExp(`href="/q/${id}[/"#?]`).test(html);
    for (let attempt = 0; ; attempt++) {
      if (textOf((await anonymous(`${searchPath}&attempt=${attempt}`)).html).includes(answerText)) break;
      if (attempt > 50) throw new Error("the new answer never showed in search");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await anonymous(searchPath);
    expect((await anonymous(searchPath)).cache).toBe("hit");
    await post("priya@peerdesk.test", path, { intent: "delete", postId: String(answerId) });
    // Stored again right after the deletion (the index may not have heard of it yet): never with the answer's text.
    for (const expected of ["miss", "hit"]) {
      const page = await anonymous(searchPath);
      const shown = { cache: page.cache, question: links(page.html), answer: textOf(page.html).includes(answerText) };
      expect(shown).toEqual({ cache: expected, question: true, answer: false });
    }
    await post("marcus@peerdesk.test", `/q/${id}/close`, {
      intent: "close",
      reason: "duplicate",
      duplicateOf: String(original.id),
    });
    const closed = await anonymous(searchPath);
    expect({ cache: closed.cache, question: links(closed.html) }).toEqual({ cache: "miss", question: false });
    expect((await anonymous(searchPath)).cache).toBe("hit");
    await post("marcus@peerdesk.test", `/q/${id}/close`, { intent: "reopen" });
    expect((await anonymous(searchPath)).cache).toBe("miss");
  });

  test("a space's pulse lists a new unanswered question at once, and drops it when a moderator deletes it", async () => {
    const title = `Badge reader rejects new cards ${randomBytes(3).toString("hex")}`;
    const { path, id } = await ask(
      title,
      "Cards issued this month are refused by the badge reader at the side entrance.",
      "hardware",
    );
    const spaceSlug = /href="\/s\/([^"?#]+)"/.exec((await anonymous(path)).html)?.[1];
    expect(spaceSlug).toBeDefined();
    const pulsePath = `/pulse?space=${spaceSlug}&days=90`;
    const first = await anonymous(pulsePath);
    expect({ cache: first.cache, shows: textOf(first.html).includes(title) }).toEqual({ cache: "miss", shows: true });
    expect((await anonymous(pulsePath)).cache).toBe("hit");
    await post("marcus@peerdesk.test", path, { intent: "delete", postId: String(id) });
    const after = await anonymous(pulsePath);
    expect({ cache: after.cache, shows: textOf(after.html).includes(title) }).toEqual({ cache: "miss", shows: false });
  });
});

test("the footer's Status says in words whether the site works, checked on every visit, never stored", async () => {
  const home = await anonymous("/");
  expect(home.html).toContain('href="/status"');
  for (let visit = 0; visit < 3; visit++) {
    const status = await anonymous("/status");
    expect(status.res.status).toBe(200);
    expect(status.cache).not.toBe("hit");
    expect(status.res.headers.get("cache-control")).toContain("no-store");
    expect(status.html).toContain("PeerDesk is working normally.");
  }
  // Monitors keep the JSON answer.
  expect(await (await fetch(`${suite.server.url}/healthz`)).json()).toEqual({ status: "ok", database: "reachable" });
});

test("a signed-in person's pages are never for shared caches; their notifications, settings and account pages for no cache", async () => {
  const headersOf = async (path: string) => (await suite.get(path, "grace@peerdesk.test")).headers.get("cache-control");
  expect(await headersOf("/notifications")).toBe("private, no-store");
  expect(await headersOf("/settings/data")).toBe("private, no-store");
  // Every other page names them in its header: never kept, so Back after signing out on a shared computer asks again
  // (with no-cache, Chromium showed the signed-in page). The pulse and the glossary say no-cache to everyone else.
  const pages = ["/q/1", "/howtos", "/settings/profile", "/ask", "/q/1.data", "/pulse", "/pulse.data", "/glossary"];
  for (const path of [...pages, "/glossary.data", "/search?q=vpn", "/mentors", "/status", "/questions", "/u/grace-kim"])
    expect({ path, cacheControl: await headersOf(path) }).toEqual({ path, cacheControl: "private, no-store" });
  // Settings and "My" pages (an address, devices, sign-in history) are not kept either: after signing out on a shared
  // computer, the back button must not bring them back.
  for (const path of ["/settings/profile", "/settings/account", "/settings/devices", "/me/impact", "/me/impact.data"])
    expect({ path, cacheControl: await headersOf(path) }).toEqual({ path, cacheControl: "private, no-store" });
  // The same page for a visitor stays public, for the anonymous cache and the browser to revalidate.
  expect((await suite.get("/howtos")).headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
});

test("HEAD gets the headers GET gets, whether the page is stored yet or not (and stores it for the GETs after it)", async () => {
  const headersOf = (res: Response) => {
    const headers = Object.fromEntries(res.headers);
    for (const name of ["date", "connection", "keep-alive", "x-cache"]) delete headers[name];
    return headers;
  };
  const head = (path: string) => fetch(`${suite.server.url}${path}`, { method: "HEAD" });
  // HEAD first: before, a miss had no Cache-Control, no ETag and a Vary without Cookie.
  const headFirst = `/questions?tag=head-${randomBytes(3).toString("hex")}`;
  const headMiss = await head(headFirst);
  expect(headMiss.headers.get("x-cache")).toBe("miss");
  expect(headMiss.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
  const getHit = await fetch(`${suite.server.url}${headFirst}`);
  expect(getHit.headers.get("x-cache")).toBe("hit");
  expect(headersOf(headMiss)).toEqual(headersOf(getHit));
  // GET first, then HEAD from the store.
  const getFirst = `/questions?tag=get-${randomBytes(3).toString("hex")}`;
  const getMiss = await fetch(`${suite.server.url}${getFirst}`);
  expect(getMiss.headers.get("x-cache")).toBe("miss");
  await getMiss.text();
  const headHit = await head(getFirst);
  expect(headHit.headers.get("x-cache")).toBe("hit");
  expect(headersOf(headHit)).toEqual(headersOf(getMiss));
  expect(await headHit.text()).toBe("");
});

test("every JSON answer says application/json; charset=utf-8, to GET and HEAD, signed out and signed in", async () => {
  const cookie = await signIn("grace@peerdesk.test");
  for (const path of ["/api/tags?q=net", "/healthz", "/howtos/48/viewer", "/api/preview"])
    for (const method of ["GET", "HEAD"])
      for (const headers of [{}, { cookie }] as Record<string, string>[]) {
        const res = await fetch(`${suite.server.url}${path}`, { method, headers });
        expect({ path, method, signedIn: "cookie" in headers, type: res.headers.get("content-type") }).toEqual({
          path,
          method,
          signedIn: "cookie" in headers,
          type: "application/json; charset=utf-8",
        });
      }
});
