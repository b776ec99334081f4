/**
 * An answer's short link (/a/:id, its "Share"), against the real built server: it leads to the answer on its
 * question's page, a question address given an answer's id does too, bad addresses are 404 (never a 500), and a
 * deleted answer's link works for moderators only.
 */
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

async function firstAnswer(): Promise<{ answerId: string; questionPath: string }> {
  const page = await get("/q/1");
  expect(page.status).toBe(200);
  const html = await page.text();
  const answerId = /<article id="answer-(\d+)"/.exec(html)?.[1] ?? "";
  const questionPath = /<link rel="canonical" href="https?:\/\/[^/]+(\/q\/1\/[^"]+)"/.exec(html)?.[1] ?? "";
  expect(answerId).not.toBe("");
  expect(questionPath).toMatch(/^\/q\/1\/[a-z0-9-]+$/);
  // Every answer offers it, to visitors too.
  expect(html).toContain(`href="/a/${answerId}"`);
  return { answerId, questionPath };
}

test("/a/:id and /q/:answerId lead to the answer on its question's page", async () => {
  const { answerId, questionPath } = await firstAnswer();
  for (const path of [`/a/${answerId}`, `/q/${answerId}`, `/q/${answerId}/any-words`]) {
    const res = await get(path);
    expect(res.status, path).toBe(302);
    expect(res.headers.get("location"), path).toBe(`${questionPath}#answer-${answerId}`);
  }
});

test("an address that names no answer is a 404 page, never a 500", async () => {
  for (const path of ["/a/1", "/a/abc", "/a/-3", "/a/0", "/a/99999999999", "/a/1e3", `/a/${"9".repeat(40)}`]) {
    const res = await get(path);
    expect(res.status, path).toBe(404);
    expect(res.headers.get("content-type"), path).toContain("text/html");
  }
});

test("a deleted answer's link leads moderators to it and is a 404 for everyone else", async () => {
  const { answerId, questionPath } = await firstAnswer();
  const deleted = await post("/q/1", "marcus@peerdesk.test", { intent: "delete", postId: answerId });
  expect(deleted.status).toBeLessThan(400);
  expect((await get(`/a/${answerId}`)).status).toBe(404);
  expect((await get(`/a/${answerId}`, "grace@peerdesk.test")).status).toBe(404);
  expect((await get(`/q/${answerId}`)).status).toBe(404);
  const moderator = await get(`/a/${answerId}`, "marcus@peerdesk.test");
  expect(moderator.status).toBe(302);
  expect(moderator.headers.get("location")).toBe(`${questionPath}#answer-${answerId}`);
});
