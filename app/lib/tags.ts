/** Tag normalisation shared by the tag field in the browser and the rules on the server, so both agree on what a tag becomes. */
import { slugify } from "./slug";

export const TAG_MAX_LENGTH = 35;

/** "Exchange Online", "exchange_online " and "EXCHANGE-online" all become "exchange-online". */
export function normalizeTag(raw: string): string {
  return slugify(raw, TAG_MAX_LENGTH);
}

/** Splits free text ("vpn, Windows 11  intune") into unique normalised tags, keeping the first-typed order. */
export function parseTagList(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(/[,\n]+/)) {
    const tag = normalizeTag(part);
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/**
 * The first tag in free text that is longer than the limit once normalised, with its length: such a tag is refused
 * (tagListProblem), never cut short without a word.
 */
export function tooLongTag(raw: string): { tag: string; length: number } | null {
  for (const part of raw.split(/[,\n]+/)) {
    const tag = slugify(part, Number.POSITIVE_INFINITY);
    if (tag.length > TAG_MAX_LENGTH) return { tag, length: tag.length };
  }
  return null;
}

/** What a tag field says about a tag that is too long, or null when every tag fits. */
export function tagListProblem(raw: string): string | null {
  const long = tooLongTag(raw);
  if (!long) return null;
  // A pasted paragraph is quoted by its start, so the message stays readable.
  const quoted = long.tag.length > 60 ? `${long.tag.slice(0, 50)}…` : long.tag;
  return `Tags can be at most ${TAG_MAX_LENGTH} characters: “${quoted}” is ${long.length}.`;
}

/** Whether two lists of normalised tags hold the same tags: the order they were typed in is not a change. */
export function isSameTagSet(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (list: readonly string[]) => [...new Set(list)].sort().join(",");
  return sorted(a) === sorted(b);
}
