/**
 * On the server: text measured and cut in the characters a person sees (grapheme clusters: "é", "👍🏽", "👩🏽‍💼" are one each), not in
 * UTF-16 code units, so a limit means what it says and a cut never leaves half an emoji (shown as "�").
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Long enough to hold any everyday character with room to spare; a longer one widens the window (see below). */
const WINDOW = 256;

/**
 * Where each character of `text` starts. V8's segmenter slows down with the square of the text's length (a 30,000
 * character post took a third of a second), so it is handed the text in short windows. Each window after the first
 * starts where the one before had its last character start: a place the rules of UAX #29 call a boundary whatever
 * follows, so it is counted the same as in one pass (the window's own last character may be cut short, so it is
 * looked at again in the next window).
 */
function* characterStarts(text: string): Generator<number> {
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    let end = start + size;
    if (end >= text.length) {
      for (const { index } of segmenter.segment(text.slice(start))) yield start + index;
      return;
    }
    // Half an emoji at the window's end would be a character of its own, and a false boundary before it.
    if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end++;
    let last = -1;
    for (const { index } of segmenter.segment(text.slice(start, end))) {
      if (last >= 0) yield start + last;
      last = index;
    }
    if (last > 0) {
      start += last;
      size = WINDOW;
    } else size *= 2; // one character longer than the window (a letter under a pile of accents)
  }
}

/**
 * How many characters a person sees in `text`, counting no further than `upTo` (enough to compare with a minimum).
 * Plain ASCII, most of what is typed, is counted without the segmenter: each code unit is a character but for "\r\n".
 */
export function graphemeCount(text: string, upTo = Number.POSITIVE_INFINITY): number {
  if (/^[\x00-\x7f]*$/.test(text)) return Math.min(text.length - (text.match(/\r\n/g)?.length ?? 0), upTo);
  let count = 0;
  for (const _ of characterStarts(text)) {
    if (count >= upTo) break;
    count++;
  }
  return count;
}

/** The first `max` characters a person sees in `text` (all of it when it is no longer), never half of one. */
export function firstGraphemes(text: string, max: number): string {
  // A character is at least one code unit, so text this short has no more than `max` of them.
  if (text.length <= max) return text;
  let count = 0;
  for (const index of characterStarts(text)) {
    if (count === max) return text.slice(0, index);
    count++;
  }
  return text;
}
