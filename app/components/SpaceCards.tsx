/** Spaces as cards: name, description and how many questions each holds. */
import { Link } from "@remix-run/react";

export type SpaceCard = {
  slug: string;
  name: string;
  description: string;
  questionCount: number;
  isPlainLanguage: boolean;
};

export function SpaceCards({ spaces }: { spaces: SpaceCard[] }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {spaces.map((s) => (
        <li
          key={s.slug}
          className="rounded-lg border border-slate-200 p-4 hover:border-brand-500 dark:border-slate-800"
        >
          <h3 className="font-semibold">
            <Link to={`/s/${s.slug}`} className="no-underline hover:underline">
              {s.name}
            </Link>
          </h3>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{s.description}</p>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            {s.questionCount} {s.questionCount === 1 ? "question" : "questions"}
            {s.isPlainLanguage ? " · plain language" : ""}
          </p>
        </li>
      ))}
    </ul>
  );
}
