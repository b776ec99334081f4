/**
 * Extra spellings of international words for the embedded engine, whose text parser knows neither: Latin words with
 * accents or special letters also in ASCII ("Tiếng Việt" → "tieng viet", "Straße" → "strasse"), and runs of Chinese or
 * Japanese, written without spaces, as their dictionary words ("打印机无法连接" → "打印 机 无法 连接"). Documents get
 * them appended (search-tables.server.ts), searched words are looked up by them (query-plan.server.ts).
 */
import transliterate from "@sindresorhus/transliterate";

/** Letters, marks and digits: a word as the text parser reads it, Latin or not. */
const TEXT_WORD = /[\p{L}\p{M}\p{N}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}\p{N}]+$/u;
const ASCII_WORD = /^[a-z0-9]+$/;
const ASCII_TEXT = /^[\x00-\x7f]*$/;

// Full ICU splits Chinese and Japanese by dictionary; one segmenter does both scripts.
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * The ASCII spellings of a Latin word with accents or special letters, lower-case: the marks dropped ("müller" →
 * "muller", what most people type) and, where it differs, the transliteration ("mueller"). None for other words.
 */
export function asciiSpellings(word: string): string[] {
  if (ASCII_TEXT.test(word)) return [];
  const lower = word.toLowerCase();
  // Compatibility forms too: "ﬁle" (a ligature pasted from a PDF) is "file".
  const compatible = lower.normalize("NFKC");
  if (!LATIN_WORD.test(compatible)) return [];
  const spellings = new Set([
    transliterate(compatible.normalize("NFD").replace(/\p{M}/gu, "")),
    transliterate(compatible),
  ]);
  return [...spellings].filter((spelling) => spelling !== lower && ASCII_WORD.test(spelling));
}

/** The dictionary words of a text holding Chinese or Japanese, with where each starts ("打印机" → 打印 at 0, 机 at 2). */
export function cjkSegments(text: string): { word: string; index: number }[] {
  if (!CJK.test(text)) return [];
  // V8's segmenter takes time that grows with the square of its input (30,000 characters without punctuation: 0.2 s
  // of the main thread), so a long run is split into windows; a word across a window's edge is split in two there.
  const words: { word: string; index: number }[] = [];
  for (let start = 0; start < text.length; start += CJK_WINDOW) {
    for (const part of segmenter.segment(text.slice(start, start + CJK_WINDOW)))
      if (part.isWordLike) words.push({ word: part.segment, index: start + part.index });
  }
  return words;
}

/** Characters segmented at a time: far longer than a sentence, whose punctuation ends a run anyway. */
const CJK_WINDOW = 500;

/** Chinese and Japanese in a text spaced into their words ("无线网络 ok" → "无线 网络 ok"); other text unchanged. */
export function spacedCjkWords(text: string): string {
  return text.replace(TEXT_WORD, (word) =>
    CJK.test(word)
      ? cjkSegments(word)
          .map((part) => part.word)
          .join(" ")
      : word,
  );
}

/** A word with the joiners the text parser keeps it whole by ("café-bar", "l'été"). */
const COMPOUND = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

/** A Latin word (or each Latin part of a compound) in its `which` ASCII spelling: 0 marks dropped, 1 transliterated. */
function folded(compound: string, which: 0 | 1): string {
  return compound.replace(TEXT_WORD, (part) => {
    const spellings = asciiSpellings(part);
    return spellings[Math.min(which, spellings.length - 1)] ?? part;
  });
}

/** A word's ASCII spellings, its Latin parts folded ("café-bar" → "cafe-bar", "müller" → "muller", "mueller"). */
export function foldedSpellings(compound: string): string[] {
  if (ASCII_TEXT.test(compound)) return [];
  return [...new Set([folded(compound, 0), folded(compound, 1)])].filter((spelling) => spelling !== compound);
}

/**
 * What a text's international words are also indexed as, in the order they are written (so words side by side stay
 * side by side for phrases): ASCII spellings of accented Latin words, dictionary words of Chinese and Japanese runs.
 */
export function internationalWords(text: string): string {
  if (ASCII_TEXT.test(text)) return "";
  return (text.match(COMPOUND) ?? [])
    .flatMap((compound) =>
      CJK.test(compound) ? cjkSegments(compound).map((part) => part.word) : foldedSpellings(compound),
    )
    .join(" ");
}

/**
 * A searched word as the index also holds it: "café" → "cafe", "straße" → "strasse", "无线网络" → "无线 网络";
 * other words unchanged. Both spellings of a word find each other, since documents hold the folded one too.
 */
export function internationalSpelling(word: string): string {
  return CJK.test(word) ? spacedCjkWords(word) : folded(word, 0);
}
