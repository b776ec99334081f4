/**
 * GET /events — Server-Sent Events for the signed-in person: `unread` with their unread notification count, now and
 * whenever it changes in any app process. It ends once they are signed out (or banned) in the meantime.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/auth/session.server";
import { viewerAgain } from "~/auth/viewer.server";
import { countStream } from "~/lib/sse.server";
import { countUnread } from "~/models/notifications.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user)
    return new Response("Sign in to receive live updates.", {
      status: 401,
      headers: { "Cache-Control": "private, no-store" },
    });
  const { db, realtime, eventStreams } = context.services;
  const stillAllowed = async () => (await viewerAgain(db, user)) !== null;
  return countStream(request, eventStreams, {
    realtime,
    topic: `user:${user.id}`,
    event: "unread",
    count: () => countUnread(db, user.id),
    stillAllowed,
  });
}
