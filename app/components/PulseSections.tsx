/** The service pulse page's sections: the headline numbers, the per-space and per-tag tables, the trends and how it is counted. */
import { Link } from "@remix-run/react";
import { formatHours, formatPercent, formatRating } from "~/lib/durations";
import type { ServiceLevels, TrendBucket } from "~/models/pulse.types";
import { ScrollTable } from "./ScrollTable";
import { Stat } from "./Stat";
import { TrendChart, type TrendPoint } from "./TrendChart";

/** The eight headline numbers for the scope and period. */
export function PulseLevelStats({ levels }: { levels: ServiceLevels }) {
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-label="Service levels">
      <Stat
        label="Typical wait for a first reply"
        value={formatHours(levels.firstResponseMedianHours)}
        detail={
          levels.firstResponseP90Hours === null
            ? `${levels.responded} of ${levels.asked} questions got a response`
            : `9 in 10 within ${formatHours(levels.firstResponseP90Hours)} · ${levels.responded} of ${levels.asked} got one`
        }
      />
      <Stat
        label="Answered within 24 hours"
        value={formatPercent(levels.answeredWithin24hShare)}
        detail="of questions at least a day old"
      />
      <Stat
        label="Solved"
        value={formatPercent(levels.solvedShare)}
        detail={`${levels.solved} of ${levels.asked} questions`}
      />
      <Stat
        label="Time to accepted answer"
        value={formatHours(levels.acceptedMedianHours)}
        detail="typical: half of the solved questions were sooner"
      />
      <Stat
        label="Unanswered now"
        value={levels.unansweredBacklog.toLocaleString("en-US")}
        detail="open questions of any age"
      />
      <Stat
        label="Askers' rating"
        value={formatRating(levels.ratingAverage)}
        detail={`${levels.ratings} ${levels.ratings === 1 ? "rating" : "ratings"}`}
      />
      <Stat
        label="Plain language that was easy to understand"
        value={formatPercent(levels.plainLanguageShare)}
        detail={`as rated by ${levels.plainLanguageRated} ${levels.plainLanguageRated === 1 ? "asker" : "askers"}`}
      />
      <Stat
        label="How-tos that helped"
        value={formatPercent(levels.howtoHelpfulShare)}
        detail={`${levels.howtoVotes} “Did this help?” answers`}
      />
    </dl>
  );
}

type Row = ServiceLevels & { key: string; label: string; href: string };

/** Service levels per space or per tag, each row linking to that scope's own pulse. */
export function PulseLevelsTable({
  caption,
  rows,
  firstColumn,
}: {
  caption: string;
  rows: Row[];
  firstColumn: string;
}) {
  if (rows.length === 0) return null;
  return (
    <ScrollTable label={caption}>
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 dark:bg-slate-900 dark:text-slate-400">
          <tr>
            <th scope="col" className="p-2">
              {firstColumn}
            </th>
            <th scope="col" className="p-2 text-right">
              Asked
            </th>
            <th scope="col" className="p-2 text-right">
              First reply
            </th>
            <th scope="col" className="p-2 text-right">
              Within 24 h
            </th>
            <th scope="col" className="p-2 text-right">
              Solved
            </th>
            <th scope="col" className="p-2 text-right">
              Unanswered
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className="p-2 font-medium">
                <Link to={row.href} dir="auto">
                  {row.label}
                </Link>
              </th>
              <td className="p-2 text-right tabular-nums">{row.asked}</td>
              <td className="p-2 text-right tabular-nums">{formatHours(row.firstResponseMedianHours)}</td>
              <td className="p-2 text-right tabular-nums">{formatPercent(row.answeredWithin24hShare)}</td>
              <td className="p-2 text-right tabular-nums">{formatPercent(row.solvedShare)}</td>
              <td className="p-2 text-right tabular-nums">{row.unansweredBacklog}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** The four trend charts, one point per day (or per week over 90 days). */
export function PulseTrends({ trend, step }: { trend: (TrendBucket & { label: string })[]; step: "day" | "week" }) {
  const points = (pick: (bucket: TrendBucket) => number | null): TrendPoint[] =>
    trend.map((bucket) => ({ label: bucket.label, value: pick(bucket) }));
  return (
    <section aria-labelledby="trends-heading" className="space-y-3">
      <h2 id="trends-heading" className="text-lg font-semibold">
        Trends, {step} by {step}
      </h2>
      <div className="grid gap-4 md:grid-cols-2">
        <TrendChart
          id="trend-first-response"
          title="Typical wait for a first reply"
          description={`Typical time (half of the questions waited less) from asking to the first answer or comment by someone else, for questions asked each ${step}.`}
          points={points((bucket) => bucket.firstResponseMedianHours)}
          unit="hours"
          lowerIsBetter
        />
        <TrendChart
          id="trend-24h"
          title="Answered within 24 hours"
          description={`Share of each ${step}'s questions answered by someone else within a day.`}
          points={points((bucket) => bucket.answeredWithin24hShare)}
          unit="percent"
        />
        <TrendChart
          id="trend-solved"
          title="Solved"
          description={`Share of each ${step}'s questions that have an accepted answer now.`}
          points={points((bucket) => bucket.solvedShare)}
          unit="percent"
        />
        <TrendChart
          id="trend-asked"
          title="Questions asked"
          description={`How many questions were asked each ${step}.`}
          points={points((bucket) => bucket.asked)}
          unit="count"
        />
      </div>
    </section>
  );
}

/** How the numbers are counted, in plain words. */
export function PulseCountingRules() {
  return (
    <details className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
      <summary className="cursor-pointer font-medium">How these numbers are counted</summary>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        <li>
          A response is an answer, or a comment on the question, by someone other than the person who asked. Deleted
          ones don't count.
        </li>
        <li>“Answered within 24 hours” counts answers by others, over questions asked at least a day ago.</li>
        <li>Solved means the asker accepted an answer (their own included).</li>
        <li>A question counts for the space it is in now, and for the period in which it was asked.</li>
        <li>
          Ratings come from askers (“How well were you helped?”); individual ratings are only shown to the people who
          helped.
        </li>
        <li>How-to helpfulness is the share of “Yes” among “Did this help?” answers given in the period.</li>
      </ul>
    </details>
  );
}
