/**
 * A question's related questions and how-tos, remembered for a minute per question: the same for every reader, four
 * queries to compute, and nobody is misled if a brand-new question shows up among them a minute late (an edited title
 * or a deletion likewise). One cache per database, so tests with their own databases never share entries.
 */
import type { Db } from "#db/client.server";
import { createTtlCache, type TtlCache } from "~/lib/ttl-cache.server";
import { type RelatedItem, listRelatedContent } from "./howto-lists.server";
import { type QuestionRow, listRelatedQuestions } from "./question-lists.server";

export const RELATED_TTL_MS = 60_000;

type Related = { related: QuestionRow[]; relatedHowtos: RelatedItem[] };

const caches = new WeakMap<Db, TtlCache<Related>>();

export async function relatedToQuestion(db: Db, question: { id: number; spaceId: number }): Promise<Related> {
  let cache = caches.get(db);
  if (!cache) {
    cache = createTtlCache<Related>({ ttlMs: RELATED_TTL_MS, maxEntries: 5_000 });
    caches.set(db, cache);
  }
  const { value } = await cache.get(String(question.id), async () => {
    const related = await listRelatedQuestions(db, question.id, 5, question.spaceId);
    const relatedHowtos = await listRelatedContent(db, question.id, 3, ["howto"]);
    return { related, relatedHowtos };
  });
  return value;
}
