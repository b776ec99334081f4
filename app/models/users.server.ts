/** People: profiles, handles, roles and bans. Sign-up, sign-in and sessions themselves belong to better-auth. */
import { createHash } from "node:crypto";
import { and, asc, count, eq, ilike, isNull, or, sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { type Audience, type Role, sessions, tags, userExpertise, users } from "#db/schema";
import { slugify } from "~/lib/slug";
import { enqueueSearchUpdateOfPerson } from "~/search/outbox.server";
import { isTimeZone } from "~/lib/time-zones";
import { type HeldCount, holdBannedAuthorsContent, releaseHoldsOf } from "./holds.server";
import { recordModeration } from "./moderation.server";
import { cancelSessionsHostedBy } from "./office-hours.server";
import { lockAccountForModeration } from "./rate-limits.server";
import { ensureTags } from "./tags.server";

export const PROFILE_LIMITS = { nameMin: 2, nameMax: 60, bioMax: 280, expertiseMax: 10 } as const;

/**
 * Profile addresses nobody gets as they are: words that sound like the site's staff or the site itself (/u/admin would
 * pass for the real admin), and the site's own top-level addresses (app/routes), so no profile reads like a page of
 * the site. A name that makes one gets the next free variant (admin-2), as any taken handle does.
 */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set(
  [
    "admin administrator admins moderator moderators mod mods staff support help helpdesk peerdesk system root",
    "security official team owner everyone anonymous",
    // The top-level routes (a test keeps these in step with app/routes) and the words in their addresses.
    "a api ask avatars confirm-email events flag follow forgot-password glossary goodbye healthz howtos images login",
    "me mentors moderation notifications posts pulse q questions register reset-password review robots s saved search",
    "sessions settings signin signout signup sitemap spaces sso status tags u unsubscribe verify-email welcome new edit",
  ]
    .join(" ")
    .split(" "),
);

/**
 * Gives a new account a unique handle for its profile URL (never a reserved one, see above) and, when
 * `firstSignUpIsAdmin` (development and tests), makes the very first account an admin. A public production site never
 * does: whoever signed up first would own it, so its first admin is made with `npm run user:create-admin`.
 */
export async function assignHandleAndFirstAdmin(
  db: Db,
  user: { userId: string; name: string; email: string },
  { firstSignUpIsAdmin }: { firstSignUpIsAdmin: boolean },
) {
  const base = slugify(user.name, 30) || slugify(user.email.split("@")[0] ?? "", 30) || "member";
  for (let attempt = RESERVED_HANDLES.has(base) ? 1 : 0; attempt < 20; attempt++) {
    const handle =
      attempt === 0 ? base : `${base}-${attempt < 10 ? attempt + 1 : Math.random().toString(36).slice(2, 7)}`;
    const taken = await db.select({ id: users.id }).from(users).where(eq(users.handle, handle)).limit(1);
    if (taken.length > 0) continue;
    try {
      await db.update(users).set({ handle }).where(eq(users.id, user.userId));
      break;
    } catch {
      // Lost a race for this handle with a simultaneous sign-up; try the next one.
    }
  }
  if (!firstSignUpIsAdmin) return;
  // The condition runs inside the UPDATE, so two simultaneous first sign-ups cannot both become admin.
  await db.execute(
    sql`update users set role = 'admin' where id = ${user.userId} and not exists (select 1 from users where role = 'admin')`,
  );
}

/** True once any account is an admin (the start-up says how to make the first one while there is none). */
export async function hasAdmin(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.role, "admin")).limit(1);
  return row !== undefined;
}

export type Profile = {
  id: string;
  handle: string | null;
  name: string;
  email: string;
  /** The profile picture's address (/avatars/…), or null for the letter avatar. */
  image: string | null;
  bio: string;
  audience: Audience;
  openToMentoring: boolean;
  mentorPitch: string;
  languages: string;
  invitationsPaused: boolean;
  timeZone: string | null;
  role: Role;
  banned: boolean;
  createdAt: Date;
  expertise: string[];
};

async function expertiseOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ slug: tags.slug })
    .from(userExpertise)
    .innerJoin(tags, eq(tags.id, userExpertise.tagId))
    .where(eq(userExpertise.userId, userId))
    .orderBy(asc(tags.slug));
  return rows.map((r) => r.slug);
}

const profileColumns = {
  id: users.id,
  handle: users.handle,
  name: users.name,
  email: users.email,
  image: users.image,
  bio: users.bio,
  audience: users.audience,
  openToMentoring: users.openToMentoring,
  mentorPitch: users.mentorPitch,
  languages: users.languages,
  invitationsPaused: users.invitationsPaused,
  timeZone: users.timeZone,
  role: users.role,
  banned: users.banned,
  createdAt: users.createdAt,
};

export async function getProfileById(db: Db, userId: string): Promise<Profile | null> {
  const [row] = await db.select(profileColumns).from(users).where(eq(users.id, userId)).limit(1);
  return row ? { ...row, expertise: await expertiseOf(db, row.id) } : null;
}

/** A profile by its address; a banned member's comes with the ban's reason, which their profile shows publicly. */
export async function getProfileByHandle(
  db: Db,
  handle: string,
): Promise<(Profile & { banReason: string | null }) | null> {
  const [row] = await db
    .select({ ...profileColumns, banReason: users.banReason })
    .from(users)
    .where(eq(users.handle, handle))
    .limit(1);
  return row ? { ...row, expertise: await expertiseOf(db, row.id) } : null;
}

export type ProfileUpdate = {
  name: string;
  bio: string;
  audience: Audience;
  openToMentoring: boolean;
  mentorPitch?: string;
  languages?: string;
  invitationsPaused?: boolean;
  /** "" clears it (back to the browser's zone). */
  timeZone?: string;
  expertise: string[];
};

/**
 * Saves a person's own profile; expertise tags are normalised and created as needed, in one transaction. A new name
 * is indexed again for search with everything that shows it. With `baseVersion` (the `profileVersion` the form opened
 * on), a save on top of a profile changed since (another tab or device) is refused with a ProfileConflictError, so
 * that change is not silently undone; the row is locked first, so two saves from the same version can't both pass.
 */
export async function updateProfile(
  db: Db,
  userId: string,
  update: ProfileUpdate,
  { baseVersion }: { baseVersion?: string } = {},
): Promise<void> {
  const name = update.name.trim();
  await db.transaction(async (tx) => {
    const [before] = await tx.select(profileFormColumns).from(users).where(eq(users.id, userId)).for("update");
    if (before && baseVersion !== undefined) {
      const current = { ...before, expertise: await expertiseOf(tx, userId) };
      const changed = profileFieldsChanged(baseVersion, current);
      if (changed.length > 0) throw new ProfileConflictError(changed, current);
    }
    await tx
      .update(users)
      .set({
        name,
        bio: update.bio.trim(),
        audience: update.audience,
        openToMentoring: update.openToMentoring,
        ...(update.mentorPitch === undefined ? {} : { mentorPitch: update.mentorPitch.trim() }),
        ...(update.languages === undefined ? {} : { languages: update.languages.trim() }),
        ...(update.invitationsPaused === undefined ? {} : { invitationsPaused: update.invitationsPaused }),
        ...(update.timeZone === undefined ? {} : { timeZone: isTimeZone(update.timeZone) ? update.timeZone : null }),
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
    // Search results show each post's author (and each session answer's host) as the index stored it.
    if (before && before.name !== name) await enqueueSearchUpdateOfPerson(tx, userId);
    await tx.delete(userExpertise).where(eq(userExpertise.userId, userId));
    const tagRows = await ensureTags(tx, update.expertise.slice(0, PROFILE_LIMITS.expertiseMax));
    if (tagRows.length > 0) {
      await tx.insert(userExpertise).values(tagRows.map((t) => ({ userId, tagId: t.id })));
    }
  });
}

/** The fields of the profile form, in the order a profile version lists them. */
export const PROFILE_FORM_FIELDS = [
  "name",
  "bio",
  "audience",
  "expertise",
  "openToMentoring",
  "mentorPitch",
  "languages",
  "invitationsPaused",
  "timeZone",
] as const;
export type ProfileFormField = (typeof PROFILE_FORM_FIELDS)[number];
export type ProfileFormValues = Pick<Profile, ProfileFormField>;

const profileFormColumns = {
  name: users.name,
  bio: users.bio,
  audience: users.audience,
  openToMentoring: users.openToMentoring,
  mentorPitch: users.mentorPitch,
  languages: users.languages,
  invitationsPaused: users.invitationsPaused,
  timeZone: users.timeZone,
};

/** One field as saved, hashed short: text trimmed with its line endings alike, tags in order, a box as on or off. */
function profileFieldDigest(value: ProfileFormValues[ProfileFormField]): string {
  const text = Array.isArray(value)
    ? [...value].sort().join(",")
    : typeof value === "boolean"
      ? String(value)
      : (value ?? "").replace(/\r\n?/g, "\n").trim();
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/**
 * The version of a profile a form opened on: a short digest of each field the form edits, so a save tells which ones
 * changed since without the form carrying their text twice. Only these fields, not users.updated_at: signing in, a new
 * picture or a confirmed address change the account but nothing this form would overwrite.
 */
export function profileVersion(profile: ProfileFormValues): string {
  return PROFILE_FORM_FIELDS.map((field) => profileFieldDigest(profile[field])).join(".");
}

/** Whether `text` is a profile version (a form from before versions were kept sends none, and saves as it did). */
export function isProfileVersion(text: string): boolean {
  const digests = text.split(".");
  return digests.length === PROFILE_FORM_FIELDS.length && digests.every((digest) => /^[0-9a-f]{8}$/.test(digest));
}

/** The fields of `profile` that differ from the version `base`. */
export function profileFieldsChanged(base: string, profile: ProfileFormValues): ProfileFormField[] {
  const digests = base.split(".");
  return PROFILE_FORM_FIELDS.filter((field, at) => digests[at] !== profileFieldDigest(profile[field]));
}

/** A profile save refused because these fields were saved meanwhile; `current`: the profile as it is now. */
export class ProfileConflictError extends Error {
  readonly currentVersion: string;
  constructor(
    readonly changed: ProfileFormField[],
    readonly current: ProfileFormValues,
  ) {
    super("Your profile was changed somewhere else after this page was opened.");
    this.currentVersion = profileVersion(current);
  }
}

/** Keeps the zone a person's browser reported as their profile's time zone, unless they already chose one. */
export async function rememberTimeZone(db: Db, userId: string, fromBrowser: string): Promise<void> {
  if (!isTimeZone(fromBrowser)) return;
  await db
    .update(users)
    .set({ timeZone: fromBrowser })
    .where(and(eq(users.id, userId), isNull(users.timeZone)));
}

export async function listUsers(
  db: Db,
  { query = "", limit = 50, offset = 0 }: { query?: string; limit?: number; offset?: number } = {},
) {
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = query
    ? or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(users.handle, pattern))
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        handle: users.handle,
        role: users.role,
        banned: users.banned,
        banReason: users.banReason,
        deletedAt: users.deletedAt,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(where)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { users: rows, total: total?.n ?? 0 };
}

/** A rule about accounts said no; `status` 404 when the account doesn't exist, otherwise 400. */
export class UserRuleError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

/** "a member", "an admin": a role inside a sentence. */
function roleWithArticle(role: Role): string {
  return `${role === "admin" ? "an" : "a"} ${role}`;
}

/** A role change from a page showing a role the person no longer has: someone changed it since, so nothing changed. */
export class RoleChangedMeanwhileError extends UserRuleError {
  constructor(
    personName: string,
    readonly currentRole: Role,
  ) {
    super(
      `${personName} is now ${roleWithArticle(currentRole)} (changed by someone else after you opened this page). Nothing was changed: choose again.`,
      409,
    );
  }
}

const NO_SUCH_ACCOUNT = "That account doesn't exist.";
const DELETED_ACCOUNT = "That account was deleted, so it has no role or ban to change.";

/**
 * Changes someone's role. An admin cannot demote themselves, so the site always keeps at least one admin. `baseRole` is
 * the role the admin's page showed: if the role changed since, the change is refused (RoleChangedMeanwhileError) rather
 * than overwriting it; asking for the role they have already is done, with nothing written. Without it, the change is
 * made whatever the role is now.
 */
export async function setUserRole(
  db: Db,
  { userId, role, by, baseRole }: { userId: string; role: Role; by: string; baseRole?: Role },
) {
  if (userId === by && role !== "admin")
    throw new UserRuleError("You cannot remove your own admin role; ask another admin.");
  await db.transaction(async (tx) => {
    // Locked until commit: a second change at the same moment waits, then sees this one's role.
    const [before] = await tx
      .select({ role: users.role, name: users.name, deletedAt: users.deletedAt })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1)
      .for("update");
    if (!before) throw new UserRuleError(NO_SUCH_ACCOUNT, 404);
    if (before.deletedAt) throw new UserRuleError(DELETED_ACCOUNT);
    if (before.role === role) return;
    if (baseRole !== undefined && before.role !== baseRole)
      throw new RoleChangedMeanwhileError(before.name, before.role);
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
    await recordModeration(tx, {
      actorId: by,
      action: "user.role",
      targetType: "user",
      targetId: userId,
      details: { from: before.role, to: role },
    });
  });
}

/** Already banned (or not banned) is fine; an id that names nobody is a 404, and a deleted account is refused. */
export async function requireAccount(db: Db, userId: string): Promise<void> {
  const [row] = await db
    .select({ id: users.id, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) throw new UserRuleError(NO_SUCH_ACCOUNT, 404);
  if (row.deletedAt) throw new UserRuleError(DELETED_ACCOUNT);
}

const NOTHING_HELD: HeldCount = { posts: 0, sessionQuestions: 0 };

/**
 * Suspends an account and signs it out everywhere; a banned account cannot sign in again until unbanned. The Q&A
 * sessions they host that are upcoming or live are cancelled, as a moderator cancels one (cancelSessionsHostedBy: the
 * people in them are told it was cancelled, not why). With `hidePosts` (the form's default) everything they posted is
 * hidden too, as a silence hides it (holds.server.ts), and lifting the ban shows it again. Returns what was hidden and
 * how many sessions were cancelled (nothing for an account that was banned already).
 */
export async function banUser(
  db: Db,
  {
    userId,
    reason,
    by,
    hidePosts = true,
    now = new Date(),
  }: { userId: string; reason: string; by: string; hidePosts?: boolean; now?: Date },
): Promise<{ hidden: HeldCount; cancelledSessions: number }> {
  if (userId === by) throw new UserRuleError("You cannot ban yourself.");
  return db.transaction(async (tx) => {
    // First: their writes in flight finish (and are hidden below with the rest); later ones wait and are refused.
    await lockAccountForModeration(tx, userId);
    const updated = await tx
      .update(users)
      .set({ banned: true, banReason: reason.trim() || null, updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.banned, false), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (updated.length === 0) {
      await requireAccount(tx, userId);
      return { hidden: NOTHING_HELD, cancelledSessions: 0 };
    }
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    // The public log says who was banned and why, as before: not what of theirs was hidden or cancelled.
    await recordModeration(tx, { actorId: by, action: "user.ban", targetType: "user", targetId: userId, reason });
    const cancelledSessions = await cancelSessionsHostedBy(tx, { hostId: userId, by, now });
    return { hidden: hidePosts ? await holdBannedAuthorsContent(tx, userId) : NOTHING_HELD, cancelledSessions };
  });
}

/**
 * Lifts a ban; what the ban hid (and a moderator has not removed since) is shown again. Returns what came back. The
 * sessions the ban cancelled stay cancelled: their people were told so, and the host can schedule new ones.
 */
export async function unbanUser(db: Db, { userId, by }: { userId: string; by: string }): Promise<{ shown: HeldCount }> {
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(users)
      .set({ banned: false, banReason: null, banExpires: null, updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.banned, true), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (updated.length === 0) {
      await requireAccount(tx, userId);
      return { shown: NOTHING_HELD };
    }
    await recordModeration(tx, { actorId: by, action: "user.unban", targetType: "user", targetId: userId });
    return { shown: await releaseHoldsOf(tx, { userId, reason: "banned_author", by }) };
  });
}

export async function setAudience(db: Db, userId: string, audience: Audience): Promise<void> {
  await db.update(users).set({ audience }).where(eq(users.id, userId));
}

// Accents and vowel marks (Latin, Cyrillic, Hebrew, Arabic) as one character class that JavaScript and PostgreSQL both
// read: after NFD, removing them folds "Fernández" to "fernandez" on both sides (PGlite has no unaccent extension).
const COMBINING_MARKS =
  "[\\u0300-\\u036f\\u0483-\\u0489\\u0591-\\u05bd\\u05bf\\u05c1\\u05c2\\u05c4\\u05c5\\u05c7\\u0610-\\u061a\\u064b-\\u065f\\u0670\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]";
// Letters people type without their stroke or dot (Łukasz as lukasz, yazıcı as yazici), and a final sigma as any sigma.
const PLAIN_FROM = "ıłøđħς";
const PLAIN_TO = "ilodhσ";

/** A name as a mention search compares it: lower case, no accents (the same steps as findPeopleForMention's SQL). */
export function foldName(text: string): string {
  const withoutMarks = text.toLowerCase().normalize("NFD").replace(new RegExp(COMBINING_MARKS, "g"), "");
  return [...withoutMarks].map((c) => PLAIN_TO[PLAIN_FROM.indexOf(c)] ?? c).join("");
}

/**
 * Members to suggest after "@": handle or any word of the name starting with `prefix` (in any script; letter case and
 * accents don't count, so "fernandez" finds "Sofía Fernández-López"), most active first.
 */
export async function findPeopleForMention(
  db: Db,
  prefix: string,
  limit = 6,
): Promise<{ handle: string; name: string }[]> {
  const escaped = foldName(prefix).replace(/[\\%_]/g, (c) => `\\${c}`);
  return queryRows<{ handle: string; name: string }>(
    db,
    sql`
    select u.handle, u.name from users u
    cross join lateral (
      select ' ' || translate(regexp_replace(normalize(lower(u.name), NFD), ${COMBINING_MARKS}, '', 'g'), ${PLAIN_FROM}, ${PLAIN_TO}) as name
    ) folded
    where u.handle is not null and not u.banned
      and (u.handle like ${`${escaped}%`} or folded.name like ${`% ${escaped}%`} or folded.name like ${`%-${escaped}%`})
    order by (u.handle like ${`${escaped}%`}) desc, (select count(*) from posts p where p.author_id = u.id) desc, u.name
    limit ${limit}`,
  );
}
