/**
 * Up/down vote buttons with the score: one vote per person, the pressed arrow takes it back; disabled with a reason on
 * your own posts. Each button sends the vote it asks for ("none" from the pressed one), so a page out of date or a
 * double click sets that vote instead of flipping it.
 */
import { useFetcher } from "@remix-run/react";
import { type QaActionResult, resultFor, useQaPage } from "./QaPageContext";

export function VoteControl({ postId, score, noun }: { postId: number; score: number; noun: "question" | "answer" }) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `vote-${postId}` });
  // Not useId: the card around it may be rendered on its own (app/lib/cached-html.server.ts), where ids would differ.
  const hintId = `vote-hint-${postId}`;
  const permissions = page.viewer?.posts[postId];
  const savedVote = permissions?.myVote ?? 0;
  const pending = fetcher.formData?.get("direction");
  // Optimistic: show the vote as it will be while the server confirms it.
  const myVote = pending === "up" ? 1 : pending === "down" ? -1 : pending === "none" ? 0 : savedVote;
  const shownScore = score + (myVote - savedVote);
  const isBlocked = page.viewer?.isSignedIn && permissions !== undefined && !permissions.canVote;
  const hint = isBlocked ? (permissions?.voteHint ?? "You can't vote on this post.") : null;
  const result = resultFor(page, fetcher.data, "vote", postId);
  const error = result && !result.ok ? result.message : null;
  const buttonClass = (isOn: boolean) =>
    `flex size-11 items-center justify-center rounded-full border text-lg leading-none disabled:cursor-not-allowed disabled:opacity-50 ${
      isOn
        ? "border-brand-600 bg-brand-600 text-white"
        : "border-slate-300 bg-white text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800"
    }`;
  return (
    <div className="flex w-16 shrink-0 flex-col items-center gap-1">
      <fetcher.Form
        method="post"
        action={page.formAction}
        preventScrollReset
        className="flex flex-col items-center gap-1"
      >
        <input type="hidden" name="intent" value="vote" />
        <input type="hidden" name="postId" value={postId} />
        <input type="hidden" name="js" value={page.isHydrated ? "1" : "0"} />
        <button
          type="submit"
          name="direction"
          value={myVote === 1 ? "none" : "up"}
          className={buttonClass(myVote === 1)}
          aria-pressed={page.viewer ? myVote === 1 : undefined}
          aria-label={
            myVote === 1
              ? `You voted this ${noun} up; select again to take your vote back`
              : `Vote this ${noun} up: it is useful and clear`
          }
          disabled={isBlocked}
          aria-describedby={hint ? hintId : undefined}
        >
          <span aria-hidden="true">▲</span>
        </button>
        {/* An output (role status) may carry a name, and screen readers hear the new score after a vote. */}
        <output className="text-base font-semibold" aria-label={`Score ${shownScore}`}>
          {shownScore}
        </output>
        <button
          type="submit"
          name="direction"
          value={myVote === -1 ? "none" : "down"}
          className={buttonClass(myVote === -1)}
          aria-pressed={page.viewer ? myVote === -1 : undefined}
          aria-label={
            myVote === -1
              ? `You voted this ${noun} down; select again to take your vote back`
              : `Vote this ${noun} down: it is unclear or not useful`
          }
          disabled={isBlocked}
          aria-describedby={hint ? hintId : undefined}
        >
          <span aria-hidden="true">▼</span>
        </button>
      </fetcher.Form>
      {hint ? (
        <p id={hintId} className="w-16 text-center text-[11px] leading-tight text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p
          role="alert"
          className="w-16 text-center text-[11px] leading-tight font-medium text-red-700 dark:text-red-400"
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}
