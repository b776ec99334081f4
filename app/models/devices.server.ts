/**
 * Where a person is signed in: their sessions as devices, and signing one or all others out. Sessions are deleted
 * from the database, and every request confirms its session row (app/auth/viewer.server.ts), so a signed-out
 * device is out on its very next request, whatever its cookie cache still says.
 */
import { and, desc, eq, gt, ne } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { sessions } from "#db/schema";
import { describeAddress, describeUserAgent } from "~/lib/user-agent";

export type Device = {
  id: string;
  device: string;
  place: string;
  signedInAt: Date;
  /** The last time the session was renewed or created: better-auth refreshes it at most once a day. */
  lastSeenAt: Date;
  isCurrent: boolean;
};

export async function listDevices(db: Db, { userId, currentSessionId }: { userId: string; currentSessionId: string }) {
  const rows = await db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
      createdAt: sessions.createdAt,
      updatedAt: sessions.updatedAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.updatedAt), desc(sessions.createdAt))
    .limit(100);
  const devices: Device[] = rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.userAgent),
    place: describeAddress(row.ipAddress),
    signedInAt: row.createdAt,
    lastSeenAt: new Date(Math.max(row.updatedAt.getTime(), row.createdAt.getTime())),
    isCurrent: row.id === currentSessionId,
  }));
  // This device first.
  return devices.sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent));
}

/** Signs one of the person's own devices out; false when there is no such session of theirs. */
export async function signOutDevice(db: Db, { userId, sessionId }: { userId: string; sessionId: string }) {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return deleted.length > 0;
}

/** Signs out every device but this one; returns how many. */
export async function signOutOtherDevices(
  db: Db,
  { userId, currentSessionId }: { userId: string; currentSessionId: string },
): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, currentSessionId)))
    .returning({ id: sessions.id });
  return deleted.length;
}
