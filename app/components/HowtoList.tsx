/** A list of how-tos: title, summary, difficulty, time, steps, "helpful" counts, plain-language badge, tags, space and author. */
import { Link } from "@remix-run/react";
import type { Difficulty } from "#db/schema";
import { DIFFICULTY_LABELS, formatMinutes, howtoPath } from "~/lib/howtos";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { cx } from "~/lib/cx";

export type HowtoListItem = {
  id: number;
  title: string;
  summary: string;
  difficulty: Difficulty | null;
  estimatedMinutes: number | null;
  stepCount: number;
  helpfulYes: number;
  helpfulNo: number;
  isPlainLanguage: boolean;
  createdAt: string | Date;
  author: { name: string; handle: string | null };
  space: { slug: string; name: string };
  tags: string[];
};

export function PlainLanguageBadge() {
  return (
    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
      Plain language
    </span>
  );
}

export function HowtoList({
  howtos,
  showSpace = true,
  emptyText,
  headingLevel = 3,
}: {
  howtos: HowtoListItem[];
  showSpace?: boolean;
  emptyText: string;
  headingLevel?: 2 | 3;
}) {
  if (howtos.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
        {emptyText}
      </p>
    );
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
      {howtos.map((h) => (
        <li key={h.id} className="p-3 sm:p-4">
          <Heading className="font-medium leading-snug">
            <span className="mr-1.5 rounded bg-brand-100 px-1.5 py-0.5 align-middle text-xs font-semibold text-brand-700 dark:bg-brand-700 dark:text-white">
              How-to
            </span>
            <Link to={howtoPath(h.id)} dir="auto" className="no-underline hover:underline">
              {h.title}
            </Link>
          </Heading>
          <p dir="auto" className="mt-1 line-clamp-2 text-sm text-slate-700 dark:text-slate-300">
            {h.summary}
          </p>
          <p className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
            {h.difficulty ? <span>{DIFFICULTY_LABELS[h.difficulty]}</span> : null}
            {h.estimatedMinutes ? <span>About {formatMinutes(h.estimatedMinutes)}</span> : null}
            <span>
              {h.stepCount} {h.stepCount === 1 ? "step" : "steps"}
            </span>
            <span>
              {h.helpfulYes} found it helpful
              {h.helpfulNo > 0 ? `, ${h.helpfulNo} didn't` : ""}
            </span>
          </p>
          <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs">
            {h.isPlainLanguage ? <PlainLanguageBadge /> : null}
            {h.tags.map((t) => (
              <Link
                key={t}
                to={`/howtos?tag=${encodeURIComponent(t)}`}
                dir="auto"
                className={cx(
                  "inline-flex min-h-6 items-center rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 no-underline",
                  "hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:hover:bg-slate-700",
                )}
                aria-label={`How-tos tagged ${t}`}
              >
                {t}
              </Link>
            ))}
          </div>
          <p className="mt-1.5 text-xs text-slate-600 dark:text-slate-400">
            {showSpace ? (
              <>
                <Link to={`/howtos?space=${encodeURIComponent(h.space.slug)}`} dir="auto">
                  {h.space.name}
                </Link>
                {" · "}
              </>
            ) : null}
            by <PersonName name={h.author.name} handle={h.author.handle} /> <RelativeTime date={h.createdAt} />
          </p>
        </li>
      ))}
    </ul>
  );
}
