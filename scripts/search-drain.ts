/**
 * npm run search:drain: a worker that sends the search outbox to the engine, for deployments that run it apart from
 * the app processes (set SEARCH_DRAIN=false on those). Runs until stopped; `--once` drains what is due and exits
 * (exit code 1 if the engine refused a batch, whose rows stay for the next try).
 */
import { drainSearchOutbox, pendingSearchUpdates, startSearchDrain } from "~/search/drain.server";
import { createSearchEngine } from "~/search/engine.server";
import { parseEnv } from "~/lib/env.server";
import { logEvent } from "~/lib/log.server";
import { openConfiguredDatabase } from "./lib";

const env = parseEnv(process.env);
const database = await openConfiguredDatabase();
await database.migrate();
const engine = createSearchEngine(env, database.db);
try {
  await engine.setup();
} catch (error) {
  // An engine that isn't there (MEILISEARCH_URL pointing at nothing) is an operator's matter: one line, not a stack.
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
  const advice = env.MEILISEARCH_URL ? " Check MEILISEARCH_URL and that Meilisearch is running there." : "";
  console.error(`Draining the search outbox failed: ${reason}.${advice}`);
  await database.close();
  process.exit(1);
}

if (process.argv.includes("--once")) {
  try {
    const before = await pendingSearchUpdates(database.db);
    const result = await drainSearchOutbox(database.db, engine);
    const after = await pendingSearchUpdates(database.db);
    console.log(
      `Sent ${result.upserted} documents and ${result.removed} removals from ${result.claimed} of ${before.pending} pending changes to ${engine.name}; ${after.pending} left` +
        (result.error ? ` (the engine refused a batch: ${result.error})` : "."),
    );
    if (result.error) process.exitCode = 1;
  } finally {
    await database.close();
  }
} else {
  const pending = await pendingSearchUpdates(database.db);
  logEvent("info", "search outbox worker started", {
    engine: engine.name,
    pending: pending.pending,
    failing: pending.failing,
  });
  const drain = startSearchDrain(database.db, engine);
  const stop = async (signal: string) => {
    logEvent("info", "search outbox worker stopping", { signal });
    await drain.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // The drain's timer is unref'd; this keeps the worker alive until a signal.
  setInterval(() => {}, 1 << 30);
}
