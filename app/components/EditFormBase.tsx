/**
 * What an edit form carries so a save never silently replaces a newer version: the version it opened on (hidden), and,
 * after a refused save, a link to the history where the newer version can be compared.
 */
export function EditBaseRevision({ value }: { value: string | undefined }) {
  return value ? <input type="hidden" name="baseRevision" value={value} /> : null;
}

export function EditConflictLink({ historyPath }: { historyPath: string }) {
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
