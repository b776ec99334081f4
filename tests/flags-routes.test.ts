/**
 * The trust-and-safety routes against the real built server: who may open the review queue and its live count, the
 * flag form's answers to good and bad input (never a 500), and held content staying off public pages and search.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;

test("the review queue and its live count are for moderators only", async () => {
  expect((await get("/review")).status).toBe(302);
  const refused = await get("/review", "grace@peerdesk.test");
  expect(refused.status).toBe(403);
  // The refusal says whose page it is, in plain words, rather than a bare "no permission", with the way home.
  const refusedHtml = await refused.text();
  expect(refusedHtml).toContain("This page is for moderators and admins.");
  expect(refusedHtml).toContain('href="/"');
  const queue = await get("/review", "marcus@peerdesk.test");
  expect(queue.status).toBe(200);
  expect(queue.headers.get("cache-control")).toContain("no-store");
  expect((await get("/review/events")).status).toBe(401);
  expect((await get("/review/events", "grace@peerdesk.test")).status).toBe(403);
  // A moderator's header carries the count; a member's and a visitor's never do.
  expect(await (await get("/questions", "marcus@peerdesk.test")).text()).toContain("Review queue,");
  expect(await (await get("/questions", "grace@peerdesk.test")).text()).not.toContain("Review queue,");
  expect(await (await get("/questions")).text()).not.toContain("Review queue,");
});

test("the flag form: visitors sign in first, bad input gets a clear message, a good flag is received once", async () => {
  expect((await get("/flag?type=post&id=1")).status).toBe(302);
  expect((await get("/flag?type=post&id=abc", "grace@peerdesk.test")).status).toBe(404);
  expect((await get("/flag?type=nothing&id=1", "grace@peerdesk.test")).status).toBe(404);
  expect((await get("/flag?type=post&id=99999999999", "grace@peerdesk.test")).status).toBe(404);
  const form = await get("/flag?type=post&id=1&returnTo=https://evil.example/", "grace@peerdesk.test");
  expect(form.status).toBe(200);
  expect(await form.text()).not.toContain("evil.example");
  const attempts: Record<string, string>[] = [
    { targetType: "post", targetId: "1", reason: "" },
    { targetType: "post", targetId: "1", reason: "other", details: "" },
    { targetType: "post", targetId: "1", reason: "duplicate", duplicateOf: "not a link" },
    { targetType: "post", targetId: "'; drop table flags; --", reason: "spam" },
    { targetType: "user", targetId: "x".repeat(200), reason: "spam" },
  ];
  for (const fields of attempts) {
    const res = await post("/flag?type=post&id=1", "grace@peerdesk.test", fields);
    expect(res.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
    expect(res.status, JSON.stringify(fields)).toBeLessThan(500);
  }
  const ok = await post("/flag?type=post&id=1", "grace@peerdesk.test", {
    targetType: "post",
    targetId: "1",
    reason: "needs_detail",
  });
  expect(ok.status).toBe(200);
  const again = await get("/flag?type=post&id=1", "grace@peerdesk.test");
  expect(await again.text()).toContain("You flagged this already");
});

test("a moderator's hide removes the post from its page, the lists and search for visitors at once", async () => {
  // The newest question on the list (not the one flagged above).
  const list = await (await get("/questions?sort=newest")).text();
  const match = /href="(\/q\/(\d+)\/[^"]+)"[^>]*>([^<]+)</.exec(list);
  const [, path = "", id = "", title = ""] = match ?? [];
  expect(id).not.toBe("");
  expect((await get(path)).status).toBe(200);
  const flagged = await post(`/flag?type=post&id=${id}`, "grace@peerdesk.test", {
    targetType: "post",
    targetId: id,
    reason: "rude",
  });
  expect(flagged.status).toBe(200);
  const decided = await post("/review", "marcus@peerdesk.test", {
    targetType: "post",
    targetId: id,
    decision: "hide",
  });
  expect(decided.status).toBe(303);
  expect((await get(path)).status).toBe(404);
  // Its live updates go with it: no stream of news about a hidden question, except for moderators.
  expect((await get(`/q/${id}/events`)).status).toBe(404);
  expect((await get(`/q/${id}/events`, "grace@peerdesk.test")).status).toBe(404);
  const moderatorStream = new AbortController();
  const watched = await fetch(`${suite.server.url}/q/${id}/events`, {
    headers: { cookie: await suite.signIn("marcus@peerdesk.test"), accept: "text/event-stream" },
    signal: moderatorStream.signal,
  });
  expect(watched.status).toBe(200);
  expect(watched.headers.get("content-type")).toContain("text/event-stream");
  moderatorStream.abort();
  expect(await (await get("/questions")).text()).not.toContain(title);
  const log = await (await get("/moderation")).text();
  expect(log).toContain("hid flagged or held content");
  expect(log).not.toContain("Grace");
  // The flagger's own flag page still answers (with the outcome, without the hidden title); for others it is gone.
  const own = await get(`/flag?type=post&id=${id}`, "grace@peerdesk.test");
  expect(own.status).toBe(200);
  const ownText = await own.text();
  expect(ownText).toContain("You flagged this already");
  expect(ownText).not.toContain(title);
  expect((await get(`/flag?type=post&id=${id}`, "tom@peerdesk.test")).status).toBe(404);
});

test("the reopen queue and the queue's close and lift-silence forms: moderators only, bad input answered, never a 500", async () => {
  expect((await get("/review/reopen")).status).toBe(302);
  expect((await get("/review/reopen", "grace@peerdesk.test")).status).toBe(403);
  const reopen = await get("/review/reopen", "marcus@peerdesk.test");
  expect(reopen.status).toBe(200);
  expect(reopen.headers.get("cache-control")).toContain("no-store");
  expect(await reopen.text()).toContain("Closed questions to look at again");
  // Members can't use the moderators' forms, whatever they send.
  expect((await post("/review/reopen", "grace@peerdesk.test", { intent: "reopen", questionId: "1" })).status).toBe(403);
  expect(
    (await post("/review", "grace@peerdesk.test", { intent: "close", targetId: "1", reason: "off_topic" })).status,
  ).toBe(403);
  expect((await post("/review", "grace@peerdesk.test", { intent: "liftSilence", userId: "x" })).status).toBe(403);
  const hostile: [string, Record<string, string>][] = [
    ["/review", { intent: "close", targetId: "abc", reason: "off_topic" }],
    ["/review", { intent: "close", targetId: "99999999999", reason: "duplicate" }],
    ["/review", { intent: "close", targetId: "1", reason: "duplicate", duplicateOf: "not a link" }],
    ["/review", { intent: "liftSilence", userId: "nobody-is-silenced" }],
    ["/review", { intent: "liftSilence", userId: "x".repeat(500) }],
    ["/review", { intent: "nonsense" }],
    // A decision on something that can't exist: ids that aren't whole numbers in range, for every kind but profiles.
    ...["abc", "1.5", "99999999999999999999999", "-3"].flatMap((targetId): [string, Record<string, string>][] =>
      ["post", "comment", "session_question"].map((targetType) => [
        "/review",
        { intent: "decide", decision: "keep", targetType, targetId },
      ]),
    ),
    ["/review/reopen", { intent: "reopen", questionId: "1" }],
    ["/review/reopen", { intent: "keepClosed", questionId: "-1" }],
    ["/review/reopen", { intent: "other", questionId: "1" }],
  ];
  for (const [path, fields] of hostile) {
    const res = await post(path, "marcus@peerdesk.test", fields);
    expect(res.status, `${path} ${JSON.stringify(fields)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${path} ${JSON.stringify(fields)}`).toBeLessThan(500);
  }
  // A duplicate without its link keeps what the moderator chose and says what is missing.
  const missing = await post("/review", "marcus@peerdesk.test", {
    intent: "close",
    targetId: "1",
    reason: "duplicate",
  });
  expect(missing.status).toBe(400);
});
