/**
 * An on/off button as a plain form (works without JavaScript, returning to `returnTo`); with JavaScript it toggles in
 * place through a fetcher and shows the new state at once, and the action's message if it refused. Follow and Save
 * are made of it.
 */
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher } from "@remix-run/react";
import { cx } from "~/lib/cx";
import { useIsHydrated } from "~/lib/hydrated";

/** What the toggle's action answers a fetcher. */
export type ToggleResult = { ok: boolean; message?: string };

export function ToggleForm<Result extends ToggleResult>({
  fetcherKey,
  action,
  fields,
  intents,
  isOn: fromPage,
  isOnAfter,
  returnTo,
  label,
  hiddenLabel,
  title,
}: {
  fetcherKey: string;
  action: string;
  /** Hidden fields naming what is toggled. */
  fields: Record<string, string>;
  intents: { on: string; off: string };
  /** Null when not known yet (the per-person state has not loaded). */
  isOn: boolean | null;
  /** The state after the action answered `ok`. */
  isOnAfter: (result: SerializeFrom<Result>) => boolean;
  returnTo: string;
  /** The button's visible word, the same in both states: "Save", "Follow". */
  label: string;
  /** Words after it for screen readers only, making the name whole: "this question for later". */
  hiddenLabel: string;
  title: (isOn: boolean | null) => string;
}) {
  const fetcher = useFetcher<Result>({ key: fetcherKey });
  const isHydrated = useIsHydrated();
  const pending = fetcher.formData?.get("intent");
  const isOn = pending ? pending === intents.on : fetcher.data?.ok ? isOnAfter(fetcher.data) : fromPage;
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <fetcher.Form method="post" action={action} className="inline-flex flex-col">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="redirectTo" value={returnTo} />
      <input type="hidden" name="intent" value={isOn ? intents.off : intents.on} />
      {isHydrated ? <input type="hidden" name="js" value="1" /> : null}
      <button
        type="submit"
        aria-pressed={isOn === null ? undefined : isOn}
        title={title(isOn)}
        className={cx(
          "inline-flex min-h-11 items-center gap-1",
          "rounded-md border px-3 text-sm font-medium",
          isOn
            ? "border-brand-600 bg-brand-50 text-brand-800 dark:bg-slate-800 dark:text-brand-200"
            : "border-slate-300 dark:border-slate-700",
        )}
      >
        {isOn ? <span aria-hidden="true">✓</span> : null}
        {label}
        <span className="sr-only">{` ${hiddenLabel}`}</span>
      </button>
      {error ? (
        <span role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
