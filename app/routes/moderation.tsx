/** The public moderation log: what moderators and admins changed, by whom, and when. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RelativeTime } from "~/components/RelativeTime";
import { describeModerationAction, listModerationLog, publicModerationReason } from "~/models/moderation.server";

export const meta: MetaFunction = () => [{ title: "Moderation log · PeerDesk" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const entries = await listModerationLog(context.services.db, { limit: 100 });
  // Details of bans stay between admins and the member; the log shows that it happened and why. An account
  // deletion's note (whose request it was) is for admins only.
  return {
    entries: entries.map((e) => ({
      id: e.id,
      action: e.action,
      description: describeModerationAction(e.action),
      reason: publicModerationReason(e.action, e.reason),
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
              <LogActor entry={e} /> {e.description}
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
