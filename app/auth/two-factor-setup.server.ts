/**
 * One set-up of two-step sign-in at a time per person. A double press of "Set up two-step sign-in" (or two tabs) must
 * not make two secrets: the QR code one of the pages shows would never work. The first press claims the set-up with a
 * placeholder row (two_factors holds one row per person) that better-auth's enable then fills in with the secret; a
 * press meanwhile waits for it, then shows that same secret.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { twoFactors } from "#db/schema";

/** The placeholder's secret: this prefix and when it was claimed (never a secret better-auth could have written). */
const PLACEHOLDER_PREFIX = "setting-up:";
/** A placeholder this old was left by a request that never finished (a crash): the next press may take it over. */
const ABANDONED_AFTER_MS = 60_000;
const POLL_MS = 100;

export type SetUpClaim =
  /** This request makes the secret (better-auth's enable fills the placeholder in; `release` it if that fails). */
  | { kind: "claimed"; placeholder: string }
  /** A secret exists, not yet confirmed by a code: show it again. */
  | { kind: "pending" }
  /** Two-step sign-in is on already. */
  | { kind: "on" }
  /** Another request is still making the secret and did not finish in time. */
  | { kind: "busy" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Claims the set-up for this request, or says what another request already made of it (waiting up to `waitMs`). */
export async function claimTwoFactorSetUp(
  db: Db,
  userId: string,
  { waitMs = 5_000 }: { waitMs?: number } = {},
): Promise<SetUpClaim> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const placeholder = `${PLACEHOLDER_PREFIX}${Date.now()}`;
    const inserted = await db
      .insert(twoFactors)
      .values({ id: randomUUID(), userId, secret: placeholder, backupCodes: "", verified: false })
      .onConflictDoNothing({ target: twoFactors.userId })
      .returning({ id: twoFactors.id });
    if (inserted.length > 0) return { kind: "claimed", placeholder };
    const [row] = await db
      .select({ secret: twoFactors.secret, verified: twoFactors.verified })
      .from(twoFactors)
      .where(eq(twoFactors.userId, userId))
      .limit(1);
    if (row && !row.secret.startsWith(PLACEHOLDER_PREFIX))
      return row.verified === false ? { kind: "pending" } : { kind: "on" };
    const claimedAt = Number(row?.secret.slice(PLACEHOLDER_PREFIX.length));
    if (row && !(Date.now() - claimedAt <= ABANDONED_AFTER_MS)) {
      const taken = await db
        .update(twoFactors)
        .set({ secret: placeholder })
        .where(and(eq(twoFactors.userId, userId), eq(twoFactors.secret, row.secret)))
        .returning({ id: twoFactors.id });
      if (taken.length > 0) return { kind: "claimed", placeholder };
    }
    if (Date.now() >= deadline) return { kind: "busy" };
    // A placeholder: wait for its secret. No row: the other press failed and let go, so claim again at once.
    if (row) await sleep(POLL_MS);
  }
}

/** Lets go of a claim whose secret was never made (a wrong password), so the next press can start afresh. */
export async function releaseTwoFactorSetUp(db: Db, userId: string, placeholder: string): Promise<void> {
  await db.delete(twoFactors).where(and(eq(twoFactors.userId, userId), eq(twoFactors.secret, placeholder)));
}
