/** Schedule a hosted Q&A session (mentors, moderators, admins). Times are entered in the host's own time zone. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { asActor, requireUserWith } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { OfficeHoursFields } from "~/components/OfficeHoursFields";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { useFocusWhenSettled } from "~/lib/focus";
import { scheduleOfficeHours } from "~/models/office-hours.server";
import { listSpaceNames } from "~/models/spaces.server";
import { getProfileById, rememberTimeZone } from "~/models/users.server";
import { officeHoursFormFailure, readOfficeHoursForm } from "~/server/office-hours-form.server";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Schedule a Q&A session · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "session.create");
  const { db } = context.services;
  const [spaces, profile] = await Promise.all([listSpaceNames(db), getProfileById(db, user.id)]);
  return { spaces, profileTimeZone: profile?.timeZone ?? null, renderedAt: new Date().toISOString() };
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "session.create");
  const { db } = context.services;
  const formData = await request.formData();
  // The zone the form showed; without it (an old form), the profile's.
  const profile = await getProfileById(db, user.id);
  const input = readOfficeHoursForm(formData, profile?.timeZone);
  try {
    const { officeHoursId } = await scheduleOfficeHours(db, {
      ...input,
      actor: asActor(user),
      startNow: formData.get("startNow") === "on",
    });
    // The first zone a host schedules in becomes their profile's, so later forms (with or without JavaScript) use it.
    if (!profile?.timeZone) await rememberTimeZone(db, user.id, input.timeZone);
    return redirect(`/sessions/${officeHoursId}`, 303);
  } catch (error) {
    return officeHoursFormFailure(error, formData);
  }
}

export default function NewSession() {
  const { spaces, profileTimeZone, renderedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const pageRef = useRef<HTMLDivElement>(null);
  // A refused schedule: focus the error summary (the disabled button had dropped focus); a scheduled session's page
  // focuses its title.
  useFocusWhenSettled(result, () => pageRef.current?.querySelector(":scope > [role=alert]"));
  return (
    <div ref={pageRef} className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">Schedule a Q&amp;A session</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Members can send questions as soon as it's scheduled, and upvote the ones they want answered. You answer them
        live during the session.
      </p>
      {result?.message ? <FormAlert>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-4" noValidate>
        <OfficeHoursFields
          spaces={spaces}
          values={result?.values ?? {}}
          errors={result?.fieldErrors ?? {}}
          profileTimeZone={profileTimeZone}
          renderedAt={renderedAt}
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
