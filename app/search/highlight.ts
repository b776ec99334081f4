/**
 * Turns highlighted plain text from a search engine into safe HTML: the engine wraps matches in two private-use
 * characters, everything is HTML-escaped here, and only those markers become <mark>…</mark>. Every engine uses it.
 */

import { cjkSegments, foldedSpellings } from "./international-words";
import { spellSymbolWord } from "./symbol-words";

/** Start of a match; private-use characters never occur in real text, and stripMarkers keeps them out of documents. */
export const MARK_START = "\uE000";
/** End of a match. */
export const MARK_END = "\uE001";

/** Also U+E002/U+E003, which an engine may use internally (app/search/postgres.server.ts). */
const MARKERS = /[\uE000-\uE003]/g;
const SPLIT = /([\uE000\uE001])/;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Removes the markers from text going into an index, so stored text can never fake a match. */
export function stripMarkers(text: string): string {
  return text.replace(MARKERS, "");
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Escapes the text, then turns marker pairs into <mark>…</mark>; stray or nested markers never unbalance the tags. */
export function markedToHtml(text: string): string {
  let html = "";
  let isOpen = false;
  for (const part of text.split(SPLIT)) {
    if (part === MARK_START) {
      if (!isOpen) html += "<mark>";
      isOpen = true;
    } else if (part === MARK_END) {
      if (isOpen) html += "</mark>";
      isOpen = false;
    } else {
      html += escapeText(part);
    }
  }
  if (isOpen) html += "</mark>";
  return html.replace(/<mark><\/mark>/g, "");
}

/** A lexeme of a full-text query as PostgreSQL prints it (`'exchang'`, `'enro':*`), doubled quotes unescaped. */
export type QueryLexeme = { lexeme: string; isPrefix: boolean };

/** The lexemes of a tsquery's text form (`'intun' & ( 'enro':* | 'enrol' )`). */
export function tsqueryLexemes(text: string): QueryLexeme[] {
  const found = new Map<string, QueryLexeme>();
  for (const match of text.matchAll(/'((?:[^']|'')+)'(:[*A-D]+)?/g)) {
    const lexeme = (match[1] ?? "").replace(/''/g, "'");
    const isPrefix = (match[2] ?? "").includes("*");
    const key = `${lexeme}${isPrefix ? "*" : ""}`;
    if (lexeme) found.set(key, { lexeme, isPrefix });
  }
  return [...found.values()];
}

/** A word of the text, with the dot that begins ".NET" and the signs that end "C#" or "C++" (see symbol-words.ts). */
const TEXT_WORD = /(?:(?<![\p{L}\p{N}_.#+-])\.(?=\p{L}))?[\p{L}\p{N}][\p{L}\p{N}'’_-]*(?:[#+]+(?![\p{L}\p{N}_#+]))?/gu;

/**
 * Whether a word of the text is one the query matched. Lexemes are Snowball stems, which (but for y → i) begin
 * their words: "expir" marks "expired" and "expires", "polici" marks "policy". A stem shorter than three letters
 * marks only itself, so "it" does not light up "items".
 */
export function matchesLexeme(word: string, lexemes: QueryLexeme[]): boolean {
  const written = word.normalize("NFKC").toLowerCase();
  // "C#" is matched by its spelling ("csharp") only; ".NET" by "dotnet" and by "net", as the engine indexed them; "café"
  // by "cafe" too (international-words.ts).
  const spellings = [
    spellSymbolWord(written),
    ...(written.startsWith(".") ? [written.slice(1)] : []),
    ...foldedSpellings(written),
  ];
  return spellings.some((spelled) => matchesSpelling(spelled, lexemes));
}

/** The words of a text to mark, Chinese and Japanese split into their dictionary words as the engine indexed them. */
function textWords(text: string): { text: string; start: number }[] {
  return [...text.matchAll(TEXT_WORD)].flatMap((match) => {
    const start = match.index ?? 0;
    const segments = cjkSegments(match[0]);
    if (segments.length === 0) return [{ text: match[0], start }];
    return segments.map((segment) => ({ text: segment.word, start: start + segment.index }));
  });
}

function matchesSpelling(lower: string, lexemes: QueryLexeme[]): boolean {
  return lexemes.some(({ lexeme, isPrefix }) => {
    if (lower === lexeme) return true;
    if (lexeme.length < 3 && !isPrefix) return false;
    if (lower.startsWith(lexeme)) return true;
    return !isPrefix && lexeme.endsWith("i") && lower.startsWith(`${lexeme.slice(0, -1)}y`);
  });
}

/**
 * Marks the matched words of a text with MARK_START/MARK_END. With `cropWords`, returns about that many words around
 * the first match (or the start, when nothing matches), with "…" where text was cut.
 */
export function markMatches(text: string, lexemes: QueryLexeme[], cropWords?: number): string {
  const words = textWords(text).map((word) => ({
    start: word.start,
    end: word.start + word.text.length,
    isMatch: matchesLexeme(word.text, lexemes),
  }));
  let from = 0;
  let to = text.length;
  if (cropWords !== undefined && words.length > cropWords) {
    const first = Math.max(
      0,
      words.findIndex((word) => word.isMatch),
    );
    const startWord = Math.max(0, Math.min(first - Math.floor(cropWords / 4), words.length - cropWords));
    const endWord = Math.min(words.length, startWord + cropWords);
    from = startWord === 0 ? 0 : (words[startWord]?.start ?? 0);
    to = endWord === words.length ? text.length : (words[endWord - 1]?.end ?? text.length);
  }
  let out = "";
  let at = from;
  for (const word of words) {
    if (!word.isMatch || word.start < from || word.end > to) continue;
    out += `${text.slice(at, word.start)}${MARK_START}${text.slice(word.start, word.end)}${MARK_END}`;
    at = word.end;
  }
  out += text.slice(at, to);
  return `${from > 0 ? "… " : ""}${out.trim()}${to < text.length ? " …" : ""}`;
}
