/** Server-side drafts for signed-in writers: saved as they type, restored when they come back, removed once posted. */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { drafts } from "#db/schema";

export const DRAFT_KEY_PATTERN = /^(question|answer|howto|comment):[a-z0-9:-]{1,40}$/;
export const DRAFT_MAX_BYTES = 200_000;

export class DraftError extends Error {}

/**
 * The fields of the ask, answer and how-to forms that are choices or the form's own bookkeeping, not text typed: left as
 * the empty form had them (a space, an audience, a box), they are no reason to keep a draft.
 */
const CHOICE_FIELDS = new Set([
  "spaceId",
  "audience",
  "anonymous",
  "plainLanguage",
  "difficulty",
  "invite",
  "baseRevision",
  "baseUpdatedAt",
  "idempotencyKey",
  "intent",
  "js",
]);

/** Whether any field of a draft other than its choices holds text: the rule for every form's autosave. */
export function holdsTypedText(content: Record<string, string>): boolean {
  return hasTypedText(
    content,
    Object.keys(content).filter((field) => !CHOICE_FIELDS.has(field)),
  );
}

/**
 * Keeps what the writer has typed so far. A form with nothing typed in it (every text field empty again, or never
 * filled) is no draft: any draft kept before is removed instead, so "the question you started earlier" never comes
 * back empty. Says which it did.
 */
export async function saveDraft(
  db: Db,
  { userId, draftKey, content }: { userId: string; draftKey: string; content: Record<string, string> },
): Promise<{ isKept: boolean }> {
  if (!DRAFT_KEY_PATTERN.test(draftKey)) throw new DraftError("Unknown draft.");
  if (JSON.stringify(content).length > DRAFT_MAX_BYTES) throw new DraftError("This draft is too large to save.");
  if (!holdsTypedText(content)) {
    await discardDraft(db, { userId, draftKey });
    return { isKept: false };
  }
  await db
    .insert(drafts)
    .values({ userId, draftKey, content, updatedAt: new Date() })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.draftKey], set: { content, updatedAt: sql`now()` } });
  return { isKept: true };
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
