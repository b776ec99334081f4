/** Where a search hit leads and how its kind is named, shared by the search page, the header suggestions and the JSON API. */
import { howtoPath } from "~/lib/howtos";
import { answerPath, questionPath } from "~/lib/qa";
import type { SearchHit, SearchKind } from "./types";

export const KIND_LABELS: Record<SearchKind, { one: string; many: string }> = {
  question: { one: "Question", many: "Questions" },
  answer: { one: "Answer", many: "Answers" },
  howto: { one: "How-to", many: "How-tos" },
  discussion: { one: "Discussion", many: "Discussions" },
  session: { one: "Session answer", many: "Session answers" },
};

export function hitPath(hit: Pick<SearchHit, "id" | "kind" | "questionId" | "title">): string {
  if (hit.kind === "howto") return howtoPath(hit.id);
  if (hit.kind === "session" && hit.questionId) return `/sessions/${hit.questionId}#q-${-hit.id}`;
  if (hit.kind === "answer" && hit.questionId) return answerPath(hit.questionId, hit.title, hit.id);
  return questionPath(hit.id, hit.title);
}
