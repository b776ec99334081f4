/**
 * better-auth's own HTTP API (JSON clients, passkeys, OAuth callbacks), mounted at /api/auth/*: only the endpoints
 * public-endpoints.server.ts lists are served, every other one is a 404 (PeerDesk's forms call those through the
 * handler directly). A session cookie whose session is gone (signed out, revoked, banned) is taken off the request
 * first: better-auth's signed cookie cache would otherwise vouch for it for up to five minutes (auth.server.ts), where
 * every page already treats it as signed out.
 */
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { isPublicAuthEndpoint } from "~/auth/public-endpoints.server";
import { getViewer } from "~/auth/viewer.server";

/** better-auth's session cookies: the token and its signed cache, bare or __Secure-/__Host- prefixed. */
const SESSION_COOKIE = /^(?:__(?:Secure|Host)-)?peerdesk\.session_(?:token|data)(?:\.\d+)?$/;

async function handle(request: Request, context: AppLoadContext): Promise<Response> {
  if (!isPublicAuthEndpoint(new URL(request.url).pathname)) return new Response("Not Found", { status: 404 });
  const cookie = request.headers.get("cookie") ?? "";
  if (cookie.includes("session_token") && (await getViewer(request, context)).user === null) {
    const kept = cookie
      .split(";")
      .filter((pair) => !SESSION_COOKIE.test(pair.split("=")[0]?.trim() ?? ""))
      .join(";");
    const headers = new Headers(request.headers);
    if (kept.trim()) headers.set("cookie", kept);
    else headers.delete("cookie");
    return context.services.auth.handler(new Request(request, { headers }));
  }
  return context.services.auth.handler(request);
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handle(request, context);
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handle(request, context);
}
