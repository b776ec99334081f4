/**
 * Moderators hiding a spammer's profile (bio, picture, mentor pitch) and showing it again: every public page drops
 * those fields at once, the person is told, and the public moderation log records it.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { hiddenProfiles, users } from "#db/schema";
import { sendNotice } from "./holds.server";
import { recordModeration } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan, assertCanModeratePerson } from "./post-errors.server";
import { validate } from "./post-fields.server";
import { consumeWriteLimit } from "./rate-limits.server";

export type ProfileHiding = { reason: string; hiddenAt: Date };

/** Whether (and why) a person's profile is hidden; null when it shows. */
export async function getProfileHiding(db: Db, userId: string): Promise<ProfileHiding | null> {
  const [row] = await db
    .select({ reason: hiddenProfiles.reason, hiddenAt: hiddenProfiles.createdAt })
    .from(hiddenProfiles)
    .where(eq(hiddenProfiles.userId, userId))
    .limit(1);
  return row ?? null;
}

/**
 * Hides the profile inside the caller's transaction; false when it already was. The row comes first, then a no-op
 * update of users: the migration's trigger moves the bio, picture and pitch into the row and blanks them on users,
 * and the page-cache triggers drop every page that showed them before the transaction commits.
 */
export async function applyProfileHiding(
  tx: Db,
  { userId, by, reason }: { userId: string; by: string | null; reason: string },
): Promise<boolean> {
  const [row] = await tx
    .insert(hiddenProfiles)
    .values({ userId, hiddenBy: by, reason })
    .onConflictDoNothing()
    .returning({ userId: hiddenProfiles.userId });
  if (!row) return false;
  await tx.update(users).set({ updatedAt: new Date() }).where(eq(users.id, userId));
  await sendNotice(tx, {
    userId,
    kind: "profile_hidden",
    message:
      "A moderator hid your profile's bio, picture and mentoring note from other people. Your posts still show. Your own values are kept, and come back if a moderator shows the profile again.",
  });
  return true;
}

export const STAFF_PROFILE_MESSAGE =
  "Moderators' and admins' profiles can't be hidden. An admin can change their role first.";

const hideSchema = z.object({
  reason: z
    .string()
    .default("")
    .transform((t) => t.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(3, "Please say in a few words why (it shows in the public moderation log).")
        .max(300, "Please keep it to 300 characters."),
    ),
});

/** The person whose profile is being moderated; staff profiles are not hidden (an admin changes their role first). */
async function moderatedPerson(db: Db, userId: string) {
  const [person] = await db
    .select({ id: users.id, role: users.role, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!person || person.deletedAt) throw new PostingError("There is no member with this name.", {}, 404);
  return person;
}

/** A moderator hides a person's profile, with a reason for the public log. Idempotent. */
export async function hideProfile(
  db: Db,
  input: { actor: Actor; userId: string; reason: unknown },
): Promise<{ hidden: boolean }> {
  assertCan(input.actor, "profile.hide");
  const actor = input.actor;
  const { reason } = validate(hideSchema, { reason: input.reason });
  const person = await moderatedPerson(db, input.userId);
  assertCanModeratePerson(actor, person);
  if (person.role === "moderator" || person.role === "admin") throw new PostingError(STAFF_PROFILE_MESSAGE);
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "moderate" });
    const hidden = await applyProfileHiding(tx, { userId: person.id, by: actor.id, reason });
    if (hidden)
      await recordModeration(tx, {
        actorId: actor.id,
        action: "profile.hide",
        targetType: "user",
        targetId: person.id,
        reason,
      });
    return { hidden };
  });
}

/** A moderator shows a hidden profile again: the person's own bio, picture and pitch come back. Idempotent. */
export async function showProfile(db: Db, input: { actor: Actor; userId: string }): Promise<{ shown: boolean }> {
  assertCan(input.actor, "profile.hide");
  const actor = input.actor;
  const person = await moderatedPerson(db, input.userId);
  // Like lifting a silence: not on one's own profile (hidden before they became staff), nor over a peer's.
  assertCanModeratePerson(actor, person);
  return db.transaction(async (tx) => {
    await consumeWriteLimit(tx, { userId: actor.id, kind: "moderate" });
    // Deleting the row first lets the update below through the trigger unchanged.
    const [kept] = await tx.delete(hiddenProfiles).where(eq(hiddenProfiles.userId, person.id)).returning();
    if (!kept) return { shown: false };
    await tx
      .update(users)
      .set({ bio: kept.bio, image: kept.image, mentorPitch: kept.mentorPitch, updatedAt: new Date() })
      .where(eq(users.id, person.id));
    await sendNotice(tx, {
      userId: person.id,
      kind: "profile_shown",
      message: "A moderator showed your profile again: your bio, picture and mentoring note are visible.",
    });
    await recordModeration(tx, { actorId: actor.id, action: "profile.show", targetType: "user", targetId: person.id });
    return { shown: true };
  });
}
