/** Questions like the one being asked: `GET /api/similar-questions?title=…` → up to 5, solved ones first. Used by the ask form as the title is typed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { logEvent } from "~/lib/log.server";
import { similarQuestionsFor } from "~/search/similar.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("title") ?? "";
  const title = typed.slice(0, 300).trim();
  try {
    const found = await similarQuestionsFor(context.services, typed);
    if (!found) return Response.json({ title, questions: [] });
    return Response.json(found, { headers: { "Cache-Control": "private, max-age=30" } });
  } catch (error) {
    logEvent("error", "similar questions failed", { error: error instanceof Error ? error.message : String(error) });
    return Response.json(
      { title, questions: [], message: "Similar questions can't be looked up right now." },
      { status: 503 },
    );
  }
}
