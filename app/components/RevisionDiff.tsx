/** A word diff between two revisions: additions in <ins>, removals in <del>, each announced to screen readers. */
import type { DiffPart } from "~/models/revisions.types";

function DiffPartView({ part }: { part: DiffPart }) {
  if (part.op === "added")
    return (
      <ins className="rounded-sm bg-green-100 text-green-900 no-underline decoration-green-700 dark:bg-green-900 dark:text-green-50">
        <span className="sr-only">[added] </span>
        {part.text}
        <span className="sr-only"> [end added]</span>
      </ins>
    );
  if (part.op === "removed")
    return (
      <del className="rounded-sm bg-red-100 text-red-900 line-through dark:bg-red-900 dark:text-red-50">
        <span className="sr-only">[removed] </span>
        {part.text}
        <span className="sr-only"> [end removed]</span>
      </del>
    );
  return <span>{part.text}</span>;
}

/** Each part keyed by where it starts in the diff's text (parts never overlap, so the offset is unique and stable). */
function keyedParts(parts: DiffPart[]): { key: string; part: DiffPart }[] {
  let offset = 0;
  return parts.map((part) => {
    const key = `${part.op}-${offset}`;
    offset += part.text.length;
    return { key, part };
  });
}

export function RevisionDiff({ parts, className = "" }: { parts: DiffPart[]; className?: string }) {
  return (
    <div dir="auto" className={`whitespace-pre-wrap break-words ${className}`}>
      {keyedParts(parts).map(({ key, part }) => (
        <DiffPartView key={key} part={part} />
      ))}
    </div>
  );
}
