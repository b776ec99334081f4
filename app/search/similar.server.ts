/** Questions like a title being asked: what the ask form lists as the title is typed, and beside a refused question. */
import type { SimilarFound } from "~/components/SimilarQuestions";
import { type SearchServices, findSimilarQuestions } from "./engine.server";
import { hitPath } from "./present";

/** Shorter titles are not looked up: a few letters match everything. */
const MIN_TITLE_LENGTH = 8;

/** Up to five questions like `title` (solved ones first); null when the title is too short to look up. Throws when search fails. */
export async function similarQuestionsFor(services: SearchServices, title: string): Promise<SimilarFound | null> {
  const typed = title.slice(0, 300).trim();
  if (typed.length < MIN_TITLE_LENGTH) return null;
  const hits = await findSimilarQuestions(services, typed, { limit: 5 });
  return {
    title: typed,
    questions: hits.map((hit) => ({
      id: hit.id,
      url: hitPath(hit),
      titleHtml: hit.titleHtml,
      isSolved: hit.isSolved,
      answerCount: hit.answerCount,
      spaceName: hit.spaceName,
    })),
  };
}
