/**
 * Spells words whose symbols are part of their name ("C#", "C++", "F#", ".NET") in letters ("csharp", "cplusplus",
 * "fsharp", "dotnet") for the embedded engine, whose text parser drops the symbols and would leave the bare "c" or
 * "net". Documents and queries are spelled alike, so "c#" finds C# and neither "USB-C" nor "-c". No dependencies.
 */

/** A word ending in "#" or "+" signs (c#, f#, c++, notepad++), or a word that begins with a dot (.net, .htaccess). */
const SHAPE = String.raw`(?:(\p{L}[\p{L}\p{N}]*)([#+]+)|\.(\p{L}[\p{L}\p{N}]*))`;
/** One standing alone in a text: nothing stuck to either side ("ASP.NET", "setup.exe" and "c#5" stay as they are). */
const SYMBOL_WORD = new RegExp(String.raw`(?<![\p{L}\p{N}_.#+])${SHAPE}(?![\p{L}\p{N}_#+])`, "gu");
const WHOLE_SYMBOL_WORD = new RegExp(`^${SHAPE}$`, "u");

function spelling(word: string | undefined, signs: string | undefined, dotted: string | undefined): string {
  if (dotted !== undefined) return `dot${dotted}`;
  return `${word ?? ""}${(signs ?? "").replace(/#/g, "sharp").replace(/\+/g, "plus")}`;
}

/**
 * The text with its symbol words spelled out. A word with signs becomes only its spelling (C# is not C); a dotted word
 * stays itself too (".htaccess" is the file people also call "htaccess"), its spelling after it so that a phrase
 * (".net framework") still finds its words side by side.
 */
export function spellSymbolWords(text: string): string {
  return text.replace(SYMBOL_WORD, (_match, word?: string, signs?: string, dotted?: string) =>
    dotted === undefined ? spelling(word, signs, dotted) : `${dotted} ${spelling(word, signs, dotted)}`,
  );
}

/** A searched word as the engine looks it up: "c#" → "csharp", ".net" → "dotnet" (not "net"), others unchanged. */
export function spellSymbolWord(word: string): string {
  const match = WHOLE_SYMBOL_WORD.exec(word);
  return match ? spelling(match[1], match[2], match[3]) : word;
}
