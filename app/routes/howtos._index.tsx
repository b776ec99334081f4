/**
 * How-tos, site-wide or in one space (`/howtos?space=slug`): newest or most helpful first, optionally only
 * plain-language ones or one tag, in keyset pages. The filter form is a plain GET form, so it works without JavaScript.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HowtoList } from "~/components/HowtoList";
import { FormAlert } from "~/components/ui/Field";
import { HOWTO_SORTS, type HowtoSort } from "~/lib/howtos";
import { getHowtoList, getSpaceList } from "~/models/public-data-memo.server";
import { getSpaceBySlug } from "~/models/spaces.server";
import { normalizeTag } from "~/models/tags.server";
import { notATagNote } from "~/lib/tags";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { cx } from "~/lib/cx";
import { buttonClass } from "~/components/ui/Button";
import { FeedLink, feedHref, feedMeta } from "~/components/FeedLink";

const PAGE_SIZE = 20;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, baseURL } = context.services;
  const search = new URL(request.url).searchParams;
  const spaceSlug = search.get("space")?.slice(0, 80) || null;
  const space = spaceSlug ? await getSpaceBySlug(db, spaceSlug) : null;
  if (spaceSlug && !space) throw new Response("There is no space at this address.", { status: 404 });
  const sortParam = search.get("sort");
  const sort: HowtoSort = (HOWTO_SORTS as readonly string[]).includes(sortParam ?? "")
    ? (sortParam as HowtoSort)
    : "newest";
  const plainOnly = search.get("plain") === "1";
  const typedTag = search.get("tag")?.slice(0, 60) ?? "";
  const tag = typedTag ? normalizeTag(typedTag) || null : null;
  // Text that can't be a tag (?tag=сеть) tags nothing: the list is empty, not every how-to.
  const notATag = notATagNote(typedTag);
  const cursor = search.get("after")?.slice(0, 200) || null;
  const [page, spaces] = await Promise.all([
    notATag
      ? { howtos: [], nextCursor: null }
      : getHowtoList(db, { spaceId: space?.id, sort, cursor, limit: PAGE_SIZE, plainOnly, tag }),
    getSpaceList(db),
  ]);
  // Search engines get this list's own address: what changes the how-tos listed (space, tag, plain-language only, the
  // order its pages follow, the page) stays; anything else in the address (?deleted=1, tracking tags) goes.
  const canonical = new URL(listHref({ space: space?.slug ?? null, sort, plainOnly, tag }, { after: cursor }), baseURL);
  return data(
    {
      space: space
        ? { slug: space.slug, name: space.name, description: space.description, isArchived: space.archivedAt !== null }
        : null,
      spaces: spaces.map((s) => ({ slug: s.slug, name: s.name })),
      params: { sort, plainOnly, tag, cursor },
      notATag,
      deleted: search.get("deleted") === "1",
      canonicalUrl: canonical.toString(),
      ...page,
    },
    { headers: publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.tracked }) },
  );
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  if (error) return errorMeta(error);
  if (!page) return [{ title: "How-tos · PeerDesk" }];
  const where = page.space ? ` in ${page.space.name}` : "";
  return [
    { title: `How-tos${page.params.tag ? ` tagged ${page.params.tag}` : ""}${where} · PeerDesk` },
    {
      name: "description",
      content: `Step-by-step guides${where} from IT professionals and colleagues who have done it before, rated by the people who followed them.`,
    },
    feedMeta(
      feedHref("howtos", { space: page.space?.slug, tag: page.params.tag }),
      `New how-tos${page.params.tag ? ` tagged ${page.params.tag}` : ""}${where}`,
    ),
    { tagName: "link", rel: "canonical", href: page.canonicalUrl },
  ];
};

/** The address of this list with some parameters changed (and the page cursor dropped unless given). */
function listHref(
  current: { space: string | null; sort: HowtoSort; plainOnly: boolean; tag: string | null },
  change: Partial<{ sort: HowtoSort; after: string | null }>,
): string {
  const search = new URLSearchParams();
  if (current.space) search.set("space", current.space);
  const sort = change.sort ?? current.sort;
  if (sort !== "newest") search.set("sort", sort);
  if (current.plainOnly) search.set("plain", "1");
  if (current.tag) search.set("tag", current.tag);
  if (change.after) search.set("after", change.after);
  const query = search.toString();
  return query ? `/howtos?${query}` : "/howtos";
}

/** What an empty page of how-tos says: past the last page, a tag that can't be one, or none (yet) at all. */
function emptyText(params: { plainOnly: boolean; cursor: string | null }, notATag: string | null): string {
  if (notATag) return notATag;
  if (params.cursor) return "No more how-tos.";
  if (params.plainOnly) return "No plain-language how-tos here yet.";
  return "No how-tos here yet. Be the first to write one!";
}

export default function Howtos() {
  const { space, spaces, params, notATag, howtos, nextCursor, deleted } = useLoaderData<typeof loader>();
  const current = { space: space?.slug ?? null, sort: params.sort, plainOnly: params.plainOnly, tag: params.tag };
  const tab = (sort: HowtoSort, label: string) => (
    <Link
      to={listHref(current, { sort })}
      aria-current={params.sort === sort ? "page" : undefined}
      className={cx(
        "inline-flex min-h-11 items-center rounded-md",
        "px-3 text-sm font-medium no-underline",
        params.sort === sort
          ? "bg-brand-600 text-white hover:no-underline"
          : "text-slate-800 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800",
      )}
    >
      {label}
    </Link>
  );
  return (
    <div className="space-y-4">
      <header className="space-y-2">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h1 className="text-2xl font-bold">
            How-tos
            {space ? (
              <>
                {" in "}
                <bdi>{space.name}</bdi>
              </>
            ) : null}
            {params.tag ? <span className="text-slate-600 dark:text-slate-400"> tagged {params.tag}</span> : null}
          </h1>
          {space?.isArchived ? null : (
            <Link
              to={space ? `/howtos/new?space=${encodeURIComponent(space.slug)}` : "/howtos/new"}
              className={buttonClass("primary")}
            >
              Write a how-to
            </Link>
          )}
        </div>
        <p className="text-slate-600 dark:text-slate-300">
          {space ? (
            <span dir="auto">{space.description}</span>
          ) : (
            "Step-by-step guides from people who have done it before, rated by the people who followed them."
          )}
          {space ? (
            <>
              {" "}
              <Link to={`/s/${space.slug}`}>
                Questions in <bdi>{space.name}</bdi>
              </Link>
            </>
          ) : null}
        </p>
      </header>
      {deleted ? <FormAlert tone="success">The how-to was deleted.</FormAlert> : null}
      <nav aria-label="Sort how-tos" className="flex flex-wrap gap-1">
        {tab("newest", "Newest")}
        {tab("helpful", "Most helpful")}
      </nav>
      <Form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
      >
        <input type="hidden" name="sort" value={params.sort} />
        {params.tag ? <input type="hidden" name="tag" value={params.tag} /> : null}
        <div className="min-w-0 max-w-full">
          <label htmlFor="howto-filter-space" className="mb-1 block text-sm font-medium">
            Space
          </label>
          <select
            id="howto-filter-space"
            name="space"
            defaultValue={space?.slug ?? ""}
            className="block min-h-11 max-w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-600 dark:bg-slate-900"
          >
            <option value="">All spaces</option>
            {spaces.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <label className="flex min-h-11 items-center gap-2 text-sm font-medium">
          <input
            type="checkbox"
            name="plain"
            value="1"
            defaultChecked={params.plainOnly}
            className="size-5 accent-brand-600"
          />
          Plain language only
        </label>
        <button
          type="submit"
          className={cx(
            "inline-flex min-h-11 items-center rounded-lg border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-900",
            "hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
          )}
        >
          Show
        </button>
        {params.tag ? (
          <Link to={listHref({ ...current, tag: null }, {})} className="py-2 text-sm">
            Clear tag “{params.tag}”
          </Link>
        ) : null}
      </Form>
      <HowtoList howtos={howtos} showSpace={!space} headingLevel={2} emptyText={emptyText(params, notATag)} />
      <nav aria-label="Pages" className="flex flex-wrap justify-between gap-3">
        {params.cursor ? (
          <Link to={listHref(current, {})} className="inline-flex min-h-11 items-center">
            ← First page
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link to={listHref(current, { after: nextCursor })} className="inline-flex min-h-11 items-center">
            More how-tos →
          </Link>
        ) : null}
      </nav>
      <FeedLink
        href={feedHref("howtos", { space: space?.slug, tag: params.tag })}
        what={
          <>
            new how-tos{params.tag ? ` tagged ${params.tag}` : ""}
            {space ? (
              <>
                {" in "}
                <bdi>{space.name}</bdi>
              </>
            ) : null}
          </>
        }
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
