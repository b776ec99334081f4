/** Hands the glossary's synonym groups to the search engine: at start, and after every glossary change. */
import type { Db } from "#db/client.server";
import { logEvent } from "~/lib/log.server";
import { synonymGroups } from "~/models/glossary.server";
import type { SearchEngine } from "./types";

/**
 * Applies the current groups to an engine that keeps synonyms itself (Meilisearch); the embedded engine reads
 * `synonymGroups` at query time instead. Never throws: a glossary edit must not fail because search is down, and the
 * next start applies the groups again.
 */
export async function applyGlossarySynonyms(db: Db, engine: SearchEngine): Promise<void> {
  if (!engine.setSynonyms) return;
  try {
    const groups = await synonymGroups(db);
    await engine.setSynonyms(groups);
    logEvent("info", "search synonyms applied", { engine: engine.name, groups: groups.length });
  } catch (error) {
    logEvent("error", "search synonyms not applied; they will be on the next start or glossary change", {
      engine: engine.name,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
