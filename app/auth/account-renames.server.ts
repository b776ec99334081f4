/**
 * A rename better-auth writes (its admin plugin's update-user, its own update-user, a sign-on provider's profile where
 * one is set to override ours) does what the profile form's rename does (updateProfile): everything that shows the
 * name is indexed again for search. Cached pages that show it need nothing here: the users table's own trigger
 * (users_page_cache_update in db/migrations) drops them, whichever path wrote the name.
 */
import type { Db } from "#db/client.server";
import { logEvent } from "~/lib/log.server";
import { enqueueSearchUpdateOfPerson } from "~/search/outbox.server";

/**
 * The user update hooks' part. better-auth shows the `before` hook the update without whose it is, and the `after`
 * hook the saved row without what changed, so the request's context joins the two. Its `after` hooks run once the
 * update is committed, outside any transaction we could join: the outbox rows are one statement of their own.
 */
export function renameHooks(db: Db) {
  const renamingRequests = new WeakSet<object>();
  return {
    before(update: { name?: unknown }, ctx: object | null | undefined): void {
      if (update.name !== undefined && ctx) renamingRequests.add(ctx);
    },
    async after(user: { id: string }, ctx: object | null | undefined): Promise<void> {
      // Without a request (no such path in PeerDesk today) nothing says whether the name changed: index it again.
      if (ctx && !renamingRequests.has(ctx)) return;
      try {
        await enqueueSearchUpdateOfPerson(db, user.id);
      } catch (error) {
        // The new name is saved; only search lags behind, until `npm run search:reindex`.
        logEvent("error", "search update after a rename failed; run npm run search:reindex", {
          userId: user.id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
