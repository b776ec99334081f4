/**
 * One answer on a question's page: votes, accept control, body, byline, source, tools, thanks and comments. Its
 * server HTML is cached per answer and viewer permissions (app/lib/cached-html.tsx): a page's thirty cards are
 * rendered once, not on every signed-in request.
 */
import { useLocation } from "@remix-run/react";
import { CachedHtml } from "~/lib/cached-html";
import { CommentThread, type CommentItem } from "~/components/CommentThread";
import { ThanksButton } from "~/components/Feedback";
import { AcceptControl, PostTools } from "~/components/PostTools";
import { Byline, DeletedBanner, SourceNote } from "~/components/QuestionPostParts";
import { VoteControl } from "~/components/VoteControl";
import { PostHtml, postBodyId } from "~/components/PostHtml";
import { useQaPage } from "~/components/QaPageContext";
// Server only: the browser's bundle gets an empty module here and never calls it (see CachedHtml).
import { answerCardCache } from "~/components/answer-card-key.server";
import { answerAnchor } from "~/lib/qa";
import type { PostSource } from "~/models/post-sources.types";

/** The fields of an answer the card shows (the question page's loader gives each answer these and more). */
export type AnswerCardItem = {
  id: number;
  isAccepted: boolean;
  authorName: string;
  authorHandle: string | null;
  score: number;
  /** Null when the page data leaves it out (the body is taken from the page; see PostHtml). */
  bodyHtml: string | null;
  thanks: number;
  revisionCount: number;
  createdAt: string | Date;
  updatedAt: string | Date;
  deletedAt: string | Date | null;
  /** Staff pages: hidden for review, not deleted (see DeletedBanner). */
  isHeld?: boolean;
  comments: CommentItem[];
};

export function AnswerCard({ answer: a, source }: { answer: AnswerCardItem; source: PostSource | undefined }) {
  const page = useQaPage();
  const location = useLocation();
  const attributes = {
    id: answerAnchor(a.id),
    "aria-label": a.isAccepted ? "Accepted answer" : `Answer by ${a.authorName}`,
    className: `scroll-mt-4 rounded-lg border p-3 sm:p-4 ${
      a.deletedAt
        ? "border-dashed border-red-400 opacity-90"
        : a.isAccepted
          ? "border-green-600 bg-green-50/60 dark:border-green-600 dark:bg-green-950/40"
          : "border-slate-200 dark:border-slate-800"
    }`,
  };
  return (
    <CachedHtml as="article" attributes={attributes} cache={() => answerCardCache(a, source, page, location)}>
      <AnswerCardBody answer={a} source={source} />
    </CachedHtml>
  );
}

function AnswerCardBody({ answer: a, source }: { answer: AnswerCardItem; source: PostSource | undefined }) {
  return (
    <>
      <span id={`post-${a.id}`} />
      {a.deletedAt ? <DeletedBanner noun="answer" at={a.deletedAt} isHeld={a.isHeld} /> : null}
      <div className="flex gap-3">
        <VoteControl postId={a.id} score={a.score} noun="answer" />
        <div className="min-w-0 flex-1 space-y-2">
          <AcceptControl answerId={a.id} isAccepted={a.isAccepted} isDeleted={a.deletedAt !== null} />
          <PostHtml id={postBodyId(a.id)} className="prose-post" html={a.bodyHtml} />
          <Byline
            verb="Answered"
            name={a.authorName}
            handle={a.authorHandle}
            at={a.createdAt}
            editedAt={a.revisionCount > 1 ? a.updatedAt : null}
          />
          <SourceNote source={source} />
          <div className="flex flex-wrap items-center justify-between gap-2">
            <PostTools
              postId={a.id}
              noun="answer"
              editHref={`/a/${a.id}/edit`}
              revisionCount={a.revisionCount}
              isDeleted={a.deletedAt !== null}
            />
            {a.deletedAt ? null : <ThanksButton answerId={a.id} count={a.thanks} authorName={a.authorName} />}
          </div>
          <CommentThread postId={a.id} comments={a.comments} noun="answer" isDeleted={a.deletedAt !== null} />
        </div>
      </div>
    </>
  );
}
