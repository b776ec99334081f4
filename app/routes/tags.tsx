/** /tags: every tag in use, with how many questions and how-tos carry it; find one by name, most used or A–Z first. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { Button } from "~/components/ui/Button";
import { cx } from "~/lib/cx";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { normalizeTag } from "~/lib/tags";
import { TAG_DIRECTORY_PAGE_SIZE, type TagDirectorySort, listTagDirectory } from "~/models/tags.server";
import { NumberedPager } from "~/components/NumberedPager";
import { pageNumberParam } from "~/lib/ids";

export const meta: MetaFunction = ({ error }) =>
  error
    ? errorMeta(error)
    : [
        { title: "Tags · PeerDesk" },
        {
          name: "description",
          content: "The topics people ask and write about on PeerDesk, from VPN and printers to Microsoft 365.",
        },
      ];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const query = normalizeTag((params.get("q") ?? "").slice(0, 200));
  const sort: TagDirectorySort = params.get("sort") === "name" ? "name" : "popular";
  const page = pageNumberParam(params.get("page"));
  const { tags, total } = await listTagDirectory(context.services.db, { query, sort, page });
  const pageCount = Math.max(1, Math.ceil(total / TAG_DIRECTORY_PAGE_SIZE));
  const headers = publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.tracked });
  return data({ query, sort, page, pageCount, total, tags }, { headers });
}

export const headers = publicPageHeadersFunction;

function pageHref({ query, sort, page }: { query: string; sort: TagDirectorySort; page: number }): string {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (sort !== "popular") params.set("sort", sort);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return `/tags${search ? `?${search}` : ""}`;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export default function TagDirectory() {
  const { query, sort, page, pageCount, total, tags } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">Tags</h1>
        <p className="text-slate-700 dark:text-slate-300">
          A tag names what a question or how-to is about. Pick one to see everything on that topic.
        </p>
      </header>
      <Form method="get" role="search" aria-label="Find a tag" className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 grow">
          <label htmlFor="tag-query" className="mb-1 block text-sm font-medium">
            Find a tag
          </label>
          <input
            id="tag-query"
            name="q"
            type="search"
            defaultValue={query}
            placeholder="for example vpn or printer"
            className="block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-base dark:border-slate-600 dark:bg-slate-900"
          />
        </div>
        {sort === "name" ? <input type="hidden" name="sort" value="name" /> : null}
        <Button type="submit" variant="secondary">
          Find
        </Button>
      </Form>
      <nav aria-label="Order tags" className="flex flex-wrap gap-1">
        {(["popular", "name"] as const).map((option) => (
          <Link
            key={option}
            to={pageHref({ query, sort: option, page: 1 })}
            aria-current={option === sort ? "page" : undefined}
            className={cx(
              "inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium no-underline",
              option === sort
                ? "bg-brand-600 text-white"
                : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
            )}
          >
            {option === "popular" ? "Most used" : "A–Z"}
          </Link>
        ))}
      </nav>
      <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        {query
          ? `${plural(total, "tag contains", "tags contain")} “${query}”.`
          : `${plural(total, "tag", "tags")} in use.`}
      </p>
      {tags.length === 0 ? (
        <p>
          {query ? "No tag matches that. Try a shorter word, or " : "No tags here. "}
          <Link to="/tags">see every tag</Link>.
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {tags.map((tag) => (
            <li key={tag.slug} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
              <h2 className="text-base font-semibold">
                <Link to={`/questions?tag=${encodeURIComponent(tag.slug)}`} aria-label={`Questions tagged ${tag.slug}`}>
                  {tag.slug}
                </Link>
              </h2>
              {tag.description ? (
                <p dir="auto" className="mt-1 text-sm">
                  {tag.description}
                </p>
              ) : null}
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {plural(tag.questions, "question", "questions")}
                {tag.howtos > 0 ? (
                  <>
                    {" · "}
                    <Link to={`/howtos?tag=${encodeURIComponent(tag.slug)}`}>
                      {plural(tag.howtos, "how-to", "how-tos")}
                    </Link>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      <NumberedPager page={page} pageCount={pageCount} href={(n) => pageHref({ query, sort, page: n })} />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
