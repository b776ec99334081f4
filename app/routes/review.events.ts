/**
 * GET /review/events — Server-Sent Events for moderators: `pending` with the review queue's count, now and on every
 * change; it ends once the reader is no longer a moderator (or signed out) in the meantime.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { viewerAgain } from "~/auth/viewer.server";
import { countStream } from "~/lib/sse.server";
import { REVIEW_TOPIC } from "~/models/holds.server";
import { can } from "~/models/permissions.server";
import { countPendingReview } from "~/models/review-queue.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user || !can(asActor(user), "review.view"))
    return new Response("Only moderators receive the review count.", {
      status: user ? 403 : 401,
      headers: { "Cache-Control": "private, no-store" },
    });
  const { db, realtime, eventStreams } = context.services;
  const stillAllowed = async () => can(asActor(await viewerAgain(db, user)), "review.view");
  return countStream(request, eventStreams, {
    realtime,
    topic: REVIEW_TOPIC,
    event: "pending",
    count: () => countPendingReview(db),
    stillAllowed,
  });
}
