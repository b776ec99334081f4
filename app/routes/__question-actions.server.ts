/**
 * The server half of the question page's action: the form each intent accepts and one handler per intent (vote,
 * accept, thank, rate, move, answer, discardDraft, comment, delete, restore, invite…). The route parses the form,
 * checks the post belongs to the question, and dispatches here; each handler answers a fetcher with data and a plain
 * form post with a redirect to the post it touched.
 */
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { DISCARD_DRAFT_INTENT } from "~/components/DraftAutosave";
import type { QaActionResult } from "~/components/QaPageContext";
import { idField } from "~/lib/id-field";
import { toWriteFailure, writeFailureResponse } from "~/lib/write-failure.server";
import { answerAnchor, answerPath } from "~/lib/qa";
import { acceptAnswer, postAnswer, unacceptAnswer } from "~/models/answers.server";
import { CommentedPostGoneError, addComment, commentPostOn, deleteComment } from "~/models/comments.server";
import { discardDraft } from "~/models/drafts.server";
import { FORM_EXPIRED_MESSAGE, IDEMPOTENCY_KEY_PATTERN } from "~/models/idempotency.server";
import { getPendingHold, heldPostPath } from "~/models/holds.server";
import { rateHelp, thankAnswer } from "~/models/feedback.server";
import { declineInvitation, inviteMentor } from "~/models/invitations.server";
import { type Actor, can } from "~/models/permissions.server";
import { PostingError } from "~/models/post-errors.server";
import { deleteQuestionOrAnswer, restoreQuestionOrAnswer } from "~/models/post-deletion.server";
import { moveQuestion } from "~/models/questions.server";
import { toggleVote } from "~/models/votes.server";
import { goneWhileWriting } from "~/lib/gone-while-writing.server";
import { howPostWasHidden } from "./__post-editing.server";

const postId = idField("That post doesn't exist.");
export const questionActionSchema = z.discriminatedUnion("intent", [
  // The vote the button asks for ("none" takes it back): a page out of date or a double click can't flip it.
  z.object({ intent: z.literal("vote"), postId, direction: z.enum(["up", "down", "none"]) }),
  z.object({ intent: z.literal("accept"), postId }),
  z.object({ intent: z.literal("unaccept"), postId: postId.optional() }),
  z.object({ intent: z.literal("answer"), body: z.string().default(""), idempotencyKey: z.string().default("") }),
  z.object({ intent: z.literal("comment"), postId, body: z.string().default("") }),
  z.object({ intent: z.literal("deleteComment"), commentId: postId }),
  z.object({ intent: z.literal("delete"), postId, reason: z.string().default("") }),
  z.object({ intent: z.literal("restore"), postId }),
  z.object({ intent: z.literal("invite"), inviteeId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("declineInvite") }),
  z.object({ intent: z.literal("thank"), postId }),
  z.object({
    intent: z.literal("rate"),
    rating: z.string().default(""),
    // Left out by the one-tap rating: the saved comment and "easy to understand" stay (sent empty, they are cleared).
    comment: z.string().optional(),
    easyToUnderstand: z.string().optional(),
  }),
  z.object({ intent: z.literal("move"), spaceId: postId }),
  z.object({ intent: z.literal(DISCARD_DRAFT_INTENT) }),
]);

export type QuestionActionInput = z.output<typeof questionActionSchema>;

/** The post an intent acts on: the one it names, else the question itself for an answer or a rating, else none. */
export function actionTargetId(input: QuestionActionInput, questionId: number): number | null {
  if ("postId" in input && input.postId !== undefined) return input.postId;
  if (input.intent === "answer" || input.intent === "rate") return questionId;
  return null;
}
type Input<I extends QuestionActionInput["intent"]> = Extract<QuestionActionInput, { intent: I }>;

/** What every handler needs: who acts on which question, and how to answer (data for fetchers, else a redirect). */
export type QuestionActionContext = {
  db: Db;
  userId: string;
  actor: Actor;
  questionId: number;
  questionTitle: string | null;
  pagePath: string;
  intent: string;
  isFetch: boolean;
  done: (anchor: string, extra?: Partial<QaActionResult>) => Response | ReturnType<typeof data<QaActionResult>>;
};

/**
 * The error page (404) for an answer whose question went while it was written: says so, with the text to copy.
 * `hidden` says how it was hidden (howPostWasHidden) when it was; without it, the question was removed.
 */
export function answerGoneWhileWriting(body: string, hidden: string | null = null) {
  return goneWhileWriting(
    hidden
      ? `While you were writing your answer, this question ${hidden}, so it takes no answers now.`
      : "This question was removed while you were writing your answer, so it could not be posted.",
    body,
  );
}

/**
 * The question page's hasNoPlaceOnPage (see the route) for a refused comment deletion. A comment the next page still
 * lists keeps its refusal beside it. One it doesn't (deleted meanwhile, its post deleted, or not on this question; staff
 * pages list deleted ones, marked): with JavaScript the refusal was said in the comment's row, which a reload would
 * take away, so the page stays; without, it is said atop its post's thread, or at the top when that thread is gone too.
 */
function hasNoPlaceForCommentRefusal(
  place: Awaited<ReturnType<typeof commentPostOn>>,
  { isStaffPage, isFetch }: { isStaffPage: boolean; isFetch: boolean },
): boolean {
  const isListed = place !== null && (isStaffPage || (!place.isDeleted && !place.isPostDeleted));
  const isThreadDrawn = place === null || isStaffPage || !place.isPostDeleted;
  return !isListed && (isFetch || !isThreadDrawn);
}

export const questionIntents = {
  async vote({ db, actor, done }: QuestionActionContext, input: Input<"vote">) {
    const vote = await toggleVote(db, { postId: input.postId, actor, direction: input.direction });
    return done(`post-${input.postId}`, { vote });
  },
  async accept({ db, actor, questionId, isFetch, done }: QuestionActionContext, input: Input<"accept">) {
    await acceptAnswer(db, { answerId: input.postId, actor });
    // Without JavaScript the rating card can't appear in place: the feedback page confirms the accept and asks instead.
    return isFetch ? done(answerAnchor(input.postId)) : redirect(`/q/${questionId}/feedback?accepted=1`, 303);
  },
  async thank({ db, actor, done }: QuestionActionContext, input: Input<"thank">) {
    const { thanks } = await thankAnswer(db, { answerId: input.postId, actor });
    return done(answerAnchor(input.postId), { thanks });
  },
  async rate({ db, actor, questionId, intent, isFetch }: QuestionActionContext, input: Input<"rate">) {
    await rateHelp(db, {
      questionId,
      actor,
      rating: input.rating,
      comment: input.comment,
      easyToUnderstand: input.easyToUnderstand,
    });
    return isFetch
      ? data<QaActionResult>({ intent, postId: questionId, ok: true })
      : redirect(`/q/${questionId}/feedback?saved=1`, 303);
  },
  async move({ db, actor, questionId, pagePath }: QuestionActionContext, input: Input<"move">) {
    await moveQuestion(db, { questionId, spaceId: input.spaceId, actor });
    return redirect(`${pagePath}#post-${questionId}`, 303);
  },
  async unaccept({ db, actor, questionId, done }: QuestionActionContext, input: Input<"unaccept">) {
    await unacceptAnswer(db, { questionId, actor });
    return done(input.postId ? answerAnchor(input.postId) : `post-${questionId}`);
  },
  async answer({ db, actor, userId, questionId, questionTitle }: QuestionActionContext, input: Input<"answer">) {
    // A key no page made (an old or altered form) is refused in words; the form comes back with the answer in it.
    if (input.idempotencyKey && !IDEMPOTENCY_KEY_PATTERN.test(input.idempotencyKey))
      throw new PostingError(FORM_EXPIRED_MESSAGE, {}, 400);
    const { answerId } = await postAnswer(db, {
      questionId,
      actor,
      body: input.body,
      idempotencyKey: input.idempotencyKey || undefined,
    }).catch(async (error: unknown) => {
      // The answer box leaves the page with its question (deleted or hidden meanwhile): the text is handed back.
      if (error instanceof PostingError && error.status === 404)
        throw answerGoneWhileWriting(input.body, await howPostWasHidden(db, { postId: questionId, actor }));
      // postAnswer's only conflict is a closed question: its reason (a duplicate's says where to answer instead), and
      // the page shows the text to copy.
      if (error instanceof PostingError && error.status === 409)
        throw new PostingError(
          `${error.message} Your answer was not posted; what you typed is kept here, to copy.`,
          {},
          409,
        );
      throw error;
    });
    await discardDraft(db, { userId, draftKey: `answer:${questionId}` });
    return redirect((await heldPostPath(db, answerId)) ?? answerPath(questionId, questionTitle, answerId), 303);
  },
  /** "Discard my changes" beside a restored answer draft (the page empties the box itself). */
  async discardDraft({ db, userId, questionId, done }: QuestionActionContext) {
    await discardDraft(db, { userId, draftKey: `answer:${questionId}` });
    return done("your-answer-heading");
  },
  async comment({ db, actor, isFetch, pagePath, done }: QuestionActionContext, input: Input<"comment">) {
    const { commentId } = await addComment(db, { postId: input.postId, actor, body: input.body }).catch(
      async (error: unknown) => {
        // Its post's card (and the form with the text) leaves the page once deleted or hidden: the error page hands it
        // back, with the way back to the question when only an answer went.
        if (error instanceof CommentedPostGoneError) {
          const hidden = await howPostWasHidden(db, { postId: error.postId, actor });
          throw goneWhileWriting(
            hidden
              ? `While you were writing your comment, this ${error.kind} ${hidden}, so it takes no comments now.`
              : `This ${error.kind} was deleted while you were writing your comment, so it could not be posted.`,
            input.body,
            error.kind === "answer" ? { path: pagePath, label: "Back to the question" } : undefined,
          );
        }
        throw error;
      },
    );
    // A held comment is not on the page: its author is told it waits for review instead of seeing it vanish.
    const isHeld = (await getPendingHold(db, { type: "comment", id: String(commentId) })) !== null;
    if (isHeld && !isFetch) return redirect("/me/moderation?held=comment", 303);
    // Without JavaScript the page opens at the new comment, not at the top of a thread it may be screens below.
    return isHeld ? done(`comments-${input.postId}`, { held: true }) : done(`comment-${commentId}`);
  },
  async deleteComment(
    { db, actor, questionId, intent, isFetch, done }: QuestionActionContext,
    input: Input<"deleteComment">,
  ) {
    try {
      const { postId: commentPostId } = await deleteComment(db, { commentId: input.commentId, actor, questionId });
      return done(`comments-${commentPostId}`);
    } catch (error) {
      if (!toWriteFailure(error)) throw error;
      // A refusal is said beside the comment, in its post's thread; one not on this question, atop the question's.
      const place = await commentPostOn(db, { commentId: input.commentId, questionId });
      return writeFailureResponse<QaActionResult & { hasNoPlaceOnPage: boolean }>(error, (failure) => ({
        intent,
        postId: place?.postId ?? questionId,
        ok: false,
        message: failure.message,
        values: { commentId: String(input.commentId) },
        hasNoPlaceOnPage: hasNoPlaceForCommentRefusal(place, { isStaffPage: can(actor, "post.viewDeleted"), isFetch }),
      }));
    }
  },
  async delete({ db, actor, pagePath }: QuestionActionContext, input: Input<"delete">) {
    const deleted = await deleteQuestionOrAnswer(db, { postId: input.postId, actor, reason: input.reason });
    if (deleted.kind === "question" && !can(actor, "post.viewDeleted"))
      return redirect(deleted.spaceSlug ? `/s/${deleted.spaceSlug}?deleted=1` : "/questions?deleted=1", 303);
    return redirect(`${pagePath}#post-${input.postId}`, 303);
  },
  async restore({ db, actor, pagePath }: QuestionActionContext, input: Input<"restore">) {
    await restoreQuestionOrAnswer(db, { postId: input.postId, actor });
    return redirect(`${pagePath}#post-${input.postId}`, 303);
  },
  async invite({ db, actor, questionId, done }: QuestionActionContext, input: Input<"invite">) {
    await inviteMentor(db, { actor, questionId, inviteeId: input.inviteeId });
    return done("ask-a-mentor");
  },
  async declineInvite({ db, actor, questionId, done }: QuestionActionContext) {
    await declineInvitation(db, { actor, questionId });
    return done("ask-a-mentor");
  },
};
