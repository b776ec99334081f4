/**
 * A question's related questions and how-tos, remembered for a minute per question: the same for every reader, four
 * queries to compute, and nobody is misled if a brand-new question shows up among them a minute late (an edited title
 * or a deletion likewise). One cache per database, so tests with their own databases never share entries. Questions
 * closed as duplicates are left out (their page sends readers on to the original, which takes their place); one closed
 * less than a minute ago may still be listed, like a deletion, and leads to its original meanwhile.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { questionClosures } from "#db/schema";
import { createTtlCache, type TtlCache } from "~/lib/ttl-cache.server";
import { resolveOriginal } from "./closure.server";
import { type RelatedItem, listRelatedContent } from "./howto-lists.server";
import { type QuestionRow, listRecentQuestions, listRelatedQuestions } from "./question-lists.server";

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
    return { related: await withoutClosedDuplicates(db, question.id, related), relatedHowtos };
  });
  return value;
}

/**
 * The list without questions closed as duplicates (their page sends readers on to the original): each one's original
 * takes its place, unless that is the page's own question or listed already.
 */
async function withoutClosedDuplicates(db: Db, pageQuestionId: number, rows: QuestionRow[]): Promise<QuestionRow[]> {
  if (rows.length === 0) return rows;
  const closed = await db
    .select({ id: questionClosures.questionId })
    .from(questionClosures)
    .where(
      and(
        eq(questionClosures.reason, "duplicate"),
        inArray(
          questionClosures.questionId,
          rows.map((row) => row.id),
        ),
      ),
    );
  if (closed.length === 0) return rows;
  const closedIds = new Set(closed.map((row) => row.id));
  const listed = new Set([pageQuestionId, ...rows.filter((row) => !closedIds.has(row.id)).map((row) => row.id)]);
  const originalOf = new Map<number, number>();
  for (const row of rows) {
    if (!closedIds.has(row.id)) continue;
    const original = await resolveOriginal(db, row.id);
    if (!original || listed.has(original.id)) continue;
    originalOf.set(row.id, original.id);
    listed.add(original.id);
  }
  const originals = await listRecentQuestions(db, { ids: [...originalOf.values()], limit: originalOf.size });
  return rows.flatMap((row) => {
    if (!closedIds.has(row.id)) return [row];
    const original = originals.find((candidate) => candidate.id === originalOf.get(row.id));
    return original ? [original] : [];
  });
}
