/** Edit an answer (its author, or a moderator): the change becomes a new revision with a note, visible in its history. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HeldPostNotice } from "~/components/QuestionPostParts";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { Button } from "~/components/ui/Button";
import { TextField } from "~/components/ui/Field";
import { FIELD_LEEWAY, type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { QA_LIMITS, answerPath } from "~/lib/qa";
import { editAnswer } from "~/models/answers.server";
import { heldPostPath } from "~/models/holds.server";
import { answerBodyField, editNoteField } from "~/models/post-fields.server";
import { HEADING_LEVEL } from "~/lib/heading-levels";
import { formPageHeaders } from "~/lib/route-headers.server";
import { EditBaseRevision, EditFormAlert } from "~/components/EditFormBase";
import { baseRevisionOf, loadEditablePostOrHeld, loadPostToSave, refusedEdit } from "./__post-editing.server";

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) => {
  if (error) return errorMeta(error);
  if (page?.heldAnswer) return [{ title: `Your answer to “${page.heldAnswer.title}” · waiting for review · PeerDesk` }];
  return [{ title: page?.question ? `Edit answer: ${page.question.title} · PeerDesk` : "Edit answer · PeerDesk" }];
};

const editSchema = z.object({ body: answerBodyField, note: editNoteField });

export async function loader(args: LoaderFunctionArgs) {
  const editable = await loadEditablePostOrHeld("answer", args);
  if ("held" in editable)
    return data(
      { heldAnswer: editable.held, answer: null, question: null, isEditingOthers: false },
      { headers: { "Cache-Control": "no-store" } },
    );
  const { user, post } = editable;
  return data({
    heldAnswer: null,
    answer: { id: post.id, body: post.bodyMd, baseRevision: String(post.revisionCount) },
    question: { id: post.question.id, title: post.question.title ?? "" },
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
  const { actor, post } = await loadPostToSave("answer", { params, request, context }, formData);
  const parsed = parseForm(editSchema, formData);
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
    await editAnswer(context.services.db, {
      answerId: post.id,
      actor,
      body: parsed.data.body,
      note: parsed.data.note,
      baseRevision: baseRevisionOf(formData),
    });
    // An edit held for review: its author is told it is saved and waits, as when answering (spam.server.ts screenEdit).
    const heldPath = await heldPostPath(context.services.db, post.id);
    return redirect(heldPath ?? answerPath(post.question.id, post.question.title, post.id), 303);
  } catch (error) {
    return refusedEdit(error, { db: context.services.db, noun: "answer", postId: post.id, actor }, values);
  }
}

export default function EditAnswerRoute() {
  const { heldAnswer, answer, question, isEditingOthers } = useLoaderData<typeof loader>();
  if (heldAnswer) return <HeldPostNotice kind="answer" title={heldAnswer.title} isEditing />;
  return answer && question ? (
    <EditAnswer answer={answer} question={question} isEditingOthers={isEditingOthers} />
  ) : null;
}

type EditPage = ReturnType<typeof useLoaderData<typeof loader>>;

function EditAnswer({
  answer,
  question,
  isEditingOthers,
}: {
  answer: NonNullable<EditPage["answer"]>;
  question: NonNullable<EditPage["question"]>;
  isEditingOthers: boolean;
}) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const isSaving = navigation.state !== "idle" && navigation.formMethod === "POST";
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header>
        <h1 className="text-2xl font-bold">Edit answer</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          To:{" "}
          <Link to={answerPath(question.id, question.title, answer.id)} dir="auto">
            {question.title}
          </Link>
          . Every edit is kept in the <Link to={`/posts/${answer.id}/revisions`}>history</Link>.
          {isEditingOthers ? " You are editing someone else's answer as a moderator or trusted member." : ""}
        </p>
      </header>
      <Form method="post" className="space-y-5" noValidate>
        <EditFormAlert result={result} historyPath={`/posts/${answer.id}/revisions`} />
        <EditBaseRevision value={result?.values.baseRevision ?? answer.baseRevision} />
        <MarkdownEditor
          name="body"
          label="Answer"
          headingLevel={HEADING_LEVEL.answer}
          rows={12}
          defaultValue={result?.values.body ?? answer.body}
          error={result?.fieldErrors.body}
          maxLength={QA_LIMITS.bodyMax}
          required
        />
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
          <Link to={answerPath(question.id, question.title, answer.id)}>Cancel</Link>
        </div>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
