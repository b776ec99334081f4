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

type Candidate = { entryIndex: number; form: string; isCaseSensitive: boolean };

export type GlossaryMatcher<E extends MatchableEntry = MatchableEntry> = {
  entries: E[];
  /** null when there is nothing to find. */
  pattern: RegExp | null;
  candidates: Map<string, Candidate[]>;
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Builds one regular expression over every term and synonym (longest first, so "IP address" wins over "IP").
 * `encode` turns a form into how it appears in the searched text (HTML-escaped for post HTML).
 */
export function buildGlossaryMatcher<E extends MatchableEntry>(entries: E[], encode: (form: string) => string = (form) => form): GlossaryMatcher<E> {
  const candidates = new Map<string, Candidate[]>();
  entries.forEach((entry, entryIndex) => {
    for (const raw of [entry.term, ...entry.synonyms]) {
      const form = encode(raw.normalize("NFKC").replace(/\s+/g, " ").trim());
      if (!form) continue;
      const key = form.toLowerCase();
      const list = candidates.get(key) ?? [];
      list.push({ entryIndex, form, isCaseSensitive: isCaseSensitiveForm(raw) });
      candidates.set(key, list);
    }
  });
  if (candidates.size === 0) return { entries, pattern: null, candidates };
  const alternatives = [...candidates.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((form) => escapeRegExp(form).replace(/ /g, "\\s+"));
  // Not inside a word, and (for HTML) not inside an entity such as &nbsp; or &#39;.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_&#])(${alternatives.join("|")})(?:e?s)?(?![\\p{L}\\p{N}_])`, "giu");
  return { entries, pattern, candidates };
}

/** The entry a matched form belongs to, after the case rule; null when the case rules it out. */
function entryFor<E extends MatchableEntry>(matcher: GlossaryMatcher<E>, matched: string): number | null {
  const list = matcher.candidates.get(matched.replace(/\s+/g, " ").toLowerCase());
  if (!list) return null;
  const normalized = matched.replace(/\s+/g, " ");
  const hit = list.find((candidate) => !candidate.isCaseSensitive || candidate.form === normalized);
  return hit ? hit.entryIndex : null;
}

export type TextMatch = { index: number; length: number; entryIndex: number };

/** Every recognised term in `text`, in order (an entry may occur several times). */
export function matchTerms<E extends MatchableEntry>(matcher: GlossaryMatcher<E>, text: string): TextMatch[] {
  if (!matcher.pattern) return [];
  const pattern = new RegExp(matcher.pattern.source, matcher.pattern.flags);
  const found: TextMatch[] = [];
  for (const match of text.matchAll(pattern)) {
    const form = match[1];
    if (form === undefined) continue;
    const entryIndex = entryFor(matcher, form);
    if (entryIndex !== null) found.push({ index: match.index, length: match[0].length, entryIndex });
  }
  return found;
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
