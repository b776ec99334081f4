/**
 * The question itself on its page: votes, body, tools, follow and share buttons, close tools, comments and (staff) the
 * move form. Its server HTML is cached like an answer card's (app/lib/cached-html.tsx, keyed in
 * answer-card-key.server.ts), so a signed-in page renders neither the thirty cards nor this again.
 */
import { useLocation } from "@remix-run/react";
import { CloseToolsLink } from "~/components/ClosedQuestion";
import { CommentThread, type CommentItem } from "~/components/CommentThread";
import { FollowButton } from "~/components/FollowButton";
import { MoveQuestion } from "~/components/MoveQuestion";
import { PostHtml, postBodyId } from "~/components/PostHtml";
import { PostTools } from "~/components/PostTools";
import { useQaPage } from "~/components/QaPageContext";
import { DeletedBanner } from "~/components/QuestionPostParts";
import { ShareLink } from "~/components/ShareLink";
import { VoteControl } from "~/components/VoteControl";
// Server only: the browser's bundle gets an empty module here and never calls it (see CachedHtml).
import { questionPostCache } from "~/components/answer-card-key.server";
import { CachedHtml } from "~/lib/cached-html";
import { SaveButton } from "~/components/SaveButton";

export type QuestionPostProps = {
  question: {
    id: number;
    score: number;
    /** Null when the page data leaves it out (the body is taken from the page; see PostHtml). */
    bodyHtml: string | null;
    revisionCount: number;
    deletedAt: string | Date | null;
    /** Staff pages: hidden for review, not deleted (see DeletedBanner). */
    isHeld?: boolean;
    spaceId: number;
  };
  comments: CommentItem[];
  canonicalUrl: string;
  isStaffView: boolean;
  /** Spaces a moderator may move the question to (empty for everyone else). */
  moveTargets: { id: number; name: string }[];
};

export function QuestionPost(props: QuestionPostProps) {
  const page = useQaPage();
  const location = useLocation();
  const attributes = { id: `post-${props.question.id}`, "aria-label": "Question", className: "scroll-mt-4" };
  return (
    <CachedHtml as="section" attributes={attributes} cache={() => questionPostCache(props, page, location)}>
      <QuestionPostBody {...props} />
    </CachedHtml>
  );
}

function QuestionPostBody({ question, comments, canonicalUrl, isStaffView, moveTargets }: QuestionPostProps) {
  const page = useQaPage();
  const isDeleted = question.deletedAt !== null;
  return (
    <>
      {question.deletedAt ? <DeletedBanner noun="question" at={question.deletedAt} isHeld={question.isHeld} /> : null}
      <div className="flex gap-3">
        <VoteControl postId={question.id} score={question.score} noun="question" />
        <div className="min-w-0 flex-1">
          <PostHtml id={postBodyId(question.id)} className="prose-post" html={question.bodyHtml} />
          <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
            <PostTools
              postId={question.id}
              noun="question"
              editHref={`/q/${question.id}/edit`}
              revisionCount={question.revisionCount}
              isDeleted={isDeleted}
            />
            <div className="flex flex-wrap items-center gap-2">
              <FollowButton
                type="question"
                targetKey={String(question.id)}
                isFollowing={page.viewer?.isFollowing ?? null}
                label="this question"
                isSignedIn={page.isSignedIn}
                returnTo={page.formAction}
              />
              {isDeleted ? null : (
                <SaveButton
                  postId={question.id}
                  isSaved={page.viewer?.isSaved ?? null}
                  noun="question"
                  isSignedIn={page.isSignedIn}
                  returnTo={page.formAction}
                />
              )}
              <CloseToolsLink questionId={question.id} closing={page.viewer?.closing} isStaff={isStaffView} />
              <ShareLink id={`share-${question.id}`} url={canonicalUrl} noun="question" />
            </div>
          </div>
          <CommentThread postId={question.id} comments={comments} noun="question" isDeleted={isDeleted} />
          {moveTargets.length > 0 && !isDeleted ? (
            <MoveQuestion spaces={moveTargets} currentSpaceId={question.spaceId} />
          ) : null}
        </div>
      </div>
    </>
  );
}
