/** GET /q/:id/events — Server-Sent Events: `change` (answer or comment, and who wrote it) whenever the question gets one, in any app process. */
import { parseId } from "~/lib/ids";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { questionTopic } from "~/lib/realtime.server";
import { eventStream } from "~/lib/sse.server";
import { getPostMeta } from "~/models/posts.server";
import { isAnonymousQuestion } from "~/models/anonymity.server";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { can } from "~/models/permissions.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const questionId = parseId(params.id);
  const notFound = () =>
    new Response("There is no such question.", { status: 404, headers: { "Cache-Control": "no-store" } });
  if (questionId === null) return notFound();
  const { db, realtime } = context.services;
  const question = await getPostMeta(db, questionId);
  if (question?.kind !== "question") return notFound();
  // A deleted or held question's page is a 404 for all but moderators: so is news of its answers and comments.
  if (question.deletedAt && !can(asActor(await getCurrentUser(request, context)), "post.viewDeleted"))
    return notFound();
  // Who wrote a change goes to every reader: never the id of an anonymous asker.
  const hiddenActorId = (await isAnonymousQuestion(db, questionId)) ? question.authorId : null;
  return eventStream(
    request,
    context.services.eventStreams,
    async (channel) =>
      realtime.subscribe(questionTopic(questionId), (message) => {
        if (message.type === "answer" || message.type === "comment")
          channel.send("change", {
            type: message.type,
            actorId: typeof message.actorId === "string" && message.actorId !== hiddenActorId ? message.actorId : null,
          });
      }),
    "no-store, no-transform",
  );
}
