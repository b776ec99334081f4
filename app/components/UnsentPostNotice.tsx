/**
 * Hands back a post that was interrupted (app/lib/unsent-form.ts), by being signed out or by a dropped connection: on the
 * sign-in page it says the text is kept; on the next page it puts it back into its form, or shows it to copy when that
 * form is not there.
 */
import { KeptText } from "~/components/KeptText";
import { useFetchers, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { markPostAnswered, putBack, unsentPostOnArrival } from "~/lib/unsent-form";

type Notice = { kind: "interrupted" } | { kind: "restored" | "copy"; text: string; isDropped: boolean };

/** Why it wasn't sent, and what was done with it. */
function wordsOf(notice: Notice): string {
  if (notice.kind === "interrupted")
    return "You were signed out (perhaps in another tab), so what you were sending wasn't sent. Sign in and we'll put it back in the form for you to send again.";
  if (notice.isDropped)
    return notice.kind === "restored"
      ? "Your connection dropped while this was being sent. We've put back what you typed: check it, and send it again if it isn't on the page already."
      : "Your connection dropped while this was being sent. Here is what you typed, to copy:";
  return notice.kind === "restored"
    ? "You were signed out, so this wasn't sent. We've put back what you typed: check it and send it again."
    : "You were signed out, so what you were sending wasn't sent. Here it is, to copy:";
}

export function UnsentPostNotice() {
  const location = useLocation();
  const [notice, setNotice] = useState<Notice | null>(null);
  // A fetcher loading after its post: the server answered it, so a connection dropping later wasn't sending it.
  const isPostAnswered = useFetchers().some((fetcher) => fetcher.state === "loading" && fetcher.formMethod);
  useEffect(() => {
    if (isPostAnswered) markPostAnswered(window.sessionStorage);
  }, [isPostAnswered]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every arrival, a sign-in page shown again included
  useEffect(() => {
    const arrival = unsentPostOnArrival(window.sessionStorage, location.pathname + location.search);
    if (!arrival) return setNotice(null);
    if (arrival.state === "interrupted") return setNotice({ kind: "interrupted" });
    // A form that appears a moment after the page (one loaded for the signed-in reader) is waited for, briefly.
    const { post } = arrival;
    const text = Object.values(post.fields).join("\n\n");
    const isDropped = post.isDropped === true;
    const deadline = Date.now() + 3000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = () => {
      if (putBack(document, post)) setNotice({ kind: "restored", text, isDropped });
      else if (Date.now() > deadline) setNotice({ kind: "copy", text, isDropped });
      else timer = setTimeout(attempt, 200);
    };
    attempt();
    return () => clearTimeout(timer);
  }, [location.key, location.pathname, location.search]);
  if (!notice) return null;
  return (
    <div
      role="status"
      className="mb-4 space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
    >
      <p>{wordsOf(notice)}</p>
      {notice.kind === "copy" ? (
        <KeptText id="unsent-post" label="What you were sending" text={notice.text} rows={6} isLabelHidden />
      ) : null}
    </div>
  );
}
