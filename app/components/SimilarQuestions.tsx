/**
 * While a question's title is typed, lists existing questions like it (solved first), so the asker may find
 * the answer without posting. As you type needs JavaScript; without it, a refused question lists those the server
 * found for its title. "None found" is said only after a search for the title as it is now.
 */
import { useEffect, useRef, useState } from "react";

export type Similar = {
  id: number;
  url: string;
  titleHtml: string;
  isSolved: boolean;
  answerCount: number;
  spaceName: string;
};

/** The questions found for a title. */
export type SimilarFound = { title: string; questions: Similar[] };

const DELAY_MS = 400;

/** The title as searched: what the server found for a title matches what is typed in the browser. */
function searchedTitle(title: string): string {
  return title.trim().replace(/\s+/g, " ");
}

function isSimilarBody(body: unknown): body is { questions: Similar[] } {
  return Boolean(body && typeof body === "object" && "questions" in body && Array.isArray(body.questions));
}

export function SimilarQuestions({ title, initial }: { title: string; initial?: SimilarFound }) {
  const [found, setFound] = useState<SimilarFound | null>(
    initial ? { title: searchedTitle(initial.title), questions: initial.questions } : null,
  );
  const cache = useRef(new Map<string, Similar[]>(found ? [[found.title, found.questions]] : []));
  const query = searchedTitle(title);

  useEffect(() => {
    if (query.length < 8) return;
    const cached = cache.current.get(query);
    if (cached) {
      setFound({ title: query, questions: cached });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/similar-questions?title=${encodeURIComponent(query)}`, { signal: controller.signal })
        .then((res) => (res.ok ? res.json() : null))
        .then((body: unknown) => {
          const questions = isSimilarBody(body) ? body.questions : [];
          cache.current.set(query, questions);
          setFound({ title: query, questions });
        })
        .catch(() => undefined);
    }, DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  // Keep the last list while the next one loads, so the panel doesn't flicker with every key.
  const questions = query.length < 8 ? [] : (found?.questions ?? []);
  const hasSearched = query.length >= 8 && found?.title === query;
  return (
    <section
      aria-labelledby={questions.length || hasSearched ? "similar-questions-heading" : undefined}
      aria-live="polite"
      className={
        questions.length
          ? "rounded-lg border border-brand-200 bg-brand-50 p-3 dark:border-slate-700 dark:bg-slate-900"
          : "sr-only"
      }
    >
      <SimilarHeading count={questions.length} hasSearched={hasSearched} />
      {questions.length ? (
        <ul className="mt-2 space-y-2">
          {questions.map((q) => (
            <li key={q.id} className="text-sm">
              <a href={q.url} target="_blank" rel="noopener" className="font-medium">
                <span dir="auto" dangerouslySetInnerHTML={{ __html: q.titleHtml }} />
                <span className="sr-only"> (opens in a new tab)</span>
              </a>
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                {q.isSolved ? (
                  <strong className="text-emerald-800 dark:text-emerald-300">Solved</strong>
                ) : (
                  `${q.answerCount} ${q.answerCount === 1 ? "answer" : "answers"}`
                )}{" "}
                · {q.spaceName}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Nothing is said before a search (without JavaScript, or while the first one runs): "none found" would be untrue. */
function SimilarHeading({ count, hasSearched }: { count: number; hasSearched: boolean }) {
  if (!count && !hasSearched) return null;
  return (
    <h2 id="similar-questions-heading" className="text-sm font-semibold">
      {count
        ? "These questions look similar. One of them may already have your answer:"
        : "No similar questions found yet."}
    </h2>
  );
}
