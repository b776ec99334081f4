/** The per-person part of a question's page as JSON: the viewer's votes, what they may do, and their answer draft. Never cached. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { loadQuestionViewer } from "~/models/question-viewer.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const questionId = parseId(params.id);
  const headers = { "Cache-Control": "private, no-store" };
  if (questionId === null) return Response.json({ error: "not found" }, { status: 404, headers });
  const user = await getCurrentUser(request, context);
  const body = await loadQuestionViewer(context.services.db, questionId, asActor(user));
  if (!body) return Response.json({ error: "not found" }, { status: 404, headers });
  return Response.json(body, { headers });
}
