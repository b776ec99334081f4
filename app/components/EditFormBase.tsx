import { FormAlert } from "~/components/ui/Field";

/**
 * What an edit form carries so a save never silently replaces a newer version: the version it opened on (hidden), and,
 * after a refused save, a link to the history where the newer version can be compared.
 */
export function EditBaseRevision({ value }: { value: string | undefined }) {
  return value ? <input type="hidden" name="baseRevision" value={value} /> : null;
}

/** A refused save's message at the top of an edit form, with the history link when another version came first. */
export function EditFormAlert({
  result,
  historyPath,
}: {
  result: { formError?: string; isConflict?: boolean } | undefined;
  historyPath: string;
}) {
  if (!result?.formError) return null;
  return (
    <FormAlert focusOn={result}>
      {result.formError}
      {result.isConflict ? <EditConflictLink historyPath={historyPath} /> : null}
    </FormAlert>
  );
}

function EditConflictLink({ historyPath }: { historyPath: string }) {
  return (
    <>
      {" "}
      <a href={historyPath} target="_blank" rel="noopener" className="font-semibold underline">
        Open the history in a new tab
      </a>
      .
    </>
  );
}
