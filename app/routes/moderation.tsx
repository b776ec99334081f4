/** The public moderation log: what moderators and admins changed, by whom, and when. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RelativeTime } from "~/components/RelativeTime";
import { listModerationLog } from "~/models/moderation.server";

export const meta: MetaFunction = () => [{ title: "Moderation log · PeerDesk" }];

const describe: Record<string, string> = {
  "space.create": "created a space",
  "space.edit": "edited a space",
  "space.reorder": "reordered spaces",
  "space.archive": "archived a space",
  "space.unarchive": "restored a space",
  "user.role": "changed a member's role",
  "user.ban": "banned a member",
  "user.unban": "lifted a ban",
  "glossary.create": "added a glossary term",
  "glossary.edit": "edited a glossary term",
  "glossary.delete": "removed a glossary term",
  "question.close": "closed a question",
  "question.reopen": "reopened a question",
  "question.mergeAnswers": "merged a duplicate's answers into the original",
  "question.revealAsker": "looked up who asked an anonymous question",
  "settings.closeVotesNeeded": "changed the number of votes that close a question",
  // Review queue decisions: what was decided and why, never who flagged.
  "review.keep": "kept flagged or held content",
  "review.hide": "hid flagged or held content",
  "review.warn": "hid content and warned its author",
  "review.silence": "hid content and silenced its author",
  "user.silence": "silenced a member",
  "profile.hide": "hid a member's profile (bio, picture, mentoring note)",
  "profile.show": "showed a hidden profile again",
  "user.unsilence": "lifted a member's silence",
  "review.close": "settled flags by closing the question",
  "question.keepClosed": "kept a closed question closed after its edit or reopen votes",
  "site.backup": "made a backup of the site's database",
  "site.backupDownload": "downloaded a backup of the site's database",
  "image.remove": "took down a picture shown in posts",
};

export async function loader({ context }: LoaderFunctionArgs) {
  const entries = await listModerationLog(context.services.db, { limit: 100 });
  // Details of bans stay between admins and the member; the log shows that it happened and why.
  return {
    entries: entries.map((e) => ({
      id: e.id,
      action: e.action,
      reason: e.reason,
      createdAt: e.createdAt,
      actorName: e.actorName,
      actorHandle: e.actorHandle,
      details: e.action.startsWith("space.") ? e.details : {},
      // Closing and reopening link to the question; a closing by community vote has no moderator.
      questionId: e.targetType === "question" ? e.targetId : null,
      byVote: e.action.startsWith("question.") && e.actorName === null,
    })),
  };
}

export default function ModerationLog() {
  const { entries } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Moderation log</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Every action a moderator or admin takes is listed here, so the community can see how it is run.
      </p>
      {entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
          Nothing yet.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {entries.map((e) => (
            <li key={e.id} className="p-3 text-sm">
              <LogActor entry={e} /> {describe[e.action] ?? e.action}
              {e.questionId ? (
                <>
                  {" "}
                  <Link to={`/q/${e.questionId}?stay=1`}>#{e.questionId}</Link>
                </>
              ) : null}
              {typeof e.details.name === "string" ? ` “${e.details.name}”` : ""}
              {typeof e.details.to === "string" && e.action === "space.edit" ? ` (now “${e.details.to}”)` : ""}
              {e.reason ? <span className="text-slate-600 dark:text-slate-400"> · reason: {e.reason}</span> : null}
              <span className="text-slate-500 dark:text-slate-400"> · </span>
              <RelativeTime date={e.createdAt} className="text-slate-500 dark:text-slate-400" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function LogActor({ entry }: { entry: { actorHandle: string | null; actorName: string | null; byVote: boolean } }) {
  if (entry.actorHandle) return <Link to={`/u/${entry.actorHandle}`}>{entry.actorName}</Link>;
  if (entry.byVote) return <>The community (by vote)</>;
  return <>{entry.actorName ?? "System"}</>;
}
