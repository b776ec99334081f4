/** /questions.atom: the newest questions as an Atom feed; ?space=<slug> and ?tag=<tag> narrow it as the lists do. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse, feedScope } from "~/lib/feed-routes.server";
import { questionFeedEntries } from "~/models/feeds.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, baseURL } = context.services;
  const found = await feedScope(db, request);
  if (found instanceof Response) return found;
  const { scope, query } = found;
  const entries = await questionFeedEntries(db, scope);
  const where = [scope.spaceName ? `in ${scope.spaceName}` : "", scope.tag ? `tagged ${scope.tag}` : ""]
    .filter(Boolean)
    .join(" ");
  return feedResponse(
    request,
    {
      baseURL,
      title: `New questions${where ? ` ${where}` : ""} · PeerDesk`,
      description: "The newest questions people asked on PeerDesk.",
      selfPath: `/questions.atom${query}`,
      // A space's questions are its own page (/s/:slug).
      pagePath: `${scope.spaceSlug ? `/s/${scope.spaceSlug}` : "/questions"}?sort=newest${scope.tag ? `&tag=${scope.tag}` : ""}`,
      entries,
    },
    found.spaceId,
  );
}
