/** What edit forms that carry the version they opened on share when a save is refused because of a newer one. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users } from "#db/schema";

/**
 * Who saved the version the refused edit did not know about, as the start of its message: "You changed this space
 * in another tab or window", "Ada Admin changed this space", or "Someone changed …" when that person is gone.
 */
export async function whoChanged(db: Db, what: string, changedBy: string | null, editorId: string): Promise<string> {
  if (changedBy === editorId) return `You changed this ${what} in another tab or window`;
  const [editor] = changedBy ? await db.select({ name: users.name }).from(users).where(eq(users.id, changedBy)) : [];
  return `${editor?.name || "Someone"} changed this ${what}`;
}
