/** /howtos.atom: the newest how-tos as an Atom feed (their summary and steps); ?space=<slug> and ?tag=<tag> narrow it as the list does. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse, feedScope } from "~/lib/feed-routes.server";
import { howtoFeedEntries } from "~/models/feeds.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, baseURL } = context.services;
  const found = await feedScope(db, request);
  if (found instanceof Response) return found;
  const { scope, query } = found;
  const entries = await howtoFeedEntries(db, scope);
  const where = [scope.spaceName ? `in ${scope.spaceName}` : "", scope.tag ? `tagged ${scope.tag}` : ""]
    .filter(Boolean)
    .join(" ");
  return feedResponse(
    request,
    {
      baseURL,
      title: `New how-tos${where ? ` ${where}` : ""} · PeerDesk`,
      description: "The newest step-by-step how-tos on PeerDesk.",
      selfPath: `/howtos.atom${query}`,
      pagePath: `/howtos?sort=newest${query ? `&${query.slice(1)}` : ""}`,
      entries,
    },
    found.spaceId,
  );
}
