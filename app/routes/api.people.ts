/** GET /api/people?q=… — up to 6 members whose handle or name starts with q, for @mention suggestions (signed-in only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/auth/session.server";
import { findPeopleForMention } from "~/models/users.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user) return Response.json({ people: [], error: "Sign in to mention people." }, { status: 401 });
  const query = (new URL(request.url).searchParams.get("q") ?? "").trim().toLowerCase().slice(0, 40);
  if (!/^[a-z0-9][a-z0-9 -]*$/.test(query)) return Response.json({ people: [] });
  const people = await findPeopleForMention(context.services.db, query, 6);
  return Response.json({ people }, { headers: { "Cache-Control": "private, max-age=60" } });
}
