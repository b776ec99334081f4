/**
 * A person's own data: everything they wrote and everything kept about them, as one JSON document to download
 * (deleting the account is account-deletion.server.ts).
 */
import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { PgColumn, PgTable, SelectedFields } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import {
  accounts,
  answerThanks,
  avatarImages,
  savedPosts,
  comments,
  drafts,
  editSuggestions,
  emailOutbox,
  emailPreferences,
  flags,
  follows,
  helpRatings,
  howtoFeedback,
  moderationLog,
  notifications,
  posts,
  officeHours,
  officeHoursQuestions,
  passkeys,
  sessions,
  spaces,
  tags,
  userExpertise,
  users,
  votes,
} from "#db/schema";
import { FORMER_MEMBER_NAME } from "~/lib/accounts";
import { describeAddress, describeUserAgent } from "~/lib/user-agent";
import { avatarUrls } from "./avatars.server";
import { postImagesUploadedBy } from "./post-images.server";

/** What deleted accounts are called wherever their posts appear (kept in ~/lib/accounts so pages can show it). */
export { FORMER_MEMBER_NAME };

/** A rule about deleting an account said no; `status` 404 when there is no such (living) account. */
export class AccountDataError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

/** "1 question", "2 answers", or nothing for none. */
function countOf(n: number, word: string): string | null {
  if (n === 0) return null;
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

/**
 * What of a person's writing stays after their account is deleted, in words that fit the numbers (none, one,
 * several): told to an admin about "their" writing, or to the person about "your" own.
 */
export function whatStays(
  summary: { questions: number; answers: number; howtos: number },
  whose: "their" | "your",
): string {
  const parts = [
    countOf(summary.questions, "question"),
    countOf(summary.answers, "answer"),
    countOf(summary.howtos, "how-to"),
  ].filter((part) => part !== null);
  if (parts.length === 0)
    return `${whose === "their" ? "They" : "You"} haven't written any questions, answers or how-tos.`;
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  const verb = parts.length === 1 && list?.startsWith("1 ") ? "stays" : "stay";
  return `${whose === "their" ? "Their" : "Your"} ${list} ${verb}, shown as "${FORMER_MEMBER_NAME}".`;
}

/** The account, unless it does not exist or was deleted (then an AccountDataError with status 404). */
export async function livingUser(db: Db, userId: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user) throw new AccountDataError("That account doesn't exist or was already deleted.", 404);
  return user;
}

/**
 * The rows of one table that belong to the person (`owner` is the column naming them), with the fields the export
 * shows: most of the export is this one query shape over a dozen tables.
 */
function personRows<Fields extends SelectedFields>(
  db: Db,
  userId: string,
  table: PgTable,
  owner: PgColumn,
  fields: Fields,
) {
  return db.select(fields).from(table).where(eq(owner, userId));
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
    savedRows,
    pictureRows,
    flagRows,
    passkeyRows,
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
    personRows(db, userId, comments, comments.authorId, {
      id: comments.id,
      postId: comments.postId,
      bodyMarkdown: comments.bodyMd,
      createdAt: comments.createdAt,
      deletedAt: comments.deletedAt,
    }).orderBy(asc(comments.createdAt)),
    personRows(db, userId, votes, votes.userId, { postId: votes.postId, value: votes.value, at: votes.updatedAt }),
    personRows(db, userId, follows, follows.userId, {
      type: follows.targetType,
      key: follows.targetKey,
      since: follows.createdAt,
    }),
    personRows(db, userId, notifications, notifications.userId, {
      kind: notifications.kind,
      postId: notifications.postId,
      sessionId: notifications.officeHoursId,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
      .orderBy(desc(notifications.id))
      .limit(5000),
    personRows(db, userId, emailPreferences, emailPreferences.userId, {
      kind: emailPreferences.kind,
      delivery: emailPreferences.delivery,
    }),
    personRows(db, userId, drafts, drafts.userId, {
      key: drafts.draftKey,
      content: drafts.content,
      updatedAt: drafts.updatedAt,
    }),
    personRows(db, userId, howtoFeedback, howtoFeedback.userId, {
      howtoId: howtoFeedback.postId,
      isHelpful: howtoFeedback.isHelpful,
      comment: howtoFeedback.comment,
      at: howtoFeedback.updatedAt,
    }),
    personRows(db, userId, helpRatings, helpRatings.raterId, {
      questionId: helpRatings.questionId,
      rating: helpRatings.rating,
      easyToUnderstand: helpRatings.easyToUnderstand,
      comment: helpRatings.comment,
      at: helpRatings.updatedAt,
    }),
    personRows(db, userId, answerThanks, answerThanks.userId, {
      answerId: answerThanks.answerId,
      at: answerThanks.createdAt,
    }),
    personRows(db, userId, editSuggestions, editSuggestions.authorId, {
      howtoId: editSuggestions.postId,
      note: editSuggestions.note,
      content: editSuggestions.content,
      status: editSuggestions.status,
      createdAt: editSuggestions.createdAt,
    }),
    personRows(db, userId, officeHoursQuestions, officeHoursQuestions.authorId, {
      sessionId: officeHoursQuestions.officeHoursId,
      question: officeHoursQuestions.body,
      state: officeHoursQuestions.state,
      createdAt: officeHoursQuestions.createdAt,
      // Their own words stay theirs to download; this says when moderation took them out of sight.
      hiddenAt: officeHoursQuestions.hiddenAt,
    }),
    personRows(db, userId, officeHours, officeHours.hostId, {
      id: officeHours.id,
      title: officeHours.title,
      descriptionMarkdown: officeHours.descriptionMd,
      startsAt: officeHours.startsAt,
      endsAt: officeHours.endsAt,
    }),
    personRows(db, userId, sessions, sessions.userId, {
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
    }),
    personRows(db, userId, accounts, accounts.userId, { provider: accounts.providerId, createdAt: accounts.createdAt }),
    personRows(db, userId, emailOutbox, emailOutbox.userId, {
      subject: emailOutbox.subject,
      kind: emailOutbox.kind,
      status: emailOutbox.status,
      to: emailOutbox.toAddress,
      createdAt: emailOutbox.createdAt,
    })
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
    personRows(db, userId, avatarImages, avatarImages.userId, { size: avatarImages.size, hash: avatarImages.hash }),
    personRows(db, userId, savedPosts, savedPosts.userId, {
      postId: savedPosts.postId,
      savedAt: savedPosts.createdAt,
    }).orderBy(desc(savedPosts.createdAt)),
    postImagesUploadedBy(db, userId),
    // Their own words about others' posts; who decided and how much the flag weighed stay moderators' business.
    personRows(db, userId, flags, flags.flaggerId, {
      targetType: flags.targetType,
      targetId: flags.targetId,
      reason: flags.reason,
      details: flags.details,
      status: flags.status,
      createdAt: flags.createdAt,
    }).orderBy(asc(flags.createdAt), asc(flags.id)),
    personRows(db, userId, passkeys, passkeys.userId, {
      name: passkeys.name,
      createdAt: passkeys.createdAt,
      lastUsedAt: passkeys.lastUsedAt,
    }).orderBy(asc(passkeys.createdAt)),
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
      passkeys: passkeyRows,
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
    savedForLater: savedRows,
    // A picture a moderator took down stays listed (PeerDesk keeps its marker, and their post may still mention it),
    // marked with when, and without a link: its address answers 404 and the zip download has no file for it.
    picturesAddedToPosts: pictureRows.map((row) => ({
      ...row,
      url: row.takenDownAt ? null : `${baseURL}/images/${row.hash}.webp`,
    })),
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
    flagsFiled: flagRows,
  };
}

function postUrl(baseURL: string, post: { id: number; kind: string; questionId: number | null }): string {
  if (post.kind === "howto") return `${baseURL}/howtos/${post.id}`;
  if (post.kind === "answer" && post.questionId) return `${baseURL}/q/${post.questionId}#answer-${post.id}`;
  return `${baseURL}/q/${post.id}`;
}

export type AccountData = Awaited<ReturnType<typeof exportAccountData>>;
