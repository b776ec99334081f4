/**
 * Typo tolerance for the embedded engine, with Meilisearch's defaults: how many typos a word may have by its length,
 * the words one typo away (for looking them up in the vocabulary at once), and the optimal-string-alignment distance in
 * which swapping two neighbouring letters ("emial") is one typo, not two.
 */

/** Meilisearch's defaults: one typo from 5 letters, two from 9; shorter words are taken as typed. */
export function allowedTypos(word: string): number {
  const length = [...word].length;
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Every string one deletion, transposition, substitution or insertion (a–z) away from `word`. */
export function oneTypoAway(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail.length > 0) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + (tail[1] ?? "") + (tail[0] ?? "") + tail.slice(2));
    for (const letter of LETTERS) {
      if (tail.length > 0 && letter !== tail[0]) out.add(head + letter + tail.slice(1));
      out.add(head + letter + tail);
    }
  }
  out.delete(word);
  return [...out];
}

/** Edit distance where a swap of two neighbouring letters counts once (optimal string alignment). */
export function typoDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  // d[i][j]: typos between the first i letters of a and the first j of b; the first row and column count insertions.
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 || j === 0 ? i + j : 0)),
  );
  for (let i = 1; i < rows; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      row[j] = best;
    }
  }
  return (d[rows - 1] as number[])[cols - 1] ?? 0;
}

export type TypoCandidate = { term: string; documents: number };

/**
 * The correction for a word among vocabulary candidates: within the allowed typos, the one most documents hold (a
 * common word beats a rare near-identical one: "daedlaus" → "daedalus", not "daed"), fewer typos breaking ties.
 */
export function chooseCorrection(word: string, candidates: TypoCandidate[]): string | null {
  const allowed = allowedTypos(word);
  if (allowed === 0) return null;
  let best: { term: string; documents: number; distance: number } | null = null;
  for (const candidate of candidates) {
    if (candidate.term === word) continue;
    const distance = typoDistance(word, candidate.term);
    if (distance === 0 || distance > allowed) continue;
    if (
      !best ||
      candidate.documents > best.documents ||
      (candidate.documents === best.documents &&
        (distance < best.distance || (distance === best.distance && candidate.term < best.term)))
    ) {
      best = { term: candidate.term, documents: candidate.documents, distance };
    }
  }
  return best?.term ?? null;
}
