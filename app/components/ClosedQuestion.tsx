/** What a question's page shows about closing: the banner of a closed question, the note on an original, the closed answer box. */
import { Link } from "@remix-run/react";
import { questionPath } from "~/lib/qa";
import type { CloseViewer } from "~/models/close.types";
import { RelativeTime } from "./RelativeTime";

export type ClosureView = {
  reason: "duplicate" | "off_topic" | "needs_details";
  details: string;
  closedAt: string | Date;
  byVote: boolean;
  original: { id: number; title: string } | null;
  isEditedSinceClose: boolean;
};

const BOX =
  "rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-50";

function closedBy(closure: ClosureView): string {
  return closure.byVote ? "by community vote" : "by a moderator";
}

/** The first thing on a closed question: why, and (for a duplicate) the link to the original. */
export function ClosureBanner({ closure }: { closure: ClosureView }) {
  return (
    <section aria-labelledby="closed-heading" className={`closed-banner space-y-1 ${BOX}`}>
      <h2 id="closed-heading" className="font-semibold">
        {closure.reason === "duplicate" ? "This question has been asked before" : "This question is closed"}
      </h2>
      <ClosureReason closure={closure} />
      <p className="text-xs">
        Closed {closedBy(closure)} <RelativeTime date={closure.closedAt} />.
        {closure.isEditedSinceClose ? " It has been edited since, and can be voted open again." : null}
      </p>
    </section>
  );
}

function ClosureReason({ closure }: { closure: ClosureView }) {
  if (closure.reason === "duplicate") {
    if (!closure.original) return <p>It was closed as a duplicate of a question that is no longer available.</p>;
    return (
      <p>
        Find the answers on the original question:{" "}
        <Link className="font-semibold" dir="auto" to={questionPath(closure.original.id, closure.original.title)}>
          {closure.original.title}
        </Link>
      </p>
    );
  }
  if (closure.reason === "off_topic")
    return <p>It was closed as off-topic for PeerDesk, so it takes no new answers.</p>;
  return (
    <>
      <p>It needs more details before people can answer it. What is missing:</p>
      <p dir="auto" className="font-medium">
        {closure.details}
      </p>
      <p>The asker can edit the question to add them; then it can be reopened.</p>
    </>
  );
}

/** On an original, for a visitor sent here from a duplicate: where they came from, and how to see it anyway. */
export function CameFromDuplicate({ duplicate }: { duplicate: { id: number; title: string } }) {
  return (
    <p className={`came-from-duplicate ${BOX}`}>
      You were sent here from “<span dir="auto">{duplicate.title}</span>”, which was closed as a duplicate of this
      question. <Link to={`/q/${duplicate.id}?stay=1`}>See that question anyway</Link>.
    </p>
  );
}

/** Where the answer box would be, on a closed question. */
export function ClosedForAnswers({ closure }: { closure: ClosureView }) {
  return (
    <p className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800">
      This question is closed, so it takes no new answers.{" "}
      {closure.reason === "duplicate" && closure.original ? (
        <>
          Please answer{" "}
          <Link to={questionPath(closure.original.id, closure.original.title)}>the original question</Link> instead.
        </>
      ) : (
        "It can take answers again once it is reopened."
      )}
    </p>
  );
}

/** A link to the closing tools, for trusted members who may vote and for moderators. */
export function CloseToolsLink({
  questionId,
  closing,
  isStaff,
}: {
  questionId: number;
  closing: CloseViewer | null | undefined;
  isStaff: boolean;
}) {
  if (!closing && !isStaff) return null;
  const label = closeToolsLabel(closing, isStaff);
  if (!label) return null;
  return (
    <Link
      to={`/q/${questionId}/close`}
      className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-3 text-sm font-medium no-underline dark:border-slate-700"
    >
      {label}
    </Link>
  );
}

function closeToolsLabel(closing: CloseViewer | null | undefined, isStaff: boolean): string | null {
  if (isStaff) return "Moderator tools: close, reopen, merge";
  if (closing?.canVoteClose) return closing.myVote === "close" ? "Your close vote" : "Vote to close";
  if (closing?.canVoteReopen) return closing.myVote === "reopen" ? "Your reopen vote" : "Vote to reopen";
  return null;
}
