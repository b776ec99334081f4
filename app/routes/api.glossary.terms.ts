/**
 * The glossary for editors and scripts. `GET /api/glossary/terms` → every entry's term, anchor, full name, explanation
 * and synonyms (the answer editor matches drafts against it in the browser); `?text=…` → only the entries that text
 * uses, in order of first use. Public, like /glossary, and briefly cacheable.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findGlossaryTerms, getGlossaryIndex } from "~/models/glossary.server";

/** Longer texts are cut: the API is for a sentence or an answer, not a document. */
const TEXT_MAX = 20_000;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const text = new URL(request.url).searchParams.get("text");
  const headers = { "Cache-Control": "public, max-age=60, stale-while-revalidate=300" };
  const toJson = (entry: {
    term: string;
    slug: string;
    expansion: string;
    explanation: string;
    synonyms: string[];
  }) => ({
    term: entry.term,
    slug: entry.slug,
    expansion: entry.expansion,
    explanation: entry.explanation,
    synonyms: entry.synonyms,
  });
  if (text === null) return Response.json({ terms: (await getGlossaryIndex(db)).entries.map(toJson) }, { headers });
  return Response.json({ found: (await findGlossaryTerms(db, text.slice(0, TEXT_MAX))).map(toJson) }, { headers });
}
