/**
 * Said when a form was held back because the phone is offline (app/lib/offline.ts), and again once it is back online:
 * nothing was sent and what was typed is still in the form, so the person only has to send it again.
 */
import { useEffect, useState } from "react";
import { OFFLINE_SUBMIT_EVENT } from "~/lib/offline";

export function OfflineNotice() {
  const [state, setState] = useState<"offline" | "online" | null>(null);
  useEffect(() => {
    const held = () => setState("offline");
    const online = () => setState((current) => (current === "offline" ? "online" : current));
    window.addEventListener(OFFLINE_SUBMIT_EVENT, held);
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener(OFFLINE_SUBMIT_EVENT, held);
      window.removeEventListener("online", online);
    };
  }, []);
  return (
    // Always in the page, so screen readers announce what appears in it; it lets taps through where it is empty.
    <div aria-live="assertive" className="pointer-events-none fixed inset-x-0 bottom-3 z-50 px-3 print:hidden">
      {state ? (
        <div
          role={state === "offline" ? "alert" : "status"}
          className="pointer-events-auto mx-auto flex max-w-xl items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 shadow-lg dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
        >
          <p className="flex-1">
            {state === "offline"
              ? "You're offline, so nothing was sent. What you typed is still here: send it again once you're connected."
              : "You're connected again: you can send it now."}
          </p>
          <button
            type="button"
            onClick={() => setState(null)}
            className="min-h-11 shrink-0 rounded-md border border-amber-400 px-3 font-semibold dark:border-amber-600"
          >
            OK
          </button>
        </div>
      ) : null}
    </div>
  );
}
