/** The errors a post write raises: a broken rule (with a message per form field and an HTTP status) or a missing permission. */
import {
  type Action,
  type Actor,
  CONFIRM_EMAIL_MESSAGE,
  NOT_OUTRANKED_MESSAGE,
  type Target,
  can,
  deniedMessage,
  needsConfirmedEmail,
  outranks,
} from "./permissions.server";
import type { Role } from "#db/schema";
import { PostRuleError } from "./posts.server";

export type SignedInActor = NonNullable<Actor>;

/** A rule broken by a write: messages per form field (or one for the whole form), and the HTTP status a route should answer with. */
export class PostingError extends PostRuleError {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Throws a PostingError (401/403) unless the actor may do the action; routes check first, models check again. */
export function assertCan(
  actor: Actor,
  action: Action,
  target?: Target,
  message?: string,
): asserts actor is SignedInActor {
  if (can(actor, action, target) && !needsConfirmedEmail(actor, action)) return;
  if (!actor) throw new PostingError("Please sign in first.", {}, 401);
  if (actor.banned)
    throw new PostingError("Your account is suspended, so you can't post, vote, rate or edit.", {}, 403);
  if (needsConfirmedEmail(actor, action)) throw new PostingError(CONFIRM_EMAIL_MESSAGE, {}, 403);
  throw new PostingError(message ?? deniedMessage(actor, action, target), {}, 403);
}

/** Throws a PostingError (403) unless the actor may act on this person (warn, silence, lift a silence; see outranks). */
export function assertOutranks(actor: Actor, person: { id: string; role: Role }): void {
  if (!outranks(actor, person)) throw new PostingError(NOT_OUTRANKED_MESSAGE, {}, 403);
}
