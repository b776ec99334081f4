/** In a review-queue card for a question: close it (duplicate, off-topic, needs details) as the decision on its flags. */
import { Form } from "@remix-run/react";
import { CloseReasonFields } from "~/components/CloseReasonFields";
import { FormAlert } from "~/components/ui/Field";
import { Button } from "~/components/ui/Button";

export function CloseFromQueue({
  questionId,
  isBusy,
  failure,
}: {
  questionId: string;
  isBusy: boolean;
  /** The last close attempt on this question, when it failed: its message, field errors and what was typed. */
  failure?: { message: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };
}) {
  return (
    <details open={failure !== undefined} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-semibold">
        Close this question instead
      </summary>
      <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
        The question stays visible with a closed banner; its flags count as upheld and the flaggers are told.
      </p>
      <Form method="post" className="mt-3 space-y-3" noValidate>
        {failure ? <FormAlert>{failure.message}</FormAlert> : null}
        <input type="hidden" name="intent" value="close" />
        <input type="hidden" name="targetId" value={questionId} />
        <CloseReasonFields values={failure?.values} errors={failure?.fieldErrors} />
        <Button type="submit" variant="danger" disabled={isBusy}>
          Close the question
        </Button>
      </Form>
    </details>
  );
}
