/** The search outbox: writes that change searchable content record the post here in the same transaction. */
import type { Db } from "#db/client.server";
import { searchOutbox } from "#db/schema";

/** Call with the transaction handle of the write, so the index update is never lost or early. */
export async function enqueueSearchUpdate(
  tx: Db,
  postIds: number[],
  op: "upsert" | "delete" = "upsert",
): Promise<void> {
  const unique = [...new Set(postIds)];
  if (unique.length === 0) return;
  await tx.insert(searchOutbox).values(unique.map((postId) => ({ postId, op })));
}
