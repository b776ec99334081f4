/**
 * Whether this request's loaders run after a form was sent without JavaScript (a document POST). Remix hands the
 * loaders that render the answer a GET request, so a loader that sends readers elsewhere (a closed duplicate's page)
 * asks here instead, and keeps the action's answer (its message, and what was typed) on the page it was sent from.
 */
import type { AppLoadContext } from "@remix-run/node";

const submissions = new WeakSet<object>();

/** Called by the Remix handler for a document request that sends a form. */
export function markFormSubmission(context: AppLoadContext): void {
  submissions.add(context);
}

export function isFormSubmission(context: AppLoadContext): boolean {
  return submissions.has(context);
}
