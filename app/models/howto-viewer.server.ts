/**
 * The per-person part of a how-to's page (what this viewer may do, their own feedback, whether they follow it), as
 * plain JSON-shaped data: sent by /howtos/:id/viewer after hydration, and with the page itself to signed-in people so
 * the page shows only the controls they may use even without JavaScript.
 */
import type { Db } from "#db/client.server";
import { getHowtoViewer } from "~/models/howto-pages.server";
import type { Actor } from "~/models/permissions.server";

export async function loadHowtoViewer(db: Db, howtoId: number, actor: Actor) {
  const viewer = await getHowtoViewer(db, { howtoId, actor });
  if (!viewer) return null;
  const { state } = viewer;
  return {
    ...state,
    isFollowing: viewer.isFollowing,
    isSaved: viewer.isSaved,
    feedbackComments:
      state.feedbackComments?.map((comment) => ({ ...comment, updatedAt: comment.updatedAt.toISOString() })) ?? null,
  };
}
