/** Questions like the one being asked: `GET /api/similar-questions?title=…` → up to 5, solved ones first. Used by the ask form as the title is typed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { logEvent } from "~/lib/log.server";
import { findSimilarQuestions } from "~/search/engine.server";
import { hitPath } from "~/search/present";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get("title") ?? "").slice(0, 300).trim();
  if (title.length < 8) return Response.json({ title, questions: [] });
  try {
    const hits = await findSimilarQuestions(context.services, title, { limit: 5 });
    const questions = hits.map((hit) => ({
      id: hit.id,
      url: hitPath(hit),
      titleHtml: hit.titleHtml,
      isSolved: hit.isSolved,
      answerCount: hit.answerCount,
      spaceName: hit.spaceName,
    }));
    return Response.json({ title, questions }, { headers: { "Cache-Control": "private, max-age=30" } });
  } catch (error) {
    logEvent("error", "similar questions failed", { error: error instanceof Error ? error.message : String(error) });
    return Response.json(
      { title, questions: [], message: "Similar questions can't be looked up right now." },
      { status: 503 },
    );
  }
}
