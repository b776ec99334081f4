/**
 * The Atom feeds against the real built server: well-formed feeds of the newest questions and how-tos, narrowed by
 * space and tag, bad addresses answered plainly (never a 500), the pages pointing at them, and the anonymous page
 * cache serving a feed until a moderator's deletion drops it at once.
 */
import { parseAtom } from "./fixtures/atom";
import { realServer } from "./fixtures/real-server";

const { get, post } = realServer();

test("the newest questions and how-tos, narrowed by space and tag", async () => {
  const all = await get("/questions.atom");
  expect(all.status).toBe(200);
  expect(all.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const feed = parseAtom(await all.text());
  expect(feed.title).toBe("New questions · PeerDesk");
  expect(feed.entries.length).toBeGreaterThan(3);
  expect(feed.entries.every((entry) => /^https?:\/\/[^/]+\/q\/\d+$/.test(entry.id))).toBe(true);

  const tagged = parseAtom(await (await get("/questions.atom?tag=VPN")).text());
  expect(tagged.title).toBe("New questions tagged vpn · PeerDesk");
  expect(tagged.entries.length).toBeGreaterThan(0);
  expect(tagged.entries.every((entry) => entry.categories.includes("vpn"))).toBe(true);

  const space = parseAtom(await (await get("/questions.atom?space=networking")).text());
  expect(space.title).toBe("New questions in Networking · PeerDesk");
  expect(space.entries.every((entry) => entry.categories.includes("Networking"))).toBe(true);

  const howtos = parseAtom(await (await get("/howtos.atom")).text());
  expect(howtos.entries.length).toBeGreaterThan(0);
  expect(howtos.entries.every((entry) => /\/howtos\/\d+$/.test(entry.id) && entry.content.startsWith("<ol>"))).toBe(
    true,
  );
  // A how-to's categories are its space, then its tags.
  const tag = howtos.entries.find((entry) => entry.categories.length > 1)?.categories[1];
  expect(tag).toBeTruthy();
  const taggedHowtos = parseAtom(await (await get(`/howtos.atom?tag=${tag}`)).text());
  expect(taggedHowtos.title).toBe(`New how-tos tagged ${tag} · PeerDesk`);
  expect(taggedHowtos.entries.length).toBeGreaterThan(0);
  expect(taggedHowtos.entries.every((entry) => entry.categories.includes(String(tag)))).toBe(true);
  expect(parseAtom(await (await get("/howtos.atom?tag=no-such-tag-here")).text()).entries).toEqual([]);
});

test("bad addresses get a plain answer, never a 500", async () => {
  for (const [path, status] of [
    ["/questions.atom?space=no-such-space", 404],
    // A NUL in the query is dropped on the way in: the feed of every space.
    ["/howtos.atom?space=%00", 200],
    ["/questions.atom?tag=%21%21%21", 400],
    [`/questions.atom?tag=${"x".repeat(5000)}`, 200],
    ["/questions.atom?space=networking&tag=no-such-tag", 200],
  ] as const) {
    const res = await get(path);
    expect(res.status, path).toBe(status);
    expect(res.status, path).toBeLessThan(500);
  }
});

test("the lists point feed readers at their feeds", async () => {
  expect(await (await get("/questions?tag=vpn")).text()).toContain(
    '<link rel="alternate" type="application/atom+xml" title="New questions tagged vpn" href="/questions.atom?tag=vpn"/>',
  );
  const space = await (await get("/s/networking")).text();
  expect(space).toContain('href="/questions.atom?space=networking"');
  expect(space).toContain('href="/howtos.atom?space=networking"');
  expect(await (await get("/howtos")).text()).toContain('href="/howtos.atom"');
  expect(await (await get("/howtos?tag=vpn")).text()).toContain(
    '<link rel="alternate" type="application/atom+xml" title="New how-tos tagged vpn" href="/howtos.atom?tag=vpn"/>',
  );
});

test("a feed is served from the page cache until a moderator's deletion drops it at once", async () => {
  const first = await get("/questions.atom");
  const newest = parseAtom(await first.text()).entries[0];
  const id = newest?.id.replace(/^.*\/q\//, "") ?? "";
  expect(id).toMatch(/^\d+$/);
  const again = await get("/questions.atom");
  expect(again.headers.get("x-cache")).toBe("hit");
  const deleted = await post(`/q/${id}`, "marcus@peerdesk.test", { intent: "delete", postId: id });
  expect(deleted.status).toBeLessThan(400);
  const after = await get("/questions.atom");
  expect(after.headers.get("x-cache")).toBe("miss");
  expect(parseAtom(await after.text()).entries.map((entry) => entry.id)).not.toContain(newest?.id);
});
