/**
 * Sends the search outbox to the engine. Writes record changed posts in `search_outbox` inside their own
 * transaction; this drain claims due rows (a lease, so a crashed worker's rows come back), reads each post's
 * current state from the database, sends it, and deletes the rows only after the engine confirmed. A failure
 * keeps the rows for a retry with exponential backoff (2 s, 4 s … 10 min) and records the error.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "#db/client.server";
import { logEvent } from "~/lib/log.server";
import { startLoop } from "~/lib/loop.server";
import { loadSearchDocuments } from "./documents.server";
import type { SearchEngine } from "./types";

export type DrainOptions = {
  /** Posts per batch. */
  batchSize?: number;
  /** How long a claimed row stays invisible to other workers; after that a crashed worker's rows are retried. */
  leaseSeconds?: number;
};

export type DrainBatch = { claimed: number; upserted: number; removed: number; error: string | null };

type Claimed = { id: number; post_id: number; attempts: number };

/** Claims and sends one batch; resolves with what happened (never throws for engine errors). */
export async function drainSearchBatch(db: Db, engine: SearchEngine, options: DrainOptions = {}): Promise<DrainBatch> {
  const batchSize = options.batchSize ?? 200;
  const lease = options.leaseSeconds ?? 120;
  // Every due row of the chosen posts at once, so one post's changes are never split between two workers.
  const claimed = await queryRows<Claimed>(
    db,
    sql`
      update search_outbox o set next_attempt_at = now() + make_interval(secs => ${lease}), attempts = o.attempts + 1
      where o.next_attempt_at <= now()
        and o.post_id in (select post_id from search_outbox where next_attempt_at <= now() order by id limit ${batchSize})
      returning o.id, o.post_id, o.attempts`,
  );
  if (claimed.length === 0) return { claimed: 0, upserted: 0, removed: 0, error: null };
  const ids = `{${claimed.map((row) => row.id).join(",")}}`;
  const postIds = [...new Set(claimed.map((row) => row.post_id))];
  try {
    // A question's title, tags and deletion show in its answers' documents too.
    const answers = await queryRows<{ id: number }>(
      db,
      sql`select id from posts where kind = 'answer' and parent_id = any(${`{${postIds.join(",")}}`}::int[])`,
    );
    const { documents, missingOrHidden } = await loadSearchDocuments(db, [...postIds, ...answers.map((row) => row.id)]);
    await engine.upsert(documents);
    await engine.remove(missingOrHidden);
    await db.execute(sql`delete from search_outbox where id = any(${ids}::int[])`);
    return { claimed: claimed.length, upserted: documents.length, removed: missingOrHidden.length, error: null };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await db.execute(sql`
      update search_outbox set last_error = ${message},
        next_attempt_at = now() + make_interval(secs => least(600, power(2, attempts)::int))
      where id = any(${ids}::int[])`);
    return { claimed: claimed.length, upserted: 0, removed: 0, error: message };
  }
}

/** Drains until nothing is due (or a batch fails); returns the totals. */
export async function drainSearchOutbox(
  db: Db,
  engine: SearchEngine,
  options: DrainOptions = {},
): Promise<DrainBatch & { batches: number }> {
  const total = { claimed: 0, upserted: 0, removed: 0, error: null as string | null, batches: 0 };
  for (;;) {
    const batch = await drainSearchBatch(db, engine, options);
    if (batch.claimed === 0) return total;
    total.batches += 1;
    total.claimed += batch.claimed;
    total.upserted += batch.upserted;
    total.removed += batch.removed;
    if (batch.error) return { ...total, error: batch.error };
  }
}

export async function pendingSearchUpdates(
  db: Db,
): Promise<{ pending: number; failing: number; lastError: string | null }> {
  const [row] = await queryRows<{ pending: number; failing: number; last_error: string | null }>(
    db,
    sql`select count(*)::int as pending, count(*) filter (where last_error is not null)::int as failing,
      (select last_error from search_outbox where last_error is not null order by id desc limit 1) as last_error from search_outbox`,
  );
  return { pending: row?.pending ?? 0, failing: row?.failing ?? 0, lastError: row?.last_error ?? null };
}

/**
 * Runs the drain every `intervalMs` in this process until stopped. Failures are logged once per distinct error,
 * and the rows wait for their backoff; the loop itself never stops on an error.
 */
export function startSearchDrain(
  db: Db,
  engine: SearchEngine,
  options: DrainOptions & { intervalMs?: number } = {},
): { stop: () => Promise<void> } {
  const intervalMs = options.intervalMs ?? 1000;
  let lastError: string | null = null;
  const tick = async () => {
    try {
      const result = await drainSearchOutbox(db, engine, options);
      if (result.error && result.error !== lastError)
        logEvent("error", "search outbox: the engine refused an update; it will be retried", {
          engine: engine.name,
          error: result.error,
        });
      else if (!result.error && lastError)
        logEvent("info", "search outbox: the engine accepts updates again", { engine: engine.name });
      lastError = result.error;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) logEvent("error", "search outbox drain failed", { error: message });
      lastError = message;
    }
  };
  return startLoop(tick, intervalMs);
}
