/**
 * The letter an avatar shows for a name, in the browser too (the header's avatar), so it stays small. Where
 * Intl.Segmenter is missing (Firefox before 125) characters are code points: an emoji's halves stay together.
 */
const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter() : null;

/**
 * A name's first character when that is a letter (any script), else the first letter in it ("🚀 Rocket team" → "R"),
 * capitalised unless that makes two letters of one ("ß" → "SS"); "?" for a name with no letter at all.
 */
export function initialOf(name: string): string {
  const characters = segmenter ? Array.from(segmenter.segment(name), (part) => part.segment) : Array.from(name);
  const letter = characters.find((character) => /^\p{L}/u.test(character)) ?? "?";
  const capital = letter.toUpperCase();
  return capital.length === letter.length ? capital : letter;
}
