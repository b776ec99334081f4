/**
 * Held posts and refused review decisions against the real built server: a held question is marked as waiting for
 * review (not deleted) and can't be restored around the queue, its author gets a page saying what happens next, and a
 * decision sent twice is done once, while a different one after it is refused with a message and the typed note to copy.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;
const moderator = "marcus@peerdesk.test";

/** The newest listed question asked by `authorName` (a demo person), found by its page's byline. */
async function newestQuestionBy(authorName: string) {
  const list = await (await get("/questions?sort=newest")).text();
  const ids = [...new Set([...list.matchAll(/href="\/q\/(\d+)\//g)].map((match) => match[1] ?? ""))];
  for (const id of ids) {
    const page = (await (await get(`/q/${id}`)).text()).replaceAll("<!-- -->", "");
    if (new RegExp(`Asked by\\s*<a[^>]*>${authorName}<`).test(page)) return id;
  }
  throw new Error(`no question by ${authorName} on the list`);
}

test("a moderator's flag holds a question: staff see it waiting for review, restore is refused, its author gets a page", async () => {
  const id = await newestQuestionBy("Tom Becker");
  const flagged = await post(`/flag?type=post&id=${id}`, moderator, {
    targetType: "post",
    targetId: id,
    reason: "rude",
  });
  expect(flagged.status).toBe(200);

  const staffPage = await (await get(`/q/${id}`, moderator)).text();
  expect(staffPage).toContain("waits for a moderator&#x27;s review");
  expect(staffPage).not.toContain("was deleted");
  expect(staffPage).not.toContain("Restore this question");

  const restored = await post(`/q/${id}`, moderator, { intent: "restore", postId: id });
  expect(restored.status).toBe(409);
  expect(await restored.text()).toContain("Keep or hide it in the review queue");
  expect((await get(`/q/${id}`)).status).toBe(404);
  const queue = await (await get("/review", moderator)).text();
  expect(queue).toContain("Hidden and waiting for review");
  // Hidden posts aren't edited: the queue doesn't offer an edit page that would refuse it.
  expect(queue).not.toContain(`href="/q/${id}/edit"`);

  const authorPage = await get(`/q/${id}`, "tom@peerdesk.test");
  expect(authorPage.status).toBe(200);
  const authorHtml = (await authorPage.text()).replaceAll("<!-- -->", "");
  expect(authorHtml).toContain("Your question is waiting for a moderator&#x27;s review");
  expect(authorHtml).not.toContain("Page not found");
  const editPage = await get(`/q/${id}/edit`, "tom@peerdesk.test");
  expect(editPage.status).toBe(200);
  expect(await editPage.text()).toContain("It can&#x27;t be edited while it waits.");
  // Anyone else still finds nothing there.
  expect((await get(`/q/${id}`, "grace@peerdesk.test")).status).toBe(404);
});

test("a decision sent twice is done once; another decision after it is refused saying who decided, with the typed note to copy", async () => {
  const id = await newestQuestionBy("Grace Kim");
  await post(`/flag?type=post&id=${id}`, "tom@peerdesk.test", { targetType: "post", targetId: id, reason: "rude" });
  const decide = (decision: string, note = "") =>
    post("/review", moderator, { intent: "decide", decision, targetType: "post", targetId: id, note });
  expect((await decide("hide")).status).toBe(303);
  const again = await decide("hide");
  expect([again.status, again.headers.get("location")]).toEqual([303, "/review?decided=hide"]);
  const kept = await decide("keep", "mynote about this");
  expect(kept.status).toBe(409);
  const html = (await kept.text()).replaceAll("<!-- -->", "");
  expect(html).toContain("You already decided this one: you hid it. Your note was not saved:");
  expect(html).toContain("mynote about this");
});

test("a refused reopen decision says why on the reopen queue", async () => {
  const missing = await post("/review/reopen", moderator, { intent: "reopen", questionId: "99999" });
  expect(missing.status).toBeGreaterThanOrEqual(400);
  expect(missing.status).toBeLessThan(500);
  const html = await missing.text();
  expect(html).toContain('role="alert"');
});

test("a held answer's author gets a page at its link and its edit page, and a save sent meanwhile keeps the text", async () => {
  const questionId = await newestQuestionBy("Grace Kim");
  const answered = await post(`/q/${questionId}`, "tom@peerdesk.test", {
    intent: "answer",
    body: "Restart the print spooler service from the Services window, then try printing again.",
  });
  expect(answered.status).toBe(303);
  const answerId = /#answer-(\d+)$/.exec(answered.headers.get("location") ?? "")?.[1] ?? "";
  expect(answerId).not.toBe("");
  const editForm = await get(`/a/${answerId}/edit`, "tom@peerdesk.test");
  expect(editForm.status).toBe(200);

  const flagged = await post(`/flag?type=post&id=${answerId}`, moderator, {
    targetType: "post",
    targetId: answerId,
    reason: "rude",
  });
  expect(flagged.status).toBe(200);

  const link = await get(`/a/${answerId}`, "tom@peerdesk.test");
  expect(link.status).toBe(200);
  const linkHtml = (await link.text()).replaceAll("<!-- -->", "");
  expect(linkHtml).toContain("Your answer is waiting for a moderator&#x27;s review");
  expect(linkHtml).not.toContain("Page not found");
  const editPage = await get(`/a/${answerId}/edit`, "tom@peerdesk.test");
  expect(editPage.status).toBe(200);
  expect(await editPage.text()).toContain("It can&#x27;t be edited while it waits.");

  const saved = await post(`/a/${answerId}/edit`, "tom@peerdesk.test", {
    body: "Restart the print spooler, then clear the stuck jobs folder.",
    note: "clearer",
    baseRevision: "1",
  });
  expect(saved.status).toBe(404);
  const savedHtml = (await saved.text()).replaceAll("<!-- -->", "");
  expect(savedHtml).toContain("Your answer was hidden for a moderator&#x27;s review while you were editing it");
  expect(savedHtml).not.toContain("was deleted");
  expect(savedHtml).toContain("Restart the print spooler, then clear the stuck jobs folder.");
  // Anyone else still finds nothing there.
  expect((await get(`/a/${answerId}`, "grace@peerdesk.test")).status).toBe(404);
  expect((await get(`/a/${answerId}`)).status).toBe(404);
});
