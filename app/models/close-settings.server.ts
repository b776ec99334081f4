/** The closing feature's community setting: how many trusted members' votes close or reopen a question. */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { closingSettings } from "#db/schema";
import { recordModeration } from "./moderation.server";
import type { Actor } from "./permissions.server";
import { PostingError, assertCan } from "./post-errors.server";

export const DEFAULT_CLOSE_VOTES_NEEDED = 3;
const CLOSE_VOTES_SETTING = "close_votes_needed";

/** How many trusted members' votes close (or reopen) a question: a community setting, three unless changed. */
export async function getCloseVotesNeeded(db: Db): Promise<number> {
  const [row] = await db
    .select({ value: closingSettings.value })
    .from(closingSettings)
    .where(eq(closingSettings.key, CLOSE_VOTES_SETTING))
    .limit(1);
  return row?.value ?? DEFAULT_CLOSE_VOTES_NEEDED;
}

/** Admins change the number of votes needed (1–10); logged like every staff action. */
export async function setCloseVotesNeeded(db: Db, { actor, value }: { actor: Actor; value: number }): Promise<void> {
  assertCan(actor, "space.edit", undefined, "Only admins change community settings.");
  if (!Number.isInteger(value) || value < 1 || value > 10)
    throw new PostingError("Choose between 1 and 10 votes.", { value: "Choose between 1 and 10 votes." });
  await db.transaction(async (tx) => {
    await tx
      .insert(closingSettings)
      .values({ key: CLOSE_VOTES_SETTING, value })
      .onConflictDoUpdate({ target: closingSettings.key, set: { value, updatedAt: new Date() } });
    await recordModeration(tx, {
      actorId: actor.id,
      action: "settings.closeVotesNeeded",
      targetType: "setting",
      targetId: CLOSE_VOTES_SETTING,
      details: { value },
    });
  });
}
