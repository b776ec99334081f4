/**
 * "Ask a mentor" on a question: who was invited (and whether they answered or declined), for everyone; for the
 * asker, up to three people with matching expertise to invite; for an invitee, a way to decline. Plain forms that
 * post to the question page, so it works without JavaScript.
 */
import { useFetcher } from "@remix-run/react";
import { PersonName } from "./PersonName";
import type { InvitationView, MentorSuggestion } from "~/models/invitations.types";
import { JsFlag } from "./JsFlag";
import type { QaActionResult } from "./QaPageContext";

export type AskAMentorViewer = {
  canInvite: boolean;
  invitesLeft: number;
  suggestions: MentorSuggestion[];
  isInvited: boolean;
  hasDeclined: boolean;
};

function InviteButton({ suggestion }: { suggestion: MentorSuggestion }) {
  const fetcher = useFetcher<QaActionResult>({ key: `invite-${suggestion.id}` });
  const isSent = fetcher.data?.ok === true;
  const error = fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <fetcher.Form method="post" className="flex flex-col items-end">
      <input type="hidden" name="intent" value="invite" />
      <input type="hidden" name="inviteeId" value={suggestion.id} />
      <JsFlag />
      <button
        type="submit"
        disabled={isSent || fetcher.state !== "idle"}
        aria-label={`Invite ${suggestion.name}`}
        className="min-h-11 rounded-md border border-brand-600 px-3 text-sm font-medium text-brand-800 disabled:opacity-60 dark:text-brand-200"
      >
        {isSent ? "Invited" : fetcher.state !== "idle" ? "Inviting…" : "Invite"}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

export function AskAMentor({
  invitations,
  viewer,
}: {
  invitations: InvitationView[];
  viewer: AskAMentorViewer | null;
}) {
  const decline = useFetcher<QaActionResult>({ key: "decline-invitation" });
  const showSuggestions = viewer?.canInvite && viewer.invitesLeft > 0 && viewer.suggestions.length > 0;
  if (invitations.length === 0 && !showSuggestions && !viewer?.isInvited) return null;
  return (
    <section
      id="ask-a-mentor"
      aria-labelledby="ask-a-mentor-heading"
      className="scroll-mt-4 space-y-2 rounded-lg border border-brand-200 bg-brand-50/50 p-3 dark:border-slate-700 dark:bg-slate-900"
    >
      <h2 id="ask-a-mentor-heading" className="font-semibold">
        Ask a mentor
      </h2>
      {invitations.length > 0 ? (
        <ul className="space-y-1 text-sm">
          {invitations.map((invitation) => (
            <li key={invitation.inviteeId}>
              <PersonName name={invitation.name} handle={invitation.handle} /> was invited
              {invitation.hasAnswered ? (
                <strong className="text-emerald-800 dark:text-emerald-300"> · answered</strong>
              ) : invitation.isDeclined ? (
                " · can't help this time"
              ) : (
                ""
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {viewer?.isInvited && !viewer.hasDeclined && decline.data?.ok !== true ? (
        <decline.Form method="post" className="flex flex-wrap items-center gap-2 text-sm">
          <input type="hidden" name="intent" value="declineInvite" />
          <JsFlag />
          <span>You were invited to answer this question.</span>
          <a href="#your-answer-heading">Answer it</a>
          <button type="submit" className="min-h-11 rounded-md border border-slate-300 px-3 dark:border-slate-700">
            Decline
          </button>
        </decline.Form>
      ) : null}
      {showSuggestions && viewer ? (
        <div className="space-y-2">
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Invite up to {viewer.invitesLeft} more {viewer.invitesLeft === 1 ? "person" : "people"} who know these
            topics. They get a notification.
          </p>
          <ul className="space-y-2">
            {viewer.suggestions.map((suggestion) => (
              <li key={suggestion.id} className="flex items-center justify-between gap-2">
                <span className="min-w-0 text-sm">
                  <PersonName name={suggestion.name} handle={suggestion.handle} />
                  <span className="block text-xs text-slate-600 dark:text-slate-400">
                    Knows {suggestion.matchingTags.join(", ")} · helped solve {suggestion.helpedSolve}
                  </span>
                </span>
                <InviteButton suggestion={suggestion} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
