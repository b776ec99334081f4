/** The links and buttons under a question or answer: edit, history, delete (with confirmation), share (an answer's), flag, restore for moderators, accept for the asker. */
import { Form, Link, useFetcher } from "@remix-run/react";
import { AnswerShareLink } from "./AnswerShareLink";
import { FlagLink } from "./FlagLink";
import { Button } from "./ui/Button";
import { TextAreaField } from "./ui/Field";
import { type QaActionResult, mayOffer, resultFor, useQaPage } from "./QaPageContext";
import { useRef } from "react";
import { useFocusWhenSettled } from "~/lib/focus";
import { FIELD_LEEWAY } from "~/lib/forms";
import { QA_LIMITS, answerAnchor } from "~/lib/qa";

const toolClass = "inline-flex min-h-11 items-center rounded-md px-2 text-sm";

export function PostTools({
  postId,
  noun,
  editHref,
  revisionCount,
  isDeleted,
}: {
  postId: number;
  noun: "question" | "answer";
  editHref: string;
  revisionCount: number;
  isDeleted: boolean;
}) {
  const page = useQaPage();
  const permissions = page.viewer?.posts[postId];
  const canEdit = !isDeleted && mayOffer(page, () => permissions?.canEdit === true);
  const canDelete = !isDeleted && mayOffer(page, () => permissions?.canDelete === true);
  const canRestore = isDeleted && mayOffer(page, () => permissions?.canRestore === true);
  const deleteResult = resultFor(page, undefined, "delete", postId) ?? resultFor(page, undefined, "restore", postId);
  return (
    <div className="flex flex-wrap items-center gap-x-1 text-sm print:hidden">
      {canEdit ? (
        <Link to={editHref} className={toolClass} aria-label={`Edit this ${noun}`}>
          Edit
        </Link>
      ) : null}
      {revisionCount > 1 ? (
        <Link
          to={`/posts/${postId}/revisions`}
          className={toolClass}
          aria-label={`History of this ${noun}: ${revisionCount} versions`}
        >
          History ({revisionCount})
        </Link>
      ) : null}
      {canDelete ? (
        // Opened, it takes a row of its own under the tools: a floating panel ran off a phone's screen.
        <details className="open:basis-full">
          <summary
            className={`${toolClass} cursor-pointer text-red-700 dark:text-red-400`}
            aria-label={`Delete this ${noun}`}
          >
            Delete
          </summary>
          <div className="mt-1 max-w-sm rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-700 dark:bg-slate-900">
            <p className="text-sm">
              Delete this {noun}? It disappears for readers{noun === "question" ? ", with its answers" : ""}. Moderators
              can bring it back.
            </p>
            <Form method="post" action={page.formAction} className="mt-2 space-y-2">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="postId" value={postId} />
              {permissions && !permissions.isOwn ? (
                <TextAreaField
                  label="Why? (optional; its author is told, and the public log shows it)"
                  name="reason"
                  rows={2}
                  maxLength={QA_LIMITS.deleteReasonMax + FIELD_LEEWAY}
                  hint="For example: a duplicate of another question, or off-topic here."
                />
              ) : null}
              <Button type="submit" variant="danger">
                Yes, delete this {noun}
              </Button>
            </Form>
          </div>
        </details>
      ) : null}
      {noun === "answer" && !isDeleted ? (
        <AnswerShareLink answerId={postId} className={`${toolClass} text-brand-700 dark:text-brand-300`} />
      ) : null}
      {isDeleted ? null : (
        <FlagLink type="post" id={postId} noun={noun} returnTo={`${page.formAction}#post-${postId}`} />
      )}
      {canRestore ? (
        <Form method="post" action={page.formAction}>
          <input type="hidden" name="intent" value="restore" />
          <input type="hidden" name="postId" value={postId} />
          <Button type="submit" variant="secondary">
            Restore this {noun}
          </Button>
        </Form>
      ) : null}
      {deleteResult && !deleteResult.ok ? (
        <p role="alert" className="w-full text-sm font-medium text-red-700 dark:text-red-400">
          {deleteResult.message}
        </p>
      ) : null}
    </div>
  );
}

/** Accept (or take back) an answer: only the asker sees it; accepting another answer moves the mark. */
export function AcceptControl({
  answerId,
  isAccepted,
  isDeleted,
}: {
  answerId: number;
  isAccepted: boolean;
  isDeleted: boolean;
}) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `accept-${answerId}` });
  const isOffered = !isDeleted && mayOffer(page, (viewer) => viewer.canAccept);
  const result = resultFor(page, fetcher.data, isAccepted ? "unaccept" : "accept", answerId);
  const isBusy = fetcher.state !== "idle";
  const alertRef = useRef<HTMLParagraphElement>(null);
  // Accepting moves the answer to the top: focus follows it there (a refusal focuses its message instead).
  useFocusWhenSettled(fetcher.state === "idle" ? fetcher.data : undefined, () =>
    fetcher.data?.ok ? document.getElementById(answerAnchor(answerId)) : alertRef.current,
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      {isAccepted ? (
        <span className="inline-flex items-center gap-1 rounded bg-green-700 px-2 py-0.5 text-xs font-semibold text-white">
          <span aria-hidden="true">✓</span> Accepted answer
        </span>
      ) : null}
      {isOffered ? (
        <fetcher.Form method="post" action={page.formAction} preventScrollReset>
          <input type="hidden" name="intent" value={isAccepted ? "unaccept" : "accept"} />
          <input type="hidden" name="postId" value={answerId} />
          <input type="hidden" name="js" value={page.isHydrated ? "1" : "0"} />
          <button
            type="submit"
            disabled={isBusy}
            className={`inline-flex min-h-11 items-center gap-1 rounded-lg border px-3 text-sm font-medium ${
              isAccepted
                ? "border-slate-300 text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
                : "border-green-700 text-green-800 hover:bg-green-50 dark:border-green-500 dark:text-green-300 dark:hover:bg-green-950"
            }`}
          >
            {isAccepted ? "Unaccept" : "Accept this answer"}
          </button>
        </fetcher.Form>
      ) : null}
      {result && !result.ok ? (
        <p ref={alertRef} role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          {result.message}
        </p>
      ) : null}
    </div>
  );
}
