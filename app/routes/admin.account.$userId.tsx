/**
 * An admin acts on a person's data request: download their data, or delete their account as they asked. Both are
 * recorded in the moderation log; the note the admin gives for a deletion is for admins only, never shown publicly.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUserWith } from "~/auth/session.server";
import { AccountDeletionForm, type AccountDeletionResult } from "~/components/AccountDeletionForm";
import { TextField } from "~/components/ui/Field";
import { type FieldErrors, parseForm, submittedValues } from "~/lib/forms";
import { AccountDataError, whatStays } from "~/models/account-data.server";
import { deleteAccount, describeDeletion } from "~/models/account-deletion.server";

function userIdParam(value: string | undefined): string {
  const id = value ?? "";
  if (id.length === 0 || id.length > 200) throw new Response("That account doesn't exist.", { status: 404 });
  return id;
}

async function summaryOr404(db: Parameters<typeof describeDeletion>[0], userId: string) {
  try {
    return await describeDeletion(db, userId);
  } catch (error) {
    if (error instanceof AccountDataError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const admin = await requireUserWith(request, context, "user.delete");
  const userId = userIdParam(params.userId);
  const summary = await summaryOr404(context.services.db, userId);
  return { userId, summary, whatStays: whatStays(summary, "their"), isSelf: admin.id === userId };
}

/** A form that names no action (an older page, a hand-made request) gets plain words, not the validator's. */
const NO_INTENT =
  "This form didn't say what to do. To delete this account, fill in the form below and press the delete button at its end.";

const schema = z.object({
  intent: z.literal("delete", { errorMap: () => ({ message: NO_INTENT }) }),
  confirm: z.string().trim().max(200).default(""),
  reason: z
    .string()
    .trim()
    .min(3, "Add a short note for the other admins, for example a ticket number or the date of the request.")
    .max(280, "Keep the note under 280 characters."),
  deleteQuestions: z.string().max(10).optional(),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireUserWith(request, context, "user.delete");
  const userId = userIdParam(params.userId);
  const { db } = context.services;
  const formData = await request.formData();
  const values = submittedValues(formData);
  const fail = (fieldErrors: FieldErrors, message?: string, status = 400) =>
    data<AccountDeletionResult>({ fieldErrors, values, message }, { status });
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) {
    const { intent, ...fieldErrors } = parsed.fieldErrors;
    return fail(fieldErrors, intent);
  }
  if (userId === admin.id) return fail({}, "Delete your own account from Settings → Your data.");
  const summary = await summaryOr404(db, userId);
  const expected = summary.handle ?? summary.email;
  if (parsed.data.confirm.toLowerCase() !== expected.toLowerCase())
    return fail({ confirm: `Type ${expected} exactly to confirm.` });
  try {
    await deleteAccount(db, {
      userId,
      by: admin.id,
      deleteUnansweredQuestions: parsed.data.deleteQuestions === "on",
      reason: parsed.data.reason,
    });
  } catch (error) {
    if (error instanceof AccountDataError) return fail({}, error.message, error.status);
    throw error;
  }
  return redirect("/admin/users?deleted=1");
}

const NOTE_HINT =
  "Only admins see it. A ticket number or the date of the request is enough: no need for their name or email.";

export default function AdminAccount() {
  const { userId, summary, whatStays: stays, isSelf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result?.fieldErrors ?? {};
  const confirmWith = summary.handle ?? summary.email;
  return (
    <div className="max-w-xl space-y-6">
      <h2 className="text-xl font-semibold">
        Data request for {summary.name}
        {summary.handle ? ` (@${summary.handle})` : ""}
      </h2>
      <section aria-labelledby="export-heading">
        <h3 id="export-heading" className="font-semibold">
          Download their data
        </h3>
        <p className="mt-1 text-sm">The same JSON file they can download themselves. The download is logged.</p>
        <a href={`/admin/export/${encodeURIComponent(userId)}`} download className="mt-2 inline-block">
          Download {summary.name}'s data (JSON)
        </a>
      </section>
      {isSelf ? (
        <p>To delete your own account, use Settings → Your data.</p>
      ) : (
        <section aria-labelledby="delete-heading" className="rounded-lg border border-red-300 p-4 dark:border-red-800">
          <h3 id="delete-heading" className="font-semibold">
            Delete their account
          </h3>
          <p className="mt-1 text-sm">
            Their name, email, profile, picture, sign-in details, devices, follows, notifications, drafts and email
            settings are deleted. {stays} The public moderation log says only that an account was deleted at the
            person's request; your note stays with the admins.
          </p>
          <AccountDeletionForm
            result={result}
            confirmWith={confirmWith}
            deleteQuestionsLabel={
              summary.unansweredQuestions > 0
                ? `Also delete their questions nobody else answered (${summary.unansweredQuestions})`
                : undefined
            }
            fieldsBeforeConfirm={
              <TextField
                label="Note for admins"
                name="reason"
                hint={NOTE_HINT}
                required
                maxLength={280}
                defaultValue={result?.values.reason}
                error={errors.reason}
              />
            }
            submitLabel={`Delete ${summary.name}'s account`}
            isBusy={navigation.state === "submitting"}
          />
        </section>
      )}
    </div>
  );
}
