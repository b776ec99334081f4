/**
 * /a/:id, an answer's short and lasting link (what "Share" under an answer gives): it leads to the answer on its
 * question's page, wherever the question's title has moved its address since. Its author's own answer held for review
 * is not missing: they get a page saying it waits (everyone else a 404, as for a removed answer).
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { HeldPostNotice } from "~/components/QuestionPostParts";
import { requireId } from "~/lib/ids";
import { answerLocation } from "~/models/answer-links.server";
import { can } from "~/models/permissions.server";
import { heldPostOfAuthor } from "~/models/post-deletion.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = requireId(params.id, "There is no answer at this address.");
  const user = await getCurrentUser(request, context);
  const includeDeleted = can(asActor(user), "post.viewDeleted");
  const location = await answerLocation(context.services.db, id, { includeDeleted });
  if (!location) {
    // Its author's own answer held for review is not missing: they get a page saying what happens next.
    const held = await heldPostOfAuthor(context.services.db, { postId: id, viewerId: user?.id ?? null });
    if (held?.kind === "answer")
      return data({ heldAnswer: { title: held.title } }, { headers: { "Cache-Control": "private, no-store" } });
    throw new Response("This answer doesn't exist or was removed.", { status: 404 });
  }
  throw redirect(location, { status: 302, headers: { "Cache-Control": "no-cache" } });
}

export const meta: MetaFunction<typeof loader> = ({ data: page, error }) =>
  error || !page
    ? errorMeta(error)
    : [{ title: `Your answer to “${page.heldAnswer.title}” · waiting for review · PeerDesk` }];

/** Shown only to the author of a held answer: everyone else is redirected or gets the error page. */
export default function AnswerLink() {
  const { heldAnswer } = useLoaderData<typeof loader>();
  return <HeldPostNotice kind="answer" title={heldAnswer.title} />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
