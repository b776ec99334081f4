/** A word diff between two revisions: additions in <ins>, removals in <del>, each announced to screen readers. */
import type { DiffPart } from "~/models/revisions.server";

export function RevisionDiff({ parts, className = "" }: { parts: DiffPart[]; className?: string }) {
  return (
    <div className={`whitespace-pre-wrap break-words ${className}`}>
      {parts.map((part, i) =>
        part.op === "added" ? (
          <ins
            key={i}
            className="rounded-sm bg-green-100 text-green-900 no-underline decoration-green-700 dark:bg-green-900 dark:text-green-50"
          >
            <span className="sr-only">[added] </span>
            {part.text}
            <span className="sr-only"> [end added]</span>
          </ins>
        ) : part.op === "removed" ? (
          <del key={i} className="rounded-sm bg-red-100 text-red-900 line-through dark:bg-red-900 dark:text-red-50">
            <span className="sr-only">[removed] </span>
            {part.text}
            <span className="sr-only"> [end removed]</span>
          </del>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </div>
  );
}
