/**
 * "My impact": a helper's own, private view of what came back to them: people helped, accepted answers, askers'
 * ratings (median) and plain-language ratings, thanks, how-to helpfulness, the comments people left, and 12 weeks of trend.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { RATING_WORDS } from "~/components/Feedback";
import { Stat } from "~/components/Stat";
import { TrendChart } from "~/components/TrendChart";
import { formatPercent, formatRating } from "~/lib/durations";
import { howtoPath } from "~/lib/howtos";
import { questionPath } from "~/lib/qa";
import { RelativeTime } from "~/components/RelativeTime";
import { getImpact } from "~/models/impact.server";
import { trendBucketLabel } from "~/models/pulse.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "My impact · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const impact = await getImpact(context.services.db, user.id);
  // Each week is the 7 days to now (or to this time 1, 2, … weeks ago): labelled with the days it touches, as on
  // /pulse ("Nov 30 – Dec 7"), so what happened today is under a label that includes today.
  const weeks = impact.weeks.map((week) => ({ ...week, label: trendBucketLabel(week) }));
  return data(
    { impact: { ...impact, weeks }, handle: user.handle },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export default function MyImpact() {
  const { impact, handle } = useLoaderData<typeof loader>();
  const hasAnything = impact.acceptedAnswers + impact.thanksReceived + impact.ratings + impact.howtoVotes > 0;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">My impact</h1>
        <p className="text-slate-700 dark:text-slate-300">
          What came back from the people you helped. Only you see this page; your public profile shows only the people
          helped and the thanks
          {handle ? (
            <>
              {" "}
              (<Link to={`/u/${handle}`}>see your profile</Link>)
            </>
          ) : null}
          .
        </p>
      </header>

      {hasAnything ? null : (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-slate-700 dark:border-slate-700 dark:text-slate-300">
          Nothing here yet. Answer a question (the <Link to="/pulse">service pulse</Link> lists the unanswered ones,
          oldest first) or write a how-to, and the feedback you get will show up here.
        </p>
      )}

      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3" aria-label="Your impact in numbers">
        <Stat
          label="People helped"
          value={impact.peopleHelped.toLocaleString("en-US")}
          detail="accepted your answer or thanked you"
        />
        <Stat label="Accepted answers" value={impact.acceptedAnswers.toLocaleString("en-US")} />
        <Stat label="Thanks received" value={impact.thanksReceived.toLocaleString("en-US")} />
        <Stat
          label="Askers' rating (median)"
          value={formatRating(impact.ratingMedian)}
          detail={`${impact.ratings} ${impact.ratings === 1 ? "rating" : "ratings"}`}
        />
        <Stat
          label="Easy to understand"
          value={formatPercent(impact.plainLanguageShare)}
          detail={`plain-language questions, ${impact.plainLanguageRated} rated`}
        />
        <Stat
          label="How-tos that helped"
          value={formatPercent(impact.howtoHelpfulShare)}
          detail={`${impact.howtoVotes} “Did this help?” answers`}
        />
      </dl>

      <section aria-labelledby="trend-heading" className="space-y-3">
        <h2 id="trend-heading" className="text-lg font-semibold">
          The last 12 weeks
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          <TrendChart
            id="impact-accepted"
            title="Accepted answers"
            description="How many of your answers were accepted each week."
            points={impact.weeks.map((week) => ({ label: week.label, value: week.accepted }))}
            unit="count"
          />
          <TrendChart
            id="impact-thanks"
            title="Thanks"
            description="How many thanks you received each week."
            points={impact.weeks.map((week) => ({ label: week.label, value: week.thanks }))}
            unit="count"
          />
          <TrendChart
            id="impact-rating"
            title="Askers' rating"
            description="The average rating askers gave the help each week (weeks without ratings are gaps)."
            points={impact.weeks.map((week) => ({ label: week.label, value: week.ratingAverage }))}
            unit="rating"
          />
        </div>
      </section>

      <section aria-labelledby="comments-heading" className="space-y-2">
        <h2 id="comments-heading" className="text-lg font-semibold">
          What people said
        </h2>
        {impact.comments.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No comments yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {impact.comments.map((comment) => (
              <li key={`${comment.kind}-${comment.postId}-${String(comment.at)}`} className="space-y-1 p-3">
                <blockquote dir="auto" className="whitespace-pre-line">
                  {comment.comment}
                </blockquote>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  {comment.kind === "rating" ? (
                    <>
                      Rated {comment.rating} out of 5 ({RATING_WORDS[comment.rating ?? 0] ?? ""}) on{" "}
                      <Link to={questionPath(comment.postId, comment.title)} dir="auto">
                        {comment.title}
                      </Link>
                    </>
                  ) : (
                    <>
                      {comment.isHelpful ? "Found" : "Did not find"} your how-to{" "}
                      <Link to={howtoPath(comment.postId)} dir="auto">
                        {comment.title}
                      </Link>{" "}
                      helpful
                    </>
                  )}{" "}
                  · <RelativeTime date={comment.at} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
