/**
 * GET /q/:id/events — Server-Sent Events: `thread` first (the ids of the answers and comments the public page shows now,
 * so a page that was cached, or whose stream was away, learns what it missed), then `change` (answer or comment, its
 * id and who wrote it) whenever the question gets one, in any app process.
 */
import { parseId } from "~/lib/ids";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { questionTopic } from "~/lib/realtime.server";
import { eventStream } from "~/lib/sse.server";
import { getPostMeta } from "~/models/posts.server";
import { loadThreadIds } from "~/models/question-page.server";
import { logEvent } from "~/lib/log.server";
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
    async (channel) => {
      const unsubscribe = realtime.subscribe(questionTopic(questionId), (message) => {
        if (message.type === "answer" || message.type === "comment")
          channel.send("change", {
            type: message.type,
            id: typeof message.id === "number" ? message.id : null,
            actorId: typeof message.actorId === "string" && message.actorId !== hiddenActorId ? message.actorId : null,
          });
      });
      // Read after subscribing, so nothing falls between the two (the page counts an id once, however it hears it).
      try {
        channel.send("thread", await loadThreadIds(db, questionId));
      } catch (error) {
        // Only the catching-up is lost; the stream still carries what comes next.
        logEvent("warn", "question thread ids unavailable", { questionId, error: String(error) });
      }
      return unsubscribe;
    },
    { cacheControl: "no-store, no-transform" },
  );
}
