/** A question's or answer's history: every revision with who and when and the editor's note, and a word diff against the one before. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { RevisionDiff } from "~/components/RevisionDiff";
import { answerPath, questionPath } from "~/lib/qa";
import { RelativeTime } from "~/components/RelativeTime";
import { can } from "~/models/permissions.server";
import { getRevisionHistory } from "~/models/question-history.server";
import { requireId } from "~/lib/ids";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error
    ? errorMeta(error, "History not found")
    : [
        { title: page ? `History: ${page.question.title ?? "post"} · PeerDesk` : "History not found · PeerDesk" },
        { name: "robots", content: "noindex" },
      ];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = requireId(params.id, "There is no post at this address.");
  const includeDeleted = can(asActor(await getCurrentUser(request, context)), "post.viewDeleted");
  const history = await getRevisionHistory(context.services.db, id, { includeDeleted });
  if (!history || (history.post.kind !== "question" && history.post.kind !== "answer"))
    throw new Response("This post doesn't exist or was removed.", { status: 404 });
  return history;
}

export default function RevisionHistory() {
  const { post, question, revisions } = useLoaderData<typeof loader>();
  const noun = post.kind === "answer" ? "answer" : "question";
  const backTo =
    post.kind === "answer"
      ? answerPath(question.id, question.title, post.id)
      : questionPath(question.id, question.title);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-2xl font-bold">History of this {noun}</h1>
        <p className="text-sm">
          <Link to={backTo}>
            ← Back to “<span dir="auto">{question.title}</span>”
          </Link>
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {revisions.length} {revisions.length === 1 ? "version" : "versions"}, newest first. Added words are{" "}
          <ins className="bg-green-100 text-green-900 no-underline dark:bg-green-900 dark:text-green-50">
            highlighted
          </ins>
          , removed ones <del className="bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-50">struck through</del>.
        </p>
        {post.isDeleted ? (
          <p className="rounded-lg border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
            This {noun} is deleted. Only moderators see its history.
          </p>
        ) : null}
      </header>
      <ol className="space-y-4">
        {revisions.map((r) => (
          <li
            key={r.number}
            id={`revision-${r.number}`}
            className="rounded-lg border border-slate-200 p-4 dark:border-slate-800"
          >
            <article aria-labelledby={`revision-${r.number}-heading`} className="space-y-3">
              <header>
                <h2 id={`revision-${r.number}-heading`} className="font-semibold">
                  {r.number === 1 ? "Version 1 (original)" : `Version ${r.number}`}
                </h2>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  {r.number === 1 ? "Written" : "Edited"} by{" "}
                  {r.editorHandle ? (
                    <Link to={`/u/${r.editorHandle}`} dir="auto">
                      {r.editorName}
                    </Link>
                  ) : (
                    (r.editorName ?? "a former member")
                  )}{" "}
                  <RelativeTime date={r.createdAt} />
                </p>
                {r.note ? <p className="mt-1 text-sm italic">“{r.note}”</p> : null}
              </header>
              {r.titleDiff && (r.number === 1 || r.titleDiff.some((p) => p.op !== "same")) ? (
                <div>
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
                    Title
                  </h3>
                  <RevisionDiff parts={r.titleDiff} className="font-medium" />
                </div>
              ) : null}
              {r.tagsAdded.length > 0 || r.tagsRemoved.length > 0 ? (
                <div className="text-sm">
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
                    Tags
                  </h3>
                  <p>
                    {r.tagsAdded.map((t) => (
                      <ins
                        key={t}
                        className="mr-1 rounded-full bg-green-100 px-2 text-green-900 no-underline dark:bg-green-900 dark:text-green-50"
                      >
                        <span className="sr-only">added tag </span>
                        {t}
                      </ins>
                    ))}
                    {r.tagsRemoved.map((t) => (
                      <del
                        key={t}
                        className="mr-1 rounded-full bg-red-100 px-2 text-red-900 dark:bg-red-900 dark:text-red-50"
                      >
                        <span className="sr-only">removed tag </span>
                        {t}
                      </del>
                    ))}
                  </p>
                </div>
              ) : null}
              {r.audienceChange ? (
                <div className="text-sm">
                  <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
                    How answers should be written
                  </h3>
                  <p>{r.audienceChange}</p>
                </div>
              ) : null}
              <div>
                <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
                  {r.number === 1 ? "Text" : "Changes to the text"}
                </h3>
                {r.diffNote ? <p className="text-sm text-slate-600 dark:text-slate-400">{r.diffNote}</p> : null}
                {r.number === 1 || r.bodyDiff.some((p) => p.op !== "same") ? (
                  <RevisionDiff
                    parts={r.bodyDiff}
                    className="rounded-md bg-slate-50 p-3 font-mono text-sm dark:bg-slate-900"
                  />
                ) : (
                  <p className="text-sm text-slate-600 dark:text-slate-400">The text did not change.</p>
                )}
              </div>
            </article>
          </li>
        ))}
      </ol>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
