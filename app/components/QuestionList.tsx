/** A list of questions with votes, answers, solved or closed state, tags, author and age; compact enough for a phone. */
import { Link } from "@remix-run/react";
import type { ClosureView } from "~/components/ClosedQuestion";
import { questionPath } from "~/lib/qa";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { cx } from "~/lib/cx";

export type QuestionListItem = {
  id: number;
  title: string;
  score: number;
  answerCount: number;
  isSolved: boolean;
  isPlainLanguage: boolean;
  createdAt?: string | Date;
  lastActivityAt: string | Date;
  author: { name: string; handle: string | null };
  space: { slug: string; name: string };
  tags: string[];
  /** Why it is closed (a duplicate's original, when it has one); null or left out while it is open. */
  closure?: Pick<ClosureView, "reason" | "original"> | null;
};

/** The rest of "Closed …" for each reason; a duplicate whose original is still there names it instead. */
const CLOSED_AS: Record<ClosureView["reason"], string> = {
  duplicate: "as a duplicate",
  off_topic: "as off-topic",
  needs_details: "until it has more details",
};

/**
 * A closed question says so in words, not colour alone. A duplicate's title leads to its original (its page sends
 * readers on), so the label names that original.
 */
function ClosedLabel({ closure }: { closure: Pick<ClosureView, "reason" | "original"> }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1 text-slate-700 dark:text-slate-300">
      <span className="rounded-full border border-slate-500 px-2 py-0.5 font-semibold text-slate-900 dark:border-slate-400 dark:text-slate-100">
        Closed
      </span>
      {closure.reason === "duplicate" && closure.original ? (
        <span>
          as a duplicate of{" "}
          <Link to={questionPath(closure.original.id, closure.original.title)} dir="auto">
            {closure.original.title}
          </Link>
        </span>
      ) : (
        <span>{CLOSED_AS[closure.reason]}</span>
      )}
    </span>
  );
}

export function QuestionList({
  questions,
  showSpace = true,
  emptyText,
  tagHref = (tag) => `/questions?tag=${encodeURIComponent(tag)}`,
  timeShown = "active",
  headingLevel = 3,
}: {
  questions: QuestionListItem[];
  showSpace?: boolean;
  emptyText: string;
  /** Where a tag chip leads: by default the site-wide list filtered by that tag. */
  tagHref?: (tag: string) => string;
  /** "asked" shows when each question was asked (newest lists); "active" when it last changed. */
  timeShown?: "asked" | "active";
  headingLevel?: 2 | 3;
}) {
  if (questions.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
        {emptyText}
      </p>
    );
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {questions.map((q) => {
        const at = timeShown === "asked" && q.createdAt ? q.createdAt : q.lastActivityAt;
        return (
          <li key={q.id} className="flex gap-3 p-3 sm:p-4">
            <div className="flex w-20 shrink-0 flex-col items-end gap-1 text-xs text-slate-600 dark:text-slate-400">
              <span>
                <span className="font-semibold text-slate-900 dark:text-slate-100">{q.score}</span>{" "}
                {Math.abs(q.score) === 1 ? "vote" : "votes"}
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
                {q.isSolved ? (
                  <>
                    <span aria-hidden="true">✓ </span>
                    <span className="sr-only">Solved, </span>
                  </>
                ) : null}
                {q.answerCount} {q.answerCount === 1 ? "answer" : "answers"}
              </span>
            </div>
            <div className="min-w-0 flex-1">
              <Heading dir="auto" className="font-medium leading-snug">
                <Link to={questionPath(q.id, q.title)} dir="auto" className="no-underline hover:underline">
                  {q.title}
                </Link>
              </Heading>
              <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
                {q.closure ? <ClosedLabel closure={q.closure} /> : null}
                {q.isPlainLanguage ? (
                  <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                    Plain language
                  </span>
                ) : null}
                {q.tags.map((t) => (
                  <Link
                    key={t}
                    to={tagHref(t)}
                    dir="auto"
                    className={cx(
                      "inline-flex min-h-6 items-center rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 no-underline",
                      "hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:hover:bg-slate-700",
                    )}
                    aria-label={`Questions tagged ${t}`}
                  >
                    {t}
                  </Link>
                ))}
              </div>
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                <PersonName name={q.author.name} handle={q.author.handle} />
                {showSpace ? (
                  <>
                    {" in "}
                    <Link to={`/s/${q.space.slug}`} dir="auto">
                      {q.space.name}
                    </Link>
                  </>
                ) : null}{" "}
                · {timeShown === "asked" ? "asked" : "active"} <RelativeTime date={at} />
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
