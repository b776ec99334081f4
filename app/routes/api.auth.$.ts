/** better-auth's own HTTP API (JSON clients, OAuth callbacks), mounted at /api/auth/*. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return context.services.auth.handler(request);
}

export async function action({ request, context }: ActionFunctionArgs) {
  return context.services.auth.handler(request);
}
