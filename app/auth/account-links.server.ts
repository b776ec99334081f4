/**
 * The emailed account links (password reset, new email address) as PeerDesk's pages see them: is this link still good,
 * and open it, always through better-auth's HTTP handler so its checks, rate limits and hooks apply.
 */
import type { AppLoadContext } from "@remix-run/node";
import { verifyJWT } from "better-auth/crypto";
import { CLIENT_IP_HEADER } from "./auth.server";

/** A GET to better-auth's handler carrying the visitor's cookie and address (as callAuthEndpoint does for POSTs). */
function authGet(request: Request, context: AppLoadContext, pathAndQuery: string): Promise<Response> {
  const headers = new Headers();
  for (const name of ["cookie", "user-agent", CLIENT_IP_HEADER]) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  return context.services.auth.handler(
    new Request(new URL(`/api/auth${pathAndQuery}`, request.url), { method: "GET", headers }),
  );
}

/** Whether a reset token is known and unexpired (better-auth answers with a redirect carrying `token` or `error`). */
export async function resetLinkIsValid(request: Request, context: AppLoadContext, token: string): Promise<boolean> {
  const response = await authGet(
    request,
    context,
    `/reset-password/${encodeURIComponent(token)}?callbackURL=${encodeURIComponent("/reset-password")}`,
  );
  const location = response.headers.get("location");
  if (!location) return false;
  const params = new URL(location, request.url).searchParams;
  return !params.has("error") && params.get("token") === token;
}

/** The addresses a genuine, unexpired email-change token names; null for anything else. */
export async function readEmailChange(
  secret: string,
  token: string,
): Promise<{ oldEmail: string; newEmail: string } | null> {
  if (token.length > 2000) return null;
  const payload = await verifyJWT(token, secret);
  if (!payload || typeof payload.email !== "string" || typeof payload.updateTo !== "string") return null;
  return { oldEmail: payload.email, newEmail: payload.updateTo };
}

/** Opens an email-change link: the account's address becomes the new one. Returns better-auth's cookies on success. */
export async function confirmEmailChange(
  request: Request,
  context: AppLoadContext,
  token: string,
): Promise<{ ok: true; cookies: string[] } | { ok: false; status: number }> {
  const response = await authGet(request, context, `/verify-email?token=${encodeURIComponent(token)}`);
  if (!response.ok) return { ok: false, status: response.status };
  return { ok: true, cookies: response.headers.getSetCookie() };
}
