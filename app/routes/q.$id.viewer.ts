/** The per-person part of a question's page as JSON: the viewer's votes, what they may do, and their answer draft. Never cached. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import type { ViewerData } from "~/components/QaPageContext";
import { loadDraft } from "~/models/drafts.server";
import { isFollowing } from "~/models/notifications.server";
import { getViewerState } from "~/models/questions.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const questionId = Number(params.id);
  const headers = { "Cache-Control": "private, no-store" };
  if (!Number.isSafeInteger(questionId) || questionId <= 0 || questionId > 2_147_483_647) return Response.json({ error: "not found" }, { status: 404, headers });
  const { db } = context.services;
  const user = await getCurrentUser(request, context);
  const state = await getViewerState(db, { questionId, actor: asActor(user) });
  if (!state) return Response.json({ error: "not found" }, { status: 404, headers });
  const draft = user && state.canAnswer ? await loadDraft(db, { userId: user.id, draftKey: `answer:${questionId}` }) : null;
  const following = user ? await isFollowing(db, user.id, { type: "question", key: String(questionId) }) : false;
  const body: ViewerData = { ...state, answerDraft: draft?.content.body ?? null, isFollowing: following };
  return Response.json(body, { headers });
}
