/** What schema.org structured data (JSON-LD) needs from a post: its plain text, and JSON that is safe inside a script element. */
import { withoutGlossaryNotes } from "./glossary-match";
import { memoizeByString } from "./string-memo";

/** Plain text of stored, already sanitised HTML: cheap, and no Markdown re-render at read time. */
export function htmlToText(html: string, max = 2000): string {
  const text = plainText(html);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A question page's structured data holds every answer's text: each body is stripped once, not per render. */
const plainText = memoizeByString(
  (html) =>
    // The page explains glossary terms in popovers; the post's text is what it says without them.
    withoutGlossaryNotes(html)
      .replace(/<\/(p|li|h[1-6]|pre|blockquote|tr|td|th)>|<br\s*\/?>/g, " ")
      .replace(/<[^>]*>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
      .trim(),
  { maxChars: 4_000_000 },
);

/** The JSON, with "<", ">", "&" and line separators escaped so no content can end the script element early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
