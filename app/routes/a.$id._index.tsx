/**
 * /a/:id, an answer's short and lasting link (what "Share" under an answer gives): it leads to the answer on its
 * question's page, wherever the question's title has moved its address since.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { ErrorPage } from "~/components/ErrorPage";
import { requireId } from "~/lib/ids";
import { answerLocation } from "~/models/answer-links.server";
import { can } from "~/models/permissions.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = requireId(params.id, "There is no answer at this address.");
  const user = await getCurrentUser(request, context);
  const includeDeleted = can(asActor(user), "post.viewDeleted");
  const location = await answerLocation(context.services.db, id, { includeDeleted });
  if (!location) throw new Response("This answer doesn't exist or was removed.", { status: 404 });
  throw redirect(location, { status: 302, headers: { "Cache-Control": "no-cache" } });
}

/** Never shown: the loader always answers with a redirect or an error. */
export default function AnswerLink() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
