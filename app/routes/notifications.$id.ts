/**
 * GET /notifications/:id — marks one of your notifications read and takes you to what it is about. One that is gone
 * (its post removed, or replaced by a newer notification of the same thing, as a second suggested edit does) leads to
 * the notifications page, which says so: an email's link to it still leads somewhere useful. Someone else's (their
 * email's link opened while signed in as another person) leads there too, saying whose account is signed in.
 */
import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser, safeRedirectPath } from "~/auth/session.server";
import { isAnotherPersonsNotification, openNotification } from "~/models/notifications.server";
import { parseId } from "~/lib/ids";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = parseId(params.id);
  // Only the recipient's own notifications open; of anyone else's, only that it isn't this account's is told.
  const url = id === null ? null : await openNotification(context.services.db, user.id, id);
  if (!url) {
    const isOthers = id !== null && (await isAnotherPersonsNotification(context.services.db, user.id, id));
    return redirect(isOthers ? "/notifications?other-account=1" : "/notifications?gone=1", {
      status: 303,
      headers: { "Cache-Control": "private, no-store" },
    });
  }
  // The link was stored with the notification; it still goes through the one same-site rule.
  return redirect(safeRedirectPath(url, "/notifications"), {
    status: 303,
    headers: { "Cache-Control": "private, no-store" },
  });
}
