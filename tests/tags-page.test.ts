/**
 * /tags and the question and how-to lists against the real built server: the directory of topics, found by part of a
 * name, bad input never a 500; a tampered list cursor is the first page (never a 500), and an empty list page says why
 * (past the end, filters, no such tag) with the way on.
 */
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

const cursor = (sort: string, key: string, id = 1) =>
  Buffer.from(JSON.stringify([sort, key, id])).toString("base64url");
const YEAR_ZERO = "0000-01-01T00:00:00.000000Z";

/** The titles of the questions or how-tos a list page shows, in order. */
const titles = (html: string) =>
  [...html.matchAll(/<h2[^>]*>\s*<a [^>]*href="\/(?:q|howtos)\/\d+[^"]*"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);

async function page(path: string): Promise<string> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

test("a cursor from the year 0000 is the list's first page, for every list and sort, never a 500", async () => {
  const first = titles(await page("/questions"));
  expect(first.length).toBeGreaterThan(0);
  for (const sort of ["active", "newest", "unanswered"]) {
    const tampered = cursor(sort, YEAR_ZERO);
    const sortParam = sort === "active" ? "" : `sort=${sort}&`;
    const firstOfSort = titles(await page(`/questions?${sortParam.slice(0, -1)}`));
    for (const direction of ["after", "before"])
      expect(titles(await page(`/questions?${sortParam}${direction}=${tampered}`)), `${sort} ${direction}`).toEqual(
        firstOfSort,
      );
    await page(`/questions?${sortParam}tag=dns&after=${tampered}`);
    await page(`/s/networking?${sortParam}after=${tampered}`);
    await page(`/s/networking?${sortParam}before=${tampered}`);
  }
  const howtos = titles(await page("/howtos"));
  expect(titles(await page(`/howtos?after=${cursor("newest", YEAR_ZERO)}`))).toEqual(howtos);
});

test("past the last page says there are no more questions, with the way back to the first page", async () => {
  const past = cursor("newest", "2000-01-01T00:00:00.000000Z");
  const html = await page(`/questions?sort=newest&after=${past}`);
  expect(html).toContain("No more questions.");
  expect(html).not.toContain("No questions here yet.");
  expect(html).toContain('href="/questions?sort=newest">← First page</a>');
  const inSpace = await page(`/s/networking?sort=newest&after=${past}`);
  expect(inSpace).toContain("No more questions.");
  expect(inSpace).toContain('href="/s/networking?sort=newest">← First page</a>');
});

test("filters that match nothing say so and offer the whole list; only an unfiltered empty list has none yet", async () => {
  const tagged = titles(await page("/questions?sort=top&tag=dns"));
  expect(tagged.length).toBeGreaterThan(0);
  const html = await page("/questions?sort=top&period=week&tag=dns");
  if (titles(html).length === 0) {
    expect(html).toContain("No questions match these filters.");
    expect(html).not.toContain("No questions here yet.");
    expect(html).toContain('href="/questions?sort=top">Clear the filters</a>');
  }
  const narrowed = await page("/questions?sort=top&period=week&tag=no-question-has-this-tag");
  expect(narrowed).toContain("No questions match these filters.");
  expect(narrowed).toContain('href="/questions?sort=top">Clear the filters</a>');
  const unknown = await page("/questions?tag=no-question-has-this-tag");
  expect(unknown).toContain("No questions match these filters.");
  expect(unknown).toContain('href="/questions">Clear the filters</a>');
  const inSpace = await page("/s/networking?tag=no-question-has-this-tag");
  expect(inSpace).toContain("No questions match these filters.");
  expect(inSpace).toContain('href="/s/networking">Clear the filters</a>');
});

test("a tag in another script is no tag: the lists are empty and say why, not every question or how-to", async () => {
  const tag = encodeURIComponent("日本語");
  for (const path of [`/questions?tag=${tag}`, `/howtos?tag=${tag}`, `/s/networking?tag=${tag}`]) {
    const html = await page(path);
    expect(titles(html), path).toEqual([]);
    expect(html, path).toContain("“日本語” isn&#x27;t a tag: tags use the letters a–z, digits and hyphens.");
  }
});
