/**
 * Every question on PeerDesk: sort tabs (newest, active, unanswered, top), a tag filter with a Follow button for the
 * tag, and stable page links. Public: the same for every signed-out reader.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getCurrentUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FeedLink, feedHref, feedMeta } from "~/components/FeedLink";
import { FollowButton } from "~/components/FollowButton";
import { FormAlert } from "~/components/ui/Field";
import { QuestionList } from "~/components/QuestionList";
import { EmptyListWayOut, QuestionPager, QuestionSortTabs, emptyListReason } from "~/components/QuestionListNav";
import { type ListParams, listHref, parseListParams } from "~/lib/qa";
import { notATagNote } from "~/lib/tags";
import type { QuestionPage } from "~/models/question-lists.server";
import { isFollowing } from "~/models/notifications.server";
import { getQuestionList } from "~/models/public-data-memo.server";
import { normalizeTag } from "~/models/tags.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";
import { buttonClass } from "~/components/ui/Button";

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error
    ? errorMeta(error)
    : [
        { title: data?.params.tag ? `Questions tagged ${data.params.tag} · PeerDesk` : "All questions · PeerDesk" },
        {
          name: "description",
          content:
            "Questions from IT professionals and business colleagues, with answers from peers who have solved them.",
        },
        feedMeta(
          feedHref("questions", { tag: data?.params.tag }),
          data?.params.tag ? `New questions tagged ${data.params.tag}` : "New questions",
        ),
        ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonicalUrl }] : []),
      ];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const raw = parseListParams(new URL(request.url).searchParams);
  const params = { ...raw, tag: raw.tag ? normalizeTag(raw.tag) || null : null };
  // Text that can't be a tag (?tag=сеть) tags nothing: the list is empty, not every question.
  const notATag = raw.tag ? notATagNote(raw.tag) : null;
  const { db } = context.services;
  const user = await getCurrentUser(request, context);
  const page: QuestionPage = notATag
    ? { questions: [], nextCursor: null, prevCursor: null }
    : await getQuestionList(db, {
        sort: params.sort,
        period: params.period,
        tag: params.tag,
        after: params.after,
        before: params.before,
        limit: 20,
      });
  // Signed out, this is the same for everyone, so the page stays cacheable; signed in, the page cache never stores
  // it (publicPageHeaders sends no directive with an account cookie).
  const isFollowingTag = user && params.tag ? await isFollowing(db, user.id, { type: "tag", key: params.tag }) : false;
  // Search engines get this list's own address: its tag, its order (a page's cursor belongs to it) and its page stay;
  // anything else in the address (?deleted=1, tracking tags) goes.
  const canonicalUrl = new URL(listHref("/questions", params), context.services.baseURL).toString();
  return data(
    { params, notATag, isSignedIn: user !== null, isFollowingTag, canonicalUrl, ...page },
    { headers: publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.tracked }) },
  );
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

/** What an empty page of this list says: only an unfiltered first page has no questions at all. */
function emptyText(params: ListParams, notATag: string | null): string {
  if (notATag) return notATag;
  const reason = emptyListReason(params);
  if (reason === "past-the-end") return "No more questions.";
  if (reason === "filtered") return "No questions match these filters.";
  return params.sort === "unanswered"
    ? "Every question here has an answer. Nice work, everyone."
    : "No questions here yet.";
}

export default function AllQuestions() {
  const { params, notATag, isSignedIn, isFollowingTag, questions, prevCursor, nextCursor } =
    useLoaderData<typeof loader>();
  const basePath = "/questions";
  // Where deleting one's own question lands (the question is gone, so the page says what happened).
  const [searchParams] = useSearchParams();
  return (
    <div className="space-y-4">
      {searchParams.get("deleted") === "1" ? <FormAlert tone="success">Your question was deleted.</FormAlert> : null}
      <header className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{params.tag ? `Questions tagged “${params.tag}”` : "All questions"}</h1>
        <div className="flex flex-wrap items-center gap-2">
          {params.tag ? (
            <FollowButton
              type="tag"
              targetKey={params.tag}
              isFollowing={isFollowingTag}
              label={`the tag ${params.tag}`}
              isSignedIn={isSignedIn}
            />
          ) : null}
          <Link to="/ask" className={buttonClass("primary")}>
            Ask a question
          </Link>
        </div>
      </header>
      {params.tag && !notATag ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Follow this tag to hear of new questions, how-tos and live Q&amp;A sessions tagged with it, in any space.
        </p>
      ) : null}
      <QuestionSortTabs basePath={basePath} params={params} />
      <p className="text-sm">
        {params.tag || notATag ? (
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
        emptyText={emptyText(params, notATag)}
      />
      {questions.length === 0 ? <EmptyListWayOut basePath={basePath} params={params} /> : null}
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
