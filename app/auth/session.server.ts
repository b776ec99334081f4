/** Request-side helpers around better-auth: who is signed in, and calling auth endpoints from Remix actions. */
import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { type Action, type Actor, type Target, requirePermission } from "~/models/permissions.server";
import { CLIENT_IP_HEADER } from "./auth.server";
import { type CurrentUser, getViewer } from "./viewer.server";

export type { CurrentUser } from "./viewer.server";

/** The signed-in person, or null; one session check per request however many loaders ask (see viewer.server.ts). */
export async function getCurrentUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  return (await getViewer(request, context)).user;
}

export function asActor(user: CurrentUser | null): Actor {
  return user
    ? {
        id: user.id,
        role: user.role,
        banned: user.banned,
        emailVerified: user.emailVerified,
        needsTwoFactor: user.needsTwoFactor,
      }
    : null;
}

/** Sends visitors to sign in, then back to the page they wanted. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  const user = await getCurrentUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/signin?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

// Routes import the one safe-redirect rule from here, beside the other request helpers.
export { safeRedirectPath } from "~/lib/safe-redirect";

/**
 * Calls a better-auth endpoint through its HTTP handler (not auth.api) so rate limiting, origin checks
 * and cookies behave exactly as for a direct API call; the caller forwards Set-Cookie.
 */
export async function callAuthEndpoint(
  request: Request,
  context: AppLoadContext,
  endpoint: string,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const url = new URL(`/api/auth${endpoint}`, request.url);
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of ["cookie", "origin", "referer", "user-agent", CLIENT_IP_HEADER]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return context.services.auth.handler(new Request(url, { method: "POST", headers, body: JSON.stringify(body ?? {}) }));
}

/** Copies the Set-Cookie headers of an auth response onto a redirect or data response. */
export function authCookies(response: Response): Headers {
  const headers = new Headers();
  for (const cookie of response.headers.getSetCookie()) headers.append("set-cookie", cookie);
  return headers;
}

/** better-auth answers errors as { code, message }; rate limits as 429 with X-Retry-After seconds. */
export async function readAuthError(
  response: Response,
): Promise<{ status: number; code: string; message: string; retryAfter: number | null }> {
  const retry = response.headers.get("x-retry-after");
  let code = "";
  let message = "";
  try {
    const json: unknown = await response.json();
    if (json && typeof json === "object") {
      if ("code" in json && typeof json.code === "string") code = json.code;
      if ("message" in json && typeof json.message === "string") message = json.message;
    }
  } catch {
    // Non-JSON error bodies keep the generic message below.
  }
  return { status: response.status, code, message, retryAfter: retry ? Number(retry) : null };
}

/** Signed-in user who may perform the action, or a 401/403 response. Every admin loader and action calls it. */
export async function requireUserWith(
  request: Request,
  context: AppLoadContext,
  action: Action,
  target?: Target,
): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  requirePermission(asActor(user), action, target);
  return user;
}
