/**
 * Write a how-to (`/howtos/new?space=slug` preselects the space). Problems show beside their fields and keep
 * everything typed, every step included; a saved draft comes back; a double submit creates one how-to.
 */
import { heldPostPath } from "~/models/holds.server";
import { writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { asActor, requireUserWith } from "~/auth/session.server";
import {
  DISCARD_DRAFT_INTENT,
  draftIsKept,
  RestoredDraftNotice,
  DraftStatus,
  KeptDraftNote,
  useDraftAutosave,
} from "~/components/DraftAutosave";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HowtoFields } from "~/components/HowtoFields";
import { FormAlert } from "~/components/ui/Field";
import { type FieldErrors, submittedValues } from "~/lib/forms";
import { HOWTO_LIMITS, compactStepValues, howtoInputFromValues, howtoPath, stepFieldCount } from "~/lib/howtos";
import { discardDraft, loadDraft } from "~/models/drafts.server";
import { createHowto } from "~/models/howto-writing.server";
import { IDEMPOTENCY_KEY_PATTERN } from "~/models/idempotency.server";
import { listSpaces } from "~/models/spaces.server";
import { cx } from "~/lib/cx";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Write a how-to · PeerDesk" }, { name: "robots", content: "noindex" }];

const DRAFT_KEY = "howto:new";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "howto.create");
  const { db } = context.services;
  const [spaces, draft] = await Promise.all([listSpaces(db), loadDraft(db, { userId: user.id, draftKey: DRAFT_KEY })]);
  const preselected = spaces.find((s) => s.slug === new URL(request.url).searchParams.get("space"));
  const initial: Record<string, string> = { ...(draft?.content ?? {}) };
  if (preselected) initial.spaceId = String(preselected.id);
  else if (!spaces.some((s) => String(s.id) === initial.spaceId)) initial.spaceId = "";
  if (!draft && preselected?.isPlainLanguage) initial.plainLanguage = "on";
  return {
    spaces: spaces.map((s) => ({ id: s.id, name: s.name, isPlainLanguage: s.isPlainLanguage })),
    initial,
    hasDraft: draft !== null,
    wasDiscarded: new URL(request.url).searchParams.has("discarded"),
    idempotencyKey: crypto.randomUUID(),
  };
}

type ActionData = {
  fieldErrors: FieldErrors;
  values: Record<string, string>;
  formError?: string;
  minimumSteps: number;
};

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "howto.create");
  const { db } = context.services;
  const formData = await request.formData();
  const values = submittedValues(formData, { omit: ["idempotencyKey", "intent"] });
  const intent = formData.get("intent");
  // Publishing is never the default: every button names what it does (Enter presses the hidden Publish one), so a
  // form naming nothing this page does (an old page, a hand-made request) publishes nothing and keeps what was typed.
  if (intent !== "publish" && intent !== "addSteps" && intent !== DISCARD_DRAFT_INTENT)
    return data<ActionData>(
      {
        fieldErrors: {},
        values,
        formError:
          "That isn't something this form can do, so nothing was published. What you typed is still here: press “Publish how-to” to publish it.",
        minimumSteps: Math.max(stepFieldCount(values), 1),
      },
      { status: 400 },
    );
  if (intent === DISCARD_DRAFT_INTENT) {
    await discardDraft(db, { userId: user.id, draftKey: DRAFT_KEY });
    const space = new URL(request.url).searchParams.get("space");
    return redirect(`/howtos/new?${space ? `space=${encodeURIComponent(space)}&` : ""}discarded=1`, 303);
  }
  if (intent === "addSteps") {
    return data<ActionData>({
      fieldErrors: {},
      values,
      minimumSteps: Math.min(stepFieldCount(values) + HOWTO_LIMITS.blankSteps, HOWTO_LIMITS.stepsMax),
    });
  }
  const idempotencyKey = String(formData.get("idempotencyKey") ?? "");
  if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    return data<ActionData>(
      {
        fieldErrors: {},
        values,
        formError: "This form expired. Please submit it again.",
        minimumSteps: stepFieldCount(values),
      },
      { status: 400 },
    );
  }
  try {
    const { howtoId } = await createHowto(db, {
      actor: asActor(user),
      spaceId: values.spaceId ?? "",
      ...howtoInputFromValues(values),
      idempotencyKey,
    });
    await discardDraft(db, { userId: user.id, draftKey: DRAFT_KEY });
    return redirect((await heldPostPath(db, howtoId)) ?? howtoPath(howtoId), 303);
  } catch (error) {
    // Steps come back renumbered without the blank ones, so "Step 3" in a message is the third field shown.
    const compact = compactStepValues(values);
    const minimumSteps = Math.max(stepFieldCount(compact), 1);
    return writeFailureResponse<ActionData>(error, (failure) => ({
      fieldErrors: failure.fieldErrors ?? {},
      values: compact,
      formError: failure.isRateLimited
        ? `${failure.message} What you typed is still here.`
        : (failure.fieldErrors?.form ?? failure.message),
      minimumSteps,
    }));
  }
}

export default function NewHowto() {
  const { spaces, initial, hasDraft, wasDiscarded, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const draftState = useDraftAutosave(formRef, DRAFT_KEY);
  const isSubmitting =
    navigation.state !== "idle" &&
    navigation.formMethod === "POST" &&
    navigation.formData?.get("intent") !== "addSteps";
  const values = result?.values ?? initial;
  const minimumSteps = result?.minimumSteps ?? HOWTO_LIMITS.blankSteps;
  const notifyDraft = () => formRef.current?.dispatchEvent(new Event("input", { bubbles: true }));
  const isRestored = hasDraft && !result;
  const isDraftKept = draftIsKept(hasDraft, draftState);
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">Write a how-to</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          Share a procedure that worked for you, step by step. Writing for business colleagues? Tick “plain language”
          and skip the jargon. <Link to="/howtos">See other how-tos</Link>.
        </p>
      </header>
      {spaces.length === 0 ? (
        <FormAlert>There are no open spaces to post in yet.</FormAlert>
      ) : (
        <Form ref={formRef} method="post" className="space-y-5" noValidate>
          {/* The first submit button is the one Enter presses: publishing, not "add more steps". */}
          <button type="submit" name="intent" value="publish" hidden tabIndex={-1} />
          {isRestored ? <RestoredDraftNotice what="how-to" /> : null}
          {wasDiscarded && !isDraftKept && !result ? (
            <FormAlert tone="success">Your draft was discarded. The form is empty again.</FormAlert>
          ) : null}
          {result?.formError ? <FormAlert focusOn={result}>{result.formError}</FormAlert> : null}
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <HowtoFields
            key={`${minimumSteps}:${JSON.stringify(values)}`}
            mode="new"
            values={values}
            errors={result?.fieldErrors ?? {}}
            spaces={spaces}
            minimumSteps={minimumSteps}
            onStepsChange={notifyDraft}
          />
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="submit"
              name="intent"
              value="publish"
              disabled={isSubmitting}
              className={cx(
                "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white",
                "hover:bg-brand-700 disabled:bg-slate-400",
              )}
            >
              {isSubmitting ? "Publishing…" : "Publish how-to"}
            </button>
            <DraftStatus {...draftState} />
            {isDraftKept ? <KeptDraftNote canDiscard={!isRestored} /> : null}
          </div>
        </Form>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
