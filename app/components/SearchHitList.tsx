/** Search results: kind, highlighted title and excerpt, space, tags, votes, answers and age. Phone-first. */
import { Link } from "@remix-run/react";
import { RelativeTime } from "~/components/RelativeTime";
import { answerPath } from "~/lib/qa";
import { KIND_LABELS, hitPath } from "~/search/present";
import type { SearchHit } from "~/search/types";

/** The engines return titleHtml/snippetHtml escaped, with only <mark> added (see app/search/highlight.ts). */
function Marked({ html, className }: { html: string; className?: string }) {
  // Titles and excerpts people wrote, in any language: each takes its direction from its own text.
  return <span dir="auto" className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** One result per thread: the answer in it that matched best, with a link to it and whether the asker accepted it. */
function BestAnswer({ hit, answer }: { hit: SearchHit; answer: NonNullable<SearchHit["answer"]> }) {
  const label = answer.isAccepted ? "Accepted answer" : "Best-matching answer";
  return (
    <div className="search-best-answer mt-1 border-l-2 border-slate-300 pl-3 text-sm dark:border-slate-600">
      <Link to={answerPath(hit.id, hit.title, answer.id)} className="text-xs font-medium">
        {answer.isAccepted ? <span aria-hidden="true">✓ </span> : null}
        {label}
      </Link>
      {answer.snippetHtml ? (
        <Marked html={answer.snippetHtml} className="search-snippet block text-slate-700 dark:text-slate-300" />
      ) : null}
    </div>
  );
}

export function SearchHitList({ hits, tagHref }: { hits: SearchHit[]; tagHref: (tag: string) => string }) {
  return (
    <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {hits.map((hit) => (
        <li key={hit.id} className="space-y-1 p-3 sm:p-4">
          <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            <span className="rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200">
              {KIND_LABELS[hit.kind].one}
            </span>
            {hit.isSolved ? (
              <span className="rounded border border-emerald-700 px-1.5 py-0.5 font-medium text-emerald-800 dark:border-emerald-400 dark:text-emerald-300">
                {hit.kind === "answer" ? "Accepted" : "Solved"}
              </span>
            ) : null}
            {hit.isPlainLanguage ? (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                Plain language
              </span>
            ) : null}
            <span>
              in <bdi>{hit.spaceName}</bdi>
            </span>
          </div>
          <h2 className="text-base font-semibold leading-snug">
            <Link to={hitPath(hit)} className="search-hit-title">
              {hit.kind === "answer" ? <span className="sr-only">Answer to: </span> : null}
              <Marked html={hit.titleHtml} />
            </Link>
          </h2>
          {hit.snippetHtml ? (
            <Marked
              html={hit.snippetHtml}
              className="search-snippet block text-sm text-slate-700 dark:text-slate-300"
            />
          ) : null}
          {hit.answer ? <BestAnswer hit={hit} answer={hit.answer} /> : null}
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 pt-1 text-xs text-slate-600 dark:text-slate-400">
            {hit.kind === "howto" ? null : (
              <span>
                {hit.score} {Math.abs(hit.score) === 1 ? "vote" : "votes"}
              </span>
            )}
            {hit.kind === "question" ? (
              <span>
                {hit.answerCount} {hit.answerCount === 1 ? "answer" : "answers"}
              </span>
            ) : null}
            <span>
              {hit.kind === "session" ? "Answered live by " : ""}
              <span dir="auto">{hit.authorName}</span> · <RelativeTime date={hit.createdAt} />
            </span>
            {hit.tags.length > 0 ? (
              <ul className="flex flex-wrap gap-1" aria-label="Tags">
                {hit.tags.map((tag) => (
                  <li key={tag}>
                    <Link
                      to={tagHref(tag)}
                      dir="auto"
                      className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700 no-underline hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-200"
                    >
                      {tag}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
