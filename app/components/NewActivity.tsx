/**
 * "1 new answer — show": while a question's page is open, answers and comments others post arrive from
 * /q/:id/events (Server-Sent Events); the reader chooses when to show them, so nothing moves under their eyes. Each
 * time the stream (re)opens it first names everything the public page shows now, so what was posted while the page
 * sat in a cache, or while the connection was away, is offered too. New things are counted by id: heard twice, once.
 */
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useEventSource } from "~/lib/event-source";
import { moveFocusTo } from "~/lib/focus";
import { answerAnchor } from "~/lib/qa";

/** The ids of the answers and comments a page shows (not deleted). */
export type ShownThread = { answers: number[]; comments: number[] };

type Pending = { answers: ReadonlySet<number>; comments: ReadonlySet<number> };

const NOTHING: Pending = { answers: new Set(), comments: new Set() };

function describe({ answers, comments }: Pending): string {
  const parts = [
    answers.size > 0 ? `${answers.size} new ${answers.size === 1 ? "answer" : "answers"}` : "",
    comments.size > 0 ? `${comments.size} new ${comments.size === 1 ? "comment" : "comments"}` : "",
  ];
  return parts.filter(Boolean).join(" and ");
}

/** What to say when everything "show" was pressed for was removed before it could be shown. */
function goneMessage({ answers, comments }: Pending): string {
  if (answers.size + comments.size > 1) return "The new posts were removed before they could be shown.";
  return `The new ${answers.size === 1 ? "answer" : "comment"} was removed before it could be shown.`;
}

function idsOf(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((id): id is number => Number.isSafeInteger(id)) : [];
}

/** The first of `pending` that the page shows, in the page's order (a selector list matches in document order). */
function firstShown({ answers, comments }: Pending): Element | null {
  const ids = [...[...answers].map(answerAnchor), ...[...comments].map((id) => `comment-${id}`)];
  return ids.length === 0 ? null : document.querySelector(ids.map((id) => `#${id}`).join(", "));
}

/** `pending` with the ids not on the page added (a set: an id heard twice counts once). */
function withUnseen(pending: ReadonlySet<number>, ids: number[], shown: ReadonlySet<number>): ReadonlySet<number> {
  const unseen = ids.filter((id) => !shown.has(id) && !pending.has(id));
  return unseen.length === 0 ? pending : new Set([...pending, ...unseen]);
}

/** `shown`: what the page has, a new object after every reload (which shows everything that was pending). */
export function NewActivity({
  questionId,
  viewerId,
  shown,
}: {
  questionId: number;
  viewerId: string | null;
  shown: ShownThread;
}) {
  const [pending, setPending] = useState<Pending>(NOTHING);
  const shownRef = useRef({ answers: new Set(shown.answers), comments: new Set(shown.comments) });
  const revalidator = useRevalidator();
  // What "show" was pressed for: once it is on the page, focus goes to the first of it (the button is gone by then).
  const shownOnRequest = useRef<Pending | null>(null);
  // Said (and focused) when what "show" was pressed for was deleted meanwhile, so focus doesn't fall to the page's top.
  const [goneNotice, setGoneNotice] = useState<string | null>(null);
  const goneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (goneNotice) moveFocusTo(goneRef.current);
  }, [goneNotice]);
  useEventSource(`/q/${questionId}/events`, {
    events: {
      thread: (data) => {
        try {
          const thread = JSON.parse(data) as { answers?: unknown; comments?: unknown };
          const known = shownRef.current;
          setPending((p) => ({
            answers: withUnseen(p.answers, idsOf(thread.answers), known.answers),
            comments: withUnseen(p.comments, idsOf(thread.comments), known.comments),
          }));
        } catch {
          // ignore a malformed event
        }
      },
      change: (data) => {
        try {
          const change = JSON.parse(data) as { type?: string; id?: unknown; actorId?: string | null };
          // One's own posts show at once through the form that sent them.
          if (change.actorId && change.actorId === viewerId) return;
          const ids = idsOf([change.id]);
          const known = shownRef.current;
          if (change.type === "answer")
            setPending((p) => ({ ...p, answers: withUnseen(p.answers, ids, known.answers) }));
          else if (change.type === "comment")
            setPending((p) => ({ ...p, comments: withUnseen(p.comments, ids, known.comments) }));
        } catch {
          // ignore a malformed event
        }
      },
    },
  });
  // New data on the page (after "show", or any reload) shows what was pending.
  useEffect(() => {
    shownRef.current = { answers: new Set(shown.answers), comments: new Set(shown.comments) };
    setPending(NOTHING);
    const requested = shownOnRequest.current;
    shownOnRequest.current = null;
    setGoneNotice(requested && !moveFocusTo(firstShown(requested)) ? goneMessage(requested) : null);
  }, [shown]);
  const text = describe(pending);
  return (
    <div aria-live="polite" className="sticky top-2 z-10 flex justify-center empty:hidden">
      {text ? (
        <button
          type="button"
          onClick={() => {
            shownOnRequest.current = pending;
            setGoneNotice(null);
            revalidator.revalidate();
          }}
          disabled={revalidator.state !== "idle"}
          className="min-h-11 rounded-full bg-brand-600 px-4 text-sm font-semibold text-white shadow-lg hover:bg-brand-700"
        >
          {text} — show
        </button>
      ) : null}
      {!text && goneNotice ? (
        <p ref={goneRef} className="rounded-full bg-slate-800 px-4 py-2 text-sm text-white shadow-lg">
          {goneNotice}
        </p>
      ) : null}
    </div>
  );
}
