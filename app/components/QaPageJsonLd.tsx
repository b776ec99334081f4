/** schema.org QAPage structured data for a question's page, so search engines can show the accepted answer. */
import { useContext } from "react";
import { KeptHtmlContext, postBodyId } from "~/components/PostHtml";
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

type WithBody<T> = Omit<T, "bodyHtml"> & { bodyHtml: string | null };

/**
 * A data block, not a script: browsers never run it, so it needs no CSP nonce. A body missing from the page data (kept
 * for the server render, see app/lib/html-once.server.ts) is taken from what the loader kept.
 */
export function QaPageJsonLd({
  url,
  question,
  answers,
}: {
  url: string;
  question: WithBody<JsonLdQuestion> & { id: number };
  answers: WithBody<JsonLdAnswer>[];
}) {
  const kept = useContext(KeptHtmlContext);
  const body = (id: number, html: string | null) => html ?? kept?.get(postBodyId(id)) ?? "";
  const json = qaPageJsonLd({
    url,
    question: { ...question, bodyHtml: body(question.id, question.bodyHtml) },
    answers: answers.map((a) => ({ ...a, bodyHtml: body(a.id, a.bodyHtml) })),
  });
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />;
}
