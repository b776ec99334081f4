/** /sessions — hosted Q&A sessions: live now, upcoming (add to your calendar), and the archive of past ones. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "~/auth/session.server";
import { LocalTimeRange } from "~/components/LocalTimeRange";
import { buttonClass } from "~/components/ui/Button";
import { can } from "~/models/permissions.server";
import { listOfficeHours } from "~/models/office-hours-lists.server";
import { officeHoursPhase } from "~/models/office-hours.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";

export const meta: MetaFunction = () => [
  { title: "Q&A sessions · PeerDesk" },
  {
    name: "description",
    content: "Q&A sessions with experienced colleagues, live and archived.",
  },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  const now = new Date();
  const { current, past } = await listOfficeHours(context.services.db, now);
  // Phases ("live", "starting soon") change with the clock, so the page lives a short time besides its tag.
  const headers = publicPageHeaders(request, { tags: [TAGS.sessions], maxAgeSeconds: LIFETIME_SECONDS.untracked });
  return data(
    {
      current: current.map((session) => ({ ...session, phase: officeHoursPhase(session, now) })),
      past,
      canHost: can(user ? { id: user.id, role: user.role, banned: user.banned } : null, "session.create"),
    },
    { headers },
  );
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

type Row = {
  id: number;
  title: string;
  hostName: string;
  spaceName: string;
  startsAt: string | Date;
  endsAt: string | Date;
  questionCount: number;
};

function SessionRow({ session, badge }: { session: Row; badge?: string }) {
  return (
    <li className="space-y-1 py-3">
      <div className="flex flex-wrap items-baseline gap-2">
        {badge ? (
          <span className="rounded-full bg-red-600 px-2 py-0.5 text-xs font-bold uppercase text-white">{badge}</span>
        ) : null}
        <Link to={`/sessions/${session.id}`} dir="auto" className="font-semibold">
          {session.title}
        </Link>
      </div>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        <LocalTimeRange startsAt={session.startsAt} endsAt={session.endsAt} /> ·{" "}
        <span dir="auto">{session.hostName}</span> · <span dir="auto">{session.spaceName}</span> ·{" "}
        {session.questionCount} {session.questionCount === 1 ? "question" : "questions"}
      </p>
    </li>
  );
}

export default function Sessions() {
  const { current, past, canHost } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Q&amp;A sessions</h1>
          <p className="text-slate-600 dark:text-slate-300">
            Mentors host Q&amp;A sessions: send your questions ahead, upvote others, and watch the answers arrive live.
          </p>
        </div>
        {canHost ? (
          <Link to="/sessions/new" className={buttonClass("primary")}>
            Schedule a session
          </Link>
        ) : null}
      </header>
      <section aria-labelledby="current-heading">
        <h2 id="current-heading" className="text-lg font-semibold">
          Live and upcoming
        </h2>
        {current.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No sessions are planned right now.</p>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {current.map((session) => (
              <SessionRow key={session.id} session={session} badge={session.phase === "live" ? "Live" : undefined} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading" className="text-lg font-semibold">
          Past sessions
        </h2>
        {past.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">None yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {past.map((session) => (
              <SessionRow key={session.id} session={session} badge={session.cancelledAt ? "Cancelled" : undefined} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
