/**
 * Characters that show nothing, mean nothing in a post or a name and that XML 1.0 forbids: C0 controls other than
 * tab, newline and return, DEL, C1 controls, lone surrogates and U+FFFE/U+FFFF. They arrive pasted from terminals,
 * PDFs and chat apps; a person cannot see them to take them out, so forms drop them instead of refusing the text
 * (NUL is refused earlier, for every form, by the request guards). One in a title would otherwise make every Atom
 * feed that lists it unreadable.
 */
const INVISIBLE_CONTROLS = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|\p{Cs}/gu;

/** The text without invisible control characters (see above); tabs, newlines and everything visible stay. */
export function withoutControlCharacters(text: string): string {
  return text.replace(INVISIBLE_CONTROLS, "");
}

/** Everything XML 1.0 cannot hold (the above and NUL), for documents built from stored text (feeds). */
export function xmlSafe(text: string): string {
  return text.replace(/\u0000/g, "").replace(INVISIBLE_CONTROLS, "");
}

/** A letter of any script but Latin, Greek and Cyrillic (whose look-alike letters spoof names, and need no joiner). */
const OTHER_SCRIPT_LETTER = String.raw`[^\P{L}\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]`;

/**
 * Invisible format characters (Unicode Cf: zero-width space, non-joiner and joiner, word joiner, byte order mark, soft
 * hyphen, bidi controls, tags…) and the Hangul fillers that show as blank: in a name they only make it read as someone
 * else's ("Marcus\u200b Lee"). The `kept` group is what writing needs them for: a joiner inside an emoji sequence (👩🏽‍💼),
 * a flag's tag sequence, and a joiner or non-joiner between two letters of a script that shapes with them (Persian
 * نیک‌نام, Hindi, Malayalam).
 */
const INVISIBLE_FORMAT = new RegExp(
  String.raw`(?<kept>\p{Extended_Pictographic}[\ufe0f\p{Emoji_Modifier}]?\u200d(?=\p{Extended_Pictographic})` +
    String.raw`|\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f}` +
    String.raw`|(?<=${OTHER_SCRIPT_LETTER}\p{M}*)[\u200c\u200d](?=\p{M}*${OTHER_SCRIPT_LETTER}))` +
    String.raw`|[\p{Cf}\u3164\uffa0]`,
  "gu",
);

/** The text without invisible format characters (see above); emoji, flags and joined scripts stay as written. */
export function withoutInvisibleFormatting(text: string): string {
  return text.replace(INVISIBLE_FORMAT, (_match, kept: string | undefined) => kept ?? "");
}

/**
 * A name as one plain line, for people and spaces alike: invisible characters out (controls, zero-width and other
 * format characters), every run of white space (tabs, no-break spaces, line breaks) one space, composed to NFC. Two
 * names that look the same are then the same text, so "is this name taken?" sees them as one (a tab or a zero-width
 * space made a second "Tab name" space look like the first), and nobody can pass for "Marcus Lee" with an invisible
 * character in it.
 */
export function oneLineName(text: string): string {
  return withoutInvisibleFormatting(withoutControlCharacters(text).normalize("NFC")).replace(/\s+/g, " ").trim();
}

/** `text` starting with a capital letter, as at the start of a sentence ("someone from the community" → "Someone…"). */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
