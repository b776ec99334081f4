/** A small server-rendered SVG line chart of one metric over time, with a summary sentence and a table of the numbers. */
import { formatHours, formatPercent, formatRating } from "~/lib/durations";

export type TrendPoint = {
  /** Short label for the bucket, e.g. "Nov 16" */
  label: string;
  /** null: no data in that bucket (a gap in the line) */
  value: number | null;
};

/** hours: durations in hours; percent: shares from 0 to 1; count: whole numbers; rating: 0 to 5. */
export type TrendUnit = "hours" | "percent" | "count" | "rating";

// Geometry in viewBox units; the chart is drawn for a 320 px wide phone screen and scales up from there.
const WIDTH = 320;
const HEIGHT = 160;
const PLOT_LEFT = 50;
const PLOT_RIGHT = WIDTH - 12;
const PLOT_TOP = 10;
const PLOT_BOTTOM = HEIGHT - 26;
const LABEL_FONT_SIZE = 11;
const MAX_INTERVALS = 4;
const MIN_INTERVALS = 2;

const HOUR_STEPS = [5 / 60, 10 / 60, 0.25, 0.5, 1, 2, 3, 6, 12, 24];

/** Whole-number steps 1, 2, 5, 10, 20, 50, … up to far beyond any count we chart. */
function decimalSteps(): number[] {
  const steps: number[] = [];
  for (let power = 1; power <= 1e15; power *= 10) steps.push(power, 2 * power, 5 * power);
  return steps;
}

function ticksWithSteps(max: number, steps: number[]): number[] {
  const step = steps.find((candidate) => Math.ceil(max / candidate) <= MAX_INTERVALS) ?? steps[steps.length - 1] ?? 1;
  const intervals = Math.max(MIN_INTERVALS, Math.ceil(max / step));
  return Array.from({ length: intervals + 1 }, (_, index) => index * step);
}

/**
 * The y-axis ticks, from 0 up to a round number at or above `max`, in the unit of the data.
 * Percent is always 0–100% as shares ([0, 0.25, 0.5, 0.75, 1]) and rating always 0–5 in whole stars
 * (six ticks, because a star rating is read star by star). Hours step in minutes, hours, then whole days;
 * counts in 1, 2, 5 × 10ⁿ. Otherwise 3 to 5 ticks.
 */
export function niceTicks(max: number, unit: TrendUnit): number[] {
  if (unit === "percent") return [0, 0.25, 0.5, 0.75, 1];
  if (unit === "rating") return [0, 1, 2, 3, 4, 5];
  const top = Number.isFinite(max) ? Math.max(0, max) : 0;
  if (unit === "hours") {
    // An empty or all-zero series still gets a readable axis: 0 to 1 hour.
    if (top === 0) return ticksWithSteps(1, HOUR_STEPS);
    if (top <= MAX_INTERVALS * 24) return ticksWithSteps(top, HOUR_STEPS);
    return ticksWithSteps(top / 24, decimalSteps()).map((days) => days * 24);
  }
  return ticksWithSteps(top === 0 ? MAX_INTERVALS : top, decimalSteps());
}

function formatValue(value: number | null, unit: TrendUnit): string {
  switch (unit) {
    case "hours":
      return formatHours(value);
    case "percent":
      return formatPercent(value);
    case "rating":
      return formatRating(value);
    case "count":
      return value === null || !Number.isFinite(value) ? "—" : Math.round(value).toLocaleString("en-US");
  }
}

/** Axis labels are shorter than table values: "0" rather than "under 1 min", "4" rather than "4 / 5". */
function formatTick(value: number, unit: TrendUnit): string {
  if (value === 0) return "0";
  if (unit === "rating") return String(value);
  return formatValue(value, unit);
}

type KnownPoint = { label: string; value: number };

function knownPoints(points: TrendPoint[]): KnownPoint[] {
  return points.flatMap((point) =>
    point.value === null || !Number.isFinite(point.value) ? [] : [{ label: point.label, value: point.value }],
  );
}

/**
 * One or two sentences for screen readers: where the series starts and ends, its lowest and highest
 * values, and how many periods have no data. `lowerIsBetter` adds "which is better/worse" to the change;
 * left out, the change is only described as up or down.
 */
export function trendSummary(points: TrendPoint[], unit: TrendUnit, lowerIsBetter?: boolean): string {
  const known = knownPoints(points);
  const first = known[0];
  const last = known[known.length - 1];
  if (first === undefined || last === undefined) return "No data yet.";
  const missing = points.length - known.length;
  const gaps = missing > 0 ? ` No data in ${missing} of ${points.length} periods.` : "";
  const format = (value: number) => formatValue(value, unit);
  if (known.length === 1) return `Only ${first.label} has data: ${format(first.value)}.${gaps}`;

  let lowest = first;
  let highest = first;
  for (const point of known) {
    if (point.value < lowest.value) lowest = point;
    if (point.value > highest.value) highest = point;
  }
  if (format(lowest.value) === format(highest.value))
    return `Steady at ${format(first.value)} from ${first.label} to ${last.label}.${gaps}`;

  const range = `lowest ${format(lowest.value)} (${lowest.label}), highest ${format(highest.value)} (${highest.label}).${gaps}`;
  // Compare what the reader sees, so 2.41 h and 2.38 h are "the same", not "down".
  if (format(first.value) === format(last.value))
    return `Same at the start and the end, ${format(first.value)} (${first.label} and ${last.label}); ${range}`;
  const isUp = last.value > first.value;
  const judgement =
    lowerIsBetter === undefined ? "" : isUp === lowerIsBetter ? ", which is worse" : ", which is better";
  return `${isUp ? "Up" : "Down"} from ${format(first.value)} (${first.label}) to ${format(last.value)} (${last.label})${judgement}; ${range}`;
}

type PlacedPoint = { key: number; label: string; value: number | null; x: number };
type PlacedKnownPoint = PlacedPoint & { value: number };

/** Consecutive runs of points that have a value; a null ends a run, so the line shows a gap. */
function runsOfKnownPoints(points: PlacedPoint[]): PlacedKnownPoint[][] {
  const runs: PlacedKnownPoint[][] = [];
  let current: PlacedKnownPoint[] = [];
  for (const point of points) {
    if (point.value === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push({ ...point, value: point.value });
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function round1(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function TrendChart({
  id,
  title,
  description,
  points,
  unit,
  lowerIsBetter,
}: {
  id: string;
  title: string;
  /** one sentence saying what the chart shows, for screen readers and the table caption */
  description: string;
  points: TrendPoint[];
  unit: TrendUnit;
  /** better when lower (e.g. time to first response); used only in the summary sentence */
  lowerIsBetter?: boolean;
}) {
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const known = knownPoints(points);
  const isEmpty = known.length === 0;
  const ticks = niceTicks(Math.max(0, ...known.map((point) => point.value)), unit);
  const top = ticks[ticks.length - 1] ?? 1;

  const plotHeight = PLOT_BOTTOM - PLOT_TOP;
  const xOf = (index: number) =>
    points.length <= 1
      ? (PLOT_LEFT + PLOT_RIGHT) / 2
      : PLOT_LEFT + (index * (PLOT_RIGHT - PLOT_LEFT)) / (points.length - 1);
  const yOf = (value: number) => PLOT_BOTTOM - Math.min(Math.max(value / top, 0), 1) * plotHeight;

  const placed: PlacedPoint[] = points.map((point, index) => ({
    key: index,
    label: point.label,
    value: point.value !== null && Number.isFinite(point.value) ? point.value : null,
    x: xOf(index),
  }));
  const lastIndex = points.length - 1;
  // Only the first, middle and last labels: more do not fit side by side at 320 px.
  const labelledIndexes = [...new Set([0, Math.floor(lastIndex / 2), lastIndex])].filter((index) => index >= 0);

  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold text-slate-900 dark:text-slate-100">{title}</figcaption>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="w-full h-auto"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{`${description} ${trendSummary(points, unit, lowerIsBetter)}`}</desc>
        {isEmpty ? (
          <>
            <line
              x1={PLOT_LEFT}
              x2={PLOT_RIGHT}
              y1={PLOT_BOTTOM}
              y2={PLOT_BOTTOM}
              className="stroke-slate-300 dark:stroke-slate-700"
              strokeWidth={1}
            />
            <text
              x={(PLOT_LEFT + PLOT_RIGHT) / 2}
              y={(PLOT_TOP + PLOT_BOTTOM) / 2}
              textAnchor="middle"
              dy="0.35em"
              fontSize={13}
              className="fill-slate-600 dark:fill-slate-400"
            >
              No data yet
            </text>
          </>
        ) : (
          ticks.map((tick) => (
            <g key={tick}>
              <line
                x1={PLOT_LEFT}
                x2={PLOT_RIGHT}
                y1={yOf(tick)}
                y2={yOf(tick)}
                className={
                  tick === 0 ? "stroke-slate-300 dark:stroke-slate-700" : "stroke-slate-200 dark:stroke-slate-800"
                }
                strokeWidth={1}
              />
              <text
                x={PLOT_LEFT - 6}
                y={yOf(tick)}
                textAnchor="end"
                dy="0.35em"
                fontSize={LABEL_FONT_SIZE}
                className="fill-slate-600 dark:fill-slate-400"
              >
                {formatTick(tick, unit)}
              </text>
            </g>
          ))
        )}
        {labelledIndexes.map((index) => {
          const point = placed[index];
          if (point === undefined) return null;
          const anchor =
            points.length === 1 ? "middle" : index === 0 ? "start" : index === lastIndex ? "end" : "middle";
          return (
            <text
              key={point.key}
              x={point.x}
              y={HEIGHT - 8}
              textAnchor={anchor}
              fontSize={LABEL_FONT_SIZE}
              className="fill-slate-600 dark:fill-slate-400"
            >
              {point.label}
            </text>
          );
        })}
        {runsOfKnownPoints(placed)
          .filter((run) => run.length > 1)
          .map((run) => (
            <polyline
              key={run[0]?.key}
              points={run.map((point) => `${round1(point.x)},${round1(yOf(point.value))}`).join(" ")}
              fill="none"
              strokeWidth={2}
              strokeLinejoin="round"
              strokeLinecap="round"
              className="stroke-brand-600 dark:stroke-brand-300"
            />
          ))}
        {placed.map((point) =>
          point.value === null ? null : (
            <circle
              key={point.key}
              cx={round1(point.x)}
              cy={round1(yOf(point.value))}
              r={3}
              className="fill-brand-600 dark:fill-brand-300"
            >
              <title>{`${point.label}: ${formatValue(point.value, unit)}`}</title>
            </circle>
          ),
        )}
      </svg>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700 dark:text-slate-300">Show the numbers</summary>
        <table className="mt-2 w-full border-collapse text-left">
          <caption className="mb-1 text-left text-slate-600 dark:text-slate-400">{description}</caption>
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th scope="col" className="py-1 pr-3 font-medium">
                Period
              </th>
              <th scope="col" className="py-1 font-medium">
                {title}
              </th>
            </tr>
          </thead>
          <tbody>
            {placed.map((point) => (
              <tr key={point.key} className="border-b border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-1 pr-3 font-normal">
                  {point.label}
                </th>
                <td className="py-1 tabular-nums">{formatValue(point.value, unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
