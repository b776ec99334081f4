/**
 * The sitemap and robots.txt against the real built server: search engines are pointed at the sitemap, which lists
 * the main pages, the spaces and every public question and how-to at its canonical address (well-formed XML), and
 * a question a moderator deletes leaves it at once.
 */
import sax from "sax";
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

function locations(xml: string): { loc: string; lastmod: string | null }[] {
  const parser = sax.parser(true);
  const found: { loc: string; lastmod: string | null }[] = [];
  let text = "";
  let current: { loc: string; lastmod: string | null } | null = null;
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (node) => {
    text = "";
    if (node.name === "url") current = { loc: "", lastmod: null };
  };
  parser.ontext = (chunk) => {
    text += chunk;
  };
  parser.onclosetag = (name) => {
    if (name === "loc" && current) current.loc = text;
    if (name === "lastmod" && current) current.lastmod = text;
    if (name === "url" && current) found.push(current);
  };
  parser.write(xml).close();
  return found;
}

test("robots.txt points at the sitemap, which lists the main pages, spaces, questions and how-tos", async () => {
  const robots = await get("/robots.txt");
  expect(robots.status).toBe(200);
  const base = /^Sitemap: (https?:\/\/[^\s]+)\/sitemap\.xml$/m.exec(await robots.text())?.[1] ?? "";
  expect(base).toMatch(/^https?:\/\/[^/]+$/);

  const res = await get("/sitemap.xml");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  const urls = locations(await res.text());
  const locs = urls.map((u) => u.loc);
  for (const path of ["/", "/questions", "/howtos", "/spaces", "/s/networking"])
    expect(locs).toContain(`${base}${path}`);
  const question = urls.find((u) => /\/q\/1\/[a-z0-9-]+$/.test(u.loc));
  expect(question?.lastmod).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(locs.some((loc) => /\/howtos\/\d+$/.test(loc))).toBe(true);
  // Canonical addresses only: the page a question's address redirects to, not the redirect.
  const page = await get(new URL(question?.loc ?? "").pathname);
  expect(page.status).toBe(200);
  expect((await get("/sitemap.xml")).headers.get("x-cache")).toBe("hit");
});

test("a deleted question leaves the sitemap at once", async () => {
  const before = locations(await (await get("/sitemap.xml")).text());
  const question = before.find((u) => /\/q\/\d+\//.test(u.loc));
  const id = /\/q\/(\d+)\//.exec(question?.loc ?? "")?.[1] ?? "";
  expect(id).not.toBe("");
  const deleted = await post(`/q/${id}`, "marcus@peerdesk.test", { intent: "delete", postId: id });
  expect(deleted.status).toBeLessThan(400);
  const after = await get("/sitemap.xml");
  expect(after.headers.get("x-cache")).toBe("miss");
  expect(locations(await after.text()).map((u) => u.loc)).not.toContain(question?.loc);
});

test("a question closed as a duplicate leaves the sitemap (its address now leads visitors to the original)", async () => {
  const before = locations(await (await get("/sitemap.xml")).text());
  const [original, duplicate] = before
    .map((u) => ({ loc: u.loc, id: /\/q\/(\d+)\//.exec(u.loc)?.[1] ?? "" }))
    .filter((u) => u.id !== "")
    .slice(-2);
  expect(original && duplicate).toBeTruthy();
  const closed = await post(`/q/${duplicate?.id}/close`, "marcus@peerdesk.test", {
    intent: "close",
    reason: "duplicate",
    duplicateOf: `/q/${original?.id}`,
  });
  expect(closed.status).toBe(303);
  const after = locations(await (await get("/sitemap.xml")).text()).map((u) => u.loc);
  expect(after).not.toContain(duplicate?.loc);
  expect(after).toContain(original?.loc);
});

test("the demo forum fits one file; numbered files answer for what exists and 404 otherwise, never a 500", async () => {
  const single = locations(await (await get("/sitemap.xml")).text());
  const first = await get("/sitemap/1.xml");
  expect(first.status).toBe(200);
  expect(locations(await first.text())).toEqual(single);
  for (const path of [
    "/sitemap/2.xml",
    "/sitemap/0.xml",
    "/sitemap/01.xml",
    "/sitemap/x.xml",
    "/sitemap/1",
    "/sitemap/9999999.xml",
  ]) {
    const res = await get(path);
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
  }
  expect((await get("/sitemap/1.xml%00")).status).toBeLessThan(500);
});
