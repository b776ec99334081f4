/** The changed fields of a how-to version (or a suggested edit), each as a labelled word diff. */
import { RevisionDiff } from "~/components/RevisionDiff";
import type { FieldDiff } from "~/models/howtos.types";

export function HowtoDiff({ changes }: { changes: FieldDiff[] }) {
  if (changes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No visible changes.</p>;
  return (
    <dl className="space-y-3">
      {changes.map((c) => (
        <div key={c.field}>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            {c.label}
          </dt>
          <dd>
            <RevisionDiff parts={c.parts} className="mt-1 rounded-md bg-slate-50 p-2 text-sm dark:bg-slate-900" />
          </dd>
        </div>
      ))}
    </dl>
  );
}
