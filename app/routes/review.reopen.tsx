/**
 * /review/reopen — the moderators' reopen queue: closed questions edited since they were closed, or voted to reopen
 * by trusted members. A moderator reopens one, or keeps it closed (its reopen votes are cleared); both are logged.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { asActor, requireUser, requireUserWith } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { RelativeTime } from "~/components/RelativeTime";
import { MoreWaiting, ReviewTabs } from "~/components/review/ReviewTabs";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { idField } from "~/lib/id-field";
import { reopenQuestion } from "~/models/close.server";
import { can, formerRoleAllowing, requirePermission } from "~/models/permissions.server";
import { consumeWriteLimit } from "~/models/rate-limits.server";
import { countReopenQueue, keepClosed, listReopenQueue } from "~/models/review-actions.server";
import { countFlaggedOrHeld } from "~/models/review-queue.server";
import { loaderAndRetryAfterHeaders } from "~/lib/route-headers.server";
import { writeFailureResponse } from "~/lib/write-failure.server";
import { formFields } from "~/lib/forms";
import { refusedAfterRoleChange } from "./__review-actions.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Reopen votes · Review · PeerDesk" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "review.view");
  const { db } = context.services;
  const [candidates, flaggedCount, reopenCount] = await Promise.all([
    listReopenQueue(db),
    countFlaggedOrHeld(db),
    countReopenQueue(db),
  ]);
  return data(
    { candidates, flaggedCount, reopenCount, canDecide: can(asActor(user), "question.reopen") },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const headers = loaderAndRetryAfterHeaders;

const reopenActionSchema = z.object({ intent: z.enum(["reopen", "keepClosed"]), questionId: idField() });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const actor = asActor(user);
  // No longer staff (demoted in another tab): said in words rather than the bare 403 page.
  if (actor && !can(actor, "question.reopen"))
    throw refusedAfterRoleChange(actor, "question.reopen", {
      doing: "reopen questions or keep them closed",
      outcome: "so nothing was decided",
      formerRole: await formerRoleAllowing(context.services.db, actor.id, "question.reopen"),
    });
  requirePermission(actor, "question.reopen");
  const { db } = context.services;
  const form = await request.formData();
  const parsed = reopenActionSchema.safeParse(formFields(form));
  if (!parsed.success)
    return data(
      { questionId: null, message: "That request didn't look right. Please reload the page and try again." },
      { status: 400 },
    );
  const { intent, questionId } = parsed.data;
  try {
    await consumeWriteLimit(db, { userId: actor.id, kind: "review" });
    if (intent === "reopen") await reopenQuestion(db, { actor, questionId });
    else await keepClosed(db, { actor, questionId });
  } catch (error) {
    return writeFailureResponse(error, (failure) => ({ questionId, message: failure.message }));
  }
  return redirect(`/review/reopen?decided=${intent}`, 303);
}

const DECIDED: Record<string, string> = {
  reopen: "The question is open again.",
  keepClosed: "The question stays closed; its reopen votes were cleared.",
};

function votesText(n: number) {
  return n === 1 ? "1 vote to reopen" : `${n} votes to reopen`;
}

export default function ReopenQueue() {
  const { candidates, flaggedCount, reopenCount, canDecide } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const decided = DECIDED[searchParams.get("decided") ?? ""];
  const busyId = navigation.formData?.get("questionId");
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <h1 className="text-2xl font-bold">Review queue</h1>
      <ReviewTabs flagged={flaggedCount} reopen={reopenCount} />
      {decided ? (
        <p role="status" className="rounded-lg bg-brand-50 p-3 text-sm font-medium dark:bg-slate-900">
          {decided} It is in the moderation log.
        </p>
      ) : null}
      {/* A refusal shows in its card; one whose card is gone (decided meanwhile, or never there) shows here. */}
      {result && !candidates.some((c) => c.questionId === result.questionId) ? (
        <FormAlert focusOn={result}>{result.message}</FormAlert>
      ) : null}
      <section aria-labelledby="reopen-heading" className="space-y-3">
        <h2 id="reopen-heading" className="text-lg font-semibold">
          Closed questions to look at again ({reopenCount})
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Edited since they were closed, or voted to reopen by trusted members. Read the edit, then reopen it or keep it
          closed.
        </p>
        <MoreWaiting shown={candidates.length} total={reopenCount} />
        {candidates.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
            Nothing waiting. Thank you!
          </p>
        ) : (
          <ul className="space-y-4">
            {candidates.map((c) => (
              <li
                key={c.questionId}
                aria-labelledby={`reopen-${c.questionId}`}
                className="space-y-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
              >
                <h3 id={`reopen-${c.questionId}`} dir="auto" className="font-semibold">
                  <Link to={c.url}>{c.title}</Link>
                </h3>
                <p className="text-sm text-slate-700 dark:text-slate-300">
                  Closed as {c.reasonLabel} <RelativeTime date={c.closedAt} /> ·{" "}
                  {c.isEditedSinceClose ? "edited since" : "not edited since"} · {votesText(c.reopenVotes)}
                </p>
                {result && result.questionId === c.questionId ? <FormAlert>{result.message}</FormAlert> : null}
                {canDecide ? (
                  <Form method="post" className="flex flex-wrap gap-2">
                    <input type="hidden" name="questionId" value={c.questionId} />
                    <Button
                      type="submit"
                      name="intent"
                      value="reopen"
                      disabled={busyId === String(c.questionId)}
                      aria-describedby={`reopen-${c.questionId}`}
                    >
                      Reopen
                    </Button>
                    <Button
                      type="submit"
                      name="intent"
                      value="keepClosed"
                      variant="secondary"
                      disabled={busyId === String(c.questionId)}
                      aria-describedby={`reopen-${c.questionId}`}
                    >
                      Keep closed
                    </Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
