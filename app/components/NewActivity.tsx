/**
 * "1 new answer — show": while a question's page is open, answers and comments others post arrive from
 * /q/:id/events (Server-Sent Events); the reader chooses when to show them, so nothing moves under their eyes.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useEventSource } from "~/lib/event-source";

type Pending = { answers: number; comments: number };

function describe({ answers, comments }: Pending): string {
  const parts = [
    answers > 0 ? `${answers} new ${answers === 1 ? "answer" : "answers"}` : "",
    comments > 0 ? `${comments} new ${comments === 1 ? "comment" : "comments"}` : "",
  ];
  return parts.filter(Boolean).join(" and ");
}

/** `seen`: the page's data, a new object after every reload (which shows everything that was pending). */
export function NewActivity({
  questionId,
  viewerId,
  seen,
}: {
  questionId: number;
  viewerId: string | null;
  seen: unknown;
}) {
  const [pending, setPending] = useState<Pending>({ answers: 0, comments: 0 });
  const revalidator = useRevalidator();
  useEventSource(`/q/${questionId}/events`, {
    events: {
      change: (data) => {
        try {
          const change = JSON.parse(data) as { type?: string; actorId?: string | null };
          // One's own posts show at once through the form that sent them.
          if (change.actorId && change.actorId === viewerId) return;
          if (change.type === "answer") setPending((p) => ({ ...p, answers: p.answers + 1 }));
          else if (change.type === "comment") setPending((p) => ({ ...p, comments: p.comments + 1 }));
        } catch {
          // ignore a malformed event
        }
      },
    },
  });
  // New data on the page (after "show", or any reload) means nothing is pending any more.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `seen` is the signal, not a value read here
  useEffect(() => setPending({ answers: 0, comments: 0 }), [seen]);
  const text = describe(pending);
  return (
    <div aria-live="polite" className="sticky top-2 z-10 flex justify-center empty:hidden">
      {text ? (
        <button
          type="button"
          onClick={() => revalidator.revalidate()}
          disabled={revalidator.state !== "idle"}
          className="min-h-11 rounded-full bg-brand-600 px-4 text-sm font-semibold text-white shadow-lg hover:bg-brand-700"
        >
          {text} — show
        </button>
      ) : null}
    </div>
  );
}
