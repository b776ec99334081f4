/** Every open space, in the order the admins chose. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SpaceCards } from "~/components/SpaceCards";
import { listSpaces } from "~/models/spaces.server";

export const meta: MetaFunction = () => [{ title: "Spaces · PeerDesk" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { spaces: await listSpaces(context.services.db) };
}

export default function Spaces() {
  const { spaces } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-bold">Spaces</h1>
      <SpaceCards spaces={spaces} />
    </div>
  );
}
