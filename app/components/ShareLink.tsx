/** "Share": the page's address in a read-only field (works without JavaScript) and, with it, a copy button. */
import { useState } from "react";
import { useIsHydrated } from "~/lib/hydrated";
import { cx } from "~/lib/cx";
import { Button } from "./ui/Button";

/** `id` names the field; not from useId, because the question's part around it may be rendered on its own (cached). */
export function ShareLink({ id, url, noun }: { id: string; url: string; noun: string }) {
  const isHydrated = useIsHydrated();
  const [status, setStatus] = useState("");
  const canCopy = isHydrated && typeof navigator !== "undefined" && navigator.clipboard !== undefined;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setStatus("Link copied.");
    } catch {
      setStatus("Couldn't copy: select the link and copy it yourself.");
    }
  };
  return (
    <details className="relative print:hidden">
      <summary className="inline-flex min-h-11 cursor-pointer items-center rounded-md px-2 text-sm text-brand-700 dark:text-brand-300">
        Share
      </summary>
      <div
        data-share-link=""
        className={cx(
          "absolute right-0 z-10 mt-1 w-72 max-w-[85vw] space-y-2 rounded-lg border border-slate-200 bg-white p-3 shadow-lg",
          "dark:border-slate-700 dark:bg-slate-900",
        )}
      >
        <label htmlFor={id} className="block text-sm font-medium">
          Link to this {noun}
        </label>
        <input
          id={id}
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full rounded-lg border border-slate-300 bg-slate-50 px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-800"
        />
        {canCopy ? (
          <Button type="button" onClick={() => void copy()}>
            Copy link
          </Button>
        ) : null}
        <p aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
          {status}
        </p>
      </div>
    </details>
  );
}
