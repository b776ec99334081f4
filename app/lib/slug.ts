/** Turns names into URL- and tag-safe slugs: lower-case ASCII letters, digits and single hyphens. */
/**
 * Latin letters that have no accent to drop: NFKD leaves them whole, so they are spelt here. A table rather than a
 * transliteration library: slugs are made in the browser too (every link to a question), and a library's tables for
 * every script would add about 8 KB to every signed-in page's JavaScript. Letters of other scripts (сеть, 日本語) have
 * no spelling here: a tag of them is refused with a word, a slug of them falls back (see `hasUnspellableLetters`).
 */
const LATIN_LETTERS: Record<string, string> = Object.fromEntries(
  "ß:ss ı:i ø:o æ:ae œ:oe đ:d ð:d ł:l þ:th ħ:h ŧ:t ĸ:k ŋ:ng".split(" ").map((pair) => pair.split(":")),
);

/**
 * The text in lower case, spelt with plain Latin letters where it has such a spelling ("Straße" → "strasse",
 * "ışık" → "isik", "ﬁle" → "file"), accents dropped; letters of other scripts (сеть, 日本語) are left as they are.
 */
export function latinSpelling(input: string): string {
  return input
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßıøæœđðłþħŧĸŋ]/g, (letter) => LATIN_LETTERS[letter] ?? letter);
}

/** Whether some letter or digit in the text can't be spelt with a–z and 0–9, so a slug of it would lose part of it. */
export function hasUnspellableLetters(input: string): boolean {
  return /[^\P{L}a-zA-Z]|[^\P{N}0-9]/u.test(latinSpelling(input));
}

export function slugify(input: string, maxLength = 60): string {
  return latinSpelling(input)
    .replace(/\+/g, "-plus")
    .replace(/#/g, "-sharp")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
}
