/**
 * A how-to's numbered steps, each with an "I've done this step" tick kept in this browser (local storage,
 * per how-to and revision, so an edited how-to starts a fresh checklist). Without JavaScript the steps are
 * plain content; the ticks work but are not remembered and no progress line is shown.
 */
import { useEffect, useState } from "react";
import { stepProgressKey } from "~/lib/howtos";
import { useIsHydrated } from "~/lib/hydrated";
import { cx } from "~/lib/cx";

function readDone(key: string, stepCount: number): Set<number> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(key) ?? "[]");
    return new Set(
      Array.isArray(parsed) ? parsed.filter((n): n is number => Number.isInteger(n) && n >= 0 && n < stepCount) : [],
    );
  } catch {
    return new Set();
  }
}

export function HowtoSteps({
  howtoId,
  revision,
  stepsHtml,
}: {
  howtoId: number;
  revision: number;
  stepsHtml: string[];
}) {
  const isHydrated = useIsHydrated();
  const storageKey = stepProgressKey(howtoId, revision);
  const [done, setDone] = useState<Set<number>>(() => new Set());
  useEffect(() => setDone(readDone(storageKey, stepsHtml.length)), [storageKey, stepsHtml.length]);

  const toggle = (index: number, isDone: boolean) => {
    const next = new Set(done);
    if (isDone) next.add(index);
    else next.delete(index);
    setDone(next);
    try {
      window.localStorage.setItem(storageKey, JSON.stringify([...next].sort((a, b) => a - b)));
    } catch {
      // Private mode or full storage: the ticks still work for this visit.
    }
  };
  const total = stepsHtml.length;
  return (
    <section
      aria-labelledby="steps-heading"
      className="space-y-3"
      data-howto-steps=""
      data-howto-id={howtoId}
      data-revision={revision}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="steps-heading" className="text-lg font-semibold">
          Steps
        </h2>
        {isHydrated ? (
          <p
            className="text-sm text-slate-700 print:hidden dark:text-slate-300"
            aria-live="polite"
            data-testid="step-progress"
          >
            {done.size === total && total > 0 ? "All done! " : ""}
            {done.size} of {total} steps done
          </p>
        ) : null}
      </div>
      {isHydrated ? (
        <div
          className="h-2 overflow-hidden rounded-full bg-slate-200 print:hidden dark:bg-slate-800"
          aria-hidden="true"
        >
          <div
            className="h-full rounded-full bg-brand-600 transition-[width]"
            style={{ width: `${total ? Math.round((done.size / total) * 100) : 0}%` }}
          />
        </div>
      ) : null}
      <ol className="space-y-4">
        {stepsHtml.map((html, i) => {
          const isDone = done.has(i);
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position (its anchor is #step-N, its done mark too)
              key={i}
              id={`step-${i + 1}`}
              className={cx(
                "rounded-lg border p-3 sm:p-4",
                isDone
                  ? "border-green-300 bg-green-50/60 dark:border-green-800 dark:bg-green-950/40"
                  : "border-slate-200 dark:border-slate-800",
              )}
            >
              <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                <h3 className="font-semibold">
                  <span
                    className="mr-2 inline-flex size-7 items-center justify-center rounded-full bg-brand-600 text-sm text-white"
                    aria-hidden="true"
                  >
                    {i + 1}
                  </span>
                  Step {i + 1}
                </h3>
                <label className="inline-flex min-h-11 cursor-pointer items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-5 accent-brand-600"
                    checked={isDone}
                    onChange={(e) => toggle(i, e.currentTarget.checked)}
                  />
                  <span>
                    I&apos;ve done this step<span className="sr-only"> (step {i + 1})</span>
                  </span>
                </label>
              </div>
              <div dir="auto" className="prose-post" dangerouslySetInnerHTML={{ __html: html }} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
