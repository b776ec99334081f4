/**
 * Remembers a pure function of one long string (a post's HTML) by that string: the page renders the same bodies again
 * and again, and V8 keeps a string's hash on the string itself, so looking up the same string costs next to nothing
 * while recomputing (hashing it, stripping its tags) walks all of it. At most `maxChars` characters of arguments and
 * results are kept; the least recently used go first. Exact: a different string is a different entry.
 */
export function memoizeByString(fn: (input: string) => string, { maxChars }: { maxChars: number }) {
  const entries = new Map<string, string>();
  let chars = 0;
  const memoized = (input: string): string => {
    const found = entries.get(input);
    if (found !== undefined) {
      entries.delete(input);
      entries.set(input, found);
      return found;
    }
    const result = fn(input);
    const size = input.length + result.length;
    if (size > maxChars) return result;
    entries.set(input, result);
    chars += size;
    // Oldest (least recently used) first in a Map.
    for (const [oldInput, oldResult] of entries) {
      if (chars <= maxChars) break;
      entries.delete(oldInput);
      chars -= oldInput.length + oldResult.length;
    }
    return result;
  };
  return Object.assign(memoized, { stats: () => ({ entries: entries.size, chars }) });
}
