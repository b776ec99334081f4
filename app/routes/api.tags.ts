/** Tag suggestions for the tag field: `GET /api/tags?q=exch` → up to 10 existing tags, most used first. Public and briefly cacheable. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { normalizeTag } from "~/lib/tags";
import { TAG_SUGGESTION_LIMIT, suggestTags } from "~/models/tags.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const tags = await suggestTags(context.services.db, query, TAG_SUGGESTION_LIMIT);
  return Response.json(
    { query: normalizeTag(query), tags },
    { headers: { "Cache-Control": "public, max-age=60, stale-while-revalidate=300" } },
  );
}
