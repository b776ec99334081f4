/**
 * Refusals on the closing and editing forms over HTTP against the real built server: a duplicate link to another
 * website is refused on its field with what was typed kept, and members who can't close or edit yet read plain words
 * about what they can do instead.
 */
import { randomBytes } from "node:crypto";
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get } = suite;
const post = (email: string, path: string, fields: Record<string, string>) => suite.post(path, email, fields);

async function ask(email: string, title: string): Promise<number> {
  const form = await (await get("/ask", email)).text();
  const spaceId = /<option value="(\d+)"/.exec(form)?.[1] ?? "";
  const res = await post(email, "/ask", {
    spaceId,
    title,
    body: "The shared printer drops every job sent from a laptop on the guest network since last week.",
    tags: "printing",
    audience: "plain",
    idempotencyKey: randomBytes(16).toString("base64url"),
  });
  expect(res.status).toBe(303);
  return Number(/\/q\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
}

describe("closing and editing refusals over HTTP", () => {
  test("a duplicate link to another website is refused on the field, keeping what was typed", async () => {
    const suffix = randomBytes(3).toString("hex");
    const originalId = await ask("grace@peerdesk.test", `Guest network printing fails ${suffix}`);
    const duplicateId = await ask("dev@peerdesk.test", `Printing from the guest network fails ${suffix}`);
    for (const duplicateOf of [`http://evil.com/q/${originalId}`, `https://stackoverflow.com/q/${originalId}`]) {
      const refused = await post("marcus@peerdesk.test", `/q/${duplicateId}/close`, {
        intent: "close",
        reason: "duplicate",
        duplicateOf,
      });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain(
        "That link is to another website. Paste a link to a question on this site, or its number.",
      );
      expect(html).toContain(`value="${duplicateOf}"`);
    }
    // Still open: a link on this site closes it as a duplicate of the question it names.
    const closed = await post("marcus@peerdesk.test", `/q/${duplicateId}/close`, {
      intent: "close",
      reason: "duplicate",
      duplicateOf: `${suite.server.url}/q/${originalId}`,
    });
    expect(closed.status).toBe(303);
    expect((await get(`/q/${duplicateId}`)).headers.get("location")).toMatch(new RegExp(`^/q/${originalId}/`));
  });

  test("a business colleague is told in plain words what they can do instead of closing or editing", async () => {
    const questionId = await ask("grace@peerdesk.test", `Printer asks for a PIN ${randomBytes(3).toString("hex")}`);
    const tools = await get(`/q/${questionId}/close`, "tom@peerdesk.test");
    expect(tools.status).toBe(403);
    const page = await tools.text();
    expect(page).toContain("flag it and a moderator will look");
    expect(page).toContain('href="/help/trust-levels"');
    expect(page).toContain(`/flag?type=post&amp;id=${questionId}`);
    expect(page).not.toMatch(/trust level \d/);

    const edit = await get(`/q/${questionId}/edit`, "tom@peerdesk.test");
    expect(edit.status).toBe(403);
    const refusal = await edit.text();
    expect(refusal).toContain("Only the person who asked and experienced members can edit this question.");
    expect(refusal).toContain("suggest a change in a comment, or flag it");
    expect(refusal).not.toMatch(/trust level \d/);
  });
});
