/**
 * Passkeys inside better-auth: four JSON endpoints under /api/auth/passkey/ that call app/models/passkeys.server.ts,
 * so signing in with a passkey makes the same database session and cookies as a password (better-auth's own
 * session code, its ban check, its rate limits and origin checks). A passkey asks for the device's PIN or fingerprint,
 * so it is two factors by itself: it also completes a sign-in that was waiting for a two-step code.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, getSessionFromCtx } from "better-auth/api";
import { expireCookie, setSessionCookie } from "better-auth/cookies";
import { z } from "zod";
import type { Db } from "#db/client.server";
import {
  PASSKEY_NAME_MAX,
  PasskeyError,
  authenticationOptions,
  finishAuthentication,
  finishRegistration,
  registrationOptions,
} from "~/models/passkeys.server";

/** The browser's answer is checked field by field by @simplewebauthn/server; here only its outer shape and size. */
const credentialResponse = z
  .object({
    id: z.string().min(1).max(1500),
    rawId: z.string().max(1500),
    type: z.literal("public-key"),
    response: z.record(z.unknown()),
    clientExtensionResults: z.record(z.unknown()).default({}),
    authenticatorAttachment: z.string().max(40).optional(),
  })
  .passthrough();

const registerBody = z.object({
  challengeId: z.string().min(1).max(100),
  name: z
    .string()
    .max(PASSKEY_NAME_MAX * 4)
    .default(""),
  response: credentialResponse,
});
const signInBody = z.object({ challengeId: z.string().min(1).max(100), response: credentialResponse });

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new APIError("BAD_REQUEST", {
      code: "INVALID_PASSKEY_RESPONSE",
      message: "That passkey answer is not valid.",
    });
  return parsed.data;
}

function refuse(error: unknown): never {
  if (error instanceof PasskeyError)
    throw new APIError(error.code === "TOO_MANY" ? "BAD_REQUEST" : "UNAUTHORIZED", {
      code: `PASSKEY_${error.code}`,
      message: error.message,
    });
  throw error;
}

export const PASSKEY_RATE_LIMIT = { window: 60, max: 10 };

export function passkeyPlugin(db: Db, { baseURL }: { baseURL: string }): BetterAuthPlugin {
  return {
    id: "peerdesk-passkeys",
    endpoints: {
      passkeyRegisterOptions: createAuthEndpoint("/passkey/register-options", { method: "POST" }, async (ctx) => {
        const session = await getSessionFromCtx(ctx);
        if (!session) throw new APIError("UNAUTHORIZED", { code: "UNAUTHORIZED", message: "Please sign in first." });
        const { user } = session;
        try {
          return ctx.json(
            await registrationOptions(db, { baseURL, user: { id: user.id, email: user.email, name: user.name } }),
          );
        } catch (error) {
          refuse(error);
        }
      }),
      passkeyRegister: createAuthEndpoint("/passkey/register", { method: "POST" }, async (ctx) => {
        const session = await getSessionFromCtx(ctx);
        if (!session) throw new APIError("UNAUTHORIZED", { code: "UNAUTHORIZED", message: "Please sign in first." });
        const body = parse(registerBody, ctx.body);
        try {
          const passkey = await finishRegistration(db, {
            baseURL,
            userId: session.user.id,
            challengeId: body.challengeId,
            name: body.name,
            response: body.response as unknown as Parameters<typeof finishRegistration>[1]["response"],
          });
          return ctx.json({ passkey: { id: passkey.id, name: passkey.name } });
        } catch (error) {
          refuse(error);
        }
      }),
      passkeySignInOptions: createAuthEndpoint("/passkey/sign-in-options", { method: "POST" }, async (ctx) =>
        ctx.json(await authenticationOptions(db, { baseURL })),
      ),
      passkeySignIn: createAuthEndpoint("/passkey/sign-in", { method: "POST" }, async (ctx) => {
        const body = parse(signInBody, ctx.body);
        let userId: string;
        try {
          ({ userId } = await finishAuthentication(db, {
            baseURL,
            challengeId: body.challengeId,
            response: body.response as unknown as Parameters<typeof finishAuthentication>[1]["response"],
          }));
        } catch (error) {
          refuse(error);
        }
        const user = await ctx.context.internalAdapter.findUserById(userId);
        if (!user) throw new APIError("UNAUTHORIZED", { code: "PASSKEY_NOT_RECOGNISED", message: "Please try again." });
        // createSession runs the admin plugin's hook, which refuses banned people as a password sign-in would.
        const session = await ctx.context.internalAdapter.createSession(user.id);
        await setSessionCookie(ctx, { session, user });
        // A sign-in left waiting for a two-step code is over: the passkey was the stronger proof.
        expireCookie(ctx, ctx.context.createAuthCookie("two_factor"));
        return ctx.json({ ok: true });
      }),
    },
    rateLimit: [{ pathMatcher: (path: string) => path.startsWith("/passkey/"), ...PASSKEY_RATE_LIMIT }],
  };
}
