/** Where a question's structured data (app/lib/qa-page-json-ld.server.ts) goes in the page the server renders. */
import { useContext } from "react";
import { KeptHtmlContext } from "~/components/PostHtml";

/** Its key among what the loader kept for the server render (app/lib/html-once.server.ts). */
export const QA_JSON_LD_ID = "qa-json-ld";

/**
 * A data block, not a script: browsers never run it, so it needs no CSP nonce. Only the server render has it (the
 * signed-out page, which search engines read, is not hydrated): the JSON holds every answer's text, which neither the
 * browser's code nor the page data need to carry.
 */
export function QaPageJsonLd() {
  const json = useContext(KeptHtmlContext)?.get(QA_JSON_LD_ID);
  return json ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} /> : null;
}
