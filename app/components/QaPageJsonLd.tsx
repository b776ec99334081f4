/** schema.org QAPage structured data for a question's page, so search engines can show the accepted answer. */
import { withoutGlossaryNotes } from "~/lib/glossary-match";

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

/** Plain text of stored, already sanitised HTML: cheap, and no Markdown re-render at read time. */
export function htmlToText(html: string, max = 2000): string {
  // The page explains glossary terms in popovers; the post's text is what it says without them.
  const text = withoutGlossaryNotes(html)
    .replace(/<\/(p|li|h[1-6]|pre|blockquote|tr|td|th)>|<br\s*\/?>/g, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The JSON, with "<", ">", "&" and line separators escaped so no content can end the script element early. */
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
  return JSON.stringify(json)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A data block, not a script: browsers never run it, so it needs no CSP nonce. */
export function QaPageJsonLd(props: { url: string; question: JsonLdQuestion; answers: JsonLdAnswer[] }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: qaPageJsonLd(props) }} />;
}
