/**
 * Ask a question in a space (`/ask?space=slug` preselects it). Problems show beside their fields and keep
 * what was typed; a saved draft comes back (and can be discarded); a double submit creates one question (idempotency key).
 */
import { heldPostPath } from "~/models/holds.server";
import { toWriteFailure, writeFailureResponse } from "~/lib/write-failure.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { z } from "zod";
import { type CurrentUser, asActor, requireUserWith } from "~/auth/session.server";
import {
  DISCARD_DRAFT_INTENT,
  draftIsKept,
  RestoredDraftNotice,
  DraftStatus,
  KeptDraftNote,
  useDraftAutosave,
} from "~/components/DraftAutosave";
import { useSingleSubmit } from "~/components/useSingleSubmit";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { QuestionFields } from "~/components/QuestionFields";
import type { SimilarFound } from "~/components/SimilarQuestions";
import { logEvent } from "~/lib/log.server";
import type { SearchServices } from "~/search/engine.server";
import { similarQuestionsFor } from "~/search/similar.server";
import { Button } from "~/components/ui/Button";
import { CheckboxField, FormAlert } from "~/components/ui/Field";
import { type FieldErrors, FieldMessagesAreAlerts, parseForm, submittedValues } from "~/lib/forms";
import { withoutControlCharacters } from "~/lib/plain-text";
import { QA_LIMITS, questionPath } from "~/lib/qa";
import { PREFILLED_TITLE_FIELD, discardDraft, hasTypedText, loadDraft } from "~/models/drafts.server";
import { IDEMPOTENCY_KEY_PATTERN } from "~/models/idempotency.server";
import { newIdempotencyKey } from "~/models/idempotency.server";
import { questionBodyField, tagsFieldFor, spaceIdField, titleField } from "~/models/post-fields.server";
import { inviteMentor, isInvitable } from "~/models/invitations.server";
import { askQuestion } from "~/models/questions.server";
import { listSpaces } from "~/models/spaces.server";
import { getProfileByHandle, getProfileById } from "~/models/users.server";
import type { Db } from "#db/client.server";
import { useFocusWhenSettled } from "~/lib/focus";
import { formPageHeaders } from "~/lib/route-headers.server";

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: "Ask a question · PeerDesk" }]);

const DRAFT_KEY = "question:new";
/** The fields a person types in: a draft with none of them filled in holds nothing worth restoring. */
const DRAFT_TEXT_FIELDS = ["title", "body", "tags"] as const;
/** The query parameters the form was opened with that a discarded draft keeps (the space, "Ask <name>"). */
const KEPT_PARAMS = ["space", "invite"] as const;

/**
 * The question page's one-time note after "Ask <name>" sent no invitation (see NOT_INVITED_NOTES there): "unavailable"
 * when the person takes no invitations now, "limit" when the asker sent too many lately.
 */
const NOT_INVITED_PARAM = "notInvited";
type NotInvited = "unavailable" | "limit";

/** The ask form; tags are optional when the asker wants a plain-language answer. */
const askSchema = (isPlainLanguage: boolean) =>
  z.object({
    spaceId: spaceIdField,
    title: titleField,
    body: questionBodyField,
    tags: tagsFieldFor(isPlainLanguage),
    audience: z.enum(["plain", "technical"], {
      errorMap: () => ({ message: "Choose how answers should be written: plain language or technical." }),
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

/** Invites the person named by "Ask <name>" to the new question; says why not when they could not be invited. */
async function inviteAskedPerson(
  db: Db,
  { user, questionId, handle }: { user: CurrentUser; questionId: number; handle: string },
): Promise<NotInvited | null> {
  const invitee = await invitableByHandle(db, handle, user.id);
  if (!invitee) return "unavailable";
  try {
    await inviteMentor(db, { actor: asActor(user), questionId, inviteeId: invitee.id });
    return null;
  } catch (error) {
    const failure = toWriteFailure(error);
    if (!failure) throw error;
    return failure.isRateLimited ? "limit" : "unavailable";
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUserWith(request, context, "question.create");
  const { db } = context.services;
  const [spaces, savedDraft, profile] = await Promise.all([
    listSpaces(db),
    loadDraft(db, { userId: user.id, draftKey: DRAFT_KEY }),
    getProfileById(db, user.id),
  ]);
  // Everything typed was cleared again (autosave kept the empty form): nothing to restore, and nothing to keep.
  const draft = savedDraft && hasTypedText(savedDraft.content, DRAFT_TEXT_FIELDS) ? savedDraft : null;
  if (savedDraft && !draft) await discardDraft(db, { userId: user.id, draftKey: DRAFT_KEY });
  const wanted = new URL(request.url).searchParams.get("space");
  // "Ask the community" from a search that found nothing brings the search's words as a start for the title.
  const titleFromSearch = withoutControlCharacters(new URL(request.url).searchParams.get("title") ?? "")
    .trim()
    .slice(0, QA_LIMITS.titleMax);
  const invitee = await invitableByHandle(db, new URL(request.url).searchParams.get("invite"), user.id);
  const preselected = spaces.find((s) => s.slug === wanted);
  const fromDraft = draft?.content ?? {};
  const draftSpaceIsOpen = spaces.some((s) => String(s.id) === fromDraft.spaceId);
  return {
    spaces: spaces.map((s) => ({ id: s.id, name: s.name, slug: s.slug, isPlainLanguage: s.isPlainLanguage })),
    initial: {
      title: fromDraft.title || titleFromSearch,
      body: fromDraft.body ?? "",
      tags: fromDraft.tags ?? "",
      spaceId: preselected ? String(preselected.id) : draftSpaceIsOpen ? fromDraft.spaceId : "",
      // A business colleague (as their profile says) is answered in plain language unless they choose otherwise.
      audience:
        fromDraft.audience ??
        (preselected?.isPlainLanguage || profile?.audience === "business" ? "plain" : "technical"),
      anonymous: fromDraft.anonymous === "on" ? "on" : "",
      // The title the search brought: autosave sends it along, so that title left as it came is no draft on its own
      // (drafts.server.ts). A draft begun from a search keeps it, for when everything else is cleared again.
      [PREFILLED_TITLE_FIELD]: fromDraft.title ? (fromDraft[PREFILLED_TITLE_FIELD] ?? "") : titleFromSearch,
    },
    hasDraft: draft !== null,
    wasDiscarded: new URL(request.url).searchParams.has("discarded"),
    invitee,
    idempotencyKey: newIdempotencyKey(),
  };
}

/** `similar`: the questions like the typed title, for the refused form (without JavaScript nothing else finds them). */
type ActionData = {
  fieldErrors: FieldErrors;
  values: Record<string, string>;
  formError?: string;
  similar?: SimilarFound;
};

/** Questions like `title`, as /api/similar-questions lists them; none when the title is short or search is down. */
async function similarTo(services: SearchServices, title: string): Promise<SimilarFound | undefined> {
  try {
    return (await similarQuestionsFor(services, title)) ?? undefined;
  } catch (error) {
    logEvent("error", "similar questions failed", { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "question.create");
  const { db } = context.services;
  const formData = await request.formData();
  if (formData.get("intent") === DISCARD_DRAFT_INTENT) {
    await discardDraft(db, { userId: user.id, draftKey: DRAFT_KEY });
    return redirect(afterDiscardPath(new URL(request.url)), 303);
  }
  const parsed = parseForm(askSchema(formData.get("audience") === "plain"), formData);
  const values = submittedValues(formData, { omit: ["idempotencyKey", "intent"] });
  if (!parsed.ok) {
    const formError =
      parsed.fieldErrors.idempotencyKey ?? "Please fix the highlighted fields; nothing you typed was lost.";
    const similar = await similarTo(context.services, values.title ?? "");
    return data<ActionData>({ fieldErrors: parsed.fieldErrors, values, formError, similar }, { status: 400 });
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
    // "Ask <name>" from a profile: the question is asked either way; the invitation follows when it still may be sent,
    // and the question page says when it wasn't (they may have paused invitations while the question was written). A
    // question held for review keeps its invitation, sent when a moderator releases the question.
    const notInvited = input.invite ? await inviteAskedPerson(db, { user, questionId, handle: input.invite }) : null;
    const pagePath = questionPath(questionId, input.title);
    const shownAt = notInvited ? `${pagePath}?${new URLSearchParams({ [NOT_INVITED_PARAM]: notInvited })}` : pagePath;
    return redirect((await heldPostPath(db, questionId)) ?? shownAt, 303);
  } catch (error) {
    return writeFailureResponse<ActionData>(error, (failure) => ({
      fieldErrors: failure.fieldErrors ?? {},
      values,
      formError: failure.isRateLimited ? `${failure.message} What you typed is still here.` : failure.message,
    }));
  }
}

/** The empty form again, opened as before (same space, same "Ask <name>"), saying the draft was discarded. */
function afterDiscardPath(url: URL): string {
  const params = new URLSearchParams();
  for (const name of KEPT_PARAMS) {
    const value = url.searchParams.get(name);
    if (value) params.set(name, value);
  }
  params.set("discarded", "1");
  return `/ask?${params}`;
}

export default function Ask() {
  const { spaces, initial, hasDraft, wasDiscarded, idempotencyKey, invitee } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { isSubmitting, onSubmit } = useSingleSubmit();
  const navigation = useNavigation();
  const isDiscarding = navigation.formData?.get("intent") === DISCARD_DRAFT_INTENT;
  // A new page visit (the form after "Discard my changes") starts the fields afresh from what the loader sends.
  const { key: visit } = useLocation();
  const formRef = useRef<HTMLFormElement>(null);
  const draftState = useDraftAutosave(formRef, DRAFT_KEY);
  const values = result?.values ?? initial;
  const isRestored = hasDraft && !result;
  const isDraftKept = draftIsKept(hasDraft, draftState);
  // A refused question: focus the error summary at the top of the form (the disabled button had dropped it).
  useFocusWhenSettled(result?.formError ? result : null, () => formRef.current?.querySelector(":scope > [role=alert]"));
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">
          {invitee ? (
            <>
              Ask <bdi>{invitee.name}</bdi>
            </>
          ) : (
            "Ask a question"
          )}
        </h1>
        <p className="mt-1 text-slate-600 dark:text-slate-300">
          Peers who have solved it before will answer. Not sure where it goes?{" "}
          <Link to="/spaces">Browse the spaces</Link>.
        </p>
      </header>
      {spaces.length === 0 ? (
        <FormAlert>There are no open spaces to ask in yet.</FormAlert>
      ) : (
        <Form ref={formRef} method="post" className="space-y-5" noValidate onSubmit={onSubmit}>
          {/* The first submit button is the one Enter presses: posting, not "Discard my changes". */}
          <button type="submit" hidden tabIndex={-1} />
          {isRestored ? <RestoredDraftNotice what="question" /> : null}
          {wasDiscarded && !isDraftKept && !result ? (
            <FormAlert tone="success">Your draft was discarded. The form is empty again.</FormAlert>
          ) : null}
          {result?.formError ? <FormAlert>{result.formError}</FormAlert> : null}
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          {/* Named as PREFILLED_TITLE_FIELD in drafts.server.ts; kept through a refusal like every other field. */}
          {values.prefilledTitle ? <input type="hidden" name="prefilledTitle" value={values.prefilledTitle} /> : null}
          {invitee ? (
            <p className="rounded-lg border border-brand-600/40 bg-brand-50 p-3 text-sm dark:bg-slate-900">
              <input type="hidden" name="invite" value={invitee.handle} />
              <bdi>{invitee.name}</bdi> will be invited to answer. Everyone else in the space can answer too.
            </p>
          ) : null}
          {/* The summary above is the one alert (and takes focus); each field's message is read with its field. */}
          <FieldMessagesAreAlerts.Provider value={false}>
            <QuestionFields
              key={`${visit}:fields`}
              values={values}
              errors={result?.fieldErrors ?? {}}
              spaces={spaces}
              similar={result?.similar}
            />
          </FieldMessagesAreAlerts.Provider>
          <AskAnonymously key={`${visit}:anonymous`} defaultChecked={values.anonymous === "on"} />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting && !isDiscarding ? "Posting your question…" : "Post your question"}
            </Button>
            <DraftStatus {...draftState} />
            {isDraftKept ? <KeptDraftNote canDiscard={!isRestored} /> : null}
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
