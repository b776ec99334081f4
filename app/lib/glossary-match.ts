/**
 * Finds glossary terms in text, on the server (posts, the terms API) and in the browser (the answer editor's hint).
 * How a term or synonym is recognised depends on how it is written: lowercase words ("firewall") and acronyms of three
 * or more capitals ("VPN") match in any case; names with mixed capitals ("Teams", "OneDrive") and short acronyms
 * ("IP", "AD") only as written, so "our teams" and "an ad" are not taken for them. A plural "s"/"es" is allowed.
 */

/** What the matcher needs of an entry. */
export type MatchableEntry = { slug: string; term: string; synonyms: string[] };

/** Lowercase, single spaces, compatibility forms folded (full-width letters, ligatures): how terms are compared. */
export function normalizeTerm(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

export function isCaseSensitiveForm(form: string): boolean {
  const letters = form.replace(/[^\p{L}]/gu, "");
  if (letters === letters.toLowerCase()) return false;
  if (letters === letters.toUpperCase()) return letters.length < 3;
  return true;
}

type Candidate = {
  entryIndex: number;
  /** As it appears in the searched text (encoded), single-spaced. */
  form: string;
  isCaseSensitive: boolean;
  /** Where the form's first run of letters or digits starts within it (".NET" → 1). */
  offset: number;
  /** The whole form, any spacing, an optional plural, then no letter or digit: tried only where its first word is found. */
  sticky: RegExp;
};

export type GlossaryMatcher<E extends MatchableEntry = MatchableEntry> = {
  entries: E[];
  /** Candidates by the lowercase first word of their form, longest form first ("IP address" before "IP"). */
  byFirstWord: Map<string, Candidate[]>;
  isEmpty: boolean;
};

const WORD = /[\p{L}\p{N}]+/gu;
// Not inside a word, and (for HTML) not inside an entity such as &nbsp; or &#39;.
const BEFORE_TERM = /[\p{L}\p{N}_&#]/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Indexes every term and synonym by its first word, so finding terms costs a map lookup per word of text rather than
 * one try of every term at every position. `encode` turns a form into how it appears in the searched text
 * (HTML-escaped for post HTML).
 */
export function buildGlossaryMatcher<E extends MatchableEntry>(
  entries: E[],
  encode: (form: string) => string = (form) => form,
): GlossaryMatcher<E> {
  const byFirstWord = new Map<string, Candidate[]>();
  entries.forEach((entry, entryIndex) => {
    for (const raw of [entry.term, ...entry.synonyms]) {
      const form = encode(raw.normalize("NFKC").replace(/\s+/g, " ").trim());
      const firstWord = new RegExp(WORD.source, "u").exec(form);
      if (!firstWord) continue;
      const key = firstWord[0].toLowerCase();
      const sticky = new RegExp(`(${escapeRegExp(form).replace(/ /g, "\\s+")})(?:e?s)?(?![\\p{L}\\p{N}_])`, "iuy");
      const list = byFirstWord.get(key) ?? [];
      list.push({ entryIndex, form, isCaseSensitive: isCaseSensitiveForm(raw), offset: firstWord.index, sticky });
      byFirstWord.set(key, list);
    }
  });
  for (const list of byFirstWord.values()) list.sort((a, b) => b.form.length - a.form.length);
  return { entries, byFirstWord, isEmpty: byFirstWord.size === 0 };
}

/** Candidates starting with this word; a one-word term in the plural ("backups", "patches") is found by its singular. */
function candidatesFor(matcher: GlossaryMatcher, key: string): Candidate[] | undefined {
  const exact = matcher.byFirstWord.get(key);
  if (!key.endsWith("s")) return exact;
  const plurals = [
    matcher.byFirstWord.get(key.slice(0, -1)),
    key.endsWith("es") ? matcher.byFirstWord.get(key.slice(0, -2)) : undefined,
  ];
  const all = [exact, ...plurals].flatMap((list) => list ?? []);
  return all.length > 0 ? all : undefined;
}

export type TextMatch = { index: number; length: number; entryIndex: number };

/** Every recognised term in `text`, in order, never overlapping (an entry may occur several times). */
export function matchTerms<E extends MatchableEntry>(matcher: GlossaryMatcher<E>, text: string): TextMatch[] {
  const found: TextMatch[] = [];
  if (matcher.isEmpty) return found;
  let consumedUntil = 0;
  const words = new RegExp(WORD.source, WORD.flags);
  for (let word = words.exec(text); word; word = words.exec(text)) {
    if (word.index < consumedUntil) continue;
    const candidates = candidatesFor(matcher, word[0].toLowerCase());
    if (!candidates) continue;
    for (const candidate of candidates) {
      const start = word.index - candidate.offset;
      if (start < consumedUntil || (start > 0 && BEFORE_TERM.test(text.charAt(start - 1)))) continue;
      candidate.sticky.lastIndex = start;
      const hit = candidate.sticky.exec(text);
      const written = hit?.[1]?.replace(/\s+/g, " ");
      if (!hit || written === undefined || (candidate.isCaseSensitive && written !== candidate.form)) continue;
      found.push({ index: start, length: hit[0].length, entryIndex: candidate.entryIndex });
      consumedUntil = start + hit[0].length;
      break;
    }
  }
  return found;
}

/**
 * Post HTML without the explanations that `markGlossaryTerms` (app/lib/glossary-html.server.ts) added: for plain-text
 * uses such as structured data. Stored HTML can't hold a `popover` attribute (the sanitizer drops it), so this only
 * ever removes our own markup; a note holds no nested span.
 */
export function withoutGlossaryNotes(html: string): string {
  return html.replace(/<span id="[^"]*" popover class="glossary-note">[\s\S]*?<\/span>/g, "");
}

/** The entries used in `text`, each once, in order of first use. */
export function findTermsIn<E extends MatchableEntry>(matcher: GlossaryMatcher<E>, text: string): E[] {
  const seen = new Set<number>();
  const result: E[] = [];
  for (const match of matchTerms(matcher, text)) {
    if (seen.has(match.entryIndex)) continue;
    seen.add(match.entryIndex);
    const entry = matcher.entries[match.entryIndex];
    if (entry) result.push(entry);
  }
  return result;
}
