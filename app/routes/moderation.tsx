/** The public moderation log: what moderators and admins changed, by whom, and when. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { RelativeTime } from "~/components/RelativeTime";
import {
  describeModerationAction,
  listModerationLog,
  moderationTargetLinks,
  publicModerationReason,
} from "~/models/moderation.server";
import { can } from "~/models/permissions.server";

export const meta: MetaFunction = () => [{ title: "Moderation log · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db } = context.services;
  const entries = await listModerationLog(db, { limit: 100 });
  // Hidden or deleted content is linked only for staff, whose pages show it; everyone else would find "Page not found".
  const canSeeHidden = can(asActor(await getCurrentUser(request, context)), "post.viewDeleted");
  const links = await moderationTargetLinks(db, entries, { canSeeHidden });
  // Details of bans stay between admins and the member; the log shows that it happened and why. An account
  // deletion's note (whose request it was) is for admins only. Staff are signed in, so their page (with its extra links)
  // is kept private like every signed-in page (entry.server.tsx).
  return {
    entries: entries.map((e) => ({
      id: e.id,
      action: e.action,
      description: describeModerationAction(e.action, e.targetType),
      reason: publicModerationReason(e.action, e.reason),
      createdAt: e.createdAt,
      actorName: e.actorName,
      actorHandle: e.actorHandle,
      details: e.action.startsWith("space.") ? e.details : {},
      // What the entry was about (a question closed, an answer hidden), only when this reader can open it.
      target: targetLink(links.get(e.id), e.targetId),
      // A closing by community vote has no moderator.
      byVote: e.action.startsWith("question.") && e.actorName === null,
    })),
  };
}

/** A link to an entry's target, numbered as the log always has ("#34"); none (and no id sent) without a place to go. */
function targetLink(url: string | undefined, targetId: string): { url: string; label: string } | null {
  return url ? { url, label: `#${targetId}` } : null;
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
              {e.target ? (
                <>
                  {" "}
                  <Link to={e.target.url}>{e.target.label}</Link>
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
  if (entry.actorHandle)
    return (
      <Link to={`/u/${entry.actorHandle}`} dir="auto">
        {entry.actorName}
      </Link>
    );
  if (entry.byVote) return <>The community (by vote)</>;
  return <>{entry.actorName ?? "System"}</>;
}
