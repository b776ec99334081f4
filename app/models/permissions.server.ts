/** The one place that answers "may this person do this (to that)?"; every loader and action asks it. */
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type Role, moderationLog } from "#db/schema";

/**
 * `trustLevel` (0–4, app/models/trust-levels.server.ts) is filled in where an action depends on it; absent means 0.
 * `emailVerified: false` is someone whose address is not confirmed yet (see PUBLISHING_ACTIONS); absent = confirmed.
 * `needsTwoFactor`: staff whose role must use two-step sign-in (an admin setting) and who have not turned it on yet;
 * until they do, they may do only what any member may (see `can`), and staff actions send them to set it up.
 */
export type Actor = {
  id: string;
  role: Role;
  banned: boolean;
  trustLevel?: number;
  emailVerified?: boolean;
  needsTwoFactor?: boolean;
} | null;
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
  "image.upload",
  "image.remove",
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
  "session.changeQuestion",
  "question.invite",
  "question.move",
  "help.rate",
  "answer.thank",
  "pulse.export",
  "glossary.edit",
  "question.askAnonymously",
  "question.close",
  "question.reopen",
  "question.voteClose",
  "question.voteReopen",
  "question.mergeDuplicate",
  "question.revealAsker",
  "flag.create",
  "review.view",
  "review.decide",
  "user.warn",
  "user.silence",
  "profile.hide",
  "trust.settings",
  "signup.manageDomains",
  "signup.invite",
  "user.delete",
  "user.export",
  "security.configure",
  "site.backup",
] as const;
export type Action = (typeof ACTIONS)[number];

const MEMBERS: readonly Role[] = ["member", "mentor", "moderator", "admin"];
const STAFF: readonly Role[] = ["moderator", "admin"];

/**
 * Who may do what. `any` = every signed-in, non-banned role; `own` = only on targets they own;
 * `notOwn` = only on targets owned by someone else (you cannot vote for yourself).
 */
type Rule = {
  any?: readonly Role[];
  own?: readonly Role[];
  notOwn?: readonly Role[];
  /** Earned privilege: any signed-in member at this trust level or above may, on any target. */
  minTrust?: number;
};
const RULES: Record<Action, Rule> = {
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
  // Pictures for posts (POST /api/images): published at their address as soon as a post shows them.
  "image.upload": { any: MEMBERS },
  // Taking a picture down everywhere (a screenshot with a password in it, something abusive). Logged.
  "image.remove": { any: STAFF },
  "post.vote": { notOwn: MEMBERS },
  // Regulars (trust level 3) edit others' posts directly instead of suggesting.
  "post.edit": { own: MEMBERS, any: STAFF, minTrust: 3 },
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
  // Its asker rewords or withdraws their own queued question; staff hide one through the review queue instead.
  "session.changeQuestion": { own: MEMBERS },
  // The target is the question: its asker (or staff) invites mentors to it.
  "question.invite": { own: MEMBERS, any: STAFF },
  "question.move": { any: STAFF },
  "help.rate": { own: MEMBERS },
  "answer.thank": { notOwn: MEMBERS },
  "pulse.export": { any: STAFF },
  // Moderators and admins keep the glossary, and so do mentors until there is a "trusted member" level to give it to.
  "glossary.edit": { any: ["mentor", "moderator", "admin"] },
  // Issue 16: closing and reopening (moderators at once, members from trust level 2 by vote), asking without a name.
  "question.askAnonymously": { any: MEMBERS },
  "question.close": { any: STAFF },
  "question.reopen": { any: STAFF },
  "question.voteClose": { minTrust: 2 },
  "question.voteReopen": { minTrust: 2 },
  "question.mergeDuplicate": { any: STAFF },
  "question.revealAsker": { any: STAFF },
  // Trust and safety: the target of flag.create is the flagged thing's author (nobody flags their own).
  "flag.create": { notOwn: MEMBERS },
  "review.view": { any: STAFF },
  "review.decide": { any: STAFF },
  "user.warn": { any: STAFF },
  "user.silence": { any: STAFF },
  // A spammer's bio, picture and mentoring note, hidden from everyone (profile-hiding.server.ts).
  "profile.hide": { any: STAFF },
  "trust.settings": { any: ["admin"] },
  // Who may join: the allowed email domains, and invitation links for everyone else (/admin/signup).
  "signup.manageDomains": { any: ["admin"] },
  "signup.invite": { any: ["admin"] },
  // On a person's request (data protection): download their data, delete their account. Logged.
  "user.delete": { any: ["admin"] },
  "user.export": { any: ["admin"] },
  // Site-wide sign-in rules, such as two-step sign-in for staff.
  "security.configure": { any: ["admin"] },
  // Backups of the embedded database: everyone's data, so admins only, and each download is logged.
  "site.backup": { any: ["admin"] },
};

/**
 * What publishes something others read, or sways what they see or are told (votes order answers and sessions'
 * questions; flags can hide a post; thanks and ratings show as counts and reach the helper's inbox). People whose email
 * address is not confirmed yet may open these forms and keep drafts (`can` answers for the feature), but the write
 * itself refuses them (post-errors.server.ts's assertCan): otherwise a handful of throwaway sign-ups could vote a post
 * up, flag someone's question out of sight or send its author thanks and ratings.
 */
export const PUBLISHING_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  "question.create",
  "answer.create",
  "comment.create",
  "howto.create",
  "howto.suggestEdit",
  "image.upload",
  "session.create",
  "session.ask",
  "post.vote",
  "session.vote",
  "flag.create",
  "answer.thank",
  "howto.rate",
  "help.rate",
]);

export const CONFIRM_EMAIL_MESSAGE =
  "Please confirm your email address first: open the link we emailed you (the banner at the top of the page can send it again). Nothing you typed was lost.";

/** Whether this write must wait until the actor confirms their email address. */
export function needsConfirmedEmail(actor: Actor, action: Action): boolean {
  return actor?.emailVerified === false && PUBLISHING_ACTIONS.has(action);
}

/** Where staff who must use two-step sign-in are sent before a staff action. */
export const TWO_FACTOR_SETUP_PATH = "/settings/security?required=1";

function allowedByRole(actor: NonNullable<Actor>, action: Action, target?: Target): boolean {
  const rule = RULES[action];
  if (rule.any?.includes(actor.role)) return true;
  if (rule.minTrust !== undefined && (actor.trustLevel ?? 0) >= rule.minTrust) return true;
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

const ROLE_NAMES: Record<Role, string> = {
  member: "members",
  mentor: "mentors",
  moderator: "moderators",
  admin: "admins",
};

/** "admins"; "moderators and admins"; "its author, moderators and admins". */
function namesOf(roles: readonly Role[], first?: string): string {
  const names = [...(first ? [first] : []), ...roles.map((role) => ROLE_NAMES[role])];
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : (names[0] ?? "");
}

/** Where the rule alone reads badly, the plain words for it: what is needed, and what the person can do instead. */
const DENIED: Partial<Record<Action, string>> = {
  // Opening a staff page is not "doing" anything: say whose page it is.
  "review.view": "This page is for moderators and admins.",
  "admin.view": "This page is for admins.",
  "post.edit":
    "You can edit your own posts. Other people's are edited by moderators and by members who have taken part for a while (more in Trust levels, in the help). You can suggest a change in a comment, or flag a post if something's wrong; on a how-to you can suggest an edit.",
  "answer.accept": "Only the person who asked this question can accept an answer.",
  "help.rate": "Only the person who asked this question can rate the help they got.",
  "question.invite": "Only the person who asked this question, moderators and admins can invite mentors to it.",
  "session.host": "Only the session's host, moderators and admins can do that.",
  "session.changeQuestion": "Only the person who asked this question can change or withdraw it.",
  "session.create":
    "Q&A sessions are hosted by mentors, moderators and admins. If you'd like to host one, ask an admin; anyone signed in can ask questions in a session.",
  "glossary.edit":
    "The glossary is kept by mentors, moderators and admins. If a term is missing or unclear, say so in a question or a comment.",
  "question.voteClose":
    "Closing questions opens up after you've taken part for a while (more in Trust levels, in the help). If this question is a duplicate or off-topic, flag it and a moderator will look.",
  "question.voteReopen":
    "Reopening questions opens up after you've taken part for a while (more in Trust levels, in the help). If you think this question was closed by mistake, flag it and a moderator will look.",
};

/**
 * Why `can` said no to a signed-in person, in plain words for the 403 page and form errors: what the rule asks for
 * (only admins; not on your own post; only its author), never more about the site than the rule itself says.
 */
export function deniedMessage(actor: NonNullable<Actor>, action: Action, target?: Target): string {
  if (actor.banned) return "Your account is suspended, so you can't do that.";
  const explained = DENIED[action];
  if (explained) return explained;
  const rule = RULES[action];
  const isOwner = target !== undefined && target.ownerId === actor.id;
  if (target && isOwner && rule.notOwn && !rule.own) return "You can't do that on your own post.";
  if (target && !isOwner && rule.own) return `Only ${namesOf(rule.any ?? [], "its author")} can do that.`;
  if (rule.any?.length && !rule.any.includes("member")) return `Only ${namesOf(rule.any)} can do that.`;
  return "Your account doesn't have permission to do that.";
}

/** "a member", "an admin": a role inside a sentence. */
function aRole(role: Role): string {
  return `${role === "admin" ? "an" : "a"} ${role}`;
}

/**
 * Why a staff form is refused to someone whose role doesn't allow it: an admin changed their role since they opened its
 * page (in another tab), their role now needs two-step sign-in first, or they never had such a role (a form they made
 * themselves). `doing` is what the action is ("edit the glossary"), `outcome` what became of the form ("so this wasn't
 * saved"), `formerRole` the role they had that allowed it (formerRoleAllowing), if any: only then is it "no longer".
 * For actions that hand back what was typed with the words, where requirePermission's bare 403 page would lose it.
 */
export function noLongerAllowedMessage(
  actor: NonNullable<Actor>,
  action: Action,
  { doing, outcome, formerRole }: { doing: string; outcome: string; formerRole?: Role | null },
): string {
  if (actor.banned) return deniedMessage(actor, action);
  if (actor.needsTwoFactor && allowedByRole(actor, action))
    return `Your role needs two-step sign-in before you can ${doing}, ${outcome}. Turn it on in your account's security settings, then try again.`;
  const roles = RULES[action].any ?? [];
  if (roles.length === 0) return `${deniedMessage(actor, action)} This was not done.`;
  const only = `Only ${namesOf(roles)} can ${doing}`;
  if (formerRole && roles.includes(formerRole))
    return `${only}, and your account is no longer ${aRole(formerRole)} (it is ${aRole(actor.role)} account now), ${outcome}.`;
  return `${only}, and your account is ${aRole(actor.role)} account, ${outcome}.`;
}

/**
 * The latest role this account had that allowed the action, as the moderation log's role changes tell it (an admin's
 * change, or one granted by single sign-on); null when none did, such as a member who never had a staff role and sends
 * a staff form made by hand. Asked only when refusing, so its words say "no longer" only when that is true.
 */
export async function formerRoleAllowing(db: Db, userId: string, action: Action): Promise<Role | null> {
  const allowed = RULES[action].any ?? [];
  const allowedRole = (value: unknown) => allowed.find((role) => role === value) ?? null;
  const changes = await db
    .select({ details: moderationLog.details })
    .from(moderationLog)
    .where(
      and(
        eq(moderationLog.action, "user.role"),
        eq(moderationLog.targetType, "user"),
        eq(moderationLog.targetId, userId),
      ),
    )
    .orderBy(desc(moderationLog.id))
    .limit(50);
  // Newest first: the role it became (`to`; `role` for single sign-on's grants), then the role it was.
  for (const { details } of changes)
    for (const value of [details.to ?? details.role, details.from]) {
      const role = allowedRole(value);
      if (role) return role;
    }
  return null;
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
  throw new Response(actor ? deniedMessage(actor, action, target) : "Please sign in first.", {
    status: actor ? 403 : 401,
    statusText: actor ? "Forbidden" : "Unauthorized",
  });
}

/** How far a role reaches over people in moderation that acts on the person (warn, silence, lift a silence, hide a profile). */
const MODERATION_RANK: Record<Role, number> = { member: 0, mentor: 0, moderator: 1, admin: 2 };

/**
 * Whether the actor may warn, silence, lift the silence of or hide the profile of this person: only someone who
 * outranks them (admins over moderators and members, moderators over members), and never on their own account.
 * Removing a post is not acting on its author: moderators may remove anyone's. Staff who still need two-step sign-in
 * count as members here too (see `can`).
 */
export function canModeratePerson(actor: Actor, person: { id: string; role: Role }): boolean {
  if (!actor || actor.banned || actor.needsTwoFactor || actor.id === person.id) return false;
  return MODERATION_RANK[actor.role] > MODERATION_RANK[person.role];
}

export const CANNOT_MODERATE_PERSON_MESSAGE =
  "Only an admin can warn or silence a moderator, hide their profile or lift their silence. Nobody can do that to an admin, or to their own account.";
