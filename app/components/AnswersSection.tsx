/**
 * The answers on a question's page: their count and every answer card. Its server HTML is cached as one piece (see
 * app/lib/cached-html.tsx) by everything it shows, so a signed-in reader's page does not put thirty cards together
 * again on every request; a new piece (after a vote, an edit, a comment, an accepted answer, a deletion, or for a
 * viewer whose votes or permissions differ) takes each card from the card cache.
 */
import { useLocation } from "@remix-run/react";
import { AnswerCard, type AnswerCardItem } from "~/components/AnswerCard";
import { useQaPage } from "~/components/QaPageContext";
// Server only: the browser's bundle gets an empty module here and never calls it (see CachedHtml).
import { answersSectionCache } from "~/components/answer-card-key.server";
import { CachedHtml } from "~/lib/cached-html";
import type { PostSource } from "~/models/post-sources.types";

export function AnswersSection({
  answers,
  sources,
}: {
  answers: readonly AnswerCardItem[];
  sources: Readonly<Record<number, PostSource>>;
}) {
  const page = useQaPage();
  const location = useLocation();
  return (
    <CachedHtml
      as="section"
      attributes={{ "aria-labelledby": "answers-heading", className: "space-y-4" }}
      cache={() => answersSectionCache(answers, sources, page, location)}
    >
      <AnswersList answers={answers} sources={sources} />
    </CachedHtml>
  );
}

function AnswersList({
  answers,
  sources,
}: {
  answers: readonly AnswerCardItem[];
  sources: Readonly<Record<number, PostSource>>;
}) {
  const visibleAnswers = answers.filter((a) => !a.deletedAt).length;
  return (
    <>
      <h2 id="answers-heading" className="text-lg font-semibold">
        {visibleAnswers} {visibleAnswers === 1 ? "answer" : "answers"}
      </h2>
      {answers.length > 1 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          The accepted answer comes first, then the highest voted.
        </p>
      ) : null}
      {answers.map((a) => (
        <AnswerCard key={a.id} answer={a} source={sources[a.id]} />
      ))}
    </>
  );
}
