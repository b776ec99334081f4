/**
 * Serves a profile picture. The address carries the picture's content hash, so it never changes meaning: browsers
 * and proxies may keep it for a year without asking again (a new picture gets a new address).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAvatar } from "~/models/avatars.server";
import { immutableWebp } from "~/lib/immutable-image.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const match = /^(\d{2,3})\.webp$/.exec(params.file ?? "");
  const userId = params.userId ?? "";
  const bytes =
    match && userId.length <= 100
      ? await readAvatar(context.services.db, { userId, hash: params.hash ?? "", size: Number(match[1]) })
      : null;
  if (!bytes) return new Response("There is no picture at this address.", { status: 404 });
  return immutableWebp(bytes);
}
