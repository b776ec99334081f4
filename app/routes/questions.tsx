/** Every question on PeerDesk: sort tabs (newest, active, unanswered, top), a tag filter, and stable page links. Public, the same for everyone. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/ErrorPage";
import { FeedLink, feedHref, feedMeta } from "~/components/FeedLink";
import { QuestionList } from "~/components/QuestionList";
import { QuestionPager, QuestionSortTabs } from "~/components/QuestionListNav";
import { listHref, parseListParams } from "~/lib/qa";
import { getQuestionList } from "~/models/public-data-memo.server";
import { normalizeTag } from "~/models/tags.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";
import { cx } from "~/lib/cx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.params.tag ? `Questions tagged ${data.params.tag} · PeerDesk` : "All questions · PeerDesk" },
  {
    name: "description",
    content: "Questions from IT professionals and business colleagues, with answers from peers who have solved them.",
  },
  feedMeta(
    feedHref("questions", { tag: data?.params.tag }),
    data?.params.tag ? `New questions tagged ${data.params.tag}` : "New questions",
  ),
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const raw = parseListParams(new URL(request.url).searchParams);
  const params = { ...raw, tag: raw.tag ? normalizeTag(raw.tag) || null : null };
  const page = await getQuestionList(context.services.db, {
    sort: params.sort,
    period: params.period,
    tag: params.tag,
    after: params.after,
    before: params.before,
    limit: 20,
  });
  return data(
    { params, ...page },
    { headers: publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.tracked }) },
  );
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export default function AllQuestions() {
  const { params, questions, prevCursor, nextCursor } = useLoaderData<typeof loader>();
  const basePath = "/questions";
  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{params.tag ? `Questions tagged “${params.tag}”` : "All questions"}</h1>
        <Link
          to="/ask"
          className={cx(
            "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white no-underline",
            "hover:bg-brand-700 hover:no-underline",
          )}
        >
          Ask a question
        </Link>
      </header>
      <QuestionSortTabs basePath={basePath} params={params} />
      <p className="text-sm">
        {params.tag ? (
          <>
            <Link to="/questions">All questions</Link>
            {" · "}
          </>
        ) : null}
        <Link to="/tags">Browse topics by tag</Link>
      </p>
      <QuestionList
        questions={questions}
        headingLevel={2}
        timeShown={params.sort === "newest" || params.sort === "unanswered" ? "asked" : "active"}
        tagHref={(tag) => listHref(basePath, { sort: params.sort, period: params.period, tag })}
        emptyText={
          params.sort === "unanswered"
            ? "Every question here has an answer. Nice work, everyone."
            : "No questions here yet."
        }
      />
      <QuestionPager basePath={basePath} params={params} prevCursor={prevCursor} nextCursor={nextCursor} />
      <FeedLink
        href={feedHref("questions", { tag: params.tag })}
        what={params.tag ? `new questions tagged “${params.tag}”` : "new questions"}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
