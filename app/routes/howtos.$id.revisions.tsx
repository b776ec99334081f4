/** A how-to's revision history: every version, newest first, with who changed what (title, summary, meta, steps, tags) as word diffs. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HowtoDiff } from "~/components/HowtoDiff";
import { howtoPath } from "~/lib/howtos";
import { PersonName } from "~/components/PersonName";
import { RelativeTime } from "~/components/RelativeTime";
import { getHowtoRevisionHistory } from "~/models/howto-lists.server";
import { can } from "~/models/permissions.server";
import { requireId } from "~/lib/ids";
import { howtoNotShownMessage } from "./__post-editing.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = requireId(params.id, "There is no how-to at this address.");
  const history = await getHowtoRevisionHistory(context.services.db, id, { includeDeleted: true });
  if (!history) throw new Response("This how-to doesn't exist.", { status: 404 });
  // Like the how-to's page: the same for everyone unless the how-to was deleted or hidden (then staff only).
  if (history.howto.isDeleted) {
    const actor = asActor(await getCurrentUser(request, context));
    if (!can(actor, "post.viewDeleted"))
      throw new Response(await howtoNotShownMessage(context.services.db, { howtoId: id, actor }), { status: 404 });
  }
  return data(history, { headers: { "Cache-Control": history.howto.isDeleted ? "private, no-store" : "no-cache" } });
}

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error
    ? errorMeta(error)
    : [
        { title: page ? `History of “${page.howto.title}” · PeerDesk` : "History · PeerDesk" },
        { name: "robots", content: "noindex" },
      ];

export default function HowtoRevisions() {
  const { howto, revisions } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <header>
        <h1 className="text-2xl font-bold">Revision history</h1>
        <p className="mt-1">
          <Link to={howtoPath(howto.id)} dir="auto">
            {howto.title}
          </Link>
          <span className="text-slate-600 dark:text-slate-400">
            {" "}
            · {revisions.length} {revisions.length === 1 ? "version" : "versions"}
          </span>
        </p>
      </header>
      <ol className="space-y-4">
        {revisions.map((r) => (
          <li
            key={r.number}
            className="rounded-lg border border-slate-200 p-3 sm:p-4 dark:border-slate-800"
            aria-labelledby={`revision-${r.number}`}
          >
            <h2 id={`revision-${r.number}`} className="font-semibold">
              Version {r.number}
              {r.number === 1 ? " (original)" : ""}
            </h2>
            <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
              {r.editorName ? <PersonName name={r.editorName} handle={r.editorHandle} /> : "A former member"}{" "}
              <RelativeTime date={r.createdAt} />
              {r.note ? (
                <>
                  {" · “"}
                  <span dir="auto">{r.note}</span>”
                </>
              ) : null}
            </p>
            <HowtoDiff changes={r.changes} />
          </li>
        ))}
      </ol>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
