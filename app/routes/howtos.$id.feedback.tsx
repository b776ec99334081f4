/** What readers told a how-to's author: the yes/no counts and their comments. The author (and staff) only; the page itself shows these with JavaScript too. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { asActor, requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FeedbackComments, HelpfulCounts } from "~/components/HowtoFeedback";
import { howtoPath } from "~/lib/howtos";
import { getHowtoPage, getHowtoViewerState } from "~/models/howto-pages.server";
import { listFeedbackComments } from "~/models/howto-feedback.server";
import { PostingError } from "~/models/post-errors.server";
import { requireId } from "~/lib/ids";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Readers' feedback · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const howtoId = requireId(params.id, "There is no how-to at this address.");
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const { db } = context.services;
  const howto = await getHowtoPage(db, howtoId, { includeDeleted: true });
  if (!howto) throw new Response("This how-to doesn't exist.", { status: 404 });
  try {
    const [comments, viewer] = await Promise.all([
      listFeedbackComments(db, { howtoId, actor }),
      getHowtoViewerState(db, { howtoId, actor }),
    ]);
    return data(
      {
        howtoId,
        title: howto.title,
        helpfulYes: howto.helpfulYes,
        helpfulNo: howto.helpfulNo,
        comments,
        pendingSuggestions: viewer?.pendingSuggestions ?? 0,
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (error) {
    if (error instanceof PostingError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export default function HowtoFeedbackPage() {
  const { howtoId, title, helpfulYes, helpfulNo, comments, pendingSuggestions } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">Readers&apos; feedback</h1>
        <p className="mt-1">
          <Link to={howtoPath(howtoId)} dir="auto">
            {title}
          </Link>
        </p>
      </header>
      <HelpfulCounts yes={helpfulYes} no={helpfulNo} />
      <p className="text-sm">
        <Link to={`${howtoPath(howtoId)}/suggestions`}>
          {pendingSuggestions} suggested {pendingSuggestions === 1 ? "edit" : "edits"} waiting
        </Link>
      </p>
      <h2 className="text-lg font-semibold">Comments</h2>
      <FeedbackComments comments={comments} />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
