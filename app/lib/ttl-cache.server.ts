/**
 * A small in-process cache for computed results that may be a little old (the service pulse): each key is computed
 * at most once per `ttlMs`, and concurrent requests for a key being computed wait for that one computation instead of
 * starting their own. A failed computation is not kept. With `ttlMs` 0 nothing is kept (every call computes).
 */
export type TtlCache<T> = {
  get: (key: string, compute: () => Promise<T>) => Promise<{ value: T; computedAt: Date }>;
  clear: () => void;
};

export function createTtlCache<T>({
  ttlMs,
  maxEntries = 500,
  now = () => Date.now(),
}: {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}): TtlCache<T> {
  const entries = new Map<string, { expiresAt: number; promise: Promise<{ value: T; computedAt: Date }> }>();
  return {
    get(key, compute) {
      const time = now();
      const entry = entries.get(key);
      if (entry && entry.expiresAt > time) return entry.promise;
      const promise = compute().then((value) => ({ value, computedAt: new Date(time) }));
      if (ttlMs <= 0) return promise;
      entries.delete(key);
      entries.set(key, { expiresAt: time + ttlMs, promise });
      promise.catch(() => {
        if (entries.get(key)?.promise === promise) entries.delete(key);
      });
      // Oldest first in a Map: drop the oldest keys beyond the limit.
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
      return promise;
    },
    clear: () => entries.clear(),
  };
}
