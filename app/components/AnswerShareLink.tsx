/**
 * "Share" under an answer: a link to the answer's short address (/a/:id). With JavaScript a tap copies the full
 * address and says so; without it (or where the clipboard is refused) the link opens the answer, whose address is then
 * in the address bar. A plain link, so a long press on a phone offers "Copy link" too.
 */
import { type MouseEvent, useState } from "react";

export const ANSWER_LINK_COPIED = "Link to this answer copied.";

export function AnswerShareLink({ answerId, className }: { answerId: number; className: string }) {
  const [status, setStatus] = useState("");
  const copy = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || !navigator.clipboard) return;
    event.preventDefault();
    const link = event.currentTarget.href;
    try {
      await navigator.clipboard.writeText(link);
      setStatus(ANSWER_LINK_COPIED);
    } catch {
      window.location.assign(link);
    }
  };
  // Signed-out reading pages run no React: app/reader/reader.ts does the same for links marked data-answer-share.
  return (
    <>
      <a
        href={`/a/${answerId}`}
        data-answer-share=""
        className={className}
        aria-label="Share a link to this answer"
        onClick={(e) => void copy(e)}
      >
        Share
      </a>
      <span role="status" className="text-xs text-slate-600 dark:text-slate-400">
        {status}
      </span>
    </>
  );
}
