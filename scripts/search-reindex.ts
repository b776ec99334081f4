/**
 * npm run search:reindex: rebuilds the search index (Meilisearch when MEILISEARCH_URL is set, else the embedded
 * engine) from the database with a progress bar. Searches keep answering from the old index until the new one is
 * complete and swapped in; changes made meanwhile reach both.
 */
import { createSearchEngine, reindexAll } from "~/search/engine.server";
import { parseEnv } from "~/lib/env.server";
import { progressBar } from "../bench/lib";
import { openConfiguredDatabase } from "./lib";

const env = parseEnv(process.env);
const database = await openConfiguredDatabase();
try {
  await database.migrate();
  const engine = createSearchEngine(env, database.db);
  console.error(`Rebuilding the ${engine.name} search index…`);
  let bar: ReturnType<typeof progressBar> | undefined;
  const result = await reindexAll(database.db, engine, (indexed, total) => {
    bar ??= progressBar("documents", total);
    bar.update(indexed);
  });
  bar?.finish();
  console.log(
    `Indexed ${result.indexed.toLocaleString("en")} documents (${result.total.toLocaleString("en")} visible posts) in ${(result.ms / 1000).toFixed(1)} s with ${engine.name}.`,
  );
} catch (error) {
  console.error(`\nReindexing failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
