/**
 * Serves a picture from a post (app/models/post-images.server.ts): to everyone while a visible post shows it; to its
 * uploader and staff only while it is in deleted or held posts, drafts or nowhere yet; to nobody once taken down.
 *
 * Its address is a hash of its content, so the bytes never change, but whether it may be shown does (a post deleted
 * or held, a moderator's take-down). So public copies are cached for an hour, not a year as `immutable`: a take-down
 * reaches browsers and proxies within that hour (the database answers 404 at once), and the ETag (the hash) makes
 * asking again after that a 304 without the bytes. Answers for the uploader or staff alone are never stored.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { asActor, getCurrentUser } from "~/auth/session.server";
import { readPostImage } from "~/models/post-images.server";

const PUBLIC_CACHE = "public, max-age=3600";
const PRIVATE_CACHE = "private, no-store";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const hash = /^([0-9a-f]{20})\.webp$/.exec(params.file ?? "")?.[1];
  const viewer = hash ? asActor(await getCurrentUser(request, context)) : null;
  const image = hash ? await readPostImage(context.services.db, hash, viewer) : null;
  if (!image)
    return new Response("There is no picture at this address.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  const etag = `"${hash}"`;
  const cacheControl = image.isPublic ? PUBLIC_CACHE : PRIVATE_CACHE;
  // A shared cache stores only the public answer (the same for everyone); the private one says no-store.
  const headers = { ETag: etag, "Cache-Control": cacheControl };
  const ifNoneMatch = request.headers.get("if-none-match") ?? "";
  if (ifNoneMatch.split(",").some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`))
    return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      ...headers,
      "Content-Type": "image/webp",
      "Content-Length": String(image.bytes.length),
      "Content-Disposition": "inline",
    },
  });
}
