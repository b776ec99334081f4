/**
 * Confirming the address of a new account: reading the emailed link, and sending it again (better-auth's
 * /send-verification-email, rate limited there per address and in account-email.server.ts per account).
 */
import type { AppLoadContext } from "@remix-run/node";
import { verifyJWT } from "better-auth/crypto";
import { callAuthEndpoint, readAuthError } from "./session.server";

/** The address a genuine, unexpired sign-up confirmation token names (not an email-change token); null otherwise. */
export async function readSignupVerification(secret: string, token: string): Promise<{ email: string } | null> {
  if (token.length === 0 || token.length > 2000) return null;
  const payload = await verifyJWT(token, secret).catch(() => null);
  if (!payload || typeof payload.email !== "string" || payload.updateTo !== undefined) return null;
  return { email: payload.email };
}

/** Queues a new confirmation link for the signed-in person: "sent", or how long to wait. */
export async function resendVerification(
  request: Request,
  context: AppLoadContext,
  email: string,
): Promise<{ sent: true } | { sent: false; retryAfter: number | null }> {
  const response = await callAuthEndpoint(request, context, "/send-verification-email", { email, callbackURL: "/" });
  if (response.ok) return { sent: true };
  const error = await readAuthError(response);
  return { sent: false, retryAfter: error.status === 429 ? (error.retryAfter ?? 60) : null };
}
