/**
 * GET /notifications/:id — marks one of your notifications read and takes you to what it is about. One that is gone
 * (its post removed, or replaced by a newer notification of the same thing, as a second suggested edit does) leads to
 * the notifications page, which says so: an email's link to it still leads somewhere useful.
 */
import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser, safeRedirectPath } from "~/auth/session.server";
import { openNotification } from "~/models/notifications.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = parseId(params.id);
  // Only the recipient's own notifications match; anyone else's id is simply not found.
  const url = id === null ? null : await openNotification(context.services.db, user.id, id);
  if (!url)
    return redirect("/notifications?gone=1", { status: 303, headers: { "Cache-Control": "private, no-store" } });
  // The link was stored with the notification; it still goes through the one same-site rule.
  return redirect(safeRedirectPath(url, "/notifications"), {
    status: 303,
    headers: { "Cache-Control": "private, no-store" },
  });
}
