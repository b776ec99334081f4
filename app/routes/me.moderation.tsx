/** /me/moderation — private: your posts waiting for review (and why), and what moderators decided on your flags and posts. */
import { type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { RelativeTime } from "~/components/RelativeTime";
import { describeModeratedThings, listMyHolds, listNotices } from "~/models/holds.server";

export const meta: MetaFunction = () => [
  { title: "Moderation and you · PeerDesk" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.services;
  const pending = (await listMyHolds(db, user.id)).filter((hold) => hold.status === "pending");
  // Where each will appear, in one query however many are waiting.
  const things = await describeModeratedThings(
    db,
    pending.map((hold) => ({ type: hold.targetType, id: hold.targetId })),
  );
  const waiting = pending.map((hold, index) => ({
    id: hold.id,
    message: hold.message,
    postedAt: hold.postedAt,
    heldAt: hold.createdAt,
    kind: hold.targetType === "comment" ? "comment" : "post",
    url: things[index]?.url ?? null,
  }));
  const notices = (await listNotices(db, user.id)).map((n) => ({
    id: n.id,
    message: n.message,
    url: n.url,
    createdAt: n.createdAt,
  }));
  return data({ waiting, notices }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function MyModeration() {
  const { waiting, notices } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-2xl font-bold">Moderation and you</h1>
      {searchParams.get("held") ? (
        <p role="status" className="rounded-lg bg-brand-50 p-3 font-medium dark:bg-slate-900">
          Your {searchParams.get("held") === "comment" ? "comment" : "post"} is saved and waiting for review. Other
          people will see it once a moderator approves it.
        </p>
      ) : null}
      <section aria-labelledby="waiting-heading" className="space-y-2">
        <h2 id="waiting-heading" className="text-lg font-semibold">
          Waiting for review
        </h2>
        {waiting.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">Nothing of yours is waiting for review.</p>
        ) : (
          <ul className="space-y-2">
            {waiting.map((item) => (
              <li
                key={item.id}
                className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50"
              >
                <p className="font-semibold">Your {item.kind} is waiting for review</p>
                <p className="text-sm">{item.message}</p>
                <p className="text-xs">
                  {item.postedAt ? (
                    <>
                      Posted <RelativeTime date={item.postedAt} />
                      {" · "}
                    </>
                  ) : null}
                  Hidden for review <RelativeTime date={item.heldAt} />
                  {item.url ? (
                    <>
                      {" · "}
                      <Link to={item.url}>Where it will appear</Link>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="notices-heading" className="space-y-2">
        <h2 id="notices-heading" className="text-lg font-semibold">
          Outcomes
        </h2>
        {notices.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">
            When moderators decide on something you flagged or posted, you'll read it here.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {notices.map((notice) => (
              <li key={notice.id} className="p-3 text-sm">
                <p>{notice.message}</p>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  <RelativeTime date={notice.createdAt} />
                  {notice.url ? (
                    <>
                      {" · "}
                      <Link to={notice.url}>See it</Link>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
