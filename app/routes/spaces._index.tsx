/** Every open space, in the order the admins chose. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SpaceCards } from "~/components/SpaceCards";
import { getSpaceList } from "~/models/public-data-memo.server";
import { LIFETIME_SECONDS, TAGS, publicPageHeaders, publicPageHeadersFunction } from "~/lib/page-cache-policy.server";
import { data } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Spaces · PeerDesk" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const headers = publicPageHeaders(request, { tags: [TAGS.listRows], maxAgeSeconds: LIFETIME_SECONDS.tracked });
  return data({ spaces: await getSpaceList(context.services.db) }, { headers });
}

/** Signed-out readers get this page from the page cache (see ~/lib/page-cache-policy.server). */
export const headers = publicPageHeadersFunction;

export default function Spaces() {
  const { spaces } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-bold">Spaces</h1>
      <SpaceCards spaces={spaces} headingLevel={2} />
    </div>
  );
}
