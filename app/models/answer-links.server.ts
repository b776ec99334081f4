/** Where an answer is read: the short link /a/:id (an answer's "Share") and a question address given an answer's id. */
import type { Db } from "#db/client.server";
import { answerPath } from "~/lib/qa";
import { getQuestionPage } from "./question-page-memo.server";
import { getPostMeta } from "./posts.server";

/**
 * The answer's place on its question's page (`/q/:id/:slug#answer-:id`), or null when there is no such answer or this
 * reader could not see it there (a deleted answer or question: staff only, as the page itself decides).
 */
export async function answerLocation(
  db: Db,
  answerId: number,
  { includeDeleted }: { includeDeleted: boolean },
): Promise<string | null> {
  const meta = await getPostMeta(db, answerId);
  if (meta?.kind !== "answer" || meta.parentId === null) return null;
  const page = await getQuestionPage(db, meta.parentId, { includeDeleted });
  if (!page?.answers.some((answer) => answer.id === answerId)) return null;
  return answerPath(page.question.id, page.question.title, answerId);
}
