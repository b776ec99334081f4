/**
 * Edit a how-to. Its author (or staff) edits directly and the change becomes a new revision with a note;
 * any other member gets the same form to *suggest* an edit, which waits for the author or a moderator.
 * The author can also delete the how-to here (the no-JavaScript path to deleting).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { asActor, requireUser } from "~/auth/session.server";
import { withTrustLevel } from "~/models/trust-levels.server";
import {
  DISCARD_DRAFT_INTENT,
  draftIsKept,
  RestoredDraftNotice,
  DraftStatus,
  KeptDraftNote,
  useDraftAutosave,
} from "~/components/DraftAutosave";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HowtoFields, type HowtoFormMode } from "~/components/HowtoFields";
import { Button } from "~/components/ui/Button";
import { FormAlert } from "~/components/ui/Field";
import { type FieldErrors, submittedValues } from "~/lib/forms";
import { HOWTO_LIMITS, compactStepValues, howtoInputFromValues, howtoPath, stepFieldCount } from "~/lib/howtos";
import { discardDraft, loadDraft } from "~/models/drafts.server";
import { EditBaseRevision, EditFormAlert } from "~/components/EditFormBase";
import { baseRevisionOf, goneWhileEditing, refusedEdit } from "./__post-editing.server";
import { contentToFormValues, deleteHowto, editHowto, getHowtoForEditing } from "~/models/howto-writing.server";
import { getOwnPendingSuggestion, suggestHowtoEdit, withdrawSuggestion } from "~/models/howto-suggestions.server";
import { heldPostPath } from "~/models/holds.server";
import { RelativeTime } from "~/components/RelativeTime";
import { type Actor, can } from "~/models/permissions.server";
import { requireId } from "~/lib/ids";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error
    ? errorMeta(error)
    : [
        {
          title: page
            ? `${page.mode === "edit" ? "Edit" : "Suggest an edit to"} “${page.title}” · PeerDesk`
            : "Edit how-to · PeerDesk",
        },
        { name: "robots", content: "noindex" },
      ];

function parseId(raw: string | undefined): number {
  return requireId(raw, "There is no how-to at this address.");
}

/** Edit directly (author, staff) or suggest (other members); anyone else gets a 403. */
function modeFor(actor: Actor, authorId: string): HowtoFormMode {
  if (can(actor, "post.edit", { ownerId: authorId })) return "edit";
  if (can(actor, "howto.suggestEdit", { ownerId: authorId })) return "suggest";
  throw new Response(actor?.banned ? "Your account is suspended." : "You can't edit this how-to.", { status: 403 });
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const howtoId = parseId(params.id);
  const user = await requireUser(request, context);
  const { db } = context.services;
  const howto = await getHowtoForEditing(db, howtoId);
  if (!howto || howto.deletedAt) throw new Response("This how-to doesn't exist or was deleted.", { status: 404 });
  // Regulars (trust level 3) edit others' how-tos directly instead of suggesting.
  const mode = modeFor(await withTrustLevel(db, asActor(user)), howto.authorId);
  const draft = await loadDraft(db, { userId: user.id, draftKey: `howto:edit:${howtoId}` });
  // A suggester's suggestion still waiting is where their form starts (sending again replaces it), from its version.
  const pending = mode === "suggest" ? await getOwnPendingSuggestion(db, { howtoId: howto.id, userId: user.id }) : null;
  const start = pending
    ? {
        baseRevision: String(pending.baseRevision ?? howto.revisionCount),
        ...contentToFormValues(pending.content, howto.isPlainLanguage),
        note: pending.note,
      }
    : { baseRevision: String(howto.revisionCount), ...contentToFormValues(howto.content, howto.isPlainLanguage) };
  // A restored draft keeps the version it was started from, so saving it cannot silently replace a newer one.
  const initial = draft ? { baseRevision: start.baseRevision, ...draft.content } : start;
  return {
    howtoId,
    title: howto.title ?? "",
    mode,
    initial,
    hasDraft: draft !== null,
    wasDiscarded: new URL(request.url).searchParams.has("discarded"),
    pendingSince: pending?.createdAt ?? null,
    canDelete: can(asActor(user), "post.delete", { ownerId: howto.authorId }),
    // Existing steps plus one blank field, so a step can be added without JavaScript too.
    minimumSteps: Math.min((howto.content.steps?.length ?? 0) + 1, HOWTO_LIMITS.stepsMax),
  };
}

/** What this page's buttons send: save (or send the suggestion), add steps, withdraw, delete, discard the draft. */
const EDIT_INTENTS: ReadonlySet<string> = new Set(["save", "addSteps", "withdraw", "delete", DISCARD_DRAFT_INTENT]);

type ActionData = {
  fieldErrors: FieldErrors;
  values: Record<string, string>;
  formError?: string;
  minimumSteps: number;
  isConflict?: boolean;
};

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  const howtoId = parseId(params.id);
  const user = await requireUser(request, context);
  const { db } = context.services;
  const actor = await withTrustLevel(db, asActor(user));
  const howto = await getHowtoForEditing(db, howtoId);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const values = submittedValues(formData, { omit: ["intent"] });
  const draftKey = `howto:edit:${howtoId}`;
  if (intent === DISCARD_DRAFT_INTENT) {
    await discardDraft(db, { userId: user.id, draftKey });
    return redirect(`/howtos/${howtoId}/edit?discarded=1`, 303);
  }
  if (!howto || howto.deletedAt) {
    if (howto && intent !== "delete")
      throw await goneWhileEditing({ db, noun: "how-to", postId: howtoId, actor }, values);
    throw new Response("This how-to doesn't exist or was deleted.", { status: 404 });
  }
  const mode = modeFor(actor, howto.authorId);
  // Saving is never the default: every button names what it does (Enter presses the hidden Save one), so a form naming
  // nothing this page does (an old page, a hand-made request) changes nothing and keeps what was typed.
  if (typeof intent !== "string" || !EDIT_INTENTS.has(intent))
    return data<ActionData>(
      {
        fieldErrors: {},
        values,
        formError:
          mode === "edit"
            ? "That isn't something this form can do, so nothing was saved. Your changes are still here: press “Save changes” to save them."
            : "That isn't something this form can do, so nothing was sent. Your suggestion is still here: press “Send suggestion” to send it.",
        minimumSteps: Math.max(stepFieldCount(values), 1),
      },
      { status: 400 },
    );
  if (intent === "addSteps") {
    return data<ActionData>({
      fieldErrors: {},
      values,
      minimumSteps: Math.min(stepFieldCount(values) + HOWTO_LIMITS.blankSteps, HOWTO_LIMITS.stepsMax),
    });
  }
  if (intent === "withdraw") {
    const wasWaiting = await withdrawSuggestion(db, { howtoId: howto.id, actor });
    await discardDraft(db, { userId: user.id, draftKey });
    return redirect(`${howtoPath(howtoId)}?${wasWaiting ? "withdrawn" : "decided"}=1`, 303);
  }
  try {
    if (intent === "delete") {
      const { spaceSlug } = await deleteHowto(db, { howtoId, actor });
      await discardDraft(db, { userId: user.id, draftKey });
      return redirect(
        can(actor, "post.viewDeleted")
          ? howtoPath(howtoId)
          : spaceSlug
            ? `/howtos?space=${encodeURIComponent(spaceSlug)}&deleted=1`
            : "/howtos?deleted=1",
        303,
      );
    }
    const input = { howtoId, actor, ...howtoInputFromValues(values), note: values.note ?? "" };
    if (mode === "edit") {
      await editHowto(db, { ...input, baseRevision: baseRevisionOf(formData) });
      await discardDraft(db, { userId: user.id, draftKey });
      // An edit held for review: its author is told it is saved and waits, as when publishing (screenEdit).
      return redirect((await heldPostPath(db, howtoId)) ?? howtoPath(howtoId), 303);
    }
    await suggestHowtoEdit(db, { ...input, baseRevision: baseRevisionOf(formData) });
    await discardDraft(db, { userId: user.id, draftKey });
    return redirect(`${howtoPath(howtoId)}?suggested=1`, 303);
  } catch (error) {
    const kept = compactStepValues(values);
    const minimumSteps = Math.max(stepFieldCount(kept), 1);
    return refusedEdit(error, { db, noun: "how-to", postId: howtoId, actor }, values, {
      kept,
      extra: { minimumSteps },
      isDeleting: intent === "delete",
    });
  }
}

export default function EditHowto() {
  const {
    howtoId,
    title,
    mode,
    initial,
    hasDraft,
    wasDiscarded,
    pendingSince,
    canDelete,
    minimumSteps: loaderMinimum,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const draftState = useDraftAutosave(formRef, `howto:edit:${howtoId}`);
  const submitting =
    navigation.state !== "idle" && navigation.formMethod === "POST" ? navigation.formData?.get("intent") : null;
  const values = result?.values ?? initial;
  const minimumSteps = result?.minimumSteps ?? loaderMinimum;
  const notifyDraft = () => formRef.current?.dispatchEvent(new Event("input", { bubbles: true }));
  const isSuggesting = mode === "suggest";
  const isRestored = hasDraft && !result;
  const isDraftKept = draftIsKept(hasDraft, draftState);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">{isSuggesting ? "Suggest an edit" : "Edit how-to"}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          <Link to={howtoPath(howtoId)} dir="auto">
            {title}
          </Link>
        </p>
        {isSuggesting ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Spotted something outdated or unclear? Change it below. The author (or a moderator) reviews your suggestion;
            once accepted, it becomes a new version credited to you.
          </p>
        ) : null}
      </header>
      {pendingSince && isSuggesting ? <WaitingSuggestion since={pendingSince} /> : null}
      <Form ref={formRef} method="post" className="space-y-5" noValidate>
        <button type="submit" name="intent" value="save" hidden tabIndex={-1} />
        {/* After the hidden save button, so Enter in a field saves rather than discards. */}
        {isRestored ? <RestoredDraftNotice what="changes" /> : null}
        {wasDiscarded && !isDraftKept && !result ? (
          <FormAlert tone="success">Your changes were discarded. The form shows the current version.</FormAlert>
        ) : null}
        <EditFormAlert result={result} historyPath={`/howtos/${howtoId}/revisions`} />
        <EditBaseRevision value={values.baseRevision} />
        <HowtoFields
          key={`${minimumSteps}:${JSON.stringify(values)}`}
          mode={mode}
          values={values}
          errors={result?.fieldErrors ?? {}}
          minimumSteps={minimumSteps}
          onStepsChange={notifyDraft}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" name="intent" value="save" disabled={submitting === "save"}>
            {submitting === "save" ? "Saving…" : isSuggesting ? "Send suggestion" : "Save changes"}
          </Button>
          <Link to={howtoPath(howtoId)} className="px-2 py-2 text-sm">
            Cancel
          </Link>
          <DraftStatus {...draftState} />
          {isDraftKept ? <KeptDraftNote canDiscard={!isRestored} /> : null}
        </div>
      </Form>
      {canDelete ? (
        <Form
          method="post"
          className="border-t border-slate-200 pt-4 dark:border-slate-800"
          onSubmit={(e) => {
            if (!window.confirm("Delete this how-to? Moderators can restore it.")) e.preventDefault();
          }}
        >
          <h2 className="text-base font-semibold">Delete this how-to</h2>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
            It disappears for readers. Moderators can restore it.
          </p>
          <input type="hidden" name="intent" value="delete" />
          <Button type="submit" variant="danger">
            Delete how-to
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}

/** The suggester's earlier suggestion still waits: the form holds it as sent; sending again replaces it, or take it back. */
function WaitingSuggestion({ since }: { since: string | Date }) {
  return (
    <div
      role="status"
      className="space-y-2 rounded-lg border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100"
    >
      <p>
        Your suggestion from <RelativeTime date={since} /> is still waiting for the author. The form below holds it as
        you sent it: change it and send it again to replace it, or withdraw it.
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="withdraw" />
        <Button type="submit" variant="secondary">
          Withdraw my suggestion
        </Button>
      </Form>
    </div>
  );
}
