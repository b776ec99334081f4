/** Spaces as cards: name, description and how many questions each holds. */
import { Link } from "@remix-run/react";

export type SpaceCard = {
  slug: string;
  name: string;
  description: string;
  questionCount: number;
  isPlainLanguage: boolean;
};

/** `headingLevel`: one below the heading the cards sit under (the home page's "Spaces" h2; /spaces' own h1). */
export function SpaceCards({ spaces, headingLevel = 3 }: { spaces: SpaceCard[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {spaces.map((s) => (
        <li
          key={s.slug}
          className="rounded-lg border border-slate-200 p-4 hover:border-brand-500 dark:border-slate-800"
        >
          <Heading className="font-semibold">
            <Link to={`/s/${s.slug}`} dir="auto" className="no-underline hover:underline">
              {s.name}
            </Link>
          </Heading>
          <p dir="auto" className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {s.description}
          </p>
          <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
            {s.questionCount} {s.questionCount === 1 ? "question" : "questions"}
            {s.isPlainLanguage ? " · plain language" : ""}
          </p>
        </li>
      ))}
    </ul>
  );
}
