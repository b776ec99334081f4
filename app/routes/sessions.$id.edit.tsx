/**
 * The host (or a moderator) edits, reschedules, cancels or ends a hosted Q&A session. Moving or cancelling tells the
 * session's followers and askers; a live session's start stays put, and it can be ended early.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { asActor, requireUser } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { SessionFields } from "~/components/SessionFields";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { submittedValues } from "~/lib/forms";
import { isTimeZone } from "~/lib/time-zones";
import { can } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { cancelSession, endSessionNow, getSessionForEdit, updateSession } from "~/models/sessions.server";
import { listSpaceNames } from "~/models/spaces.server";
import { getProfileById } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Edit Q&A session · PeerDesk" }];

function sessionIdOf(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647)
    throw new Response("There is no such session.", { status: 404 });
  return id;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const sessionId = sessionIdOf(params.id);
  const user = await requireUser(request, context);
  const { db } = context.services;
  const profile = await getProfileById(db, user.id);
  const profileTimeZone = profile?.timeZone ?? null;
  const session = await getSessionForEdit(db, sessionId, profileTimeZone ?? "UTC");
  if (!session) throw new Response("There is no such session.", { status: 404 });
  if (!can(asActor(user), "session.host", { ownerId: session.hostId }))
    throw new Response("Only the host (or a moderator) can change this session.", { status: 403 });
  if (session.phase === "ended" || session.phase === "cancelled") return redirect(`/sessions/${sessionId}`, 303);
  return { session, spaces: await listSpaceNames(db), profileTimeZone };
}

type ActionResult = { message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

export async function action({ params, request, context }: ActionFunctionArgs) {
  const sessionId = sessionIdOf(params.id);
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const { db } = context.services;
  const formData = await request.formData();
  const field = (name: string) => String(formData.get(name) ?? "");
  const intent = field("intent");
  try {
    if (intent === "cancel") await cancelSession(db, { sessionId, actor });
    else if (intent === "end") await endSessionNow(db, { sessionId, actor });
    else if (intent === "update") {
      const profile = await getProfileById(db, user.id);
      await updateSession(db, {
        sessionId,
        actor,
        title: field("title"),
        description: field("description"),
        spaceId: field("spaceId"),
        tags: field("tags"),
        startsAtLocal: field("startsAt"),
        endsAtLocal: field("endsAt"),
        timeZone: isTimeZone(field("timeZone")) ? field("timeZone") : (profile?.timeZone ?? "UTC"),
        maxQuestionsPerPerson: field("maxQuestionsPerPerson"),
      });
    } else
      return data<ActionResult>(
        {
          message: "That request didn't look right. Please reload the page and try again.",
          fieldErrors: {},
          values: {},
        },
        { status: 400 },
      );
    return redirect(`/sessions/${sessionId}`, 303);
  } catch (error) {
    const values = submittedValues(formData, {});
    if (error instanceof PostingError)
      return data<ActionResult>(
        { message: error.message, fieldErrors: error.fieldErrors, values },
        { status: error.status },
      );
    if (error instanceof RateLimitedError)
      return data<ActionResult>(
        { message: error.message, fieldErrors: {}, values },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    throw error;
  }
}

export default function EditSession() {
  const { session, spaces, profileTimeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const isLive = session.phase === "live";
  const isBusy = navigation.state === "submitting";
  // After a failed save the form shows what was typed; otherwise the stored session.
  const values = result?.values.intent === "update" ? result.values : session.values;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Edit Q&amp;A session</h1>
        <p className="text-sm">
          <Link to={`/sessions/${session.id}`}>Back to the session</Link>
        </p>
      </div>
      {result?.message ? <FormAlert>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="intent" value="update" />
        <SessionFields
          spaces={spaces}
          values={values}
          errors={result?.fieldErrors ?? {}}
          profileTimeZone={profileTimeZone}
          isLive={isLive}
        />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          If you change the time, everyone who follows the session or asked in it is told.
        </p>
        <Button type="submit" disabled={isBusy}>
          Save changes
        </Button>
      </Form>
      <section
        aria-labelledby="stop-heading"
        className="space-y-3 rounded-lg border border-red-200 p-4 dark:border-red-900"
      >
        <h2 id="stop-heading" className="font-semibold">
          {isLive ? "End or cancel" : "Cancel"}
        </h2>
        {isLive ? (
          <Form method="post" className="space-y-2">
            <input type="hidden" name="intent" value="end" />
            <p className="text-sm">Ending now closes the queue; the answers so far stay as the session's archive.</p>
            <Button type="submit" disabled={isBusy}>
              End the session now
            </Button>
          </Form>
        ) : null}
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="cancel" />
          <p className="text-sm">
            Cancelling tells everyone who follows the session or asked in it. It can't be undone.
          </p>
          <button
            type="submit"
            disabled={isBusy}
            className="min-h-11 rounded-md border border-red-600 px-4 text-sm font-semibold text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950"
          >
            Cancel this session
          </button>
        </Form>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
