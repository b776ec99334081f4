/**
 * What a record looks like now, shown beside an edit form whose save was refused because someone else saved it after
 * the form was opened: the person compares, then saves again (replacing it) or leaves (keeping it).
 */
export function CurrentVersion({ heading, rows }: { heading: string; rows: [label: string, text: string][] }) {
  return (
    <section aria-labelledby="current-version" className="rounded-lg border border-slate-300 p-3 dark:border-slate-700">
      <h2 id="current-version" className="font-semibold">
        {heading}
      </h2>
      <dl className="mt-2 space-y-1 text-sm">
        {rows.map(([label, text]) => (
          <div key={label}>
            <dt className="font-medium">{label}</dt>
            <dd className="whitespace-pre-wrap break-words">{text || "—"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
