/** Schedule a hosted Q&A session (mentors, moderators, admins). Times are entered in the host's own time zone. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireUserWith } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { Button } from "~/components/ui/Button";
import { FormAlert, TextAreaField, TextField } from "~/components/ui/Field";
import { submittedValues } from "~/lib/forms";
import { PostingError } from "~/models/posting.server";
import { RateLimitedError } from "~/models/rate-limits.server";
import { SESSION_LIMITS } from "~/lib/sessions";
import { scheduleSession } from "~/models/sessions.server";
import { listSpaceNames } from "~/models/spaces.server";

export const meta: MetaFunction = () => [{ title: "Schedule a Q&A session · PeerDesk" }];

type ActionResult = { message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUserWith(request, context, "session.create");
  return { spaces: await listSpaceNames(context.services.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "session.create");
  const formData = await request.formData();
  const field = (name: string) => String(formData.get(name) ?? "");
  try {
    const { sessionId } = await scheduleSession(context.services.db, {
      actor: { id: user.id, role: user.role, banned: user.banned },
      title: field("title"),
      description: field("description"),
      spaceId: field("spaceId"),
      tags: field("tags"),
      startsAtLocal: field("startsAt"),
      endsAtLocal: field("endsAt"),
      timeZone: field("timeZone") || "UTC",
      maxQuestionsPerPerson: field("maxQuestionsPerPerson"),
    });
    return redirect(`/sessions/${sessionId}`, 303);
  } catch (error) {
    const values = submittedValues(formData, {});
    if (error instanceof PostingError) return data<ActionResult>({ message: error.message, fieldErrors: error.fieldErrors, values }, { status: error.status });
    if (error instanceof RateLimitedError) return data<ActionResult>({ message: error.message, fieldErrors: {}, values }, { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } });
    throw error;
  }
}

export default function NewSession() {
  const { spaces } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const zoneRef = useRef<HTMLInputElement>(null);
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  // The browser knows the host's time zone; without JavaScript the times are read as UTC (and the form says so).
  useEffect(() => {
    if (zoneRef.current) zoneRef.current.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  }, []);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Schedule a Q&amp;A session</h1>
      <p className="text-slate-600 dark:text-slate-300">Members can send questions as soon as it's scheduled, and upvote the ones they want answered. You answer them live during the session.</p>
      {result?.message ? <FormAlert>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-4" noValidate>
        <input ref={zoneRef} type="hidden" name="timeZone" defaultValue={values.timeZone ?? "UTC"} />
        <TextField label="Title" name="title" required maxLength={SESSION_LIMITS.titleMax} defaultValue={values.title} error={errors.title} hint="For example: Office hours: Wi-Fi in small offices" />
        <TextAreaField label="What people can ask about" name="description" rows={5} defaultValue={values.description} error={errors.description} hint="Markdown works. A few sentences on the topics you'll cover." />
        <label className="block text-sm font-medium">
          Space
          <select name="spaceId" defaultValue={values.spaceId ?? ""} aria-invalid={errors.spaceId ? true : undefined} className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-2 dark:border-slate-700 dark:bg-slate-900">
            <option value="">Choose a space</option>
            {spaces.map((space) => (
              <option key={space.slug} value={String(space.id)}>
                {space.name}
              </option>
            ))}
          </select>
          {errors.spaceId ? (
            <span role="alert" className="mt-1 block text-sm text-red-700 dark:text-red-400">
              {errors.spaceId}
            </span>
          ) : null}
        </label>
        <TextField label="Tags" name="tags" defaultValue={values.tags} error={errors.tags} hint="Optional, comma-separated, up to 5." />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Starts" name="startsAt" type="datetime-local" required defaultValue={values.startsAt} error={errors.startsAt} hint="In your time zone." />
          <TextField label="Ends" name="endsAt" type="datetime-local" required defaultValue={values.endsAt} error={errors.endsAt} hint={`At most ${SESSION_LIMITS.maxHours} hours after the start.`} />
        </div>
        <TextField
          label="Questions per person"
          name="maxQuestionsPerPerson"
          type="number"
          min={1}
          max={SESSION_LIMITS.capMax}
          inputMode="numeric"
          defaultValue={values.maxQuestionsPerPerson}
          error={errors.maxQuestionsPerPerson}
          hint="Optional. Leave empty for no limit."
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
