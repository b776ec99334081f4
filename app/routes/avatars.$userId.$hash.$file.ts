/**
 * Serves a profile picture. The address carries the picture's content hash, so it never changes meaning (a new picture
 * gets a new address), but it can stop being shown: a moderator hiding the profile makes it a 404 like any missing one.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAvatar } from "~/models/avatars.server";

// An hour: a hidden profile's picture leaves shared caches within it, and browsers then revalidate with the
// hash-based ETag for a body-less 304, so pictures stay cheap (a year's `immutable` kept a hide from ever taking effect).
const AVATAR_CACHE_CONTROL = "public, max-age=3600";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const match = /^(\d{2,3})\.webp$/.exec(params.file ?? "");
  const userId = params.userId ?? "";
  const hash = params.hash ?? "";
  const bytes =
    match && userId.length <= 100
      ? await readAvatar(context.services.db, { userId, hash, size: Number(match[1]) })
      : null;
  if (!match || !bytes) return new Response("There is no picture at this address.", { status: 404 });
  const etag = `"${hash}-${match[1]}"`;
  const headers = { "Cache-Control": AVATAR_CACHE_CONTROL, ETag: etag };
  if (matchesEtag(request.headers.get("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(bytes), {
    headers: {
      ...headers,
      "Content-Type": "image/webp",
      "Content-Length": String(bytes.length),
      "Content-Disposition": "inline",
    },
  });
}

/** Whether a browser's If-None-Match (a list of tags, weak or strong, or `*`) names this picture. */
function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}
