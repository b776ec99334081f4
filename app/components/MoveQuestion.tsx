/** Moderators' form to move a question (and its answers) to another space. */
import { Form, useActionData } from "@remix-run/react";
import type { QaActionResult } from "~/components/QaPageContext";

/** Moderators: move the question (and its answers) to the space it belongs in. */
export function MoveQuestion({
  spaces,
  currentSpaceId,
}: {
  spaces: { id: number; name: string }[];
  currentSpaceId: number;
}) {
  const result = useActionData<QaActionResult>();
  const failed = result && result.intent === "move" && !result.ok ? result : undefined;
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer">Move to another space (moderators)</summary>
      <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="move" />
        <div className="flex min-w-0 max-w-full flex-col">
          <label htmlFor="move-space">Space</label>
          <select
            id="move-space"
            name="spaceId"
            defaultValue={currentSpaceId}
            className="min-h-11 rounded-md border border-slate-300 px-2 dark:border-slate-700 dark:bg-slate-900"
          >
            {spaces.map((space) => (
              <option key={space.id} value={space.id}>
                {space.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="min-h-11 rounded-md border border-slate-300 px-3 font-medium dark:border-slate-700"
        >
          Move question
        </button>
        {failed ? (
          <p role="alert" className="w-full font-medium text-red-700 dark:text-red-400">
            {failed.fieldErrors?.spaceId ?? failed.message}
          </p>
        ) : null}
      </Form>
    </details>
  );
}
