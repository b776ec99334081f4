/** Text a person typed that could not be sent, shown read-only under its label so it can be copied and isn't lost. */
export function KeptText({
  id,
  label,
  text,
  rows = 3,
  isLabelHidden = false,
}: {
  id: string;
  label: string;
  text: string;
  rows?: number;
  /** For a notice whose sentence already says what the text is. */
  isLabelHidden?: boolean;
}) {
  return (
    <div className="space-y-1 text-left">
      <label htmlFor={id} className={isLabelHidden ? "sr-only" : "block text-sm font-medium"}>
        {label}
      </label>
      <textarea
        id={id}
        readOnly
        rows={rows}
        defaultValue={text}
        className="block w-full rounded-md border border-slate-300 bg-white p-2 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      />
    </div>
  );
}
