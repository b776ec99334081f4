/**
 * Starts single sign-on: asks better-auth for the provider's authorization address (state, PKCE and nonce kept in
 * its signed cookie) and sends the browser there. A POST, so another site cannot start a sign-in in someone's name.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { INVITATION_COOKIE } from "~/auth/join-guard.server";
import { authCookies, callAuthEndpoint, readAuthError, safeRedirectPath } from "~/auth/session.server";
import { formFields } from "~/lib/forms";

export async function loader() {
  return redirect("/signin");
}

const startSchema = z.object({
  provider: z.string().max(40),
  redirectTo: z.string().max(2048).optional(),
  invite: z.string().max(200).optional(),
});

function backToSignIn(error: string, redirectTo: string): Response {
  const params = new URLSearchParams({ error });
  if (redirectTo !== "/") params.set("redirectTo", redirectTo);
  return redirect(`/signin?${params}`);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = startSchema.safeParse(formFields(await request.formData()));
  if (!parsed.success) return backToSignIn("sso_unavailable", "/");
  const { provider, invite } = parsed.data;
  const redirectTo = safeRedirectPath(parsed.data.redirectTo, "/");
  if (!context.services.env.ssoProviders.some((p) => p.id === provider))
    return backToSignIn("sso_unavailable", redirectTo);
  const encoded = encodeURIComponent(redirectTo);
  const response = await callAuthEndpoint(request, context, "/sign-in/social", {
    provider,
    callbackURL: redirectTo,
    newUserCallbackURL: `/welcome?redirectTo=${encoded}`,
    errorCallbackURL: redirectTo === "/" ? "/signin" : `/signin?redirectTo=${encoded}`,
    disableRedirect: true,
  });
  if (!response.ok) {
    const error = await readAuthError(response);
    // Too many starts from this network address (an office behind one address): not single sign-on being down.
    return backToSignIn(error.status === 429 ? "sso_rate_limited" : "sso_unavailable", redirectTo);
  }
  const body: unknown = await response.json().catch(() => null);
  const url = body && typeof body === "object" && "url" in body && typeof body.url === "string" ? body.url : "";
  if (!/^https?:\/\//.test(url)) return backToSignIn("sso_unavailable", redirectTo);
  const headers = authCookies(response);
  // Read by the join gate when the provider sends the person back (a new account at another domain needs it).
  if (invite && /^[A-Za-z0-9_-]{1,200}$/.test(invite)) {
    const secure = context.services.baseURL.startsWith("https://") ? "; Secure" : "";
    headers.append(
      "set-cookie",
      `${INVITATION_COOKIE}=${invite}; Path=/api/auth; Max-Age=900; HttpOnly; SameSite=Lax${secure}`,
    );
  }
  return redirect(url, { headers });
}
