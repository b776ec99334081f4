/** Tag normalisation shared by the tag field in the browser and the rules on the server, so both agree on what a tag becomes. */
import { hasUnspellableLetters, slugify } from "./slug";

export const TAG_MAX_LENGTH = 35;

/**
 * "Exchange Online", "exchange_online " and "EXCHANGE-online" all become "exchange-online"; "Größe" becomes "grosse".
 * Text with a letter that has no a–z spelling ("日本語 outlook") is no tag at all (""), rather than the part that is left.
 */
export function normalizeTag(raw: string): string {
  return tagOf(raw, TAG_MAX_LENGTH);
}

function tagOf(raw: string, maxLength: number): string {
  return hasUnspellableLetters(raw) ? "" : slugify(raw, maxLength);
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

/**
 * The first tag in free text that would lose a letter or digit once normalised ("日本語", "日本語 outlook": tags are
 * spelt with a–z, digits and hyphens, and these letters have no such spelling) or has nothing left ("🔥"), as typed:
 * such a tag is refused (tagListProblem), never cut down or dropped without a word. Empty parts ("vpn, , dns", a
 * trailing comma) are only spacing.
 */
export function unsayableTag(raw: string): string | null {
  for (const part of raw.split(/[,\n]+/)) {
    const typed = part.trim();
    if (typed && !tagOf(typed, Number.POSITIVE_INFINITY)) return typed;
  }
  return null;
}

/** What a tag field says about a tag that can't be one or is too long, or null when every tag fits. */
export function tagListProblem(raw: string): string | null {
  const unsayable = unsayableTag(raw);
  if (unsayable) {
    const characters = [...unsayable];
    const quoted = characters.length > 40 ? `${characters.slice(0, 30).join("")}…` : unsayable;
    return `Tags use the letters a–z, digits and hyphens, so “${quoted}” can't be a tag. Try an English word for the topic.`;
  }
  const long = tooLongTag(raw);
  if (!long) return null;
  // A pasted paragraph is quoted by its start, so the message stays readable.
  const quoted = long.tag.length > 60 ? `${long.tag.slice(0, 50)}…` : long.tag;
  return `Tags can be at most ${TAG_MAX_LENGTH} characters: “${quoted}” is ${long.length}.`;
}

/**
 * What a list filtered by a tag in its address says when the text can't be a tag ("?tag=сеть": nothing is tagged with
 * it, so the list is empty rather than unfiltered), or null when it can (or is blank: no filter).
 */
export function notATagNote(typed: string): string | null {
  if (!typed.trim() || normalizeTag(typed)) return null;
  return `“${typed.trim()}” isn't a tag: tags use the letters a–z, digits and hyphens.`;
}

/** Whether two lists of normalised tags hold the same tags: the order they were typed in is not a change. */
export function isSameTagSet(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (list: readonly string[]) => [...new Set(list)].sort().join(",");
  return sorted(a) === sorted(b);
}
