/**
 * A small in-memory memo whose entries carry the page cache's tags (`post:12`, `*`): dropped the moment an
 * announcement names one of their tags, bounded by count and age, and never filled by a load that began before an
 * invalidation of its tags arrived (the same "ticket" rule as the page cache's store), so it can't keep stale data.
 */
import { ALL_PAGES } from "./page-cache.server";

type MemoEntry<V> = { value: V; tags: string[]; expiresAt: number };

export class TaggedMemo<V> {
  private readonly entries = new Map<string, MemoEntry<V>>();
  private readonly byTag = new Map<string, Set<string>>();
  private sequence = 0;
  /** The sequence number of each tag's latest invalidation (pruned by raising `floor`). */
  private readonly invalidatedAt = new Map<string, number>();
  /** Loads that began before this sequence number are never stored. */
  private floor = 0;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: { maxEntries: number; maxAgeMs: number; now?: () => number }) {
    this.maxEntries = options.maxEntries;
    this.maxAgeMs = options.maxAgeMs;
    this.now = options.now ?? (() => Date.now());
  }

  /** Taken before a load starts; hand it back to `set`. */
  ticket(): number {
    return this.sequence;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    // Least recently used goes first when full: a hit moves the entry to the end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores unless one of the tags (or everything) was invalidated after `ticket` was taken. */
  set(key: string, value: V, tags: readonly string[], ticket: number): boolean {
    if (ticket < this.floor) return false;
    for (const tag of tags) if ((this.invalidatedAt.get(tag) ?? -1) > ticket) return false;
    this.remove(key);
    this.entries.set(key, { value, tags: [...tags], expiresAt: this.now() + this.maxAgeMs });
    for (const tag of tags) {
      const keys = this.byTag.get(tag) ?? new Set<string>();
      keys.add(key);
      this.byTag.set(tag, keys);
    }
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.remove(oldest);
    }
    return true;
  }

  /** Drops every entry carrying one of the tags; "*" drops everything. */
  invalidate(tags: readonly string[]): void {
    this.sequence += 1;
    if (tags.includes(ALL_PAGES) || this.invalidatedAt.size > 10_000) {
      this.entries.clear();
      this.byTag.clear();
      this.invalidatedAt.clear();
      this.floor = this.sequence;
      return;
    }
    for (const tag of tags) {
      this.invalidatedAt.set(tag, this.sequence);
      for (const key of [...(this.byTag.get(tag) ?? [])]) this.remove(key);
    }
  }

  clear(): void {
    this.invalidate([ALL_PAGES]);
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
