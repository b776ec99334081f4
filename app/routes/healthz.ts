/** Liveness for load balancers: 200 when the database answers, 503 when it does not. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isDatabaseReachable } from "#db/client.server";

export async function loader({ context }: LoaderFunctionArgs) {
  const ok = await isDatabaseReachable(context.services.db);
  return new Response(
    JSON.stringify({ status: ok ? "ok" : "unavailable", database: ok ? "reachable" : "unreachable" }),
    {
      status: ok ? 200 : 503,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    },
  );
}
