/**
 * Comments under a question or answer, and the form to add one (3 to 600 characters, inline Markdown). The form is
 * rendered only on request: "Add a comment" is a link to the page with `?comment=<post id>` (so it works without
 * JavaScript), which JavaScript turns into opening the form in place; a page with 30 answers no longer renders 31
 * forms that most readers never open.
 */
import { FlagLink } from "./FlagLink";
import { Link, useFetcher, useFetchers, useLocation } from "@remix-run/react";
import { QA_LIMITS } from "~/lib/qa";
import { RelativeTime } from "~/components/RelativeTime";
import { Button } from "./ui/Button";
import { TextAreaField } from "./ui/Field";
import { type QaActionResult, type QaPageState, mayOffer, resultFor, useQaPage } from "./QaPageContext";
import { cx } from "~/lib/cx";
import { PersonName } from "./PersonName";
import { PostHtml, commentBodyId } from "./PostHtml";
import { type MouseEvent, useEffect, useRef, useState } from "react";
import { useFocusRowAfterRemoval, useFocusWhenSettled } from "~/lib/focus";

/** The query parameter that asks for a post's comment form: `?comment=<post id>`. */
export const COMMENT_FORM_PARAM = "comment";

/** The page's address (its forms' action, see questionFormAction) with the comment form of `postId` open. */
export function commentFormHref(formAction: string, postId: number): string {
  const [pathname, search = ""] = formAction.split("?", 2);
  const params = new URLSearchParams(search);
  params.set(COMMENT_FORM_PARAM, String(postId));
  return `${pathname}?${params}#comments-${postId}`;
}

export type CommentItem = {
  id: number;
  /** Null when the page data leaves it out (taken from the page; see PostHtml). */
  bodyHtml: string | null;
  createdAt: string | Date;
  deletedAt: string | Date | null;
  authorName: string;
  authorHandle: string | null;
};

function DeleteCommentButton({ commentId, authorName }: { commentId: number; authorName: string }) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `delete-comment-${commentId}` });
  // Asked first, as a post's deletion is (one tap beside "Flag" on a phone was enough before); works without JS.
  return (
    <details className="inline open:block">
      <summary
        className="ml-1 inline-flex min-h-6 cursor-pointer items-center px-1 text-xs text-red-700 underline dark:text-red-400"
        aria-label={`Delete comment by ${authorName}`}
      >
        delete
      </summary>
      <fetcher.Form
        method="post"
        action={page.formAction}
        preventScrollReset
        className="mt-1 flex flex-wrap items-center gap-2"
      >
        <input type="hidden" name="intent" value="deleteComment" />
        <input type="hidden" name="commentId" value={commentId} />
        <input type="hidden" name="js" value={page.isHydrated ? "1" : "0"} />
        <span className="text-sm">Delete this comment?</span>
        <Button type="submit" variant="danger" disabled={fetcher.state !== "idle"}>
          Yes, delete this comment
        </Button>
      </fetcher.Form>
    </details>
  );
}

const refusalClass = "mt-1 text-sm font-medium text-red-700 dark:text-red-400";

/** A refused deletion posted without JavaScript, when it is about a comment in this thread: which one, and why. */
function pageDeleteRefusal(page: QaPageState, postId: number): { commentId: string; message: string } | null {
  const result = page.actionResult;
  if (result?.intent !== "deleteComment" || result.ok || result.postId !== postId) return null;
  return { commentId: result.values?.commentId ?? "", message: result.message ?? "This comment couldn't be deleted." };
}

/**
 * Why deleting this comment was refused, beside it: from its delete form's fetcher (focused once it arrives, as the
 * disabled button dropped focus), or from the page's action data without JavaScript.
 */
function DeleteRefusal({ commentId, postId }: { commentId: number; postId: number }) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `delete-comment-${commentId}` });
  const ref = useRef<HTMLParagraphElement>(null);
  const settled = fetcher.state === "idle" ? fetcher.data : undefined;
  useFocusWhenSettled(settled && !settled.ok ? settled : null, () => ref.current);
  const fromPage = pageDeleteRefusal(page, postId);
  const message =
    settled && !settled.ok
      ? (settled.message ?? "This comment couldn't be deleted.")
      : fromPage?.commentId === String(commentId)
        ? fromPage.message
        : null;
  if (!message) return null;
  return (
    <p ref={ref} role="alert" data-delete-refusal className={refusalClass}>
      {message}
    </p>
  );
}

export function CommentThread({
  postId,
  comments,
  noun,
  isDeleted = false,
}: {
  postId: number;
  comments: CommentItem[];
  noun: "question" | "answer";
  isDeleted?: boolean;
}) {
  const page = useQaPage();
  const fetcher = useFetcher<QaActionResult>({ key: `comment-${postId}` });
  const result = resultFor(page, fetcher.data, "comment", postId);
  // Counts this person's own comments sent from this form (held ones too), once each has settled: the form is keyed by
  // it, so only their own post empties the field, never others' comments arriving or the page's data reloading.
  const settled = fetcher.state === "idle" ? fetcher.data : undefined;
  const [postedCount, setPostedCount] = useState(0);
  useEffect(() => {
    if (settled?.ok) setPostedCount((n) => n + 1);
  }, [settled]);
  const failed = result && !result.ok ? result : undefined;
  const threadRef = useRef<HTMLDivElement>(null);
  // Once the page shows the outcome: a refusal focuses the field (its message is tied to it), a held comment its
  // notice, a posted one the comment itself (the last in the list).
  useFocusWhenSettled(settled, () => {
    const thread = threadRef.current;
    if (!fetcher.data?.ok) return thread?.querySelector("textarea[name=body]");
    if (fetcher.data.held) return thread?.querySelector("[data-held-notice]");
    return thread?.querySelector(":scope > ul > li:last-child");
  });
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A deleted comment leaves the list: focus the comment that took its place, else the new last one, else the heading.
  const deleting = useFetchers().find(
    (f) =>
      f.formData?.get("intent") === "deleteComment" &&
      comments.some((c) => String(c.id) === f.formData?.get("commentId")),
  );
  useFocusRowAfterRemoval(
    listRef,
    deleting ?? { state: "idle" },
    (form) => String(form.get("commentId")),
    () => headingRef.current,
  );
  const deleteRefusal = pageDeleteRefusal(page, postId);
  const unlistedRefusal =
    deleteRefusal && !comments.some((c) => String(c.id) === deleteRefusal.commentId) ? deleteRefusal : null;
  const canComment = !isDeleted && mayOffer(page, (viewer) => viewer.canComment);
  const headingId = `comments-${postId}-heading`;
  const Heading = noun === "question" ? "h2" : "h3";
  const location = useLocation();
  const isRequested = new URLSearchParams(location.search).get(COMMENT_FORM_PARAM) === String(postId);
  const [isOpened, setOpened] = useState(false);
  // Open when asked for (the link, or the address without JavaScript), and when a submit failed so the text stays, even
  // once comments are no longer offered here (the space archived meanwhile: the refusal says so).
  const isFormShown = (canComment && (isOpened || isRequested)) || failed !== undefined;
  const openInPlace = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    setOpened(true);
  };
  return (
    // Not a landmark each (a question with 30 answers would list 31 regions of one name); its heading is the way in,
    // one level below the post it belongs to.
    <div
      ref={threadRef}
      id={`comments-${postId}`}
      className="mt-3 border-t border-slate-200 pt-2 dark:border-slate-800"
    >
      <Heading ref={headingRef} id={headingId} className="sr-only">
        Comments on this {noun}
      </Heading>
      {/* A refused deletion of a comment not in the list (gone already, or never here) is said atop the thread. */}
      {unlistedRefusal ? (
        <p role="alert" data-delete-refusal className={refusalClass}>
          {unlistedRefusal.message}
        </p>
      ) : null}
      {comments.length > 0 ? (
        <ul ref={listRef} className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
          {comments.map((c) => (
            <li
              key={c.id}
              id={`comment-${c.id}`}
              data-row-key={c.id}
              className={`py-1.5 ${c.deletedAt ? "text-slate-500 line-through decoration-red-500 dark:text-slate-400" : ""}`}
            >
              {c.deletedAt ? (
                <span className="mr-1 rounded bg-red-100 px-1 text-xs font-semibold text-red-800 no-underline">
                  Deleted
                </span>
              ) : null}
              <PostHtml as="span" id={commentBodyId(c.id)} className="comment-body" html={c.bodyHtml} />
              <span className="text-slate-600 dark:text-slate-400">
                {" – "}
                <PersonName name={c.authorName} handle={c.authorHandle} /> <RelativeTime date={c.createdAt} />
              </span>
              {c.deletedAt ? null : (
                <FlagLink
                  type="comment"
                  id={c.id}
                  noun="comment"
                  returnTo={`${page.formAction}#comment-${c.id}`}
                  className="ml-1 inline-flex min-h-6 items-center px-1 text-xs text-slate-600 dark:text-slate-400"
                />
              )}
              {!c.deletedAt && page.viewer?.comments[c.id]?.canDelete ? (
                <DeleteCommentButton commentId={c.id} authorName={c.authorName} />
              ) : null}
              <DeleteRefusal commentId={c.id} postId={postId} />
            </li>
          ))}
        </ul>
      ) : null}
      {result?.ok && result.held ? (
        <p
          role="status"
          data-held-notice
          className="mt-1 rounded-md bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50"
        >
          Your comment is saved and waiting for review. Others will see it once a moderator approves it.{" "}
          <Link to="/me/moderation">See what is waiting</Link>
        </p>
      ) : null}
      {isFormShown ? (
        /* Remounted after this person's own comment is posted, so the field empties then (and only then). */
        <fetcher.Form
          key={postedCount}
          method="post"
          // Posted without JavaScript, the page comes back at these comments, where a refusal's message is; the address
          // asks for this form, so a sign-in in between returns to it open (and unsent-form.ts puts the text back).
          action={commentFormHref(page.formAction, postId)}
          preventScrollReset
          className="mt-1 space-y-2"
          noValidate
        >
          <input type="hidden" name="intent" value="comment" />
          <input type="hidden" name="postId" value={postId} />
          <input type="hidden" name="js" value={page.isHydrated ? "1" : "0"} />
          <TextAreaField
            label={`Your comment on this ${noun}`}
            name="body"
            rows={2}
            maxLength={QA_LIMITS.commentMax}
            // Opened by the link in place: the field takes the focus the link had (not once emptied after a post, when
            // focus goes to the outcome).
            autoFocus={isOpened && postedCount === 0}
            defaultValue={failed?.values?.body}
            error={failed?.fieldErrors?.body ?? (failed && !failed.fieldErrors?.body ? failed.message : undefined)}
            hint={
              "Ask for clarification or suggest an improvement. " +
              `${QA_LIMITS.commentMin}–${QA_LIMITS.commentMax} characters; **bold**, \`code\` and links work.`
            }
          />
          <button
            type="submit"
            disabled={fetcher.state !== "idle"}
            className={cx(
              "inline-flex min-h-11 items-center rounded-lg bg-brand-600 px-3 text-sm font-semibold text-white",
              "hover:bg-brand-700 disabled:bg-slate-400",
            )}
          >
            {fetcher.state !== "idle" ? "Posting…" : "Post comment"}
          </button>
        </fetcher.Form>
      ) : canComment ? (
        <p className="mt-1 print:hidden">
          <a
            href={commentFormHref(page.formAction, postId)}
            onClick={openInPlace}
            className="inline-flex min-h-11 items-center text-sm text-brand-700 dark:text-brand-300"
          >
            Add a comment
          </a>
        </p>
      ) : !page.isSignedIn && !isDeleted ? (
        <p className="mt-1 text-sm print:hidden">
          <Link to={page.signInHref}>Sign in to comment</Link>
        </p>
      ) : null}
    </div>
  );
}
