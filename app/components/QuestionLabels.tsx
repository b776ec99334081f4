/** Under a question's title: whether it asks for plain language or is technical, and its tags (each a link to its list). */
import { Link } from "@remix-run/react";
import { cx } from "~/lib/cx";

export function QuestionLabels({ isPlainLanguage, tags }: { isPlainLanguage: boolean; tags: string[] }) {
  return (
    <div className="flex flex-wrap gap-1.5 text-xs">
      {isPlainLanguage ? (
        <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
          Plain language please
        </span>
      ) : (
        <span className="rounded-full bg-sky-100 px-2 py-0.5 font-medium text-sky-900 dark:bg-sky-900 dark:text-sky-100">
          Technical
        </span>
      )}
      {tags.map((t) => (
        <Link
          key={t}
          to={`/questions?tag=${encodeURIComponent(t)}`}
          dir="auto"
          className={cx(
            "inline-flex min-h-6 items-center rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 no-underline",
            "hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300",
          )}
          aria-label={`Questions tagged ${t}`}
        >
          {t}
        </Link>
      ))}
    </div>
  );
}
