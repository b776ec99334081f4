/** Where an answer is read: the short link /a/:id (an answer's "Share") and a question address given an answer's id. */
import type { Db } from "#db/client.server";
import { answerAnchor, answerPath, questionPath } from "~/lib/qa";
import { originalReaderIsSentTo } from "./closure.server";
import { getQuestionClosure, getQuestionPage } from "./question-page-memo.server";
import { getPostMeta } from "./posts.server";

/**
 * The answer's place on its question's page (`/q/:id/:slug#answer-:id`), or null when there is no such answer or this
 * reader could not see it there (a deleted answer or question: staff only, as the page itself decides). On a question
 * closed as a duplicate the address asks to stay (`?stay=1`): otherwise the page sends the reader on to the original,
 * which has no such answer.
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
  const { id, title } = page.question;
  if (!originalReaderIsSentTo(await getQuestionClosure(db, id))) return answerPath(id, title, answerId);
  return `${questionPath(id, title)}?stay=1#${answerAnchor(answerId)}`;
}
