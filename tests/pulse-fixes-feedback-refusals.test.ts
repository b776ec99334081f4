/**
 * A refused rating, posted without JavaScript on the built server with the demo community: the page says why (as an
 * alert) and hands back the typed comment, on the feedback page and on the question page, whether rating is over (the
 * 24 hours to change it have passed) or not open yet.
 */
import { randomBytes } from "node:crypto";
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

const CLOSED = "A rating can be changed for 24 hours after it is given; this one can no longer be changed.";
const LATER = "You can rate the help once you accept an answer, or 7 days after asking if none solved it.";

/** The read-only field holding the comment that could not be saved (escaped as any text is). */
function keptComment(html: string): string | undefined {
  return /Your comment \(not saved\)<\/label>\s*<textarea[^>]*readonly=""[^>]*>([^<]*)<\/textarea>/i.exec(html)?.[1];
}

function alertText(html: string): string | undefined {
  return /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
}

test("a rating changed after its 24 hours is refused with the reason, and the comment is kept to copy", async () => {
  // Dev asked the demo's first question and rated the help weeks ago.
  const before = await (await get("/q/1/feedback", "dev@peerdesk.test")).text();
  expect(before).toContain("You rated the help");
  const typed = "Actually it came back & the <portal> fails again.";
  const refused = await post("/q/1/feedback", "dev@peerdesk.test", { rating: "2", comment: typed });
  expect(refused.status).toBe(409);
  const html = await refused.text();
  expect(alertText(html)).toBe(CLOSED);
  expect(keptComment(html)).toBe("Actually it came back &amp; the &lt;portal&gt; fails again.");

  const inPlace = await post("/q/1", "dev@peerdesk.test", { intent: "rate", js: "0", rating: "2", comment: typed });
  expect(inPlace.status).toBe(409);
  const page = await inPlace.text();
  expect(alertText(page.slice(page.indexOf('id="feedback"')))).toBe(CLOSED);
  expect(keptComment(page)).toBe("Actually it came back &amp; the &lt;portal&gt; fails again.");
});

test("a rating before rating opens is refused with the reason, and the comment is kept to copy", async () => {
  const askForm = await (await get("/ask", "tom@peerdesk.test")).text();
  const spaceId = /<option value="(\d+)"/.exec(askForm)?.[1] ?? "";
  const asked = await post("/ask", "tom@peerdesk.test", {
    spaceId,
    title: `The projector in room four shows no picture ${randomBytes(3).toString("hex")}`,
    body: "I plug the cable in and nothing shows on the projector in room four. What should I try first?",
    tags: "displays",
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(asked.status).toBe(303);
  const questionId = Number(/^\/q\/(\d+)/.exec(asked.headers.get("location") ?? "")?.[1]);
  expect(questionId).toBeGreaterThan(0);
  const fields = { rating: "3", comment: "Nobody answered yet, but thanks for looking." };

  const refused = await post(`/q/${questionId}/feedback`, "tom@peerdesk.test", fields);
  expect(refused.status).toBe(409);
  const html = await refused.text();
  expect(alertText(html)).toBe(LATER);
  expect(keptComment(html)).toBe(fields.comment);

  const inPlace = await post(`/q/${questionId}`, "tom@peerdesk.test", { intent: "rate", js: "0", ...fields });
  expect(inPlace.status).toBe(409);
  const page = await inPlace.text();
  expect(alertText(page.slice(page.indexOf('id="feedback"')))).toBe(LATER);
  expect(keptComment(page)).toBe(fields.comment);
});
