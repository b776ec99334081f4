/** One space: its description, an "Ask" button, and its questions with sort tabs, a tag filter and page links. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getCurrentUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FollowButton } from "~/components/FollowButton";
import { FormAlert } from "~/components/ui/Field";
import { HowtoList } from "~/components/HowtoList";
import { QuestionList } from "~/components/QuestionList";
import { EmptyListWayOut, QuestionPager, QuestionSortTabs, emptyListReason } from "~/components/QuestionListNav";
import { type ListParams, listHref, parseListParams } from "~/lib/qa";
import { notATagNote } from "~/lib/tags";
import { isFollowing } from "~/models/notifications.server";
import { getHowtoList, getQuestionList } from "~/models/public-data-memo.server";
import { getSpaceBySlug } from "~/models/spaces.server";
import { normalizeTag } from "~/models/tags.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";
import { buttonClass } from "~/components/ui/Button";
import { FeedLink, feedHref, feedMeta } from "~/components/FeedLink";

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error
    ? errorMeta(error, "Space not found")
    : data
      ? [
          { title: `${data.params.tag ? `${data.params.tag} in ` : ""}${data.space.name} · PeerDesk` },
          { name: "description", content: data.space.description },
          feedMeta(
            feedHref("questions", { space: data.space.slug, tag: data.params.tag }),
            `New questions${data.params.tag ? ` tagged ${data.params.tag}` : ""} in ${data.space.name}`,
          ),
          feedMeta(feedHref("howtos", { space: data.space.slug }), `New how-tos in ${data.space.name}`),
          { tagName: "link", rel: "canonical", href: data.canonicalUrl },
        ]
      : [{ title: "Space not found · PeerDesk" }];

export async function loader({ params: routeParams, request, context }: LoaderFunctionArgs) {
  const { db, baseURL } = context.services;
  const space = await getSpaceBySlug(db, routeParams.slug ?? "");
  if (!space) throw new Response("There is no space at this address.", { status: 404 });
  const raw = parseListParams(new URL(request.url).searchParams);
  const params = { ...raw, tag: raw.tag ? normalizeTag(raw.tag) || null : null };
  // Text that can't be a tag (?tag=сеть) tags nothing: the list is empty, not every question in the space.
  const notATag = raw.tag ? notATagNote(raw.tag) : null;
  const user = await getCurrentUser(request, context);
  const [page, howtoPage] = await Promise.all([
    notATag
      ? { questions: [], nextCursor: null, prevCursor: null }
      : getQuestionList(db, {
          spaceId: space.id,
          sort: params.sort,
          period: params.period,
          tag: params.tag,
          after: params.after,
          before: params.before,
          limit: 20,
        }),
    getHowtoList(db, { spaceId: space.id, sort: "newest", limit: 5 }),
  ]);
  const follows = {
    space: user ? await isFollowing(db, user.id, { type: "space", key: String(space.id) }) : false,
    tag: user && params.tag ? await isFollowing(db, user.id, { type: "tag", key: params.tag }) : false,
  };
  // Search engines get this space's own address: its tag, its order (a page's cursor belongs to it) and its page stay;
  // anything else in the address (?deleted=1, tracking tags) goes.
  const canonicalUrl = new URL(listHref(`/s/${space.slug}`, params), baseURL).toString();
  return data(
    {
      spaceId: space.id,
      follows,
      isSignedIn: user !== null,
      howtos: howtoPage.howtos,
      space: {
        name: space.name,
        description: space.description,
        slug: space.slug,
        isArchived: space.archivedAt !== null,
        isPlainLanguage: space.isPlainLanguage,
      },
      params,
      notATag,
      canonicalUrl,
      ...page,
    },
    // Only its own questions and how-tos: an answer in another space leaves this page stored.
    { headers: publicPageHeaders(request, { tags: [TAGS.space(space.id)], maxAgeSeconds: LIFETIME_SECONDS.tracked }) },
  );
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

/** What an empty page of the space's questions says: only an unfiltered first page has no questions at all. */
function emptyText(params: ListParams, notATag: string | null): string {
  if (notATag) return notATag;
  const reason = emptyListReason(params);
  if (reason === "past-the-end") return "No more questions.";
  if (reason === "filtered") return "No questions match these filters.";
  return params.sort === "unanswered" ? "Every question here has an answer." : "No questions in this space yet.";
}

export default function SpacePage() {
  const { space, spaceId, follows, isSignedIn, params, notATag, questions, prevCursor, nextCursor, howtos } =
    useLoaderData<typeof loader>();
  const basePath = `/s/${space.slug}`;
  // Where deleting one's own question lands (the question is gone, so the page says what happened).
  const [searchParams] = useSearchParams();
  return (
    <div className="space-y-4">
      {searchParams.get("deleted") === "1" ? <FormAlert tone="success">Your question was deleted.</FormAlert> : null}
      <header className="space-y-2">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h1 dir="auto" className="text-2xl font-bold">
            {space.name}
          </h1>
          <div className="flex flex-wrap items-center gap-2">
            <FollowButton
              type="space"
              targetKey={String(spaceId)}
              isFollowing={follows.space}
              label={`the space ${space.name}`}
              isSignedIn={isSignedIn}
            />
            {params.tag ? (
              <FollowButton
                type="tag"
                targetKey={params.tag}
                isFollowing={follows.tag}
                label={`the tag ${params.tag}`}
                isSignedIn={isSignedIn}
              />
            ) : null}
            {space.isArchived ? null : (
              <Link to={`/ask?space=${encodeURIComponent(space.slug)}`} className={buttonClass("primary")}>
                Ask in this space
              </Link>
            )}
          </div>
        </div>
        <p dir="auto" className="text-slate-600 dark:text-slate-300">
          {space.description}
        </p>
        {space.isArchived ? null : (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Follow this space to hear of its new questions and how-tos, and of live Q&amp;A sessions scheduled in it.
            {params.tag
              ? ` Follow the tag ${params.tag} to hear of new questions, how-tos and Q&A sessions tagged with it, in any space.`
              : null}
          </p>
        )}
        {space.isArchived ? (
          <p className="rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            This space is archived: you can read it, but it takes no new posts.
          </p>
        ) : null}
      </header>
      <QuestionSortTabs basePath={basePath} params={params} />
      <QuestionList
        questions={questions}
        showSpace={false}
        headingLevel={2}
        timeShown={params.sort === "newest" || params.sort === "unanswered" ? "asked" : "active"}
        tagHref={(tag) => listHref(basePath, { sort: params.sort, period: params.period, tag })}
        emptyText={emptyText(params, notATag)}
      />
      {questions.length === 0 ? <EmptyListWayOut basePath={basePath} params={params} /> : null}
      <QuestionPager basePath={basePath} params={params} prevCursor={prevCursor} nextCursor={nextCursor} />
      <FeedLink
        href={feedHref("questions", { space: space.slug, tag: params.tag })}
        what={
          <>
            new questions{params.tag ? ` tagged “${params.tag}”` : ""} in <bdi>{space.name}</bdi>
          </>
        }
      />
      <section aria-labelledby="space-howtos-heading" className="space-y-3 pt-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="space-howtos-heading" className="text-lg font-semibold">
            How-tos in <bdi>{space.name}</bdi>
          </h2>
          <span className="flex gap-4 text-sm">
            <Link to={`/howtos?space=${encodeURIComponent(space.slug)}`}>All how-tos here</Link>
            {space.isArchived ? null : (
              <Link to={`/howtos/new?space=${encodeURIComponent(space.slug)}`}>Write a how-to</Link>
            )}
          </span>
        </div>
        <HowtoList howtos={howtos} showSpace={false} headingLevel={3} emptyText="No how-tos in this space yet." />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
