/**
 * The form that deletes an account, shared by a person deleting their own (Settings → Your data) and an admin
 * acting on their request: the choice about unanswered questions, typing a word to confirm, and the page's own
 * fields (the admin's reason, the person's password).
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { FieldErrors } from "~/lib/forms";
import { Button } from "./ui/Button";
import { FormAlert, TextField } from "./ui/Field";

/** What the deleting action answers when it refuses: the messages and everything typed, so nothing is lost. */
export type AccountDeletionResult = { fieldErrors: FieldErrors; values: Record<string, string>; message?: string };

export function AccountDeletionForm({
  result,
  confirmWith,
  deleteQuestionsLabel,
  fieldsBeforeConfirm,
  fieldsAfterConfirm,
  submitLabel,
  isBusy,
}: {
  result: AccountDeletionResult | undefined;
  /** What the person must type to confirm (a handle, an email, or fixed words). */
  confirmWith: string;
  /** The choice about unanswered questions; left out (no choice offered) when there are none. */
  deleteQuestionsLabel?: ReactNode;
  fieldsBeforeConfirm?: ReactNode;
  fieldsAfterConfirm?: ReactNode;
  submitLabel: ReactNode;
  isBusy: boolean;
}) {
  const errors = result?.fieldErrors ?? {};
  return (
    <>
      {result?.message ? (
        <div className="mt-3">
          <FormAlert>{result.message}</FormAlert>
        </div>
      ) : null}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="intent" value="delete" />
        {deleteQuestionsLabel ? (
          <label className="flex items-start gap-2">
            <input
              type="checkbox"
              name="deleteQuestions"
              defaultChecked={result?.values.deleteQuestions === "on"}
              className="mt-1 size-4 accent-brand-600"
            />
            <span>{deleteQuestionsLabel}</span>
          </label>
        ) : null}
        {fieldsBeforeConfirm}
        <TextField
          label={`Type ${confirmWith} to confirm`}
          name="confirm"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          defaultValue={result?.values.confirm}
          error={errors.confirm}
        />
        {fieldsAfterConfirm}
        <Button type="submit" variant="danger" disabled={isBusy}>
          {submitLabel}
        </Button>
      </Form>
    </>
  );
}
