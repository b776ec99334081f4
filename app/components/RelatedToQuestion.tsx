/** Beside a question: the step-by-step how-tos on the same subject, and related questions. */
import { Link } from "@remix-run/react";
import { QuestionList, type QuestionListItem } from "~/components/QuestionList";
import { howtoPath } from "~/lib/howtos";

export function RelatedToQuestion({
  howtos,
  questions,
}: {
  howtos: { id: number; title: string; isPlainLanguage: boolean }[];
  questions: QuestionListItem[];
}) {
  return (
    <>
      {howtos.length > 0 ? (
        <aside aria-labelledby="related-howtos-heading" className="space-y-2 print:hidden">
          <h2 id="related-howtos-heading" className="text-lg font-semibold">
            Step-by-step how-tos on this
          </h2>
          <ul className="space-y-1">
            {howtos.map((howto) => (
              <li key={howto.id}>
                <Link to={howtoPath(howto.id)} dir="auto">
                  {howto.title}
                </Link>
                {howto.isPlainLanguage ? (
                  <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">plain language</span>
                ) : null}
              </li>
            ))}
          </ul>
        </aside>
      ) : null}

      {questions.length > 0 ? (
        <aside aria-labelledby="related-heading" className="space-y-3 print:hidden">
          <h2 id="related-heading" className="text-lg font-semibold">
            Related questions
          </h2>
          <QuestionList questions={questions} showSpace={false} emptyText="" />
        </aside>
      ) : null}
    </>
  );
}
