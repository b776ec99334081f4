/**
 * POST /follow: follow or stop following a question, how-to, tag, space or person. Answers JSON to the Follow
 * button's fetcher, or redirects back without JavaScript; a refused plain form (no JavaScript) shows why here, with
 * the way back to the page it came from (as /saved does).
 */
import type { ActionFunctionArgs, HeadersFunction, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { requireUserWith, safeRedirectPath } from "~/auth/session.server";
import { ErrorPage, errorMeta } from "~/components/ErrorPage";
import { FormAlert } from "~/components/ui/Field";
import { followRefusal, follow, isFollowTarget, unfollow } from "~/models/notifications.server";
import { RateLimitedError, consumeWriteLimit } from "~/models/rate-limits.server";
import { formFields } from "~/lib/forms";
import { withRetryAfter } from "~/lib/route-headers.server";

/** `back`: where a refused plain form (no JavaScript) offers to return, beside the message on this page. */
export type FollowActionResult = { ok: boolean; isFollowing: boolean; message?: string; back?: string };

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: "Follow · PeerDesk" }, { name: "robots", content: "noindex" }];

/** Nothing here is for a cache; a refused follow's `Retry-After` (too many) goes to whoever sent it. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const merged = withRetryAfter({}, actionHeaders);
  merged.set("Cache-Control", "private, no-store");
  return merged;
};

const schema = z.object({
  type: z.string().refine(isFollowTarget),
  key: z.string().min(1).max(64),
  intent: z.enum(["follow", "unfollow"]),
});

/**
 * A real Response keeps its status for the fetcher's JSON too (Remix 2 answers a data request for `data()` with a 200);
 * a plain form's refusal is shown by this route's page, with the same status.
 */
function reply(result: FollowActionResult, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(result, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

/**
 * Nothing to show on its own: the page is only where a refused plain form lands. (A redirect here would also replace
 * that refusal, since Remix runs the loader after the action.)
 */
export async function loader() {
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUserWith(request, context, "follow");
  const formData = await request.formData();
  const isFetch = formData.get("js") === "1";
  const back = safeRedirectPath(formData.get("redirectTo"), "/");
  const parsed = schema.safeParse(formFields(formData));
  if (!parsed.success || !isFollowTarget(parsed.data.type)) {
    return reply({ ok: false, isFollowing: false, message: "That can't be followed.", back }, 400);
  }
  const { db } = context.services;
  const target = { type: parsed.data.type, key: parsed.data.key };
  const wantsFollow = parsed.data.intent === "follow";
  const refusal = wantsFollow ? await followRefusal(db, target) : null;
  if (refusal) return reply({ ok: false, isFollowing: false, message: refusal, back }, 404);
  try {
    await consumeWriteLimit(db, { userId: user.id, kind: "follow" });
  } catch (error) {
    if (error instanceof RateLimitedError) {
      return reply({ ok: false, isFollowing: !wantsFollow, message: error.message, back }, 429, {
        "Retry-After": String(error.retryAfterSeconds),
      });
    }
    throw error;
  }
  if (wantsFollow) await follow(db, user.id, target);
  else await unfollow(db, user.id, target);
  return isFetch ? reply({ ok: true, isFollowing: wantsFollow }) : redirect(back, 303);
}

export default function Follow() {
  const refused = useActionData<typeof action>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Follow</h1>
      {refused && !refused.ok ? (
        <FormAlert>
          {refused.message} <Link to={refused.back ?? "/"}>Go back to where you were</Link>
        </FormAlert>
      ) : (
        <p>
          Use <strong>Follow</strong> on a question, how-to, tag, space or person to hear of what happens there.{" "}
          <Link to="/">Go to the home page</Link>
        </p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
