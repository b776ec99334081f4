/**
 * Serves a picture from a post (app/models/post-images.server.ts). Its address is a hash of its content, so it never
 * changes meaning: browsers and proxies may keep it for a year without asking again.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readPostImage } from "~/models/post-images.server";
import { immutableWebp } from "~/lib/immutable-image.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const hash = /^([0-9a-f]{20})\.webp$/.exec(params.file ?? "")?.[1];
  const bytes = hash ? await readPostImage(context.services.db, hash) : null;
  if (!bytes) return new Response("There is no picture at this address.", { status: 404 });
  return immutableWebp(bytes);
}
