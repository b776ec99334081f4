/**
 * Confirming the address of a new account: reading the emailed link, and sending it again (better-auth's
 * /send-verification-email, rate limited there per address and in account-email.server.ts per account).
 */
import type { AppLoadContext } from "@remix-run/node";
import { verifyJWT } from "better-auth/crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users } from "#db/schema";
import { callAuthEndpoint, readAuthError } from "./session.server";

/** The address a genuine, unexpired sign-up confirmation token names (not an email-change token); null otherwise. */
export async function readSignupVerification(secret: string, token: string): Promise<{ email: string } | null> {
  if (token.length === 0 || token.length > 2000) return null;
  const payload = await verifyJWT(token, secret).catch(() => null);
  if (!payload || typeof payload.email !== "string" || payload.updateTo !== undefined) return null;
  return { email: payload.email };
}

/**
 * What opening a sign-up confirmation link would do, said before anyone presses a button: confirm the address
 * ("pending"), nothing because it is confirmed already ("confirmed"), or nothing because no account uses the address
 * any more ("retired": the account changed it, or was deleted). Null for a broken or expired link.
 */
export async function signupLinkState(
  db: Db,
  secret: string,
  token: string,
): Promise<{ state: "pending" | "confirmed" | "retired"; email: string } | null> {
  const link = await readSignupVerification(secret, token);
  if (!link) return null;
  const [account] = await db
    .select({ emailVerified: users.emailVerified })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, link.email.toLowerCase()), isNull(users.deletedAt)))
    .limit(1);
  if (!account) return { state: "retired", email: link.email };
  return { state: account.emailVerified ? "confirmed" : "pending", email: link.email };
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
