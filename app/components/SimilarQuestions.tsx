/**
 * While a question's title is typed, lists existing questions like it (solved first), so the asker may find
 * the answer without posting. Needs JavaScript; without it the form simply works as before.
 */
import { useEffect, useRef, useState } from "react";

type Similar = {
  id: number;
  url: string;
  titleHtml: string;
  isSolved: boolean;
  answerCount: number;
  spaceName: string;
};

const DELAY_MS = 400;

function isSimilarBody(body: unknown): body is { questions: Similar[] } {
  return Boolean(body && typeof body === "object" && "questions" in body && Array.isArray(body.questions));
}

export function SimilarQuestions({ title }: { title: string }) {
  const [found, setFound] = useState<{ title: string; questions: Similar[] }>({ title: "", questions: [] });
  const cache = useRef(new Map<string, Similar[]>());
  const query = title.trim().replace(/\s+/g, " ");

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
  const questions = query.length < 8 ? [] : found.questions;
  return (
    <section
      aria-labelledby="similar-questions-heading"
      aria-live="polite"
      className={
        questions.length
          ? "rounded-lg border border-brand-200 bg-brand-50 p-3 dark:border-slate-700 dark:bg-slate-900"
          : "sr-only"
      }
    >
      <h2 id="similar-questions-heading" className="text-sm font-semibold">
        {questions.length
          ? "These questions look similar. One of them may already have your answer:"
          : "No similar questions found yet."}
      </h2>
      {questions.length ? (
        <ul className="mt-2 space-y-2">
          {questions.map((q) => (
            <li key={q.id} className="text-sm">
              <a href={q.url} target="_blank" rel="noopener" className="font-medium">
                <span dangerouslySetInnerHTML={{ __html: q.titleHtml }} />
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
