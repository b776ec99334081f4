/** The moderation log: every moderator or admin action is recorded, and the record is public. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { moderationLog, users } from "#db/schema";

/**
 * Every action the log records, with the words the public log shows after the person's name. A new action must be
 * added here to be recorded at all, so the log never shows a code like "question.move" to readers.
 */
const ACTION_WORDS = {
  "space.create": "created a space",
  "space.edit": "edited a space",
  "space.reorder": "reordered spaces",
  "space.archive": "archived a space",
  "space.unarchive": "restored a space",
  "user.role": "changed a member's role",
  "user.ban": "banned a member",
  "user.unban": "lifted a ban",
  "user.silence": "silenced a member",
  "user.unsilence": "lifted a member's silence",
  "user.delete": "deleted an account at the person's request",
  "user.export": "downloaded a member's data for them",
  "profile.hide": "hid a member's profile (bio, picture, mentoring note)",
  "profile.show": "showed a hidden profile again",
  "glossary.create": "added a glossary term",
  "glossary.edit": "edited a glossary term",
  "glossary.delete": "removed a glossary term",
  "post.delete": "deleted a post",
  "post.restore": "restored a deleted post",
  "question.close": "closed a question",
  "question.reopen": "reopened a question",
  "question.move": "moved a question to another space",
  "question.mergeAnswers": "merged a duplicate's answers into the original",
  "question.revealAsker": "looked up who asked an anonymous question",
  "question.keepClosed": "kept a closed question closed after its edit or reopen votes",
  "howto.suggestion.accept": "accepted a suggested edit to a how-to",
  "howto.suggestion.reject": "declined a suggested edit to a how-to",
  "settings.closeVotesNeeded": "changed the number of votes that close a question",
  "signup.domains": "changed which email domains may join",
  "security.requireStaffTwoFactor": "required two-step sign-in for moderators and admins",
  "security.relaxStaffTwoFactor": "stopped requiring two-step sign-in for moderators and admins",
  // Review queue decisions: what was decided and why, never who flagged.
  "review.keep": "kept flagged or held content",
  "review.hide": "hid flagged or held content",
  "review.warn": "hid content and warned its author",
  "review.silence": "hid content and silenced its author",
  "review.close": "settled flags by closing the question",
  "site.backup": "made a backup of the site's database",
  "site.backupDownload": "downloaded a backup of the site's database",
  "image.remove": "took down a picture shown in posts",
} as const;

export type ModerationAction = keyof typeof ACTION_WORDS;

/** The public log's words for an action (one recorded by an older version without words reads as itself). */
export function describeModerationAction(action: string): string {
  return Object.hasOwn(ACTION_WORDS, action) ? ACTION_WORDS[action as ModerationAction] : action;
}

/**
 * Actions whose reason stays with the admins: an account deletion's note says whose request it was and how they asked,
 * which is exactly what deleting the account takes out of public view. Checked by action, so older rows are hidden too.
 */
const ADMIN_ONLY_REASONS: ReadonlySet<string> = new Set<ModerationAction>(["user.delete"]);

/** The reason the public log shows for an entry: none for actions whose reason is for admins only. */
export function publicModerationReason(action: string, reason: string): string {
  return ADMIN_ONLY_REASONS.has(action) ? "" : reason;
}

export type ModerationEntry = {
  actorId: string | null;
  action: ModerationAction;
  targetType: string;
  targetId: string;
  reason?: string;
  details?: Record<string, unknown>;
};

/** Records an action; pass the transaction handle so the record and the change commit together. */
export async function recordModeration(db: Db, entry: ModerationEntry): Promise<void> {
  await db.insert(moderationLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    reason: entry.reason ?? "",
    details: entry.details ?? {},
  });
}

export async function listModerationLog(db: Db, { limit = 50 }: { limit?: number } = {}) {
  return db
    .select({
      id: moderationLog.id,
      action: moderationLog.action,
      targetType: moderationLog.targetType,
      targetId: moderationLog.targetId,
      reason: moderationLog.reason,
      details: moderationLog.details,
      createdAt: moderationLog.createdAt,
      actorName: users.name,
      actorHandle: users.handle,
    })
    .from(moderationLog)
    .leftJoin(users, eq(users.id, moderationLog.actorId))
    .orderBy(desc(moderationLog.createdAt), desc(moderationLog.id))
    .limit(limit);
}
