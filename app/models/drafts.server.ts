/** Server-side drafts for signed-in writers: saved as they type, restored when they come back, removed once posted. */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { drafts } from "#db/schema";

export const DRAFT_KEY_PATTERN = /^(question|answer|howto|comment):[a-z0-9:-]{1,40}$/;
export const DRAFT_MAX_BYTES = 200_000;

export class DraftError extends Error {}

export async function saveDraft(
  db: Db,
  { userId, draftKey, content }: { userId: string; draftKey: string; content: Record<string, string> },
): Promise<void> {
  if (!DRAFT_KEY_PATTERN.test(draftKey)) throw new DraftError("Unknown draft.");
  if (JSON.stringify(content).length > DRAFT_MAX_BYTES) throw new DraftError("This draft is too large to save.");
  await db
    .insert(drafts)
    .values({ userId, draftKey, content, updatedAt: new Date() })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.draftKey], set: { content, updatedAt: sql`now()` } });
}

export async function loadDraft(db: Db, { userId, draftKey }: { userId: string; draftKey: string }) {
  const [row] = await db
    .select({ content: drafts.content, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)))
    .limit(1);
  return row ?? null;
}

export async function discardDraft(db: Db, { userId, draftKey }: { userId: string; draftKey: string }): Promise<void> {
  await db.delete(drafts).where(and(eq(drafts.userId, userId), eq(drafts.draftKey, draftKey)));
}

/**
 * Whether a draft holds text the writer typed in any of `textFields`: one with only choices left (a space, an audience,
 * a box ticked) or fields cleared again is not worth restoring as "what you started earlier".
 */
export function hasTypedText(content: Record<string, string>, textFields: readonly string[]): boolean {
  return textFields.some((field) => (content[field] ?? "").trim() !== "");
}
