/**
 * POST /follow: follow or stop following a question, how-to, tag, space or person. Answers JSON to the Follow
 * button's fetcher, or redirects back without JavaScript.
 */
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { z } from "zod";
import { requireUserWith, safeRedirectPath } from "~/auth/session.server";
import { followTargetExists, follow, isFollowTarget, unfollow } from "~/models/notifications.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";
import { formFields } from "~/lib/forms";

export type FollowActionResult = { ok: boolean; isFollowing: boolean; message?: string };

const schema = z.object({
  type: z.string().refine(isFollowTarget),
  key: z.string().min(1).max(64),
  intent: z.enum(["follow", "unfollow"]),
});

/**
 * A resource route's answer keeps its status only as a real Response (Remix 2 turns `data()` into a 200 here), so
 * a failed follow is a 4xx for the fetcher (JSON) and for a plain form post alike.
 */
function reply(result: FollowActionResult, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(result, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

export async function loader() {
  return redirect("/", 303);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "follow");
  const formData = await request.formData();
  const isFetch = formData.get("js") === "1";
  const back = safeRedirectPath(formData.get("redirectTo"), "/");
  const parsed = schema.safeParse(formFields(formData));
  if (!parsed.success || !isFollowTarget(parsed.data.type)) {
    return reply({ ok: false, isFollowing: false, message: "That can't be followed." }, 400);
  }
  const { db } = context.services;
  const target = { type: parsed.data.type, key: parsed.data.key };
  const wantsFollow = parsed.data.intent === "follow";
  if (wantsFollow && !(await followTargetExists(db, target))) {
    return reply({ ok: false, isFollowing: false, message: "That no longer exists." }, 404);
  }
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "follow" });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return reply({ ok: false, isFollowing: !wantsFollow, message: error.message }, 429, {
        "Retry-After": String(error.retryAfterSeconds),
      });
    }
    throw error;
  }
  if (wantsFollow) await follow(db, user.id, target);
  else await unfollow(db, user.id, target);
  return isFetch ? reply({ ok: true, isFollowing: wantsFollow }) : redirect(back, 303);
}
