/**
 * "How well were you helped?" as a page of its own, for the question's asker: where accepting an answer leads without
 * JavaScript, and where the 7-day reminder in the inbox points. The question page shows the same card in place.
 */
import { writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { asActor, requireUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import {
  FeedbackPageForm,
  type PromptShown,
  RatingSummary,
  UnsavedComment,
  refusalMessage,
} from "~/components/Feedback";
import { LocalTime } from "~/components/LocalTime";
import { submittedValues } from "~/lib/forms";
import { questionPath } from "~/lib/qa";
import { getFeedbackPrompt, rateHelp } from "~/models/feedback.server";
import { getPostMeta } from "~/models/posts.server";
import { getQuestionPage } from "~/models/question-thread.server";
import type { Db } from "#db/client.server";
import { requireId } from "~/lib/ids";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error
    ? errorMeta(error)
    : [
        { title: page ? `Rate the help: ${page.title} · PeerDesk` : "Rate the help · PeerDesk" },
        { name: "robots", content: "noindex" },
      ];

async function loadQuestion(params: LoaderFunctionArgs["params"], context: LoaderFunctionArgs["context"]) {
  const id = requireId(params.id, "This question doesn't exist or was deleted.");
  const question = await getPostMeta(context.services.db, id);
  if (question?.kind !== "question" || question.deletedAt)
    throw new Response("This question doesn't exist or was deleted.", { status: 404 });
  return { id, title: question.title ?? "Question" };
}

async function hasAcceptedAnswer(db: Db, questionId: number): Promise<boolean> {
  const page = await getQuestionPage(db, questionId);
  return typeof page?.question.acceptedAnswerId === "number";
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const question = await loadQuestion(params, context);
  const prompt = await getFeedbackPrompt(context.services.db, question.id, asActor(user));
  if (!prompt)
    throw new Response("Only the person who asked this question can rate the help they got.", { status: 403 });
  const { searchParams } = new URL(request.url);
  const saved = searchParams.get("saved") === "1";
  // Arriving from "Accept this answer" without JavaScript, where the page itself must confirm what the tap did; only
  // while an answer is in fact accepted (the link is also reached with Back after unaccepting). Looked up only then.
  const isJustAccepted =
    searchParams.get("accepted") === "1" && !saved && (await hasAcceptedAnswer(context.services.db, question.id));
  return data(
    { ...question, href: questionPath(question.id, question.title), prompt, saved, isJustAccepted },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

type ActionData = { message: string; fieldErrors?: Record<string, string>; values: Record<string, string> };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const question = await loadQuestion(params, context);
  const formData = await request.formData();
  const values = submittedValues(formData);
  try {
    await rateHelp(context.services.db, {
      questionId: question.id,
      actor: asActor(user),
      rating: String(formData.get("rating") ?? ""),
      comment: sentText(formData, "comment"),
      easyToUnderstand: sentText(formData, "easyToUnderstand"),
    });
    return redirect(`/q/${question.id}/feedback?saved=1`, 303);
  } catch (error) {
    return writeFailureResponse<ActionData>(error, (failure) => ({
      message: failure.message,
      fieldErrors: failure.fieldErrors,
      values,
    }));
  }
}

/** A field's text, or undefined when the form left it out: a rating sent alone keeps the saved comment. */
function sentText(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
}

export default function FeedbackPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const prompt = page.prompt as PromptShown;
  const isFormShown = prompt.state === "open";
  const refusal = refusalMessage(result, { isFormShown });
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <p className="text-sm">
        <Link to={page.href} dir="auto">
          {page.title}
        </Link>
      </p>
      <h1 className="text-2xl font-bold">Rate the help you got</h1>
      {page.isJustAccepted ? (
        <p
          role="status"
          className="rounded-md border border-green-600 bg-green-50 p-3 font-medium text-green-900 dark:bg-green-950 dark:text-green-100"
        >
          Answer accepted. It now shows first on the question, marked as the accepted answer.
        </p>
      ) : null}
      {page.saved ? (
        <p
          role="status"
          className="rounded-md border border-green-600 bg-green-50 p-3 font-medium text-green-900 dark:bg-green-950 dark:text-green-100"
        >
          Saved. Thank you for telling the people who helped.
        </p>
      ) : null}
      {refusal ? (
        <p
          role="alert"
          className="rounded-md border border-red-400 bg-red-50 p-3 font-medium text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          {refusal}
        </p>
      ) : null}
      {prompt.state === "later" ? (
        <p>
          You can rate the help once you accept an answer, or from <LocalTime iso={prompt.opensAt} /> if none solves it.
        </p>
      ) : null}
      {prompt.state === "ownAnswer" && !refusal ? (
        <p>
          You accepted your own answer, so there is no help from others to rate on this question. If someone else's
          answer solves it later, accept theirs instead and you can rate their help here.
        </p>
      ) : null}
      {prompt.state === "closed" ? <RatingSummary existing={prompt.existing} /> : null}
      {prompt.state === "open" ? (
        <>
          {prompt.existing ? <RatingSummary existing={prompt.existing} /> : null}
          <FeedbackPageForm
            prompt={prompt}
            errors={result?.fieldErrors}
            values={result?.values}
            isSubmitting={navigation.state === "submitting"}
          />
        </>
      ) : (
        // The form is no longer offered: a refused comment stays here to copy.
        <UnsavedComment failed={result} />
      )}
      <p>
        <Link to={page.href}>Back to the question</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
