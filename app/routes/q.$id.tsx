/** A question with its answers, accepted answer first. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/ErrorPage";
import { fullDate, timeAgo } from "~/lib/time";
import { getQuestionThread } from "~/models/questions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.question.title} · PeerDesk` }] : [{ title: "Question not found · PeerDesk" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no question at this address.", { status: 404 });
  const thread = await getQuestionThread(context.services.db, id);
  if (!thread) throw new Response("This question doesn't exist or was removed.", { status: 404 });
  return thread;
}

function Byline({ name, handle, at }: { name: string; handle: string | null; at: string | Date }) {
  return (
    <p className="text-xs text-slate-600 dark:text-slate-400">
      {handle ? <Link to={`/u/${handle}`}>{name}</Link> : name} ·{" "}
      <time dateTime={new Date(at).toISOString()} title={fullDate(at)}>
        {timeAgo(at)}
      </time>
    </p>
  );
}

export default function QuestionPage() {
  const { question, answers } = useLoaderData<typeof loader>();
  return (
    <article className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm">
          <Link to={`/s/${question.spaceSlug}`}>{question.spaceName}</Link>
        </p>
        <h1 className="text-2xl font-bold leading-tight">{question.title}</h1>
        <div className="flex flex-wrap gap-1.5 text-xs">
          {question.isPlainLanguage ? <span className="rounded-full bg-amber-100 px-2 py-0.5 font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">Plain language please</span> : null}
          {question.tags.map((t) => (
            <span key={t} className="rounded-full bg-slate-100 px-2 py-0.5 dark:bg-slate-800">
              {t}
            </span>
          ))}
        </div>
        <Byline name={question.authorName} handle={question.authorHandle} at={question.createdAt} />
      </header>
      <div className="prose-post" dangerouslySetInnerHTML={{ __html: question.bodyHtml }} />
      <section aria-labelledby="answers-heading" className="space-y-4">
        <h2 id="answers-heading" className="text-lg font-semibold">
          {answers.length} {answers.length === 1 ? "answer" : "answers"}
        </h2>
        {answers.map((a) => {
          const isAccepted = a.id === question.acceptedAnswerId;
          return (
            <article
              key={a.id}
              aria-label={isAccepted ? "Accepted answer" : "Answer"}
              className={`rounded-lg border p-4 ${isAccepted ? "border-green-600 bg-green-50/60 dark:border-green-600 dark:bg-green-950/40" : "border-slate-200 dark:border-slate-800"}`}
            >
              <div className="mb-2 flex items-center justify-between gap-2">
                <span className="text-sm text-slate-600 dark:text-slate-400">{a.score} votes</span>
                {isAccepted ? <span className="rounded bg-green-700 px-2 py-0.5 text-xs font-semibold text-white">Accepted answer</span> : null}
              </div>
              <div className="prose-post" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
              <div className="mt-3">
                <Byline name={a.authorName} handle={a.authorHandle} at={a.createdAt} />
              </div>
            </article>
          );
        })}
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
