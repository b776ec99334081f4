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

/**
 * A name as one plain line: invisible characters and zero-width spaces out, every run of white space (tabs, no-break
 * spaces, line breaks) one space, composed to NFC. Two names that look the same are then the same text, so "is this
 * name taken?" sees them as one (a tab or a zero-width space made a second "Tab name" space look like the first).
 */
export function oneLineName(text: string): string {
  return withoutControlCharacters(text)
    .normalize("NFC")
    .replace(/[\u200b\u2060\ufeff]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** `text` starting with a capital letter, as at the start of a sentence ("someone from the community" → "Someone…"). */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
