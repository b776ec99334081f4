/** /search against the real built server: past-the-end pages name the page asked for, "Ask" keeps the words, live regions are always there. */
import { realServer } from "./fixtures/real-server";

const { get } = realServer();

test("a page past the end names the page that was asked for", async () => {
  const html = await (await get("/search?q=laptop&page=999")).text();
  expect(html).toContain("There is no page 999");
});

test("when nothing matches, Ask the community starts a question with the search words", async () => {
  const html = await (await get("/search?q=zzqx%20vvbnq")).text();
  expect(html).toContain('href="/ask?title=zzqx%20vvbnq"');
});

test("the empty search page already holds the live regions, empty, so the first results are announced", async () => {
  const html = await (await get("/search")).text();
  expect(html).toMatch(/<p[^>]*role="status"[^>]*><\/p>/);
  expect(html).toMatch(/<p[^>]*aria-live="polite"[^>]*><\/p>/);
});
