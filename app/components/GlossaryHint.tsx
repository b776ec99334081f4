/**
 * Under the answer box of a plain-language question: the glossary terms the draft uses that its reader may not know
 * ("Your reader may not know: VPN — add a short explanation?"). The glossary is fetched once and matched in the
 * browser as the person types; without JavaScript nothing is shown (the posted answer still explains terms by tap).
 */
import { type RefObject, useEffect, useState } from "react";
import { type MatchableEntry, buildGlossaryMatcher, findTermsIn, normalizeTerm } from "~/lib/glossary-match";

type HintEntry = MatchableEntry & { expansion: string };

// Typing is not interrupted by matching on every key.
const MATCH_DELAY_MS = 300;

function isHintEntry(value: unknown): value is HintEntry {
  if (!value || typeof value !== "object") return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.term === "string" &&
    typeof entry.slug === "string" &&
    typeof entry.expansion === "string" &&
    Array.isArray(entry.synonyms)
  );
}

async function loadGlossary(): Promise<HintEntry[]> {
  const response = await fetch("/api/glossary/terms");
  if (!response.ok) return [];
  const body: unknown = await response.json();
  const terms = body && typeof body === "object" && "terms" in body && Array.isArray(body.terms) ? body.terms : [];
  return terms
    .filter(isHintEntry)
    .map((entry) => ({ ...entry, synonyms: entry.synonyms.filter((s): s is string => typeof s === "string") }));
}

/** Terms the draft uses without saying what they stand for (a draft that spells out "virtual private network" is fine). */
export function unexplainedTerms(
  matcher: ReturnType<typeof buildGlossaryMatcher<HintEntry>>,
  draft: string,
): HintEntry[] {
  const text = normalizeTerm(draft);
  return findTermsIn(matcher, draft).filter(
    (entry) => !(entry.expansion && text.includes(normalizeTerm(entry.expansion))),
  );
}

export function GlossaryHint({ formRef, fieldName }: { formRef: RefObject<HTMLFormElement>; fieldName: string }) {
  const [entries, setEntries] = useState<HintEntry[] | null>(null);
  const [found, setFound] = useState<HintEntry[]>([]);

  useEffect(() => {
    let isCurrent = true;
    loadGlossary()
      .then((loaded) => {
        if (isCurrent) setEntries(loaded);
      })
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, []);

  useEffect(() => {
    const form = formRef.current;
    if (!form || !entries || entries.length === 0) return;
    const matcher = buildGlossaryMatcher(entries);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      const field = form.elements.namedItem(fieldName);
      if (field instanceof HTMLTextAreaElement) setFound(unexplainedTerms(matcher, field.value));
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(update, MATCH_DELAY_MS);
    };
    update();
    form.addEventListener("input", schedule);
    return () => {
      clearTimeout(timer);
      form.removeEventListener("input", schedule);
    };
  }, [entries, formRef, fieldName]);

  return (
    <div aria-live="polite" className="text-sm">
      {found.length > 0 ? (
        <p
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
          data-testid="glossary-hint"
        >
          Your reader may not know:{" "}
          {found.map((entry, index) => (
            <span key={entry.slug}>
              {index > 0 ? ", " : null}
              <a
                href={`/glossary#${entry.slug}`}
                target="_blank"
                rel="noreferrer"
                className="font-semibold text-amber-950 dark:text-amber-100"
              >
                {entry.term}
              </a>
            </span>
          ))}{" "}
          — add a short explanation?
        </p>
      ) : null}
    </div>
  );
}
