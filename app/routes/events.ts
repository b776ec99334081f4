/**
 * GET /events — Server-Sent Events for the signed-in person: `unread` with their unread notification count, now and
 * whenever it changes in any app process. It ends once they are signed out (or banned) in the meantime.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/auth/session.server";
import { viewerAgain } from "~/auth/viewer.server";
import { eventStream } from "~/lib/sse.server";
import { countUnread } from "~/models/notifications.server";

/** Several notifications in one write (a busy thread) become one count. */
const COALESCE_MS = 150;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user)
    return new Response("Sign in to receive live updates.", {
      status: 401,
      headers: { "Cache-Control": "private, no-store" },
    });
  const { db, realtime, eventStreams } = context.services;
  const stillAllowed = async () => (await viewerAgain(db, user)) !== null;
  return eventStream(
    request,
    eventStreams,
    async (channel) => {
      let timer: NodeJS.Timeout | undefined;
      const sendUnread = async () => {
        const count = await countUnread(db, user.id).catch(() => null);
        if (count !== null) channel.send("unread", { count });
      };
      const unsubscribe = await realtime.subscribe(`user:${user.id}`, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void sendUnread(), COALESCE_MS);
      });
      // The current count, once subscribed.
      void sendUnread();
      return async () => {
        clearTimeout(timer);
        await unsubscribe();
      };
    },
    { stillAllowed },
  );
}
