/**
 * schema.org QAPage structured data for a question's page, so search engines can show the accepted answer. Made by the
 * loader for the server render of the signed-out page only (app/components/QaPageJsonLd.tsx): no browser code needs it.
 */
import { htmlToText, jsonForScript } from "~/lib/structured-data";

type Person = { authorName: string };
export type JsonLdQuestion = Person & {
  title: string | null;
  bodyHtml: string;
  score: number;
  createdAt: string | Date;
};
export type JsonLdAnswer = Person & {
  id: number;
  bodyHtml: string;
  score: number;
  createdAt: string | Date;
  isAccepted: boolean;
};

/** The QAPage JSON, escaped for a script element. */
export function qaPageJsonLd({
  url,
  question,
  answers,
}: {
  url: string;
  question: JsonLdQuestion;
  answers: JsonLdAnswer[];
}): string {
  const toAnswer = (a: JsonLdAnswer) => ({
    "@type": "Answer",
    text: htmlToText(a.bodyHtml),
    upvoteCount: a.score,
    dateCreated: new Date(a.createdAt).toISOString(),
    url: `${url}#answer-${a.id}`,
    author: { "@type": "Person", name: a.authorName },
  });
  const accepted = answers.find((a) => a.isAccepted);
  const suggested = answers.filter((a) => !a.isAccepted);
  const json = {
    "@context": "https://schema.org",
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: question.title,
      text: htmlToText(question.bodyHtml),
      answerCount: answers.length,
      upvoteCount: question.score,
      dateCreated: new Date(question.createdAt).toISOString(),
      author: { "@type": "Person", name: question.authorName },
      ...(accepted ? { acceptedAnswer: toAnswer(accepted) } : {}),
      ...(suggested.length > 0 ? { suggestedAnswer: suggested.map(toAnswer) } : {}),
    },
  };
  return jsonForScript(json);
}
