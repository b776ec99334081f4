/**
 * Ask a question in a space (`/ask?space=slug` preselects it). Problems show beside their fields and keep
 * what was typed; a saved draft comes back; a double submit creates one question (idempotency key).
 */
import { heldPostPath } from "~/models/holds.server";
import { toWriteFailure, writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { z } from "zod";
import { asActor, requireUserWith } from "~/auth/session.server";
import { DraftStatus, useDraftAutosave } from "~/components/DraftAutosave";
import { useSingleSubmit } from "~/components/useSingleSubmit";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { QuestionFields } from "~/components/QuestionFields";
import { CheckboxField, FormAlert } from "~/components/ui/Field";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { questionPath } from "~/lib/qa";
import { discardDraft, loadDraft } from "~/models/drafts.server";
import { IDEMPOTENCY_KEY_PATTERN } from "~/models/idempotency.server";
import { newIdempotencyKey } from "~/models/idempotency.server";
import { questionBodyField, tagsFieldFor, spaceIdField, titleField } from "~/models/post-fields.server";
import { inviteMentor, isInvitable } from "~/models/invitations.server";
import { askQuestion } from "~/models/questions.server";
import { listSpaces } from "~/models/spaces.server";
import { getProfileByHandle, getProfileById } from "~/models/users.server";
import type { Db } from "#db/client.server";
import { cx } from "~/lib/cx";
import { useFocusWhenSettled } from "~/lib/focus";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: "Ask a question · PeerDesk" }]);

const DRAFT_KEY = "question:new";

/** The ask form; tags are optional when the asker wants a plain-language answer. */
const askSchema = (isPlainLanguage: boolean) =>
  z.object({
    spaceId: spaceIdField,
    title: titleField,
    body: questionBodyField,
    tags: tagsFieldFor(isPlainLanguage),
    audience: z.enum(["plain", "technical"], {
      errorMap: () => ({ message: "Choose who should answer: plain language or technical." }),
    }),
    idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_PATTERN, "This form expired. Please submit it again."),
    invite: z.string().max(80).default(""),
    anonymous: z.literal("on").optional(),
  });

/** The person named by "Ask <name>" (?invite=handle), when they can be invited by this asker. */
async function invitableByHandle(
  db: Db,
  handle: string | null,
  askerId: string,
): Promise<{ id: string; name: string; handle: string } | null> {
  if (!handle || handle.length > 80) return null;
  const profile = await getProfileByHandle(db, handle);
  if (!profile?.handle || !isInvitable(profile) || profile.id === askerId) return null;
  return { id: profile.id, name: profile.name, handle: profile.handle };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "question.create");
  const { db } = context.services;
  const [spaces, draft, profile] = await Promise.all([
    listSpaces(db),
    loadDraft(db, { userId: user.id, draftKey: DRAFT_KEY }),
    getProfileById(db, user.id),
  ]);
  const wanted = new URL(request.url).searchParams.get("space");
  const invitee = await invitableByHandle(db, new URL(request.url).searchParams.get("invite"), user.id);
  const preselected = spaces.find((s) => s.slug === wanted);
  const fromDraft = draft?.content ?? {};
  const draftSpaceIsOpen = spaces.some((s) => String(s.id) === fromDraft.spaceId);
  return {
    spaces: spaces.map((s) => ({ id: s.id, name: s.name, slug: s.slug, isPlainLanguage: s.isPlainLanguage })),
    initial: {
      title: fromDraft.title ?? "",
      body: fromDraft.body ?? "",
      tags: fromDraft.tags ?? "",
      spaceId: preselected ? String(preselected.id) : draftSpaceIsOpen ? fromDraft.spaceId : "",
      // A business colleague (as their profile says) is answered in plain language unless they choose otherwise.
      audience:
        fromDraft.audience ??
        (preselected?.isPlainLanguage || profile?.audience === "business" ? "plain" : "technical"),
      anonymous: fromDraft.anonymous === "on" ? "on" : "",
    },
    hasDraft: draft !== null,
    invitee,
    idempotencyKey: newIdempotencyKey(),
  };
}

type ActionData = { fieldErrors: FieldErrors; values: Record<string, string>; formError?: string };

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "question.create");
  const { db } = context.services;
  const formData = await request.formData();
  const parsed = parseForm(askSchema(formData.get("audience") === "plain"), formData);
  const values = submittedValues(formData, { omit: ["idempotencyKey"] });
  if (!parsed.ok) {
    const formError =
      parsed.fieldErrors.idempotencyKey ?? "Please fix the highlighted fields; nothing you typed was lost.";
    return data<ActionData>({ fieldErrors: parsed.fieldErrors, values, formError }, { status: 400 });
  }
  const input = parsed.data;
  try {
    const { questionId } = await askQuestion(db, {
      actor: asActor(user),
      spaceId: input.spaceId,
      title: input.title,
      body: input.body,
      tags: input.tags,
      isPlainLanguage: input.audience === "plain",
      isAnonymous: input.anonymous === "on",
      idempotencyKey: input.idempotencyKey,
    });
    await discardDraft(db, { userId: user.id, draftKey: DRAFT_KEY });
    // "Ask <name>" from a profile: the question is asked either way; the invitation follows when it still may be sent.
    const invitee = await invitableByHandle(db, input.invite, user.id);
    if (invitee) {
      try {
        await inviteMentor(db, {
          actor: asActor(user),
          questionId,
          inviteeId: invitee.id,
        });
      } catch (error) {
        if (!toWriteFailure(error)) throw error;
      }
    }
    return redirect((await heldPostPath(db, questionId)) ?? questionPath(questionId, input.title), 303);
  } catch (error) {
    return writeFailureResponse<ActionData>(error, (failure) => ({
      fieldErrors: failure.fieldErrors ?? {},
      values,
      formError: failure.isRateLimited ? `${failure.message} What you typed is still here.` : failure.message,
    }));
  }
}

export default function Ask() {
  const { spaces, initial, hasDraft, idempotencyKey, invitee } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { isSubmitting, onSubmit } = useSingleSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const draftState = useDraftAutosave(formRef, DRAFT_KEY);
  const values = result?.values ?? initial;
  // A refused question: focus the error summary at the top of the form (the disabled button had dropped it).
  useFocusWhenSettled(result?.formError ? result : null, () => formRef.current?.querySelector(":scope > [role=alert]"));
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">{invitee ? `Ask ${invitee.name}` : "Ask a question"}</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          Peers who have solved it before will answer. Not sure where it goes?{" "}
          <Link to="/spaces">Browse the spaces</Link>.
        </p>
      </header>
      {hasDraft && !result ? <FormAlert tone="success">We restored the question you started earlier.</FormAlert> : null}
      {spaces.length === 0 ? (
        <FormAlert>There are no open spaces to ask in yet.</FormAlert>
      ) : (
        <Form ref={formRef} method="post" className="space-y-5" noValidate onSubmit={onSubmit}>
          {result?.formError ? <FormAlert>{result.formError}</FormAlert> : null}
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          {invitee ? (
            <p className="rounded-lg border border-brand-600/40 bg-brand-50 p-3 text-sm dark:bg-slate-900">
              <input type="hidden" name="invite" value={invitee.handle} />
              {invitee.name} will be invited to answer. Everyone else in the space can answer too.
            </p>
          ) : null}
          <QuestionFields values={values} errors={result?.fieldErrors ?? {}} spaces={spaces} />
          <AskAnonymously defaultChecked={values.anonymous === "on"} />
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="submit"
              disabled={isSubmitting}
              className={cx(
                "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white",
                "hover:bg-brand-700 disabled:bg-slate-400",
              )}
            >
              {isSubmitting ? "Posting your question…" : "Post your question"}
            </button>
            <DraftStatus {...draftState} />
          </div>
        </Form>
      )}
    </div>
  );
}

/** Asking without your name: what others will see, and who can still find out, said plainly. */
function AskAnonymously({ defaultChecked }: { defaultChecked: boolean }) {
  return (
    <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <CheckboxField
        name="anonymous"
        label="Ask as “someone from the community”"
        defaultChecked={defaultChecked}
        hint={[
          "Other people won't see your name on this question, in search or in their notifications.",
          "You still get the answers, and you can accept one and rate the help.",
          "Moderators can look up who asked only when they must act on the question,",
          "and each look is recorded in the moderation log.",
        ].join(" ")}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
