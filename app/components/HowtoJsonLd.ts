/** schema.org HowTo structured data for a how-to's page: its steps as plain text, escaped for a script element. */
import { htmlToText, jsonForScript } from "~/lib/structured-data";

export type JsonLdHowto = {
  title: string;
  summary: string | null;
  estimatedMinutes: number | null;
  tags: string[];
  difficulty: string | null;
  appliesTo: string | null;
  createdAt: string | Date;
  updatedAt: string | Date;
  authorName: string;
  stepsHtml: string[];
};

export function howtoJsonLd(howto: JsonLdHowto, canonicalUrl: string): string {
  return jsonForScript({
    "@context": "https://schema.org",
    "@type": "HowTo",
    name: howto.title,
    description: howto.summary,
    url: canonicalUrl,
    ...(howto.estimatedMinutes ? { totalTime: `PT${howto.estimatedMinutes}M` } : {}),
    ...(howto.tags.length ? { keywords: howto.tags.join(", ") } : {}),
    ...(howto.difficulty ? { educationalLevel: howto.difficulty } : {}),
    ...(howto.appliesTo ? { about: howto.appliesTo } : {}),
    dateCreated: new Date(howto.createdAt).toISOString(),
    dateModified: new Date(howto.updatedAt).toISOString(),
    author: { "@type": "Person", name: howto.authorName },
    step: howto.stepsHtml.map((html, i) => ({
      "@type": "HowToStep",
      position: i + 1,
      name: `Step ${i + 1}`,
      text: htmlToText(html, 1000),
      url: `${canonicalUrl}#step-${i + 1}`,
    })),
  });
}
