/** Edit a question (its asker, or a moderator): the change becomes a new revision with a note, visible in its history. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { QuestionFields } from "~/components/QuestionFields";
import { HeldPostNotice } from "~/components/QuestionPostParts";
import { getQuestionClosure } from "~/models/question-page-memo.server";
import { Button } from "~/components/ui/Button";
import { TextField } from "~/components/ui/Field";
import { FIELD_LEEWAY, type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { QA_LIMITS, questionPath } from "~/lib/qa";
import { editNoteField, questionBodyField, tagsFieldFor, titleField } from "~/models/post-fields.server";
import { editQuestion } from "~/models/questions.server";
import { heldPostPath } from "~/models/holds.server";
import { formPageHeaders } from "~/lib/route-headers.server";
import { EditBaseRevision, EditFormAlert } from "~/components/EditFormBase";
import { baseRevisionOf, loadEditablePostOrHeld, loadPostToSave, refusedEdit } from "./__post-editing.server";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  if (error) return errorMeta(error);
  if (page?.heldQuestion)
    return [{ title: `${page.heldQuestion.title || "Your question"} · waiting for review · PeerDesk` }];
  return [{ title: page?.question ? `Edit: ${page.question.title} · PeerDesk` : "Edit question · PeerDesk" }];
};

/** The edit form; tags are optional when the question asks for a plain-language answer. */
const editSchema = (isPlainLanguage: boolean) =>
  z.object({
    title: titleField,
    body: questionBodyField,
    tags: tagsFieldFor(isPlainLanguage),
    audience: z.enum(["plain", "technical"], {
      errorMap: () => ({ message: "Choose how answers should be written: plain language or technical." }),
    }),
    note: editNoteField,
  });

export async function loader(args: LoaderFunctionArgs) {
  const editable = await loadEditablePostOrHeld("question", args);
  if ("held" in editable)
    return data(
      { heldQuestion: editable.held, question: null, isEditingOthers: false },
      { headers: { "Cache-Control": "no-store" } },
    );
  const { user, post } = editable;
  return data({
    heldQuestion: null,
    question: {
      id: post.id,
      title: post.title ?? "",
      body: post.bodyMd,
      tags: post.tags.join(", "),
      audience: post.isPlainLanguage ? "plain" : "technical",
      baseRevision: String(post.revisionCount),
    },
    isEditingOthers: post.authorId !== user.id,
  });
}

type ActionData = {
  fieldErrors: FieldErrors;
  values: Record<string, string>;
  formError?: string;
  isConflict?: boolean;
};

/** Keeps a refused write's Retry-After (Remix drops action headers a route does not pass on). */
export const headers = formPageHeaders;

export async function action({ params, request, context }: ActionFunctionArgs) {
  // A copy: if the editor was signed out meanwhile, requireUser (in loadPostToSave) hands the text back from the body.
  const formData = await request.clone().formData();
  const { actor, post } = await loadPostToSave("question", { params, request, context }, formData);
  const parsed = parseForm(editSchema(formData.get("audience") === "plain"), formData);
  const values = submittedValues(formData);
  if (!parsed.ok)
    return data<ActionData>(
      {
        fieldErrors: parsed.fieldErrors,
        values,
        formError: "Please fix the highlighted fields; nothing you typed was lost.",
      },
      { status: 400 },
    );
  try {
    await editQuestion(context.services.db, {
      questionId: post.id,
      actor,
      title: parsed.data.title,
      body: parsed.data.body,
      tags: parsed.data.tags,
      isPlainLanguage: parsed.data.audience === "plain",
      note: parsed.data.note,
      baseRevision: baseRevisionOf(formData),
    });
    // An edit held for review: its author is told it is saved and waits, as when asking (spam.server.ts screenEdit).
    const heldPath = await heldPostPath(context.services.db, post.id);
    if (heldPath) return redirect(heldPath, 303);
    // A question closed as a duplicate sends readers on to its original; its asker, who was told to edit it, stays.
    const isClosedDuplicate = Boolean((await getQuestionClosure(context.services.db, post.id))?.original);
    return redirect(`${questionPath(post.id, parsed.data.title)}${isClosedDuplicate ? "?stay=1" : ""}`, 303);
  } catch (error) {
    return refusedEdit(error, { db: context.services.db, noun: "question", postId: post.id, actor }, values);
  }
}

export default function EditQuestionRoute() {
  const { heldQuestion, question, isEditingOthers } = useLoaderData<typeof loader>();
  if (heldQuestion) return <HeldPostNotice kind="question" title={heldQuestion.title} isEditing />;
  return question ? <EditQuestion question={question} isEditingOthers={isEditingOthers} /> : null;
}

function EditQuestion({
  question,
  isEditingOthers,
}: {
  question: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["question"]>;
  isEditingOthers: boolean;
}) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const values = result?.values ?? question;
  const isSaving = navigation.state !== "idle" && navigation.formMethod === "POST";
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">Edit question</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Every edit is kept in the <Link to={`/posts/${question.id}/revisions`}>history</Link>.
          {isEditingOthers ? " You are editing someone else's question as a moderator or trusted member." : ""}
        </p>
      </header>
      <Form method="post" className="space-y-5" noValidate>
        <EditFormAlert result={result} historyPath={`/posts/${question.id}/revisions`} />
        <EditBaseRevision value={values.baseRevision} />
        <QuestionFields values={values} errors={result?.fieldErrors ?? {}} />
        <TextField
          label="Edit note"
          name="note"
          defaultValue={result?.values.note}
          error={result?.fieldErrors.note}
          maxLength={QA_LIMITS.noteMax + FIELD_LEEWAY}
          hint="What did you change, and why? Shown in the history."
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={isSaving}>
            {isSaving ? "Saving…" : "Save changes"}
          </Button>
          <Link to={questionPath(question.id, question.title)}>Cancel</Link>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
