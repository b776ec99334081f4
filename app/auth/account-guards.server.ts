/**
 * better-auth hooks that keep accounts safe on every path, the JSON API as much as PeerDesk's own forms: the
 * per-account sign-in lock (a browser signed in from before counted on its own), password strength wherever a password
 * is set, each authenticator code used once (totp-replay.server.ts), the same answer time for reset requests whether or not the address has an account, the notices emailed when a
 * password or address changes, and the end of older reset links when it does.
 */
import { createHash } from "node:crypto";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { and, eq, gt, like } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users, verifications } from "#db/schema";
import { queueEmailChangedNotice, queuePasswordChangedNotice } from "~/models/account-email.server";
import { hasPassword } from "~/models/two-factor.server";
import { signOutOtherDevices } from "~/models/devices.server";
import { addressGroup } from "~/lib/network-address.server";
import {
  addressLockedMessage,
  addressLockedUntil,
  clearAllSignInFailures,
  clearSignInFailures,
  lockedMessage,
  recordAddressFailure,
  recordSignInFailure,
  signInLockedUntil,
} from "~/models/sign-in-throttle.server";
import { CLIENT_IP_HEADER } from "./auth.server";
import { knownDeviceFor, rememberDevice } from "./known-device.server";
import { passwordWeakness } from "./password-strength.server";
import { isAdminEndpoint, requireStaffTwoFactor } from "./staff-two-factor-guard.server";
import { refuseUsedTotpCode } from "./totp-replay.server";

export const ACCOUNT_LOCKED = "ACCOUNT_LOCKED";
export const PASSWORD_TOO_WEAK = "PASSWORD_TOO_WEAK";

/** A reset request is answered no sooner than this, so its timing says nothing about whether the address has an account. */
const RESET_REQUEST_FLOOR_MS = 400;

/** Reset tokens are stored as hashes (a copy of the database cannot reset passwords), keeping their prefix for clean-up. */
export const RESET_IDENTIFIER_PREFIX = "reset-password:";
export async function hashResetIdentifier(identifier: string): Promise<string> {
  const token = identifier.slice(RESET_IDENTIFIER_PREFIX.length);
  return `${RESET_IDENTIFIER_PREFIX}${createHash("sha256").update(token).digest("base64url")}`;
}

/**
 * Whose password a reset token would set, while the token is known and unexpired; null for a used, expired or mangled
 * one. The reset page asks it before checking a new password's strength against the person's name and address.
 */
export async function resetTokenOwner(
  db: Db,
  token: string,
): Promise<{ id: string; name: string; email: string } | null> {
  const identifier = await hashResetIdentifier(`${RESET_IDENTIFIER_PREFIX}${token}`);
  const [owner] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(verifications)
    .innerJoin(users, eq(users.id, verifications.value))
    .where(and(eq(verifications.identifier, identifier), gt(verifications.expiresAt, new Date())))
    .limit(1);
  return owner ?? null;
}

type Limits = { minPasswordLength: number; maxPasswordLength: number };

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function field(body: unknown, name: string): string | null {
  return body && typeof body === "object" && name in body ? text((body as Record<string, unknown>)[name]) : null;
}

/** The claims of a better-auth email token, read without checking it (better-auth checks it; this only reads who). */
export function readEmailToken(token: string): { email?: string; updateTo?: string; userId?: string } {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    if (!payload || typeof payload !== "object") return {};
    return {
      email: field(payload, "email") ?? undefined,
      updateTo: field(payload, "updateTo") ?? undefined,
      userId: field(payload, "userId") ?? undefined,
    };
  } catch {
    return {};
  }
}

type HookContext = Parameters<typeof getSessionFromCtx>[0];

const startedAt = new WeakMap<object, number>();
/** Reset requests that set an account's first password (one made by single sign-on or by an admin). */
const firstPasswords = new WeakSet<Request>();

/** The client's network address as our HTTP server set it (an IPv6 one as its /64), or null when unknown. */
function clientAddress(request: Request | undefined): string | null {
  const address = request?.headers.get(CLIENT_IP_HEADER);
  return address ? addressGroup(address) : null;
}

export function accountHooks(db: Db, { baseURL, limits }: { baseURL: string; limits: Limits }) {
  /** Refuses a weak password with zxcvbn's reasons; lengths outside the limits are left to better-auth's own messages. */
  async function requireStrong(password: string | null, userInputs: (string | null | undefined)[]) {
    if (password === null || password.length < limits.minPasswordLength || password.length > limits.maxPasswordLength)
      return;
    const weakness = await passwordWeakness(password, userInputs);
    if (weakness) throw new APIError("BAD_REQUEST", { code: PASSWORD_TOO_WEAK, message: weakness });
  }

  const before = createAuthMiddleware(async (ctx) => {
    const body: unknown = ctx.body;
    if (isAdminEndpoint(ctx.path)) await requireStaffTwoFactor(db, ctx);
    switch (ctx.path) {
      case "/sign-in/email": {
        const email = field(body, "email");
        if (!email) return;
        const device = await knownDeviceFor(ctx, email);
        const lockedUntil = await signInLockedUntil(db, { email, device });
        if (lockedUntil) {
          const retryAfter = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000));
          const lock = {
            code: ACCOUNT_LOCKED,
            message: lockedMessage(lockedUntil, { isKnownDevice: device !== null }),
            lockedUntil: lockedUntil.toISOString(),
          };
          throw new APIError("TOO_MANY_REQUESTS", lock, { "X-Retry-After": String(retryAfter) });
        }
        const address = device === null ? clientAddress(ctx.request) : null;
        const addressLock = address ? await addressLockedUntil(db, address) : null;
        if (addressLock) {
          const retryAfter = Math.max(1, Math.ceil((addressLock.getTime() - Date.now()) / 1000));
          const lock = {
            code: ACCOUNT_LOCKED,
            message: addressLockedMessage(addressLock),
            lockedUntil: addressLock.toISOString(),
          };
          throw new APIError("TOO_MANY_REQUESTS", lock, { "X-Retry-After": String(retryAfter) });
        }
        return;
      }
      case "/sign-up/email":
        return requireStrong(field(body, "password"), [field(body, "name"), field(body, "email")]);
      case "/admin/create-user":
        return requireStrong(field(body, "password"), [field(body, "name"), field(body, "email")]);
      case "/reset-password": {
        const token = field(body, "token") ?? text(ctx.query?.token);
        const password = field(body, "newPassword");
        if (!token || password === null) return;
        // An unknown or expired token is refused by better-auth itself with INVALID_TOKEN.
        const owner = await resetTokenOwner(db, token);
        if (!owner) return;
        await requireStrong(password, [owner.name, owner.email]);
        // Its notice says a first password was set, not that one was reset (afterPasswordReset).
        if (ctx.request && !(await hasPassword(db, owner.id))) firstPasswords.add(ctx.request);
        return;
      }
      case "/change-password": {
        const session = await getSessionFromCtx(ctx);
        return requireStrong(field(body, "newPassword"), [session?.user.name, session?.user.email]);
      }
      case "/admin/set-user-password": {
        const userId = field(body, "userId");
        const user = userId ? await ctx.context.internalAdapter.findUserById(userId) : null;
        return requireStrong(field(body, "newPassword"), [user?.name, user?.email]);
      }
      case "/request-password-reset":
        startedAt.set(ctx.request ?? ctx, Date.now());
        return;
      case "/two-factor/verify-totp":
        return refuseUsedTotpCode(db, ctx, field(body, "code"));
      default:
        return;
    }
  });

  const after = createAuthMiddleware(async (ctx) => {
    const returned: unknown = ctx.context.returned;
    const failed = isAPIError(returned);
    switch (ctx.path) {
      case "/sign-in/email": {
        const email = field(ctx.body, "email");
        if (!email) return;
        const attempt = { email, device: await knownDeviceFor(ctx, email) };
        if (failed && returned.statusCode === 401) {
          await recordSignInFailure(db, attempt);
          const address = attempt.device === null ? clientAddress(ctx.request) : null;
          if (address) await recordAddressFailure(db, address);
        } else if (!failed) {
          // A known device's success forgets its own count; the account's (strangers' guesses) runs its course.
          await clearSignInFailures(db, attempt);
          await rememberDevice(ctx, email);
        }
        return;
      }
      case "/change-password": {
        const user: unknown =
          !failed && returned && typeof returned === "object" && "user" in returned ? returned.user : null;
        const id = field(user, "id");
        const email = field(user, "email");
        if (!id || !email) return;
        await endResetLinks(db, id);
        await queuePasswordChangedNotice(db, {
          baseURL,
          user: { id, email, name: field(user, "name") ?? "" },
          how: "changed",
        });
        return;
      }
      case "/request-password-reset": {
        const started = startedAt.get(ctx.request ?? ctx);
        if (started === undefined) return;
        const wait = RESET_REQUEST_FLOOR_MS - (Date.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        return;
      }
      default:
        return;
    }
  });

  return { before, after };
}

/**
 * Every reset link of the account stops working: after a reset, a change of password, or a change of address (a link
 * mailed to the old address must not outlive it; that address may be why it was changed).
 */
async function endResetLinks(db: Db, userId: string): Promise<void> {
  await db
    .delete(verifications)
    .where(and(eq(verifications.value, userId), like(verifications.identifier, `${RESET_IDENTIFIER_PREFIX}%`)));
}

/**
 * After a reset: the lock is lifted, every other reset link of the account stops working, and the address is told
 * (that a first password was set, when the account had none).
 */
export async function afterPasswordReset(
  db: Db,
  { baseURL, user, request }: { baseURL: string; user: { id: string; name: string; email: string }; request?: Request },
): Promise<void> {
  await clearAllSignInFailures(db, user.email);
  await endResetLinks(db, user.id);
  const how = request && firstPasswords.has(request) ? "set" : "reset";
  await queuePasswordChangedNotice(db, { baseURL, user, how });
}

/**
 * Database hooks for a confirmed change of address: the new address is marked verified (the link proved it), every
 * other device is signed out (whoever had the old address's access keeps none), and the old address is told. Only the
 * /verify-email endpoint changes addresses; its token names the old and the new.
 */
export function emailChangeHooks(db: Db, { baseURL }: { baseURL: string }) {
  const changeOf = (ctx: { path?: string; query?: Record<string, unknown> } | null | undefined) => {
    if (ctx?.path !== "/verify-email") return null;
    const token = text(ctx.query?.token);
    const claims = token ? readEmailToken(token) : {};
    return claims.email && claims.updateTo ? { oldEmail: claims.email, newEmail: claims.updateTo } : null;
  };
  return {
    before: async (
      data: Record<string, unknown>,
      ctx: { path?: string; query?: Record<string, unknown> } | null | undefined,
    ) => {
      if (typeof data.email === "string" && changeOf(ctx)) return { data: { ...data, emailVerified: true } };
      return undefined;
    },
    after: async (user: { id: string; name: string; email: string }, ctx: HookContext | null | undefined) => {
      const change = changeOf(ctx);
      if (!ctx || !change || user.email !== change.newEmail || change.oldEmail === change.newEmail) return;
      // The session the link was opened in stays signed in (better-auth allows only the account's own there).
      const current = await getSessionFromCtx(ctx).catch(() => null);
      // Opened signed out, no session is kept ("" names none).
      const keep = current?.user.id === user.id ? current.session.id : "";
      await signOutOtherDevices(db, { userId: user.id, currentSessionId: keep });
      await endResetLinks(db, user.id);
      await queueEmailChangedNotice(db, { baseURL, user, oldEmail: change.oldEmail });
    },
  };
}
