/**
 * The question page's forms as a browser without JavaScript posts them, on the built server: a comment whose answer
 * was deleted meanwhile comes back on a page that says so with the text to copy, and accepting an answer is confirmed
 * on the feedback page it leads to.
 */
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

/** The ids of the answers shown on a question's page, in page order. */
async function answerIds(path: string, email: string): Promise<number[]> {
  const html = await (await get(path, email)).text();
  return [...html.matchAll(/<article[^>]* id="answer-(\d+)"/g)].map((match) => Number(match[1]));
}

test("a comment posted after its answer was deleted says so and hands back what was typed, to copy", async () => {
  const [answerId] = await answerIds("/q/36", "grace@peerdesk.test");
  expect(answerId).toBeDefined();
  const deleted = await post("/q/36", "marcus@peerdesk.test", {
    intent: "delete",
    postId: String(answerId),
    reason: "Spam link",
  });
  expect(deleted.status).toBe(303);
  const typed = "Could you say which firmware version you flashed? Mine is 2.4 & it still <drops> at night.";
  const res = await post("/q/36", "grace@peerdesk.test", {
    intent: "comment",
    postId: String(answerId),
    js: "0",
    body: typed,
  });
  expect(res.status).toBe(404);
  const html = await res.text();
  expect(html).toContain("This answer was deleted while you were writing your comment, so it could not be posted.");
  // In the read-only field of the error page, escaped as any text is.
  expect(html).toMatch(/<textarea[^>]*readOnly=""[^>]*>[^<]*which firmware version/i);
  expect(html).toContain("Mine is 2.4 &amp; it still &lt;drops&gt; at night.");
});

test("accepting an answer without JavaScript leads to the feedback page, which confirms the answer was accepted", async () => {
  const answers = await answerIds("/q/36", "grace@peerdesk.test");
  const answerId = answers.at(-1);
  expect(answerId).toBeDefined();
  const res = await post("/q/36", "grace@peerdesk.test", { intent: "accept", postId: String(answerId), js: "0" });
  expect(res.status).toBe(303);
  const location = res.headers.get("location") ?? "";
  expect(location).toBe("/q/36/feedback?accepted=1");
  const page = await (await get(location, "grace@peerdesk.test")).text();
  expect(page).toMatch(/role="status"[^>]*>Answer accepted\./);
  // A plain visit to the page doesn't claim it.
  expect(await (await get("/q/36/feedback", "grace@peerdesk.test")).text()).not.toContain("Answer accepted.");
});
