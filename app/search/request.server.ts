/** Runs a search for a request (page, JSON API, header suggestions): parses the query string, searches (hiding anything the database no longer shows) and turns engine trouble into a message. */
import type { AppLoadContext } from "@remix-run/node";
import { logEvent } from "~/lib/log.server";
import { searchPosts } from "./engine.server";
import { type ParsedSearch, parseSearchParams } from "./query";
import type { SearchResult } from "./types";

export type SearchOutcome = ParsedSearch & { result: SearchResult | null; error: string | null };

export const SEARCH_UNAVAILABLE =
  "Search is not answering right now. Please try again in a minute; browsing spaces and tags still works.";

export async function runSearch(
  context: AppLoadContext,
  params: URLSearchParams,
  options: { perPage?: number; withFacets?: boolean; isPrefix?: boolean } = {},
): Promise<SearchOutcome> {
  const parsed = parseSearchParams(params, options);
  if (!parsed.isSearchable) return { ...parsed, result: null, error: null };
  try {
    const result = await searchPosts(context.services, parsed.query);
    return { ...parsed, result, error: null };
  } catch (error) {
    logEvent("error", "search failed", {
      engine: context.services.search.name,
      error: error instanceof Error ? error.message : String(error),
    });
    return { ...parsed, result: null, error: SEARCH_UNAVAILABLE };
  }
}
