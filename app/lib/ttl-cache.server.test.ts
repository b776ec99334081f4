/** The pulse cache: one computation per key and period, shared by concurrent callers; failures and expired entries recomputed. */
import { createTtlCache } from "./ttl-cache.server";

test("a key is computed once while fresh, concurrent callers share it, and it is recomputed after the TTL", async () => {
  let clock = 1_000;
  let calls = 0;
  const cache = createTtlCache<number>({ ttlMs: 60_000, now: () => clock });
  const compute = async () => {
    calls += 1;
    return calls;
  };
  const [a, b] = await Promise.all([cache.get("site:30", compute), cache.get("site:30", compute)]);
  expect([a.value, b.value, calls]).toEqual([1, 1, 1]);
  clock += 59_999;
  expect((await cache.get("site:30", compute)).value).toBe(1);
  expect((await cache.get("site:7", compute)).value).toBe(2);
  clock += 1;
  const fresh = await cache.get("site:30", compute);
  expect(fresh.value).toBe(3);
  expect(fresh.computedAt.getTime()).toBe(clock);
});

test("a failure is not kept; ttl 0 keeps nothing; the oldest keys go beyond the limit", async () => {
  const cache = createTtlCache<string>({ ttlMs: 60_000, maxEntries: 2 });
  await expect(cache.get("k", async () => Promise.reject(new Error("database away")))).rejects.toThrow("database away");
  expect((await cache.get("k", async () => "ok")).value).toBe("ok");
  await cache.get("b", async () => "b");
  await cache.get("c", async () => "c");
  expect((await cache.get("k", async () => "recomputed")).value).toBe("recomputed");
  let calls = 0;
  const none = createTtlCache<number>({ ttlMs: 0 });
  await none.get("x", async () => ++calls);
  await none.get("x", async () => ++calls);
  expect(calls).toBe(2);
});
