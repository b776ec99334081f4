/** Schedule a hosted Q&A session (mentors, moderators, admins). Times are entered in the host's own time zone. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { asActor, requireUserWith } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { SessionFields } from "~/components/SessionFields";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { submittedValues } from "~/lib/forms";
import { isTimeZone } from "~/lib/time-zones";
import { PostingError } from "~/models/posting.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { scheduleSession } from "~/models/sessions.server";
import { listSpaceNames } from "~/models/spaces.server";
import { getProfileById, rememberTimeZone } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Schedule a Q&A session · PeerDesk" }];

type ActionResult = { message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "session.create");
  const { db } = context.services;
  const [spaces, profile] = await Promise.all([listSpaceNames(db), getProfileById(db, user.id)]);
  return { spaces, profileTimeZone: profile?.timeZone ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "session.create");
  const { db } = context.services;
  const formData = await request.formData();
  const field = (name: string) => String(formData.get(name) ?? "");
  // The zone the form showed; without it (an old form), the profile's.
  const profile = await getProfileById(db, user.id);
  const timeZone = isTimeZone(field("timeZone")) ? field("timeZone") : (profile?.timeZone ?? "UTC");
  try {
    const { sessionId } = await scheduleSession(db, {
      actor: asActor(user),
      title: field("title"),
      description: field("description"),
      spaceId: field("spaceId"),
      tags: field("tags"),
      startsAtLocal: field("startsAt"),
      endsAtLocal: field("endsAt"),
      startNow: field("startNow") === "on",
      timeZone,
      maxQuestionsPerPerson: field("maxQuestionsPerPerson"),
    });
    // The first zone a host schedules in becomes their profile's, so later forms (with or without JavaScript) use it.
    if (!profile?.timeZone) await rememberTimeZone(db, user.id, timeZone);
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

export default function NewSession() {
  const { spaces, profileTimeZone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Schedule a Q&amp;A session</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Members can send questions as soon as it's scheduled, and upvote the ones they want answered. You answer them
        live during the session.
      </p>
      {result?.message ? <FormAlert>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-4" noValidate>
        <SessionFields
          spaces={spaces}
          values={result?.values ?? {}}
          errors={result?.fieldErrors ?? {}}
          profileTimeZone={profileTimeZone}
          canStartNow
        />
        <Button type="submit" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Scheduling…" : "Schedule session"}
        </Button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
