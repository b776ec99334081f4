/** The tagged memo: invalidation by tag and by "*", the ticket rule for loads in flight, and its bounds. */
import { TaggedMemo } from "./tagged-memo.server";

test("an entry is dropped when one of its tags is announced, and kept when others are", () => {
  const memo = new TaggedMemo<string>({ maxEntries: 10, maxAgeMs: 60_000 });
  memo.set("q1", "page 1", ["post:1"], memo.ticket());
  memo.set("q2", "page 2", ["post:2", "post:9"], memo.ticket());
  memo.invalidate(["post:9", "lists"]);
  expect([memo.get("q1"), memo.get("q2")]).toEqual(["page 1", undefined]);
  memo.invalidate(["*"]);
  expect(memo.get("q1")).toBeUndefined();
});

test("a load that began before an invalidation of its tags is not kept", () => {
  const memo = new TaggedMemo<string>({ maxEntries: 10, maxAgeMs: 60_000 });
  const ticket = memo.ticket();
  memo.invalidate(["post:1"]);
  expect(memo.set("q1", "old page 1", ["post:1"], ticket)).toBe(false);
  expect(memo.set("q2", "page 2", ["post:2"], ticket)).toBe(true);
  memo.clear();
  expect(memo.set("q2", "page 2", ["post:2"], ticket)).toBe(false);
  expect(memo.set("q2", "page 2", ["post:2"], memo.ticket())).toBe(true);
});

test("it keeps at most maxEntries (least recently used go first) and nothing past its age", () => {
  let now = 0;
  const memo = new TaggedMemo<string>({ maxEntries: 2, maxAgeMs: 1_000, now: () => now });
  memo.set("a", "A", ["post:1"], memo.ticket());
  memo.set("b", "B", ["post:2"], memo.ticket());
  expect(memo.get("a")).toBe("A");
  memo.set("c", "C", ["post:3"], memo.ticket());
  expect([memo.get("a"), memo.get("b"), memo.get("c")]).toEqual(["A", undefined, "C"]);
  now = 1_000;
  expect(memo.get("a")).toBeUndefined();
});
