/** GET /notifications/:id — marks one of your notifications read and takes you to what it is about. */
import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser, safeRedirectPath } from "~/auth/session.server";
import { openNotification } from "~/models/notifications.server";
import { requireId } from "~/lib/ids";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = requireId(params.id, "There is no such notification.");
  // Only the recipient's own notifications match; anyone else's id is simply not found.
  const url = await openNotification(context.services.db, user.id, id);
  if (!url) throw new Response("There is no such notification.", { status: 404 });
  // The link was stored with the notification; it still goes through the one same-site rule.
  return redirect(safeRedirectPath(url, "/notifications"), {
    status: 303,
    headers: { "Cache-Control": "private, no-store" },
  });
}
