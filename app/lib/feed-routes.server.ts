/** What the Atom feed routes share: their scope from the address (?space=, ?tag=) and their response. */
import type { Db } from "#db/client.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders } from "~/lib/page-cache-policy.server";
import { normalizeTag } from "~/lib/tags";
import { type FeedScope, atomFeed } from "~/models/feeds.server";
import { getSpaceBySlug } from "~/models/spaces.server";

function plain(message: string, status: number): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The feed's scope, or the response that refuses the address (an unknown space: 404; a tag that can't be one: 400). */
export async function feedScope(
  db: Db,
  request: Request,
): Promise<{ scope: FeedScope; spaceId?: number; query: string } | Response> {
  const params = new URL(request.url).searchParams;
  const scope: FeedScope = {};
  const query = new URLSearchParams();
  const spaceSlug = params.get("space");
  if (spaceSlug) {
    const space = await getSpaceBySlug(db, spaceSlug.slice(0, 100));
    if (!space) return plain("There is no space at this address.", 404);
    scope.spaceId = space.id;
    scope.spaceSlug = space.slug;
    scope.spaceName = space.name;
    query.set("space", space.slug);
  }
  const rawTag = params.get("tag");
  if (rawTag) {
    const tag = normalizeTag(rawTag.slice(0, 200));
    if (!tag) return plain("That is not a tag: use letters, digits and dashes (for example ?tag=vpn).", 400);
    scope.tag = tag;
    query.set("tag", tag);
  }
  const search = query.toString();
  return { scope, spaceId: scope.spaceId, query: search ? `?${search}` : "" };
}

/**
 * The feed as a response: Atom, revalidated on every poll (a feed reader gets 304 from the anonymous page cache's
 * ETag), dropped from that cache by any change to the lists or to a post it shows.
 */
export function feedResponse(
  request: Request,
  feed: Parameters<typeof atomFeed>[0],
  spaceId: number | undefined,
): Response {
  const xml = atomFeed(feed);
  const postTags = feed.entries.map((entry) => TAGS.post(entry.id));
  const tags = [TAGS.listRows, ...postTags, ...(spaceId === undefined ? [] : [TAGS.space(spaceId)])];
  const headers = publicPageHeaders(request, { tags, maxAgeSeconds: LIFETIME_SECONDS.tracked });
  headers.set("Content-Type", "application/atom+xml; charset=utf-8");
  headers.set("Cache-Control", "no-cache");
  return new Response(xml, { headers });
}
