/** The moderation log: every moderator or admin action is recorded, and the record is public. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { moderationLog, users } from "#db/schema";

export type ModerationEntry = {
  actorId: string | null;
  action: string;
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
