/** The errors a post write raises: a broken rule (with a message per form field and an HTTP status) or a missing permission. */
import {
  type Action,
  type Actor,
  CONFIRM_EMAIL_MESSAGE,
  CANNOT_MODERATE_PERSON_MESSAGE,
  type Target,
  can,
  deniedMessage,
  needsConfirmedEmail,
  canModeratePerson,
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

/**
 * An edit made from an older version than the post now has (a second tab, another editor saved first). The form keeps
 * what was typed and takes `currentRevision` as its new starting point, so saving again replaces that version knowingly.
 */
export class EditConflictError extends PostingError {
  constructor(
    message: string,
    readonly currentRevision: number,
  ) {
    super(message, {}, 409);
  }
}

/** What a suspended (banned) account is told: here, and inside a write's transaction (assertNotSuspended). */
export const SUSPENDED_MESSAGE = "Your account is suspended, so you can't post, vote, rate or edit.";

/** Throws a PostingError (401/403) unless the actor may do the action; routes check first, models check again. */
export function assertCan(
  actor: Actor,
  action: Action,
  target?: Target,
  message?: string,
): asserts actor is SignedInActor {
  if (can(actor, action, target) && !needsConfirmedEmail(actor, action)) return;
  if (!actor) throw new PostingError("Please sign in first.", {}, 401);
  if (actor.banned) throw new PostingError(SUSPENDED_MESSAGE, {}, 403);
  if (needsConfirmedEmail(actor, action)) throw new PostingError(CONFIRM_EMAIL_MESSAGE, {}, 403);
  throw new PostingError(message ?? deniedMessage(actor, action, target), {}, 403);
}

/** Throws a PostingError (403) unless the actor may warn, silence, lift the silence of or hide this person (canModeratePerson). */
export function assertCanModeratePerson(actor: Actor, person: { id: string; role: Role }): void {
  if (!canModeratePerson(actor, person)) throw new PostingError(CANNOT_MODERATE_PERSON_MESSAGE, {}, 403);
}
