/**
 * A NUL character pasted into a form or a search box (invisible, meaningless in text, and something PostgreSQL can't
 * store) is dropped on the way in, not refused: with JavaScript, Remix can't read a refusal from the request guards and
 * would show an error page in place of the form, losing what was typed. Against the real built server.
 */
import { realServer } from "./fixtures/real-server";

const suite = realServer();
const { get, post } = suite;

test("a question with a NUL pasted in is posted without it, with JavaScript (.data) and without", async () => {
  const form = await (await get("/ask", "tom@peerdesk.test")).text();
  const key = () => /name="idempotencyKey" value="([^"]+)"/.exec(form)?.[1] ?? "";
  const ask = (path: string, title: string, idempotencyKey: string) =>
    post(path, "tom@peerdesk.test", {
      spaceId: "1",
      title,
      body: "When I print from the shared laundry-room PC the\u0000 job never arrives at the printer.",
      tags: "printers",
      audience: "technical",
      idempotencyKey,
    });
  const plain = await ask("/ask", "Print jobs vanish from the\u0000 laundry-room PC", key());
  expect(plain.status).toBe(303);
  const page = await (await get(plain.headers.get("location") ?? "")).text();
  expect(page).toContain("Print jobs vanish from the laundry-room PC");
  expect(page).toContain("the job never arrives at the printer.");

  // Remix in the browser sends the form to the page's address plus .data, and reads the answer as its own stream.
  const second = await (await get("/ask", "tom@peerdesk.test")).text();
  const secondKey = /name="idempotencyKey" value="([^"]+)"/.exec(second)?.[1] ?? "";
  const withScript = await ask("/ask.data", "Scans from the second-floor copier\u0000 never arrive", secondKey);
  expect(withScript.status).toBeLessThan(400);
  expect(withScript.headers.get("content-type")).toContain("text/x-script");
  const questions = await (await get("/questions?sort=newest")).text();
  expect(questions).toContain("Scans from the second-floor copier never arrive");
});

test("a search with a NUL in it searches without it, as a page and as Remix's data request", async () => {
  const page = await get("/search?q=vp%00n");
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('value="vpn"');
  const data = await get("/search.data?q=vp%00n");
  expect(data.status).toBe(200);
  expect(data.headers.get("content-type")).toContain("text/x-script");
  // In the path it is still refused: no page has one.
  expect((await get("/q/1%00")).status).toBe(400);
});

test("a draft saved with a NUL in it (the editor's autosave, JSON) is kept without it", async () => {
  const cookie = await suite.signIn("tom@peerdesk.test");
  const saved = await fetch(`${suite.server.url}/api/drafts`, {
    method: "POST",
    headers: { cookie, Origin: suite.server.url, "Content-Type": "application/json" },
    body: JSON.stringify({
      draftKey: "question:new",
      content: { title: "Teams\u0000 freezes", body: "It freezes\u0000 at 9." },
    }),
  });
  expect(saved.status, await saved.clone().text()).toBe(200);
  const form = await (await get("/ask", "tom@peerdesk.test")).text();
  expect(form).toContain('value="Teams freezes"');
  expect(form).toContain("It freezes at 9.");
});
