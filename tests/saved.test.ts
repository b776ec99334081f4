/**
 * Saving for later against the real built server, as a browser without JavaScript sends it: the list is for its
 * owner and no cache; a refused save says why on the page (never bare JSON, never a 500) and keeps the way back; too
 * many saves answer 429 with Retry-After.
 */
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();
const person = "dev@peerdesk.test";

test("the list is private and never stored by a cache", async () => {
  expect((await get("/saved")).status).toBe(302);
  const list = await get("/saved", person);
  expect(list.status).toBe(200);
  expect(list.headers.get("cache-control")).toBe("private, no-store");
});

test("a refused save without JavaScript says why on the page, with the way back", async () => {
  for (const postId of ["0x10", "1e1", "0", "-3", "abc", "99999999999"]) {
    const res = await post("/saved", person, { postId, intent: "save", redirectTo: "/q/1" });
    const html = await res.text();
    expect({ postId, status: res.status }).toEqual({ postId, status: 400 });
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain("That can&#x27;t be saved: it isn&#x27;t a question or how-to on PeerDesk.");
    expect(html).toContain('href="/q/1"');
  }
  const missing = await post("/saved", person, { postId: "999999", intent: "save", redirectTo: "/q/1" });
  expect(missing.status).toBe(404);
  expect(await missing.text()).toContain('role="alert"');
});

test('a page past the last one says so and links back to the last page, not "nothing saved yet"', async () => {
  expect((await post("/saved", person, { postId: "1", intent: "save", redirectTo: "/q/1" })).status).toBe(303);
  const past = await get("/saved?page=2", person);
  expect(past.status).toBe(200);
  const html = await past.text();
  expect(html).toContain("There is no page 2");
  expect(html).toContain('href="/saved"');
  expect(html).not.toContain("Nothing saved yet");
});

test("too many saves: 429 with Retry-After, and the page says when to try again", async () => {
  let last: Response | null = null;
  for (let i = 0; i < 130; i++) {
    last = await post("/saved", person, { postId: "1", intent: i % 2 === 0 ? "save" : "unsave", redirectTo: "/q/1" });
    if (last.status === 429) break;
    expect(last.status).toBe(303);
  }
  expect(last?.status).toBe(429);
  expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await last?.text()).toContain('role="alert"');
});
