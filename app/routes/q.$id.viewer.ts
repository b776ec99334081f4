/** The per-person part of a question's page as JSON: the viewer's votes, what they may do, and their answer draft. Never cached. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import type { ViewerData } from "~/components/QaPageContext";
import { loadDraft } from "~/models/drafts.server";
import { isFollowing } from "~/models/notifications.server";
import { getViewerState } from "~/models/questions.server";
import type { Db } from "#db/client.server";
import type { AskAMentorViewer } from "~/components/AskAMentor";
import { MAX_INVITATIONS_PER_QUESTION, listInvitations, suggestMentors } from "~/models/invitations.server";
import { getFeedbackPrompt, thanksFor } from "~/models/feedback.server";
import { parseId } from "~/lib/ids";

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

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const questionId = parseId(params.id);
  const headers = { "Cache-Control": "private, no-store" };
  if (questionId === null) return Response.json({ error: "not found" }, { status: 404, headers });
  const { db } = context.services;
  const user = await getCurrentUser(request, context);
  const state = await getViewerState(db, { questionId, actor: asActor(user) });
  if (!state) return Response.json({ error: "not found" }, { status: 404, headers });
  const draft = user && state.canAnswer ? await loadDraft(db, { userId: user.id, draftKey: `answer:${questionId}` }) : null;
  const following = user ? await isFollowing(db, user.id, { type: "question", key: String(questionId) }) : false;
  const actor = asActor(user);
  const answers = Object.entries(state.posts).filter(([id]) => Number(id) !== questionId);
  const thanked = user ? await thanksFor(db, answers.map(([id]) => Number(id)), user.id) : new Map();
  const thanks = Object.fromEntries(answers.map(([id, post]) => [id, { canThank: post.canThank, hasThanked: thanked.get(Number(id))?.byViewer ?? false }]));
  const body: ViewerData = {
    ...state,
    answerDraft: draft?.content.body ?? null,
    isFollowing: following,
    mentor: user ? await mentorState(db, questionId, user.id, state.canInvite) : null,
    feedback: await getFeedbackPrompt(db, questionId, actor),
    thanks,
  };
  return Response.json(body, { headers });
}
