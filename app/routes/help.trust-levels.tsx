/** `/help/trust-levels`: what the trust levels are, how people reach them, and what each one lets them do, in plain words. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { LIFETIME_SECONDS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { DEFAULT_CLOSE_VOTES_NEEDED } from "~/models/close-settings.server";
import { FLAGGED_WINDOW_DAYS, TRUST_LEVEL_NAMES, trustRequirements } from "~/models/trust-levels.server";
import { getTrustSettings } from "~/models/trust-settings.server";

export const meta: MetaFunction = ({ error }) =>
  error
    ? errorMeta(error)
    : [
        { title: "Trust levels · Help · PeerDesk" },
        { name: "description", content: "How PeerDesk members earn trust levels, and what each level lets them do." },
      ];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // The new-account period is a trust setting; changing one drops every cached page (trigger on trust_settings).
  const settings = await getTrustSettings(context.services.db);
  const headers = publicPageHeaders(request, { tags: [], maxAgeSeconds: LIFETIME_SECONDS.tracked });
  return data(
    {
      names: TRUST_LEVEL_NAMES,
      requirements: trustRequirements(settings),
      newAccountDays: settings.newAccountDays,
      dailyPosts: settings.newAccountDailyPosts,
      flaggedWindowDays: FLAGGED_WINDOW_DAYS,
      votesNeeded: DEFAULT_CLOSE_VOTES_NEEDED,
    },
    { headers },
  );
}

export const headers = publicPageHeadersFunction;

const WHAT_IT_ALLOWS: Record<number, string> = {
  0: "Ask, answer, comment, vote and flag. While an account is new, it may post a limited number of times a day, and posts with links or images wait for a moderator first.",
  1: "Everything above, without the limits for brand-new accounts.",
  2: "Vote to close questions that were asked before, don't belong here or need more details, and vote to reopen them once they are fixed.",
  3: "Edit other people's questions, answers and how-tos directly (today everyone else suggests edits to how-tos). Your flags weigh more, so spam leaves sooner.",
  4: "The same as level 3, and your flags weigh the most: the community's most trusted helpers.",
};

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "day" for a one-day new-account period ("for its first day"), else "7 days" ("for its first 7 days"). */
export function firstDays(days: number): string {
  return days === 1 ? "day" : `${days} days`;
}

function flaggedLimit(max: number, days: number): string {
  const limit = max === 0 ? "none" : `no more than ${max}`;
  return `${limit} of your posts removed by moderators after a flag in the last ${days} days`;
}

export default function TrustLevelsHelp() {
  const { names, requirements, newAccountDays, dailyPosts, flaggedWindowDays, votesNeeded } =
    useLoaderData<typeof loader>();
  const levels = [1, 2, 3, 4] as const;
  return (
    <article className="prose-post mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Trust levels</h1>
      <p>
        PeerDesk trusts people a little more each time they help. Nobody applies for a level: it rises by itself as you
        take part, and it shows on your profile. Mentors, moderators and admins keep their roles whatever their level.
      </p>
      <h2 className="text-lg font-semibold">{`Level 0: ${names[0]}`}</h2>
      <p>
        Everyone starts here. An account is new for its first {firstDays(newAccountDays)}: it may post{" "}
        {plural(dailyPosts, "time", "times")} a day, and a post with links or images waits for a moderator. Some spaces
        also have a moderator check a new account's first question there before others see it. You move up once the
        account is no longer new and you have written something.
      </p>
      <p>{WHAT_IT_ALLOWS[0]}</p>
      {levels.map((level) => {
        const need = requirements[level];
        return (
          <section key={level} aria-labelledby={`level-${level}`} className="space-y-1">
            <h2 id={`level-${level}`} className="text-lg font-semibold">
              {`Level ${level}: ${names[level]}`}
            </h2>
            <p>To get here, all of:</p>
            <ul className="list-disc pl-6">
              <li>a member for at least {plural(need.accountAgeDays, "day", "days")}</li>
              <li>
                {plural(
                  need.postsWritten,
                  "question, answer, how-to or comment",
                  "questions, answers, how-tos or comments",
                )}{" "}
                written
              </li>
              {need.upvotesReceived > 0 ? (
                <li>{plural(need.upvotesReceived, "upvote", "upvotes")} from other people</li>
              ) : null}
              {need.acceptedAnswers > 0 ? (
                <li>{plural(need.acceptedAnswers, "answer", "answers")} accepted by the person who asked</li>
              ) : null}
              {need.flagsUpheld > 0 ? (
                <li>
                  {plural(need.flagsUpheld, "flag", "flags")} you raised (spam, rudeness…) that a moderator agreed with
                </li>
              ) : null}
              {need.maxFlaggedAgainst !== null ? (
                <li>{flaggedLimit(need.maxFlaggedAgainst, flaggedWindowDays)}</li>
              ) : null}
            </ul>
            <p>What it lets you do: {WHAT_IT_ALLOWS[level]}</p>
          </section>
        );
      })}
      <h2 className="text-lg font-semibold">Closing questions together</h2>
      <p>
        When {votesNeeded} members at level 2 or above agree (the number is a community setting), a question is closed.
        Moderators can close and reopen at once. A question closed as a duplicate leads readers to the original, where
        the answers are. Every closing and reopening is listed in the <Link to="/moderation">moderation log</Link>.
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
