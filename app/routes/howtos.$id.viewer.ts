/** The per-person part of a how-to's page as JSON: the viewer's own feedback, what they may do, and (authors) readers' comments. Never cached. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { getHowtoViewerState } from "~/models/howtos.server";
import { isFollowing } from "~/models/notifications.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const howtoId = parseId(params.id);
  const headers = { "Cache-Control": "private, no-store" };
  if (howtoId === null) return Response.json({ error: "not found" }, { status: 404, headers });
  const user = await getCurrentUser(request, context);
  const state = await getHowtoViewerState(context.services.db, { howtoId, actor: asActor(user) });
  if (!state) return Response.json({ error: "not found" }, { status: 404, headers });
  const following = user ? await isFollowing(context.services.db, user.id, { type: "howto", key: String(howtoId) }) : false;
  return Response.json({ ...state, isFollowing: following }, { headers });
}
