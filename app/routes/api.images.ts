/**
 * POST /api/images: a picture for a post, from the editor's "Add a picture" (multipart, field `file`). Answers JSON
 * { url, width, height, markdown } or { error } with a plain message: 401 signed out, 403 banned or email address not
 * confirmed yet (asked of the permission module as posting is), 413 too large or past the person's storage,
 * 415 not a picture, 429 too many (only pictures stored count; savePostImage keeps the limits).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { toWriteFailure } from "~/lib/write-failure.server";
import { DEFAULT_POST_IMAGES_MB_PER_PERSON } from "~/lib/post-images";
import { assertCan } from "~/models/post-errors.server";
import { savePostImage } from "~/models/post-images.server";
import { RateLimitedError } from "~/models/rate-limits.server";

function reply(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}

export function loader() {
  return reply({ error: "Send the picture with POST." }, 405, { Allow: "POST" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return reply({ error: "Send the picture with POST." }, 405, { Allow: "POST" });
  const user = await getCurrentUser(request, context);
  if (!user) return reply({ error: "Sign in to add pictures to your post." }, 401);
  if (user.banned) return reply({ error: "Your account can't post right now." }, 403);
  try {
    // The same rule as posting: an account whose email address is not confirmed yet may not publish pictures either.
    assertCan(asActor(user), "image.upload");
  } catch (error) {
    const failure = toWriteFailure(error);
    if (!failure) throw error;
    return reply({ error: failure.message }, failure.init.status);
  }
  let file: FormDataEntryValue | null = null;
  try {
    file = (await request.formData()).get("file");
  } catch {
    file = null;
  }
  if (!(file instanceof Blob)) return reply({ error: "Choose a picture to add." }, 400);
  const { db } = context.services;
  try {
    const megabytes = context.services.env?.POST_IMAGES_MB_PER_PERSON ?? DEFAULT_POST_IMAGES_MB_PER_PERSON;
    const image = await savePostImage(db, user.id, new Uint8Array(await file.arrayBuffer()), {
      maxStoredBytes: megabytes * 1024 * 1024,
    });
    return reply({ ...image, markdown: `![Describe the picture](${image.url})` });
  } catch (error) {
    const failure = toWriteFailure(error);
    if (!failure) throw error;
    const retryAfter = error instanceof RateLimitedError ? { retryAfter: error.retryAfterSeconds } : {};
    return reply(
      { error: failure.message, ...retryAfter },
      failure.init.status,
      failure.init.headers as Record<string, string>,
    );
  }
}
