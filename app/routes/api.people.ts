/** GET /api/people?q=… — up to 6 members whose handle or name starts with q, for @mention suggestions (signed-in only). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/auth/session.server";
import { findPeopleForMention } from "~/models/users.server";

// Letters and digits of any script ("غريس", "fernández"), then also spaces and hyphens, as names are written.
const MENTION_QUERY = /^[\p{L}\p{N}][\p{L}\p{N}\p{M} -]*$/u;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  if (!user) return Response.json({ people: [], error: "Sign in to mention people." }, { status: 401 });
  const typed = (new URL(request.url).searchParams.get("q") ?? "").normalize("NFC").trim().toLowerCase();
  // Cut at 40 characters, not UTF-16 units, so a letter outside the BMP is never split in half.
  const query = [...typed.slice(0, 80)].slice(0, 40).join("");
  if (!MENTION_QUERY.test(query)) return Response.json({ people: [] });
  const people = await findPeopleForMention(context.services.db, query, 6);
  return Response.json({ people }, { headers: { "Cache-Control": "private, max-age=60" } });
}
