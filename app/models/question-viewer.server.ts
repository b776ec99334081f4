/**
 * The per-person part of a question's page (the viewer's votes, what they may do, their answer draft, follow state,
 * Ask a mentor, the rating card, thanks): served as JSON by /q/:id/viewer after hydration, and by the page's own loader
 * for signed-in people, so that without JavaScript they see exactly the controls they may use.
 */
import type { Db } from "#db/client.server";
import type { AskAMentorViewer } from "~/components/AskAMentor";
import type { ViewerData } from "~/components/QaPageContext";
import { loadDraft } from "./drafts.server";
import { getFeedbackPrompt, thanksFor } from "./feedback.server";
import { MAX_INVITATIONS_PER_QUESTION, listInvitations, suggestMentors } from "./invitations.server";
import { isFollowing } from "./notifications.server";
import type { Actor } from "./permissions.server";
import { getViewerState } from "./question-page.server";

/** The "Ask a mentor" panel for this person: suggestions if they may invite, and their own invitation if any. */
async function mentorState(db: Db, questionId: number, userId: string, canInvite: boolean): Promise<AskAMentorViewer> {
  const invitations = await listInvitations(db, questionId);
  const mine = invitations.find((invitation) => invitation.inviteeId === userId);
  const invitesLeft = Math.max(0, MAX_INVITATIONS_PER_QUESTION - invitations.length);
  return {
    canInvite,
    invitesLeft,
    suggestions: canInvite && invitesLeft > 0 ? await suggestMentors(db, questionId) : [],
    isInvited: mine !== undefined,
    hasDeclined: mine?.isDeclined ?? false,
  };
}

/** Null when the question doesn't exist (or the viewer may not see it). */
export async function loadQuestionViewer(db: Db, questionId: number, actor: Actor): Promise<ViewerData | null> {
  const state = await getViewerState(db, { questionId, actor });
  if (!state) return null;
  const userId = actor?.id ?? null;
  const draft = userId && state.canAnswer ? await loadDraft(db, { userId, draftKey: `answer:${questionId}` }) : null;
  const following = userId ? await isFollowing(db, userId, { type: "question", key: String(questionId) }) : false;
  const answers = Object.entries(state.posts).filter(([id]) => Number(id) !== questionId);
  const thanked = userId
    ? await thanksFor(
        db,
        answers.map(([id]) => Number(id)),
        userId,
      )
    : new Map<number, { count: number; byViewer: boolean }>();
  const thanks = Object.fromEntries(
    answers.map(([id, post]) => [
      id,
      { canThank: post.canThank, hasThanked: thanked.get(Number(id))?.byViewer ?? false },
    ]),
  );
  return {
    ...state,
    answerDraft: draft?.content.body ?? null,
    isFollowing: following,
    mentor: userId ? await mentorState(db, questionId, userId, state.canInvite) : null,
    feedback: await getFeedbackPrompt(db, questionId, actor),
    thanks,
  };
}
