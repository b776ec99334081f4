/**
 * Where the readers' enhancement script was built (scripts/build-reader.mjs writes build/reader.json): its address
 * and its Subresource Integrity hash. Read once per process; without it (no build yet, as in unit tests) pages fall
 * back to the full client runtime.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export type ReaderScript = { src: string; integrity: string };

let cached: { value: ReaderScript | null } | undefined;

function load(): ReaderScript | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.resolve("build/reader.json"), "utf8"));
    if (!parsed || typeof parsed !== "object" || !("src" in parsed) || !("integrity" in parsed)) return null;
    const { src, integrity } = parsed;
    return typeof src === "string" && typeof integrity === "string" && src.startsWith("/build/")
      ? { src, integrity }
      : null;
  } catch {
    return null;
  }
}

export function readerScript(): ReaderScript | null {
  cached ??= { value: load() };
  return cached.value;
}
