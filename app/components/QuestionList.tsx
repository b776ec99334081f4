/** A list of questions with votes, answers, solved state, tags, author and age; compact enough for a phone. */
import { Link } from "@remix-run/react";
import { fullDate, timeAgo } from "~/lib/time";

export type QuestionListItem = {
  id: number;
  title: string;
  score: number;
  answerCount: number;
  isSolved: boolean;
  isPlainLanguage: boolean;
  lastActivityAt: string | Date;
  author: { name: string; handle: string | null };
  space: { slug: string; name: string };
  tags: string[];
};

export function QuestionList({ questions, showSpace = true, emptyText }: { questions: QuestionListItem[]; showSpace?: boolean; emptyText: string }) {
  if (questions.length === 0) return <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">{emptyText}</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {questions.map((q) => (
        <li key={q.id} className="flex gap-3 p-3 sm:p-4">
          <div className="flex w-20 shrink-0 flex-col items-end gap-1 text-xs text-slate-600 dark:text-slate-400">
            <span>
              <span className="font-semibold text-slate-900 dark:text-slate-100">{q.score}</span> votes
            </span>
            <span
              className={
                q.isSolved
                  ? "rounded bg-green-700 px-1.5 py-0.5 font-semibold text-white"
                  : q.answerCount > 0
                    ? "rounded border border-green-700 px-1.5 py-0.5 text-green-800 dark:border-green-500 dark:text-green-300"
                    : ""
              }
            >
              {q.isSolved ? <span className="sr-only">Solved, </span> : null}
              {q.answerCount} {q.answerCount === 1 ? "answer" : "answers"}
            </span>
          </div>
          <div className="min-w-0 flex-1">
            <h3 className="font-medium leading-snug">
              <Link to={`/q/${q.id}`} className="no-underline hover:underline">{q.title}</Link>
            </h3>
            <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
              {q.isPlainLanguage ? <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">Plain language</span> : null}
              {q.tags.map((t) => (
                <span key={t} className="rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                  {t}
                </span>
              ))}
            </div>
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              {q.author.handle ? <Link to={`/u/${q.author.handle}`}>{q.author.name}</Link> : q.author.name}
              {showSpace ? (
                <>
                  {" in "}
                  <Link to={`/s/${q.space.slug}`}>{q.space.name}</Link>
                </>
              ) : null}{" "}
              · active <time dateTime={new Date(q.lastActivityAt).toISOString()} title={fullDate(q.lastActivityAt)}>{timeAgo(q.lastActivityAt)}</time>
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
