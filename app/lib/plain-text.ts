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
