/**
 * A person's own data: everything they wrote and everything kept about them, as one JSON document; and deleting
 * their account, which removes their personal data and keeps their posts under "Former member" (or, if they
 * choose, also deletes their questions nobody else answered).
 */
import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import {
  accounts,
  answerThanks,
  avatarImages,
  comments,
  drafts,
  editSuggestions,
  emailOutbox,
  emailPreferences,
  follows,
  helpRatings,
  howtoFeedback,
  idempotencyKeys,
  moderationLog,
  notifications,
  posts,
  officeHours,
  officeHoursQuestions,
  sessions,
  spaces,
  tags,
  twoFactors,
  userExpertise,
  users,
  verifications,
  votes,
} from "#db/schema";
import { describeAddress, describeUserAgent } from "~/lib/user-agent";
import { enqueueSearchUpdate } from "~/search/outbox.server";
import { avatarUrls } from "./avatars.server";
import { recordModeration } from "./moderation.server";

/** What deleted accounts are called wherever their posts appear. */
export const FORMER_MEMBER_NAME = "Former member";

/** A rule about deleting an account said no; `status` 404 when there is no such (living) account. */
export class AccountDataError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

async function livingUser(db: Db, userId: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw new AccountDataError("That account doesn't exist or was already deleted.", 404);
  return user;
}

/**
 * Everything PeerDesk keeps that is by or about the person, for them to download. Secrets are left out: the
 * password hash, two-step sign-in secrets and backup codes, session tokens and the bodies of emails (which held
 * sign-in links). The profile picture comes as links (the sizes PeerDesk made; it keeps no original).
 */
export async function exportAccountData(db: Db, userId: string, { baseURL }: { baseURL: string }) {
  const user = await livingUser(db, userId);
  const [
    expertise,
    written,
    writtenComments,
    voteRows,
    followRows,
    notificationRows,
    preferenceRows,
    draftRows,
    feedbackRows,
    ratingRows,
    thanksRows,
    suggestionRows,
    sessionQuestionRows,
    hostedRows,
    deviceRows,
    signInRows,
    mailRows,
    moderationRows,
    avatarRows,
  ] = await Promise.all([
    db
      .select({ slug: tags.slug })
      .from(userExpertise)
      .innerJoin(tags, eq(tags.id, userExpertise.tagId))
      .where(eq(userExpertise.userId, userId))
      .orderBy(asc(tags.slug)),
    db
      .select({
        id: posts.id,
        kind: posts.kind,
        space: spaces.slug,
        questionId: posts.parentId,
        title: posts.title,
        bodyMarkdown: posts.bodyMd,
        summary: posts.summary,
        appliesTo: posts.appliesTo,
        prerequisitesMarkdown: posts.prerequisitesMd,
        steps: posts.steps,
        score: posts.score,
        createdAt: posts.createdAt,
        updatedAt: posts.updatedAt,
        deletedAt: posts.deletedAt,
        tags: sql<
          string[]
        >`coalesce((select array_agg(t.slug order by t.slug) from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = ${posts.id}), '{}')`,
      })
      .from(posts)
      .innerJoin(spaces, eq(spaces.id, posts.spaceId))
      .where(eq(posts.authorId, userId))
      .orderBy(asc(posts.createdAt), asc(posts.id)),
    db
      .select({
        id: comments.id,
        postId: comments.postId,
        bodyMarkdown: comments.bodyMd,
        createdAt: comments.createdAt,
        deletedAt: comments.deletedAt,
      })
      .from(comments)
      .where(eq(comments.authorId, userId))
      .orderBy(asc(comments.createdAt)),
    db
      .select({ postId: votes.postId, value: votes.value, at: votes.updatedAt })
      .from(votes)
      .where(eq(votes.userId, userId)),
    db
      .select({ type: follows.targetType, key: follows.targetKey, since: follows.createdAt })
      .from(follows)
      .where(eq(follows.userId, userId)),
    db
      .select({
        kind: notifications.kind,
        postId: notifications.postId,
        sessionId: notifications.officeHoursId,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.id))
      .limit(5000),
    db
      .select({ kind: emailPreferences.kind, delivery: emailPreferences.delivery })
      .from(emailPreferences)
      .where(eq(emailPreferences.userId, userId)),
    db
      .select({ key: drafts.draftKey, content: drafts.content, updatedAt: drafts.updatedAt })
      .from(drafts)
      .where(eq(drafts.userId, userId)),
    db
      .select({
        howtoId: howtoFeedback.postId,
        isHelpful: howtoFeedback.isHelpful,
        comment: howtoFeedback.comment,
        at: howtoFeedback.updatedAt,
      })
      .from(howtoFeedback)
      .where(eq(howtoFeedback.userId, userId)),
    db
      .select({
        questionId: helpRatings.questionId,
        rating: helpRatings.rating,
        easyToUnderstand: helpRatings.easyToUnderstand,
        comment: helpRatings.comment,
        at: helpRatings.updatedAt,
      })
      .from(helpRatings)
      .where(eq(helpRatings.raterId, userId)),
    db
      .select({ answerId: answerThanks.answerId, at: answerThanks.createdAt })
      .from(answerThanks)
      .where(eq(answerThanks.userId, userId)),
    db
      .select({
        howtoId: editSuggestions.postId,
        note: editSuggestions.note,
        content: editSuggestions.content,
        status: editSuggestions.status,
        createdAt: editSuggestions.createdAt,
      })
      .from(editSuggestions)
      .where(eq(editSuggestions.authorId, userId)),
    db
      .select({
        sessionId: officeHoursQuestions.officeHoursId,
        question: officeHoursQuestions.body,
        state: officeHoursQuestions.state,
        createdAt: officeHoursQuestions.createdAt,
      })
      .from(officeHoursQuestions)
      .where(eq(officeHoursQuestions.authorId, userId)),
    db
      .select({
        id: officeHours.id,
        title: officeHours.title,
        descriptionMarkdown: officeHours.descriptionMd,
        startsAt: officeHours.startsAt,
        endsAt: officeHours.endsAt,
      })
      .from(officeHours)
      .where(eq(officeHours.hostId, userId)),
    db
      .select({
        userAgent: sessions.userAgent,
        ipAddress: sessions.ipAddress,
        createdAt: sessions.createdAt,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .where(eq(sessions.userId, userId)),
    db
      .select({ provider: accounts.providerId, createdAt: accounts.createdAt })
      .from(accounts)
      .where(eq(accounts.userId, userId)),
    db
      .select({
        subject: emailOutbox.subject,
        kind: emailOutbox.kind,
        status: emailOutbox.status,
        to: emailOutbox.toAddress,
        createdAt: emailOutbox.createdAt,
      })
      .from(emailOutbox)
      .where(eq(emailOutbox.userId, userId))
      .orderBy(desc(emailOutbox.id))
      .limit(5000),
    db
      .select({
        action: moderationLog.action,
        reason: moderationLog.reason,
        targetType: moderationLog.targetType,
        targetId: moderationLog.targetId,
        createdAt: moderationLog.createdAt,
        byYou: sql<boolean>`${moderationLog.actorId} = ${userId}`,
      })
      .from(moderationLog)
      .where(
        or(
          eq(moderationLog.actorId, userId),
          and(eq(moderationLog.targetType, "user"), eq(moderationLog.targetId, userId)),
        ),
      )
      .orderBy(asc(moderationLog.createdAt)),
    db
      .select({ size: avatarImages.size, hash: avatarImages.hash })
      .from(avatarImages)
      .where(eq(avatarImages.userId, userId)),
  ]);
  const avatarHash = avatarRows[0]?.hash;
  return {
    format: "peerdesk-account-export",
    version: 1,
    exportedAt: new Date().toISOString(),
    site: baseURL,
    profile: {
      id: user.id,
      name: user.name,
      email: user.email,
      emailVerified: user.emailVerified,
      handle: user.handle,
      profileUrl: user.handle ? `${baseURL}/u/${user.handle}` : null,
      bio: user.bio,
      audience: user.audience,
      role: user.role,
      openToMentoring: user.openToMentoring,
      mentorPitch: user.mentorPitch,
      languages: user.languages,
      invitationsPaused: user.invitationsPaused,
      timeZone: user.timeZone,
      expertise: expertise.map((row) => row.slug),
      memberSince: user.createdAt,
      banned: user.banned,
      banReason: user.banReason,
      twoStepSignIn: user.twoFactorEnabled,
      profilePicture: avatarHash
        ? avatarUrls(user.id, avatarHash).map((image) => ({ ...image, url: `${baseURL}${image.url}` }))
        : null,
    },
    signIn: {
      methods: signInRows.map((row) => ({
        method: row.provider === "credential" ? "password" : row.provider,
        since: row.createdAt,
      })),
      devices: deviceRows.map((row) => ({
        device: describeUserAgent(row.userAgent),
        userAgent: row.userAgent,
        address: row.ipAddress,
        place: describeAddress(row.ipAddress),
        signedInAt: row.createdAt,
        expiresAt: row.expiresAt,
      })),
    },
    posts: written.map((post) => ({ ...post, url: postUrl(baseURL, post) })),
    comments: writtenComments,
    votes: voteRows,
    follows: followRows,
    notifications: notificationRows,
    emailSettings: preferenceRows,
    emailsSent: mailRows,
    drafts: draftRows,
    howtoFeedback: feedbackRows,
    helpRatingsGiven: ratingRows,
    thanksGiven: thanksRows,
    editSuggestions: suggestionRows,
    sessionQuestions: sessionQuestionRows,
    sessionsHosted: hostedRows,
    moderationRecords: moderationRows,
  };
}

function postUrl(baseURL: string, post: { id: number; kind: string; questionId: number | null }): string {
  if (post.kind === "howto") return `${baseURL}/howtos/${post.id}`;
  if (post.kind === "answer" && post.questionId) return `${baseURL}/q/${post.questionId}#answer-${post.id}`;
  return `${baseURL}/q/${post.id}`;
}

export type AccountData = Awaited<ReturnType<typeof exportAccountData>>;

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
  /** Admins: why (a ticket number, "asked by email on …"); goes to the moderation log. */
  reason?: string;
};

/**
 * Deletes an account in one transaction. Personal data goes: name, email, handle, bio, picture, sign-in methods,
 * sessions, two-step secrets, follows, notifications, drafts, email settings and mail. What they wrote stays,
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
    await tx.delete(verifications).where(eq(verifications.value, userId));
    await tx.delete(avatarImages).where(eq(avatarImages.userId, userId));
    await tx.delete(userExpertise).where(eq(userExpertise.userId, userId));
    await tx.delete(follows).where(eq(follows.userId, userId));
    await tx.delete(follows).where(and(eq(follows.targetType, "user"), eq(follows.targetKey, userId)));
    await tx.delete(notifications).where(eq(notifications.userId, userId));
    await tx.delete(emailPreferences).where(eq(emailPreferences.userId, userId));
    await tx.delete(drafts).where(eq(drafts.userId, userId));
    await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, userId));
    await tx.delete(emailOutbox).where(or(eq(emailOutbox.userId, userId), eq(emailOutbox.toAddress, user.email)));

    // Search documents carry the author's name: re-index what they wrote under the new one.
    const remaining = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt)));
    await enqueueSearchUpdate(
      tx,
      remaining.map((row) => row.id),
    );

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
