/**
 * Search for scripts and for the header's suggestions: `GET /api/search?q=…` with the same filters as /search
 * (kind, space, tag, solved, unanswered, plain, sort, page, perPage). `suggest=1` answers as-you-type: the last
 * word counts as a prefix, facet counts are left out, and each thread is named once (up to 6 hits).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { answerPath } from "~/lib/qa";
import { hitPath } from "~/search/present";
import { runSearch } from "~/search/request.server";
import type { SearchHit } from "~/search/types";

/** Suggestions name a thread once: an answer whose question (or a sibling answer) is already listed adds nothing. */
function onePerThread(hits: SearchHit[]): SearchHit[] {
  const seen = new Set<number>();
  return hits.filter((hit) => {
    const thread = hit.questionId ?? hit.id;
    if (seen.has(thread)) return false;
    seen.add(thread);
    return true;
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const isSuggest = params.get("suggest") === "1";
  const outcome = await runSearch(context, params, isSuggest ? { perPage: 10, withFacets: false, isPrefix: true } : {});
  const { query, text, message, error, result } = outcome;
  const body = {
    query: text,
    parsed: {
      words: query.words,
      phrases: query.phrases,
      kinds: query.kinds ?? null,
      space: query.spaceSlug ?? null,
      tag: query.tag ?? null,
    },
    sort: query.sort,
    page: query.page,
    perPage: query.perPage,
    total: result?.total ?? 0,
    totalIsLowerBound: result?.isTotalCapped ?? false,
    correctedQuery: result?.correctedText ?? null,
    partialMatch: result?.isPartialMatch ?? false,
    message: error ?? message,
    facets: result?.facets ?? null,
    hits: (isSuggest ? onePerThread(result?.hits ?? []).slice(0, 6) : (result?.hits ?? [])).map((hit) => ({
      ...hit,
      url: hitPath(hit),
      createdAt: new Date(hit.createdAt).toISOString(),
      // One hit per thread: the best-matching answer of a question, with its own link (null when no answer matched).
      answer: hit.answer ? { ...hit.answer, url: answerPath(hit.id, hit.title, hit.answer.id) } : null,
    })),
  };
  return Response.json(body, {
    status: error ? 503 : 200,
    headers: { "Cache-Control": "private, max-age=10", ...(error ? { "Retry-After": "30" } : {}) },
  });
}
