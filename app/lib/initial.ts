/**
 * The letter an avatar shows for a name: its first character when that is a letter (any script), else the first
 * letter in it ("🚀 Rocket team" → "R"), capitalised unless that makes two letters of one ("ß" → "SS"); "?" for a name
 * with no letter. In the browser too (the header's avatar), so it stays small. A question page shows ~90 avatars and
 * Intl.Segmenter costs ~20 µs a name, so a plain first letter (no accent, joiner or variation after it) is taken as it
 * is. (Every browser still supported has Intl.Segmenter: Firefox since 125, the last without it out of support.)
 */
export function initialOf(name: string): string {
  const letter =
    /^\p{L}(?![\p{M}\p{Cf}])/u.exec(name)?.[0] ??
    Array.from(new Intl.Segmenter().segment(name), (part) => part.segment).find((character) =>
      /^\p{L}/u.test(character),
    ) ??
    "?";
  const capital = letter.toUpperCase();
  return capital.length === letter.length ? capital : letter;
}
