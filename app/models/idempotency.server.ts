/** Idempotent form submits: the first submit with a key does the work; a repeat (double click, retry) gets the same result. */
import { randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { idempotencyKeys } from "#db/schema";
import { PostingError } from "./post-errors.server";

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** Said when a form's key isn't one a page made (an old or altered page); the form keeps what was typed. */
export const FORM_EXPIRED_MESSAGE = "This form expired. Please submit it again: what you typed is still here.";

/**
 * Runs `work` once per (user, scope, key), inside one transaction with the key's row, so two simultaneous
 * submits cannot both create a post: the second waits on the key's primary key and then sees the result.
 * The scope names the form the key came from (a question, an answer to question 94, a how-to): a key sent again
 * with another form (a page kept open, a tampered field) is a new submission there, never the other form's result.
 */
export async function once<T extends Record<string, unknown>>(
  db: Db,
  { userId, scope, key: formKey }: { userId: string; scope: string; key: string },
  work: (tx: Db) => Promise<T>,
): Promise<{ result: T; isRepeat: boolean }> {
  // Routes check the key first; a caller that doesn't still gets a refusal in words (400), never a server error.
  if (!IDEMPOTENCY_KEY_PATTERN.test(formKey)) throw new PostingError(FORM_EXPIRED_MESSAGE, {}, 400);
  const key = `${scope}:${formKey}`;
  const previous = await findResult<T>(db, userId, key);
  if (previous) return { result: previous, isRepeat: true };
  try {
    return await db.transaction(async (tx) => {
      // Claim the key first: a concurrent submit blocks here until this transaction ends, then fails on the key.
      await tx.insert(idempotencyKeys).values({ userId, key, result: {} });
      const result = await work(tx);
      await tx
        .update(idempotencyKeys)
        .set({ result })
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
      return { result, isRepeat: false };
    });
  } catch (error) {
    const repeated = await findResult<T>(db, userId, key);
    if (repeated) return { result: repeated, isRepeat: true };
    throw error;
  }
}

async function findResult<T>(db: Db, userId: string, key: string): Promise<T | null> {
  const [row] = await db
    .select({ result: idempotencyKeys.result })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row ? (row.result as T) : null;
}

/** Keys only need to outlive retries; old ones are pruned. */
export async function pruneIdempotencyKeys(db: Db, olderThan: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, olderThan));
}

/** A fresh random key for a form's hidden `idempotencyKey` field (see idempotency.server.ts). */
export function newIdempotencyKey(): string {
  return randomBytes(16).toString("base64url");
}
