/** The one place that answers "may this person do this (to that)?"; every loader and action asks it. */
import type { Role } from "#db/schema";

/**
 * `needsTwoFactor`: staff whose role must use two-step sign-in (an admin setting) and who have not turned it on yet;
 * until they do, they may do only what any member may (see `can`), and staff actions send them to set it up.
 */
export type Actor = { id: string; role: Role; banned: boolean; needsTwoFactor?: boolean } | null;
/** What an action is done to, when ownership matters: the author of the post, comment or question. */
export type Target = { ownerId: string };

export const ACTIONS = [
  "admin.view",
  "space.create",
  "space.edit",
  "space.reorder",
  "space.archive",
  "user.setRole",
  "user.ban",
  "moderationLog.view",
  "profile.editOwn",
  "account.manageOwn",
  "question.create",
  "answer.create",
  "comment.create",
  "howto.create",
  "post.vote",
  "post.edit",
  "post.delete",
  "post.restore",
  "post.viewDeleted",
  "answer.accept",
  "comment.delete",
  "howto.rate",
  "howto.suggestEdit",
  "howto.decideSuggestion",
  "follow",
  "session.create",
  "session.host",
  "session.ask",
  "session.vote",
  "question.invite",
  "question.move",
  "help.rate",
  "answer.thank",
  "pulse.export",
  "glossary.edit",
  "user.delete",
  "user.export",
  "security.configure",
] as const;
export type Action = (typeof ACTIONS)[number];

const MEMBERS: readonly Role[] = ["member", "mentor", "moderator", "admin"];
const STAFF: readonly Role[] = ["moderator", "admin"];

/**
 * Who may do what. `any` = every signed-in, non-banned role; `own` = only on targets they own;
 * `notOwn` = only on targets owned by someone else (you cannot vote for yourself).
 */
const RULES: Record<Action, { any?: readonly Role[]; own?: readonly Role[]; notOwn?: readonly Role[] }> = {
  "admin.view": { any: ["admin"] },
  "space.create": { any: ["admin"] },
  "space.edit": { any: ["admin"] },
  "space.reorder": { any: ["admin"] },
  "space.archive": { any: ["admin"] },
  "user.setRole": { any: ["admin"] },
  "user.ban": { any: ["admin"] },
  "moderationLog.view": { any: MEMBERS },
  "profile.editOwn": { any: MEMBERS },
  // Their own password and sign-in email (settings/account).
  "account.manageOwn": { any: MEMBERS },
  "question.create": { any: MEMBERS },
  "answer.create": { any: MEMBERS },
  "comment.create": { any: MEMBERS },
  "howto.create": { any: MEMBERS },
  "post.vote": { notOwn: MEMBERS },
  "post.edit": { own: MEMBERS, any: STAFF },
  "post.delete": { own: MEMBERS, any: STAFF },
  "post.restore": { any: STAFF },
  "post.viewDeleted": { any: STAFF },
  // The target of answer.accept is the question: only its asker accepts.
  "answer.accept": { own: MEMBERS },
  "comment.delete": { own: MEMBERS, any: STAFF },
  "howto.rate": { notOwn: MEMBERS },
  "howto.suggestEdit": { notOwn: MEMBERS },
  "howto.decideSuggestion": { own: MEMBERS, any: STAFF },
  follow: { any: MEMBERS },
  // Hosted Q&A sessions: mentors and staff schedule them; the target of session.host is the session (its host).
  "session.create": { any: ["mentor", "moderator", "admin"] },
  "session.host": { own: MEMBERS, any: STAFF },
  "session.ask": { any: MEMBERS },
  // The target is the session question: nobody upvotes their own.
  "session.vote": { notOwn: MEMBERS },
  // The target is the question: its asker (or staff) invites mentors to it.
  "question.invite": { own: MEMBERS, any: STAFF },
  "question.move": { any: STAFF },
  "help.rate": { own: MEMBERS },
  "answer.thank": { notOwn: MEMBERS },
  "pulse.export": { any: STAFF },
  // Moderators and admins keep the glossary, and so do mentors until there is a "trusted member" level to give it to.
  "glossary.edit": { any: ["mentor", "moderator", "admin"] },
  // On a person's request (data protection): download their data, delete their account. Logged.
  "user.delete": { any: ["admin"] },
  "user.export": { any: ["admin"] },
  // Site-wide sign-in rules, such as two-step sign-in for staff.
  "security.configure": { any: ["admin"] },
};

/** Where staff who must use two-step sign-in are sent before a staff action. */
export const TWO_FACTOR_SETUP_PATH = "/settings/security?required=1";

function allowedByRole(actor: NonNullable<Actor>, action: Action, target?: Target): boolean {
  const rule = RULES[action];
  if (rule.any?.includes(actor.role)) return true;
  if (!target) return false;
  const isOwner = target.ownerId === actor.id;
  if (isOwner && rule.own?.includes(actor.role)) return true;
  if (!isOwner && rule.notOwn?.includes(actor.role)) return true;
  return false;
}

export function can(actor: Actor, action: Action, target?: Target): boolean {
  if (!actor || actor.banned) return false;
  // Until they turn on two-step sign-in, required staff have a member's permissions and no more.
  if (actor.needsTwoFactor) return allowedByRole({ ...actor, role: "member" }, action, target);
  return allowedByRole(actor, action, target);
}

/** Throws a 403 response (or 401 for visitors) unless the actor may do the action. */
export function requirePermission<A extends Actor>(
  actor: A,
  action: Action,
  target?: Target,
): asserts actor is NonNullable<A> {
  if (can(actor, action, target)) return;
  if (actor?.needsTwoFactor && !actor.banned && allowedByRole(actor, action, target))
    throw new Response(null, { status: 302, headers: { Location: TWO_FACTOR_SETUP_PATH } });
  throw new Response(actor ? "You do not have permission to do that." : "Please sign in first.", {
    status: actor ? 403 : 401,
    statusText: actor ? "Forbidden" : "Unauthorized",
  });
}
