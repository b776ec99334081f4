/**
 * Whether this request's form was larger than its route accepts and dropped unread (app/server/http-guards.server.ts),
 * for the routes that say so on their own page, beside the field (a phone photo for a profile picture), rather than
 * on the guard's short page; their action is then handed an empty form.
 */
import type { AppLoadContext } from "@remix-run/node";

const tooLarge = new WeakSet<object>();

/** Called by the Remix handler for a request whose body the guards dropped as too large. */
export function markBodyTooLarge(context: AppLoadContext): void {
  tooLarge.add(context);
}

export function wasBodyTooLarge(context: AppLoadContext): boolean {
  return tooLarge.has(context);
}
