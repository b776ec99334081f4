/** The one place that answers "may this person do this?"; every loader and action asks it. */
import type { Role } from "#db/schema";

export type Actor = { id: string; role: Role; banned: boolean } | null;

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
] as const;
export type Action = (typeof ACTIONS)[number];

// Who may do what, by role. Visitors (no account) and banned users may do none of these.
const ALLOWED: Record<Action, readonly Role[]> = {
  "admin.view": ["admin"],
  "space.create": ["admin"],
  "space.edit": ["admin"],
  "space.reorder": ["admin"],
  "space.archive": ["admin"],
  "user.setRole": ["admin"],
  "user.ban": ["admin"],
  "moderationLog.view": ["member", "mentor", "moderator", "admin"],
  "profile.editOwn": ["member", "mentor", "moderator", "admin"],
};

export function can(actor: Actor, action: Action): boolean {
  if (!actor || actor.banned) return false;
  return ALLOWED[action].includes(actor.role);
}

/** Throws a 403 response (or 401 for visitors) unless the actor may do the action. */
export function requirePermission<A extends Actor>(actor: A, action: Action): asserts actor is NonNullable<A> {
  if (can(actor, action)) return;
  throw new Response(actor ? "You do not have permission to do that." : "Please sign in first.", {
    status: actor ? 403 : 401,
    statusText: actor ? "Forbidden" : "Unauthorized",
  });
}
