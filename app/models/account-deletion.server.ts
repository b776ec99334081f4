/**
 * Deleting an account: what it would keep and remove, and the deletion itself, which removes the person's data and
 * keeps their posts under "Former member" (or, if they choose, also deletes their questions nobody else answered).
 */
import { and, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import {
  accounts,
  avatarImages,
  drafts,
  emailOutbox,
  emailPreferences,
  flags,
  follows,
  idempotencyKeys,
  moderationLog,
  notifications,
  passkeys,
  posts,
  savedPosts,
  sessions,
  twoFactors,
  userExpertise,
  users,
  verifications,
} from "#db/schema";
import { enqueueSearchUpdate, enqueueSearchUpdateOfPerson } from "~/search/outbox.server";
import { AccountDataError, FORMER_MEMBER_NAME, livingUser } from "./account-data.server";
import { recordModeration } from "./moderation.server";
import { forgetUploader } from "./post-images.server";
import { forgetInvitationUses } from "./signup-policy.server";

/** What deleting would keep and remove, said before the person confirms. */
export async function describeDeletion(db: Db, userId: string) {
  const user = await livingUser(db, userId);
  const [counts] = await db
    .select({
      questions: sql<number>`count(*) filter (where ${posts.kind} = 'question')::int`,
      answers: sql<number>`count(*) filter (where ${posts.kind} = 'answer')::int`,
      howtos: sql<number>`count(*) filter (where ${posts.kind} = 'howto')::int`,
    })
    .from(posts)
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt)));
  const removable = await removableQuestionIds(db, userId);
  return {
    name: user.name,
    handle: user.handle,
    email: user.email,
    questions: counts?.questions ?? 0,
    answers: counts?.answers ?? 0,
    howtos: counts?.howtos ?? 0,
    unansweredQuestions: removable.length,
  };
}

/** The person's questions that nobody else answered (an answer by someone else, even a removed one, keeps it). */
async function removableQuestionIds(db: Db, userId: string): Promise<number[]> {
  const rows = await db
    .select({ id: posts.id })
    .from(posts)
    .where(
      and(
        eq(posts.authorId, userId),
        eq(posts.kind, "question"),
        sql`not exists (select 1 from posts a where a.parent_id = ${posts.id} and a.author_id <> ${userId})`,
      ),
    );
  return rows.map((row) => row.id);
}

export type DeleteAccountInput = {
  userId: string;
  /** Who asked: the person themselves, or an admin acting on their request (logged). */
  by: string;
  deleteUnansweredQuestions: boolean;
  /**
   * Admins: a note for the other admins (a ticket number, the date of the request). Kept in the moderation log's
   * record, which the public log shows without it (publicModerationReason).
   */
  reason?: string;
};

/**
 * Deletes an account in one transaction. Personal data goes: name, email, handle, bio, picture, sign-in methods,
 * sessions, two-step secrets, follows, saved posts, notifications, drafts, email settings and mail, the notes they
 * wrote on their flags (each flag's reason and outcome stay, so moderation history still adds up), and the pictures
 * they uploaded that no post still shows (those that are shown stay, no longer linked to them), and the hash of their
 * address kept by the invitation they joined with (its count of uses stays). What they wrote stays,
 * credited to "Former member" (no profile page), so threads others answered keep making sense; their questions
 * that nobody else answered are deleted too if they ask. Search is told to re-index everything they wrote, and the
 * page cache drops every page (the users and posts triggers of the page cache migration announce it).
 */
export async function deleteAccount(db: Db, input: DeleteAccountInput): Promise<{ deletedQuestions: number }> {
  const { userId, by } = input;
  return db.transaction(async (tx) => {
    const user = await livingUser(tx, userId);
    if (user.role === "admin") {
      const [other] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, "admin"), ne(users.id, userId), isNull(users.deletedAt), eq(users.banned, false)))
        .limit(1);
      if (!other)
        throw new AccountDataError("This is the only admin account. Make someone else an admin first, then delete it.");
    }

    let deletedQuestions = 0;
    if (input.deleteUnansweredQuestions) {
      const questionIds = await removableQuestionIds(tx, userId);
      if (questionIds.length > 0) {
        // Their own answers to those questions go with them (nobody else answered); then the questions.
        const children = await tx.select({ id: posts.id }).from(posts).where(inArray(posts.parentId, questionIds));
        const childIds = children.map((row) => row.id);
        await enqueueSearchUpdate(tx, [...questionIds, ...childIds], "delete");
        if (childIds.length > 0) await tx.delete(posts).where(inArray(posts.id, childIds));
        await tx.delete(posts).where(inArray(posts.id, questionIds));
        deletedQuestions = questionIds.length;
      }
    }

    await tx
      .update(users)
      .set({
        name: FORMER_MEMBER_NAME,
        email: `deleted-${user.id}@deleted.invalid`,
        emailVerified: false,
        handle: null,
        image: null,
        bio: "",
        mentorPitch: "",
        languages: "",
        openToMentoring: false,
        invitationsPaused: true,
        timeZone: null,
        role: "member",
        banned: false,
        banReason: null,
        banExpires: null,
        twoFactorEnabled: false,
        deletedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(accounts).where(eq(accounts.userId, userId));
    await tx.delete(twoFactors).where(eq(twoFactors.userId, userId));
    await tx.delete(passkeys).where(eq(passkeys.userId, userId));
    await tx.delete(verifications).where(eq(verifications.value, userId));
    await tx.delete(avatarImages).where(eq(avatarImages.userId, userId));
    await tx.delete(userExpertise).where(eq(userExpertise.userId, userId));
    await tx.delete(follows).where(eq(follows.userId, userId));
    await tx.delete(follows).where(and(eq(follows.targetType, "user"), eq(follows.targetKey, userId)));
    await tx.delete(notifications).where(eq(notifications.userId, userId));
    await tx.delete(emailPreferences).where(eq(emailPreferences.userId, userId));
    await tx.delete(drafts).where(eq(drafts.userId, userId));
    // A flag's note is the person's own words (often about someone): it goes; the flag's reason and outcome stay.
    await tx.update(flags).set({ details: "" }).where(eq(flags.flaggerId, userId));
    // The user row is kept (anonymised), so the cascades on saved_posts and post_image_uploaders never fire.
    await tx.delete(savedPosts).where(eq(savedPosts.userId, userId));
    await forgetUploader(tx, userId);
    await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId));
    await tx.delete(emailOutbox).where(or(eq(emailOutbox.userId, userId), eq(emailOutbox.toAddress, user.email)));
    await forgetInvitationUses(tx, user.email);

    // Search documents carry the author's (and a session host's) name: re-index them under the new one.
    await enqueueSearchUpdateOfPerson(tx, userId);

    if (by !== userId)
      await recordModeration(tx, {
        actorId: by,
        action: "user.delete",
        targetType: "user",
        targetId: userId,
        reason: input.reason?.trim() ?? "",
        details: { onRequest: true, deletedQuestions },
      });
    return { deletedQuestions };
  });
}

export type DeletionRecord = {
  /** Deleted by an admin at the person's request (logged); false when the person deleted it themselves. */
  isByAdmin: boolean;
  /** That admin's name, while their account exists. */
  adminName: string | null;
  /** The note the admin gave for the deletion (admins only); empty when the person deleted their own account. */
  note: string;
  at: Date;
};

/**
 * How these deleted accounts were deleted, by account id, for the admins' people list: the admin's note and name
 * (recorded in the moderation log, never shown publicly), or nothing for an account its owner deleted. One query.
 */
export async function deletionRecords(
  db: Db,
  accounts: { id: string; deletedAt: Date | null }[],
): Promise<Map<string, DeletionRecord>> {
  const records = new Map<string, DeletionRecord>();
  const deleted = accounts.filter((account) => account.deletedAt !== null);
  if (deleted.length === 0) return records;
  const rows = await db
    .select({
      userId: moderationLog.targetId,
      note: moderationLog.reason,
      adminName: users.name,
      at: moderationLog.createdAt,
    })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .where(
      and(
        eq(moderationLog.action, "user.delete"),
        eq(moderationLog.targetType, "user"),
        inArray(
          moderationLog.targetId,
          deleted.map((account) => account.id),
        ),
      ),
    )
    .orderBy(desc(moderationLog.id));
  // The latest record per account (an account is deleted once; older rows, if any, come after it).
  for (const row of rows)
    if (!records.has(row.userId))
      records.set(row.userId, { isByAdmin: true, adminName: row.adminName, note: row.note, at: row.at });
  for (const account of deleted)
    if (!records.has(account.id) && account.deletedAt)
      records.set(account.id, { isByAdmin: false, adminName: null, note: "", at: account.deletedAt });
  return records;
}
