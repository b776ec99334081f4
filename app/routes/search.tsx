/**
 * Search: words, "phrases", tag:/space:/is: operators, filters with counts, sort and pages. A plain GET form,
 * so it works without JavaScript; with it, results follow the typing (debounced) without reloading.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { PastLastPage } from "~/components/PastLastPage";
import { type AppliedFilter, SearchAppliedFilters } from "~/components/SearchAppliedFilters";
import { SearchHitList } from "~/components/SearchHitList";
import { Button } from "~/components/ui/Button";
import { useIsHydrated } from "~/lib/hydrated";
import { getSearchableSpaceNames } from "~/models/public-data-memo.server";
import { KIND_LABELS } from "~/search/present";
import { runSearch } from "~/search/request.server";
import { SEARCH_KINDS, SEARCH_LIMITS, type SearchKind, type SearchSort } from "~/search/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.text ? `“${data.text}” · Search · PeerDesk` : "Search · PeerDesk" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const [outcome, spaces] = await Promise.all([
    runSearch(context, url.searchParams),
    getSearchableSpaceNames(context.services.db),
  ]);
  const { query, chosen, text, message, error, result, isSearchable } = outcome;
  // Signed-out searches come from the page cache: dropped with any change to what lists show (a post added, edited,
  // deleted or moved: a deleted post never stays in a stored result), kept at most a minute otherwise (what the search
  // index learns a moment after the write: a new post, an answer's new score or wording).
  const headers = publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.untracked });
  return data(
    {
      text,
      message,
      error,
      isSearchable,
      spaces,
      // What was chosen in the form, not operators typed in the text (those apply only while they are there).
      filters: {
        kinds: chosen.kinds,
        space: chosen.spaceSlug ?? "",
        tag: chosen.tag ?? "",
        solved: chosen.isSolved,
        unanswered: chosen.isUnanswered,
        plain: chosen.isPlainLanguage,
        sort: query.sort,
      },
      page: query.page,
      askedPage: askedPage(url.searchParams, query.page),
      perPage: query.perPage,
      result,
    },
    { headers },
  );
}

export const headers = publicPageHeadersFunction;

/** The page number in the address, as asked for (searches stop at a last page; "there is no page 999" names the 999). */
function askedPage(params: URLSearchParams, page: number): number {
  const asked = Number.parseInt(params.get("page") ?? "", 10);
  return Number.isSafeInteger(asked) && asked > page ? asked : page;
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Filters = LoaderData["filters"];
type SpaceName = LoaderData["spaces"][number];

const SORT_LABELS: Record<SearchSort, string> = { relevance: "Best match", newest: "Newest", votes: "Most votes" };
const DEBOUNCE_MS = 250;
/**
 * Ticking filters and choosing from lists waits this long, so a few quick changes make one search instead of
 * starting and cancelling one each (Remix logs every cancelled page-data read as an error in the console).
 */
const CHOICE_DELAY_MS = 120;

/** The query string for this search with some filters changed (page resets unless given). */
function searchHref(text: string, filters: Filters, change: Partial<Filters> & { page?: number }): string {
  const next = { ...filters, ...change };
  const params = new URLSearchParams();
  if (text) params.set("q", text);
  for (const kind of next.kinds) params.append("kind", kind);
  if (next.space) params.set("space", next.space);
  if (next.tag) params.set("tag", next.tag);
  if (next.solved) params.set("solved", "1");
  if (next.unanswered) params.set("unanswered", "1");
  if (next.plain) params.set("plain", "1");
  if (next.sort !== "relevance") params.set("sort", next.sort);
  if (change.page && change.page > 1) params.set("page", String(change.page));
  return `/search?${params}`;
}

/** What the live region says about the results: empty until there are some to count. */
function resultsSummary(result: LoaderData["result"], text: string, page: number, pageCount: number): string {
  if (!result) return "";
  const noun = result.total === 1 ? "result" : "results";
  const pages = pageCount > 1 && page <= pageCount ? ` · page ${page} of ${pageCount}` : "";
  return `${result.total.toLocaleString("en")}${result.isTotalCapped ? "+" : ""} ${noun}${text ? ` for “${text}”` : ""}${pages}`;
}

/** Ask a question, its title started from what was searched for. */
function askHref(text: string): string {
  return text ? `/ask?title=${encodeURIComponent(text)}` : "/ask";
}

function count(n: number | undefined): string {
  return n === undefined ? "" : ` (${n.toLocaleString("en")})`;
}

function spaceLabel(space: SpaceName): string {
  return space.isArchived ? `${space.name} (archived)` : space.name;
}

/** Every filter in force, with the address of this search without it. */
function appliedFilters(text: string, filters: Filters, spaces: SpaceName[]): AppliedFilter[] {
  const applied: AppliedFilter[] = filters.kinds.map((kind) => ({
    label: KIND_LABELS[kind].many,
    removeHref: searchHref(text, filters, { kinds: filters.kinds.filter((other) => other !== kind) }),
  }));
  if (filters.space) {
    const space = spaces.find((candidate) => candidate.slug === filters.space);
    const label = `Space: ${space ? spaceLabel(space) : filters.space}`;
    applied.push({ label, removeHref: searchHref(text, filters, { space: "" }) });
  }
  if (filters.tag) applied.push({ label: `Tag: ${filters.tag}`, removeHref: searchHref(text, filters, { tag: "" }) });
  if (filters.solved) applied.push({ label: "Solved", removeHref: searchHref(text, filters, { solved: false }) });
  if (filters.unanswered)
    applied.push({ label: "Unanswered", removeHref: searchHref(text, filters, { unanswered: false }) });
  if (filters.plain) applied.push({ label: "Plain language", removeHref: searchHref(text, filters, { plain: false }) });
  return applied;
}

/**
 * Puts the loader's words and filters into the form's controls (a search started elsewhere, a removed filter, Back),
 * never into the one being used: the controls start from `default…` props, which React does not apply again.
 */
function showInForm(form: HTMLFormElement, text: string, filters: Filters): void {
  const chosen: Record<string, (value: string) => boolean> = {
    kind: (value) => filters.kinds.some((kind) => kind === value),
    solved: () => filters.solved,
    unanswered: () => filters.unanswered,
    plain: () => filters.plain,
  };
  const values: Record<string, string> = { q: text, tag: filters.tag, space: filters.space, sort: filters.sort };
  for (const control of Array.from(form.elements)) {
    if (control === document.activeElement) continue;
    if (control instanceof HTMLInputElement && control.type === "checkbox") {
      control.checked = chosen[control.name]?.(control.value) ?? control.checked;
    } else if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) {
      const value = values[control.name];
      if (value !== undefined) control.value = value;
    }
  }
}

export default function Search() {
  const { text, message, error, isSearchable, spaces, filters, page, askedPage, perPage, result } =
    useLoaderData<typeof loader>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const isHydrated = useIsHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  // A search started elsewhere (header box, a tag link, a removed filter) shows in the form, once per loader answer.
  useEffect(() => {
    if (formRef.current) showInForm(formRef.current, text, filters);
  }, [text, filters]);
  const applied = appliedFilters(text, filters, spaces);
  const [isFiltersOpen, setIsFiltersOpen] = useState(applied.length > 0);
  const isSearching = navigation.state === "loading" && navigation.location.pathname === "/search";

  // As-you-type: submit the form after a pause, replacing the history entry so Back leaves the search page.
  const submitSoon = (delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (formRef.current) submit(formRef.current, { replace: true, preventScrollReset: true });
    }, delay);
  };

  const facets = result?.facets ?? null;
  const total = result?.total ?? 0;
  const pageCount = Math.min(Math.ceil(total / perPage), SEARCH_LIMITS.maxPage);
  const isPastLastPage = total > 0 && (askedPage > pageCount || (page > 1 && (result?.hits.length ?? 0) === 0));
  const tagHref = (tag: string) => searchHref(text, filters, { tag });

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Search</h1>
      <Form
        ref={formRef}
        method="get"
        action="/search"
        role="search"
        aria-label="Search words and filters"
        className="space-y-3"
        onChange={(event) =>
          submitSoon(
            event.target instanceof HTMLInputElement && event.target.type !== "checkbox"
              ? DEBOUNCE_MS
              : CHOICE_DELAY_MS,
          )
        }
      >
        <div className="flex gap-2">
          <label htmlFor="search-page-q" className="sr-only">
            Search words
          </label>
          <input
            id="search-page-q"
            name="q"
            type="search"
            defaultValue={text}
            maxLength={SEARCH_LIMITS.maxInputLength * 10}
            autoComplete="off"
            placeholder="e.g. Outlook keeps asking for my password"
            aria-describedby="search-syntax"
            className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-600 dark:bg-slate-900"
          />
          <Button type="submit">Search</Button>
        </div>
        <p id="search-syntax" className="text-xs text-slate-600 dark:text-slate-400">
          Describe the problem in your own words; typos are forgiven.
        </p>
        <details className="text-xs text-slate-600 dark:text-slate-400">
          <summary className="cursor-pointer">Search tips</summary>
          <p className="mt-1">
            Use “quotes” for an exact phrase, <code>tag:vpn</code> or <code>space:networking</code> to narrow down,{" "}
            <code>is:solved</code> for questions with an accepted answer, <code>is:unanswered</code> for those still
            waiting.
          </p>
        </details>
        <details
          className="rounded-lg border border-slate-200 p-3 dark:border-slate-800"
          open={isFiltersOpen}
          onToggle={(event) => setIsFiltersOpen(event.currentTarget.open)}
        >
          <summary className="cursor-pointer text-sm font-medium">
            Filters and sorting{applied.length > 0 ? ` (${applied.length} on)` : ""}
          </summary>
          <div className="mt-3 grid gap-4 sm:grid-cols-2">
            <fieldset>
              <legend className="mb-1 text-sm font-medium">Show</legend>
              <div className="flex flex-wrap gap-x-4 gap-y-2">
                {SEARCH_KINDS.map((kind: SearchKind) => (
                  <label key={kind} className="flex min-h-11 items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="kind"
                      value={kind}
                      defaultChecked={filters.kinds.includes(kind)}
                      className="size-5"
                    />
                    {KIND_LABELS[kind].many}
                    {count(facets?.kind[kind])}
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset>
              <legend className="mb-1 text-sm font-medium">Only</legend>
              <div className="flex flex-wrap gap-x-4 gap-y-2">
                <label className="flex min-h-11 items-center gap-2 text-sm">
                  <input type="checkbox" name="solved" value="1" defaultChecked={filters.solved} className="size-5" />
                  Solved{count(facets?.solved)}
                </label>
                <label className="flex min-h-11 items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="unanswered"
                    value="1"
                    defaultChecked={filters.unanswered}
                    className="size-5"
                  />
                  Unanswered{count(facets?.unanswered)}
                </label>
                <label className="flex min-h-11 items-center gap-2 text-sm">
                  <input type="checkbox" name="plain" value="1" defaultChecked={filters.plain} className="size-5" />
                  Plain language{count(facets?.plainLanguage)}
                </label>
              </div>
            </fieldset>
            <div>
              <label htmlFor="search-space" className="mb-1 block text-sm font-medium">
                Space
              </label>
              <select
                id="search-space"
                name="space"
                defaultValue={filters.space}
                className="block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-600 dark:bg-slate-900"
              >
                <option value="">All spaces</option>
                {spaces.map((space) => (
                  <option key={space.slug} value={space.slug}>
                    {spaceLabel(space)}
                    {count(facets?.space[space.slug] ?? (facets ? 0 : undefined))}
                  </option>
                ))}
                {filters.space && !spaces.some((space) => space.slug === filters.space) ? (
                  <option value={filters.space}>{filters.space} (no such space)</option>
                ) : null}
              </select>
            </div>
            <div>
              <label htmlFor="search-tag" className="mb-1 block text-sm font-medium">
                Tag
              </label>
              <input
                id="search-tag"
                name="tag"
                defaultValue={filters.tag}
                autoComplete="off"
                placeholder="e.g. exchange-online"
                className="block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-600 dark:bg-slate-900"
              />
            </div>
            <div>
              <label htmlFor="search-sort" className="mb-1 block text-sm font-medium">
                Sort by
              </label>
              <select
                id="search-sort"
                name="sort"
                defaultValue={filters.sort}
                className="block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-600 dark:bg-slate-900"
              >
                {(Object.keys(SORT_LABELS) as SearchSort[]).map((sort) => (
                  <option key={sort} value={sort}>
                    {SORT_LABELS[sort]}
                  </option>
                ))}
              </select>
            </div>
            {isHydrated ? null : (
              <div className="flex items-end">
                <Button type="submit" variant="secondary">
                  Apply filters
                </Button>
              </div>
            )}
          </div>
        </details>
      </Form>
      <SearchAppliedFilters filters={applied} />

      {/* Always in the page, so screen readers announce a message when its text arrives. */}
      <p
        role="status"
        className={
          message
            ? "rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-900/30 dark:text-amber-100"
            : undefined
        }
      >
        {message ?? ""}
      </p>
      {error ? (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-900/30 dark:text-red-100">
          {error}
        </p>
      ) : null}

      <section
        aria-labelledby="search-results-heading"
        aria-busy={isSearching}
        className={isSearching ? "opacity-60 transition-opacity" : undefined}
      >
        <h2 id="search-results-heading" className="sr-only">
          Results
        </h2>
        {/* Always in the page (empty before the first search), so the first count is announced too. */}
        <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {resultsSummary(result, text, page, pageCount)}
        </p>
        {result ? (
          <div className="space-y-3">
            {result.correctedText ? (
              <p className="text-sm">
                Including results for <strong>{result.correctedText}</strong>.
              </p>
            ) : null}
            {result.isPartialMatch ? (
              <p className="text-sm">No post has all of those words, so these have some of them.</p>
            ) : null}
            {isPastLastPage ? (
              <PastLastPage
                page={askedPage}
                pageCount={Math.max(pageCount, 1)}
                what="these results"
                lastHref={searchHref(text, filters, { page: Math.min(Math.max(pageCount, 1), askedPage - 1) })}
                onePageLabel="See the results"
              />
            ) : result.hits.length > 0 ? (
              <SearchHitList hits={result.hits} tagHref={tagHref} />
            ) : (
              <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
                <p>Nothing matches that yet. Try fewer or different words, or remove a filter.</p>
                <p className="mt-2">
                  <Link to={askHref(text)}>Ask the community</Link> and someone who has solved it can answer.
                </p>
              </div>
            )}
            {pageCount > 1 && !isPastLastPage ? (
              <nav aria-label="Result pages" className="flex items-center justify-between gap-2">
                {page > 1 ? (
                  <Link
                    rel="prev"
                    to={searchHref(text, filters, { page: page - 1 })}
                    className="rounded-md border border-slate-300 px-3 py-2 no-underline dark:border-slate-700"
                  >
                    ← Previous
                  </Link>
                ) : (
                  <span />
                )}
                {page < pageCount ? (
                  <Link
                    rel="next"
                    to={searchHref(text, filters, { page: page + 1 })}
                    className="rounded-md border border-slate-300 px-3 py-2 no-underline dark:border-slate-700"
                  >
                    Next →
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </div>
        ) : !isSearchable && !error ? (
          <p className="text-slate-600 dark:text-slate-400">
            Search questions, answers and how-tos by what you remember of them: an error message, a product, a few
            words.
          </p>
        ) : null}
      </section>
    </div>
  );
}
