/**
 * Marks the first use of each glossary term in a post's stored (sanitized) HTML, when the page is served. The term
 * becomes a button that opens its explanation as a native popover (`popovertarget`): it opens by tap, by keyboard
 * and by screen reader, with no JavaScript, and closes by tapping outside, Escape or its Close button. Browsers
 * without popovers show the explanation inline instead. Nothing is marked inside links, code, keys or headings.
 */
import { type GlossaryMatcher, type MatchableEntry, matchTerms } from "./glossary-match";

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** What a popover shows of an entry. */
export type ExplainedEntry = MatchableEntry & { expansion: string; explanation: string };

// Inside these, a button would be wrong (links, headings) or would change what the text means (code, keys).
const SKIPPED = new Set([
  "a",
  "code",
  "pre",
  "kbd",
  "samp",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "button",
  "script",
  "style",
  "textarea",
  "title",
]);
const VOID = new Set(["br", "hr", "img", "input", "wbr", "area", "col", "embed", "link", "meta", "source", "track"]);
const TOKEN = /<[^>]*>|[^<]+/g;
const TAG_NAME = /^<(\/?)([a-zA-Z][a-zA-Z0-9]*)/;

/**
 * The popover itself: the term, its full name, the explanation and a link to the glossary. The entry's words, in any
 * language, each take their own direction (`<bdi>`, not a span: `withoutGlossaryNotes` ends a note at its first span end).
 */
export function glossaryNoteHtml(entry: ExplainedEntry, id: string): string {
  const expansion = entry.expansion ? ` (<bdi>${escapeHtml(entry.expansion)}</bdi>)` : "";
  const name = `<strong><bdi>${escapeHtml(entry.term)}</bdi></strong>${expansion}`;
  return (
    `<span id="${id}" popover class="glossary-note">${name}: <bdi>${escapeHtml(entry.explanation)}</bdi> ` +
    `<a href="/glossary#${encodeURIComponent(entry.slug)}">More in the glossary</a> ` +
    `<button type="button" class="glossary-close" popovertarget="${id}" popovertargetaction="hide">Close</button></span>`
  );
}

function termButtonHtml(matchedHtml: string, id: string): string {
  return `<button type="button" class="glossary-term" popovertarget="${id}">${matchedHtml}</button>`;
}

/** Calls `mark` for the first use of each term outside links, code, keys and headings; returns the rewritten HTML. */
function rewriteFirstUses<E extends ExplainedEntry>(
  html: string,
  matcher: GlossaryMatcher<E>,
  alreadyExplained: Set<number>,
  mark: (entry: E, matchedHtml: string) => string,
): string {
  if (matcher.isEmpty || html.length === 0) return html;
  let skipDepth = 0;
  let out = "";
  for (const [token] of html.matchAll(TOKEN)) {
    if (token.startsWith("<")) {
      const tag = TAG_NAME.exec(token);
      const name = tag?.[2]?.toLowerCase();
      if (name && SKIPPED.has(name) && !VOID.has(name) && !token.endsWith("/>"))
        skipDepth = Math.max(0, skipDepth + (tag?.[1] === "/" ? -1 : 1));
      out += token;
      continue;
    }
    if (skipDepth > 0) {
      out += token;
      continue;
    }
    let last = 0;
    for (const match of matchTerms(matcher, token)) {
      if (alreadyExplained.has(match.entryIndex)) continue;
      const entry = matcher.entries[match.entryIndex];
      if (!entry) continue;
      alreadyExplained.add(match.entryIndex);
      out += token.slice(last, match.index);
      out += mark(entry, token.slice(match.index, match.index + match.length));
      last = match.index + match.length;
    }
    out += token.slice(last);
  }
  return out;
}

/**
 * The HTML with the first use of each known term explained. `idPrefix` makes the popover ids unique on the page (one
 * prefix per post); `alreadyExplained` lets a caller explain a term once across several parts of one post.
 */
export function markGlossaryTerms<E extends ExplainedEntry>(
  html: string,
  matcher: GlossaryMatcher<E>,
  idPrefix: string,
  alreadyExplained: Set<number> = new Set(),
): string {
  return rewriteFirstUses(html, matcher, alreadyExplained, (entry, matched) => {
    const id = `${idPrefix}-${entry.slug}`;
    return termButtonHtml(matched, id) + glossaryNoteHtml(entry, id);
  });
}

/** The id of a term's one explanation on a page whose posts share their notes (see `markGlossaryTermsShared`). */
export function sharedNoteId(slug: string): string {
  return `g-${slug}`;
}

/**
 * Like `markGlossaryTerms`, but the buttons open one explanation per term for the whole page (`sharedNoteId`), which
 * the page renders once: a thread of 30 answers then carries each explanation once instead of once per post. The
 * entries used are added to `used` (by slug); `alreadyExplained` carries a post's first uses across its parts.
 */
export function markGlossaryTermsShared<E extends ExplainedEntry>(
  html: string,
  matcher: GlossaryMatcher<E>,
  used: Map<string, E>,
  alreadyExplained: Set<number> = new Set(),
): string {
  return rewriteFirstUses(html, matcher, alreadyExplained, (entry, matched) => {
    used.set(entry.slug, entry);
    return termButtonHtml(matched, sharedNoteId(entry.slug));
  });
}
