/** /tags against the real built server: the directory of topics, found by part of a name, bad input never a 500. */
import { realServer } from "./fixtures/real-server";

const { get } = realServer();

test("the tag directory lists the demo's topics with their counts, and finds one by part of its name", async () => {
  const page = await get("/tags");
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('href="/questions?tag=vpn"');
  expect(html).toMatch(/tags in use\./);
  expect((await get("/tags")).headers.get("x-cache")).toBe("hit");
  const found = await (await get("/tags?q=VP")).text();
  expect(found).toContain('href="/questions?tag=vpn"');
  expect(found).not.toContain('href="/questions?tag=printers"');
  expect(await (await get("/questions")).text()).toContain('href="/tags"');
});

test("odd addresses still get the page, and what was typed comes back escaped", async () => {
  for (const path of [
    "/tags?page=abc",
    "/tags?page=-1",
    "/tags?page=99999999999",
    "/tags?sort=%00x",
    "/tags?q=",
    `/tags?q=${"v".repeat(5000)}`,
  ]) {
    const res = await get(path);
    expect(res.status, path).toBeLessThan(500);
  }
  const typed = await (await get("/tags?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")).text();
  expect(typed).not.toContain("<script>alert(1)");
  expect(typed).toContain("No tag matches that.");
});
