/** The per-person part of a how-to's page as JSON: the viewer's own feedback, what they may do, and (authors) readers' comments. Never cached. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { parseId } from "~/lib/ids";
import { loadHowtoViewer } from "~/models/howto-viewer.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const howtoId = parseId(params.id);
  const headers = { "Cache-Control": "private, no-store" };
  if (howtoId === null) return Response.json({ error: "not found" }, { status: 404, headers });
  const user = await getCurrentUser(request, context);
  const viewer = await loadHowtoViewer(context.services.db, howtoId, asActor(user));
  if (!viewer) return Response.json({ error: "not found" }, { status: 404, headers });
  return Response.json(viewer, { headers });
}
