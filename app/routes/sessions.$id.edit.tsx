/**
 * The host (or a moderator) edits, reschedules, cancels or ends a hosted Q&A session. Moving or cancelling tells the
 * session's followers and askers; a live session's start stays put, and it can be ended early.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import type { Db } from "#db/client.server";
import { asActor, requireUser } from "~/auth/session.server";
import { CurrentVersion } from "~/components/CurrentVersion";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { OfficeHoursFields } from "~/components/OfficeHoursFields";
import { StopOfficeHoursControl } from "~/components/OfficeHoursHostControls";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { useFocusWhenSettled } from "~/lib/focus";
import { type Actor, can } from "~/models/permissions.server";
import {
  OfficeHoursConflictError,
  cancelOfficeHours,
  endOfficeHoursNow,
  getOfficeHoursForEdit,
  updateOfficeHours,
} from "~/models/office-hours.server";
import { listSpaceNames } from "~/models/spaces.server";
import { getProfileById } from "~/models/users.server";
import {
  type OfficeHoursFormResult,
  officeHoursFormFailure,
  readOfficeHoursForm,
} from "~/server/office-hours-form.server";
import { baseVersionOf, submittedValues } from "~/lib/forms";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Edit Q&A session · PeerDesk" }];

function sessionIdOf(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647)
    throw new Response("There is no such session.", { status: 404 });
  return id;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const officeHoursId = sessionIdOf(params.id);
  const user = await requireUser(request, context);
  const { db } = context.services;
  const profile = await getProfileById(db, user.id);
  const profileTimeZone = profile?.timeZone ?? null;
  const session = await getOfficeHoursForEdit(db, officeHoursId, profileTimeZone ?? "UTC");
  if (!session) throw new Response("There is no such session.", { status: 404 });
  if (!can(asActor(user), "session.host", { ownerId: session.hostId }))
    throw new Response("Only the host (or a moderator) can change this session.", { status: 403 });
  if (session.phase === "ended" || session.phase === "cancelled") return redirect(`/sessions/${officeHoursId}`, 303);
  // "End the session now" or "Cancel this session" pressed without JavaScript: this page asks to confirm (see
  // StopOfficeHoursControl).
  const { searchParams } = new URL(request.url);
  const isEndAsked = searchParams.get("end") === "confirm";
  const isCancelAsked = searchParams.get("cancel") === "confirm";
  return {
    session,
    spaces: await listSpaceNames(db),
    profileTimeZone,
    renderedAt: new Date().toISOString(),
    isEndAsked,
    isCancelAsked,
  };
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const officeHoursId = sessionIdOf(params.id);
  const user = await requireUser(request, context);
  const actor = asActor(user);
  const { db } = context.services;
  const formData = await request.formData();
  const field = (name: string) => String(formData.get(name) ?? "");
  const intent = field("intent");
  try {
    if (intent === "cancel" || intent === "end") {
      // Neither can be undone: a post that was not confirmed (an old page's one-tap form) is asked first.
      if (field("confirm") !== "yes")
        return redirect(`/sessions/${officeHoursId}/edit?${intent}=confirm#${intent}-session`, 303);
      if (intent === "cancel") await cancelOfficeHours(db, { officeHoursId, actor });
      else await endOfficeHoursNow(db, { officeHoursId, actor });
    } else if (intent === "update") {
      const profile = await getProfileById(db, user.id);
      const baseUpdatedAt = baseVersionOf(formData);
      await updateOfficeHours(db, {
        ...readOfficeHoursForm(formData, profile?.timeZone),
        officeHoursId,
        actor,
        ...(baseUpdatedAt ? { baseUpdatedAt } : {}),
      });
    } else
      return data<OfficeHoursFormResult>(
        {
          message: "That request didn't look right. Please reload the page and try again.",
          fieldErrors: {},
          values: {},
        },
        { status: 400 },
      );
    return redirect(`/sessions/${officeHoursId}`, 303);
  } catch (error) {
    if (error instanceof OfficeHoursConflictError) return conflictResult(db, officeHoursId, error, formData);
    if (intent === "update") {
      const stopped = await stoppedWhileEditing(db, officeHoursId, actor, formData);
      if (stopped) throw stopped;
    }
    return officeHoursFormFailure(error, formData);
  }
}

/**
 * A save from a form opened before the session was cancelled or ended: this page now sends its visitors on to the
 * session, which would drop the refusal and what was typed. Thrown, it is the error page instead (as for a post deleted
 * while it was written: see goneWhileWriting), saying what happened, with the text to copy and the way to the session.
 * Null while the session can still be edited by this person (their refusal shows on the form, as usual).
 */
async function stoppedWhileEditing(db: Db, officeHoursId: number, actor: Actor, formData: FormData) {
  const session = await getOfficeHoursForEdit(db, officeHoursId, "UTC");
  if (!session || !can(actor, "session.host", { ownerId: session.hostId })) return null;
  if (session.phase !== "ended" && session.phase !== "cancelled") return null;
  const what = session.phase === "ended" ? "ended" : "was cancelled";
  const field = (name: string) => String(formData.get(name) ?? "").trim();
  const kept = [
    ["Title", field("title")],
    ["What people can ask about", field("description")],
    ["Tags", field("tags")],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `${label}:\n${value}`)
    .join("\n\n");
  return data(
    {
      message: `This session ${what} after you opened this form, so your changes were not saved. What you typed is below, to copy.`,
      kept,
      back: { path: `/sessions/${officeHoursId}`, label: "Back to the session" },
    },
    { status: 409 },
  );
}

/**
 * A save refused because someone saved the session after the form was opened: what was typed stays, the form now
 * stands on the version saved meanwhile (so saving again replaces it), and that version is shown to compare.
 */
async function conflictResult(db: Db, officeHoursId: number, error: OfficeHoursConflictError, formData: FormData) {
  const submitted = readOfficeHoursForm(formData, "UTC");
  const [now, spaces] = await Promise.all([
    getOfficeHoursForEdit(db, officeHoursId, submitted.timeZone),
    listSpaceNames(db),
  ]);
  const current = now?.values;
  return data<OfficeHoursFormResult>(
    {
      message: error.message,
      fieldErrors: {},
      values: { ...submittedValues(formData, {}), baseUpdatedAt: error.currentUpdatedAt.toISOString() },
      ...(current
        ? {
            current: [
              ["Title", current.title],
              ["Space", spaces.find((space) => String(space.id) === current.spaceId)?.name ?? ""],
              ["Starts", `${current.startsAt.replace("T", " ")} (${submitted.timeZone})`],
              ["Ends", `${current.endsAt.replace("T", " ")} (${submitted.timeZone})`],
              ["Tags", current.tags],
              ["Questions per person", current.maxQuestionsPerPerson || "No limit"],
              ["Description", current.description],
            ],
          }
        : {}),
    },
    { status: 409 },
  );
}

export default function EditSession() {
  const { session, spaces, profileTimeZone, renderedAt, isEndAsked, isCancelAsked } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const isLive = session.phase === "live";
  const isBusy = navigation.state === "submitting";
  // After a failed save the form shows what was typed; otherwise the stored session.
  const values = result?.values.intent === "update" ? result.values : session.values;
  const pageRef = useRef<HTMLDivElement>(null);
  // A refused change: focus the error summary (the disabled button had dropped focus); a saved one returns to the
  // session's page, which focuses its title.
  useFocusWhenSettled(result, () => pageRef.current?.querySelector(":scope > [role=alert]"));
  return (
    <div ref={pageRef} className="mx-auto max-w-2xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">Edit Q&amp;A session</h1>
        <p className="text-sm">
          <Link to={`/sessions/${session.id}`}>Back to the session</Link>
        </p>
      </div>
      {result?.message ? <FormAlert>{result.message}</FormAlert> : null}
      <Form method="post" className="space-y-4" noValidate>
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="baseUpdatedAt" value={result?.values.baseUpdatedAt ?? session.updatedAt} />
        <OfficeHoursFields
          spaces={spaces}
          values={values}
          errors={result?.fieldErrors ?? {}}
          profileTimeZone={profileTimeZone}
          renderedAt={renderedAt}
          isLive={isLive}
        />
        {result?.current ? <CurrentVersion heading="The session as it is now" rows={result.current} /> : null}
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
          <div className="space-y-2">
            <p className="text-sm">Ending now closes the queue; the answers so far stay as the session's archive.</p>
            <StopOfficeHoursControl officeHoursId={session.id} stop="end" isAsked={isEndAsked} />
          </div>
        ) : null}
        <div className="space-y-2">
          <p className="text-sm">
            Cancelling tells everyone who follows the session or asked in it. It can't be undone.
          </p>
          <StopOfficeHoursControl officeHoursId={session.id} stop="cancel" isAsked={isCancelAsked} />
        </div>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
