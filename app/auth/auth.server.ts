/**
 * The better-auth instance: email + password (reset by emailed link, changed in settings, strength-checked, locked
 * after repeated wrong passwords), email changes confirmed by a link, database sessions, database-stored rate limits,
 * roles and bans, TOTP, passkeys (passkey-plugin.server.ts), single sign-on with OpenID Connect (sso.server.ts), and the join gate (join-guard.server.ts):
 * new addresses are confirmed by an emailed link, at an allowed domain or with an invitation. Every account's name
 * obeys the forms' rule (account-fields.server.ts). Over HTTP only the endpoints in public-endpoints.server.ts answer;
 * the admin plugin keeps its role and ban fields and its sign-in ban check, but none of its endpoints is served.
 */
import { betterAuth } from "better-auth";
import { isAPIError } from "better-auth/api";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { admin, twoFactor } from "better-auth/plugins";
import type { Db } from "#db/client.server";
import type { SsoProvider } from "~/lib/sso-config.server";
import { SSO_LIMIT_WINDOW_SECONDS } from "~/lib/sso-messages";
import { authSchema } from "#db/schema";
import {
  EMAIL_CHANGE_LINK_MINUTES,
  RESET_LINK_MINUTES,
  queueEmailConfirmation,
  queuePasswordResetEmail,
} from "~/models/account-email.server";
import { assignHandleAndFirstAdmin } from "~/models/users.server";
import {
  RESET_IDENTIFIER_PREFIX,
  accountHooks,
  afterPasswordReset,
  emailChangeHooks,
  hashResetIdentifier,
  readEmailToken,
} from "./account-guards.server";
import { newAccountFields, renamedAccountFields } from "./account-fields.server";
import { renameHooks } from "./account-renames.server";
import { joinGuard } from "./join-guard.server";
import { passkeyPlugin } from "./passkey-plugin.server";
import { ssoPlugins } from "./sso.server";
import { logEvent } from "~/lib/log.server";

/** Set by our HTTP server from the socket (or, behind a trusted proxy, from X-Forwarded-For); never taken from the client. */
export const CLIENT_IP_HEADER = "x-peerdesk-client-ip";

export type AuthOptions = {
  secret: string;
  baseURL: string;
  /** Rate limiting is on everywhere except where a test turns it off on purpose. */
  rateLimit?: boolean;
  /** OpenID Connect providers from the environment (env.server.ts); none by default. */
  ssoProviders?: SsoProvider[];
  /** False: accounts are made by single sign-on (or admins) only; existing passwords still sign in. */
  passwordSignUp?: boolean;
  /**
   * Password sign-ins per client address per minute, and new accounts per address per 10 minutes (defaults 60 and
   * SIGN_UPS_PER_ADDRESS).
   * An office where everyone shares one public address raises them; wrong passwords stay limited per account.
   */
  signInsPerAddress?: number;
  signUpsPerAddress?: number;
  /**
   * The first account to sign up becomes admin: the server passes NODE_ENV !== "production" from its env (a public
   * site's first visitor must not own it); elsewhere it follows process.env, so tests keep the convenience.
   */
  firstSignUpIsAdmin?: boolean;
};

const PASSWORD_LIMITS = { minPasswordLength: 10, maxPasswordLength: 128 };

/**
 * New password accounts per network address per 10 minutes: an office joining together (a team of 50 after a kick-off
 * mail, all behind one address) stays under it, while a script making accounts is still stopped at 360 an hour, each
 * of which must also pass the join gate and confirm its address before it can post.
 */
export const SIGN_UPS_PER_ADDRESS = 60;
/** Two-step code checks per network address per minute: a backstop only (see the rule below). */
const CODE_CHECKS_PER_ADDRESS = 120;
/** Wrong two-step codes in a row, across sign-ins, before the account's codes wait 15 minutes (better-auth's lock). */
const TWO_FACTOR_LOCKOUT = { maxFailedAttempts: 10, durationSeconds: 15 * 60 };

/**
 * What better-auth logs as an error although a request caused it, so anyone could fill the error log: a value the
 * client sent ("Invalid callbackURL: …", "Invalid origin", "INVALID_CALLBACK_REQUEST"), an endpoint of a feature
 * PeerDesk leaves off ("Delete user is disabled…", "send otp isn't configured…"), a callback without its state or a
 * change to the same address. Its failures of its own ("Failed to create session", a database error) stay errors.
 */
const CLIENT_CAUSED = [
  /^invalid(?:\b|_)/i,
  /\b(?:is disabled|isn't enabled|is not enabled|isn't configured|is not configured|is not implemented)\b/i,
  /^(?:state not found|no callback url found|email is the same)\b/i,
];
/** "Failed to parse state" is a callback with a forged, spent or expired state when its error says so. */
const CLIENT_CAUSED_STATE = /^(?:state (?:not found|mismatch|invalid)|invalid state)\b/i;

/**
 * Whether an error (or one of its causes) is PostgreSQL refusing a second account for an address: two sign-ups for the
 * same address at once (one person pressing "Create account" twice) both pass better-auth's "already exists" check,
 * and the later insert fails on the unique address. The sign-up page tells that press the account was just made, so
 * better-auth's "Failed to create user" is then no error of the site's.
 */
function isAddressTakenMeanwhile(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const isUniqueAddress =
      "code" in current &&
      current.code === "23505" &&
      "constraint" in current &&
      current.constraint === "users_email_unique";
    if (isUniqueAddress) return true;
  }
  return false;
}

/**
 * better-auth's messages as the app's JSON log lines: its own logger prints plain text, where a request's values (a
 * callbackURL with a newline) could forge log lines. A client-caused error (above) is a warning, a sign-up that lost
 * the race for its address (above) is information; anything else keeps its level.
 */
function authLog(level: "debug" | "info" | "success" | "warn" | "error", message: string, ...args: unknown[]) {
  if (level === "error" && message === "Failed to create user" && args.some(isAddressTakenMeanwhile)) {
    logEvent("info", "better-auth", { message: "Two sign-ups for one address at once: the later was told it exists" });
    return;
  }
  const details = args.map((arg) => (arg instanceof Error ? arg.message : typeof arg === "string" ? arg : String(arg)));
  const isClientCaused =
    level === "error" &&
    (CLIENT_CAUSED.some((pattern) => pattern.test(message)) || details.some((text) => CLIENT_CAUSED_STATE.test(text)));
  const ours = level === "error" && !isClientCaused ? "error" : level === "warn" || isClientCaused ? "warn" : "info";
  logEvent(ours, "better-auth", { message, ...(details.length > 0 ? { details } : {}) });
}

/**
 * better-auth's router would log every refusal it answers (a 403 for a bad callbackURL) once more as a plain-text
 * error line; refusals are logged where they happen, so only failures (5xx, or not an APIError) are logged here.
 */
function logAuthFailure(error: unknown) {
  if (isAPIError(error) && error.statusCode < 500) return;
  authLog("error", error instanceof Error ? error.name : "Unknown error", error);
}

export function createAuth(db: Db, options: AuthOptions) {
  const { baseURL } = options;
  const emailChange = emailChangeHooks(db, { baseURL });
  const guardJoin = joinGuard(db);
  const renames = renameHooks(db);
  const firstSignUpIsAdmin = options.firstSignUpIsAdmin ?? process.env.NODE_ENV !== "production";
  return betterAuth({
    appName: "PeerDesk",
    telemetry: { enabled: false },
    logger: { level: "warn", log: authLog },
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: "/api/auth",
    // Profiles change through PeerDesk's own form (its rules for names, its own picture upload, its write limit);
    // better-auth's generic endpoint would take any name and any picture address, so it is not served.
    disabledPaths: ["/update-user"],
    database: drizzleAdapter(db, { provider: "pg", schema: authSchema }),
    // The site is served from one origin; the HTTP server checks Origin on every mutation too.
    // A single sign-on callback that fails before its own error address is known (a tampered or spent state) comes
    // back to the sign-in page, which explains the error code, rather than to better-auth's bare error page.
    onAPIError: { errorURL: "/signin", onError: logAuthFailure },
    trustedOrigins: (request) => [options.baseURL, request ? new URL(request.url).origin : undefined],
    emailAndPassword: {
      enabled: true,
      disableSignUp: options.passwordSignUp === false,
      ...PASSWORD_LIMITS,
      autoSignIn: true,
      // Links go to PeerDesk's own page (/reset-password?token=…), which shows the form and posts to /api/auth/reset-password.
      sendResetPassword: async ({ user, token }) => {
        await queuePasswordResetEmail(db, { baseURL, user, token });
      },
      resetPasswordTokenExpiresIn: RESET_LINK_MINUTES * 60,
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async ({ user }, request) => afterPasswordReset(db, { baseURL, user, request }),
    },
    emailVerification: {
      // Confirms the address of a new account, and a new address (user.changeEmail: `user.email` is then the new one).
      sendVerificationEmail: async ({ user, token }) => {
        await queueEmailConfirmation(db, {
          baseURL,
          user,
          token,
          newAddress: readEmailToken(token).updateTo !== undefined,
        });
      },
      expiresIn: EMAIL_CHANGE_LINK_MINUTES * 60,
      // People who signed up can read and draft at once; posting waits until they open the link (permissions).
      sendOnSignUp: true,
    },
    verification: {
      storeIdentifier: { default: "plain", overrides: { [RESET_IDENTIFIER_PREFIX]: { hash: hashResetIdentifier } } },
    },
    hooks: accountHooks(db, { baseURL, limits: PASSWORD_LIMITS }),
    user: {
      // A new address is used only once a link sent to it is opened; the old address is told (emailChangeHooks).
      changeEmail: { enabled: true },
      // Read-only for better-auth's endpoints: PeerDesk's own profile form changes these.
      additionalFields: {
        handle: { type: "string", required: false, input: false },
        audience: { type: "string", required: false, input: false },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
      // A signed copy of the session and person in a cookie, so most requests need no session lookup. It only says
      // who the cookie claims to be: viewer.server.ts confirms the session row still exists (and reads role, ban and
      // name fresh) in the query every page makes anyway, so sign-outs, bans and revocations still act at once. Five
      // minutes bounds how often a session falls back to the full lookup, which also slides its expiry forward.
      cookieCache: { enabled: true, maxAge: 5 * 60 },
    },
    rateLimit: {
      enabled: options.rateLimit ?? true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: options.signInsPerAddress ?? 60 },
        // Single sign-on's start and its return from the provider: better-auth's own rule for every /sign-in path (3 in
        // 10 seconds) would turn away an office behind one address at nine, so they get the password sign-in's allowance.
        "/sign-in/social": { window: SSO_LIMIT_WINDOW_SECONDS, max: options.signInsPerAddress ?? 60 },
        "/callback/*": { window: SSO_LIMIT_WINDOW_SECONDS, max: options.signInsPerAddress ?? 60 },
        "/sign-up/email": { window: 60 * 10, max: options.signUpsPerAddress ?? SIGN_UPS_PER_ADDRESS },
        // Codes are counted per pending sign-in (5, then it starts again) and per account (TWO_FACTOR_LOCKOUT), so
        // guessing is bounded where it matters; per address this is only a backstop against a flood, high enough that
        // a whole office behind one address signing in at nine never meets it.
        "/two-factor/verify-totp": { window: 60, max: CODE_CHECKS_PER_ADDRESS },
        "/two-factor/verify-backup-code": { window: 60, max: CODE_CHECKS_PER_ADDRESS },
        "/request-password-reset": { window: 60 * 15, max: 5 },
        "/reset-password": { window: 60 * 15, max: 10 },
        "/change-password": { window: 60 * 15, max: 10 },
        "/change-email": { window: 60 * 60, max: 5 },
        "/send-verification-email": { window: 60 * 60, max: 3 },
        "/verify-email": { window: 60 * 15, max: 10 },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      cookiePrefix: "peerdesk",
      useSecureCookies: options.baseURL.startsWith("https://"),
      // better-auth turns its Origin and callbackURL checks off when the environment says TEST (test runners set it,
      // and so could a careless deployment): they stay on everywhere, so tests see what production does.
      disableOriginCheck: false,
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user, ctx) => {
            const fields = newAccountFields(user);
            await guardJoin(user, ctx);
            return { data: fields };
          },
          after: async (user) => {
            await assignHandleAndFirstAdmin(
              db,
              { userId: user.id, name: user.name, email: user.email },
              { firstSignUpIsAdmin },
            );
          },
        },
        update: {
          before: async (update, ctx) => {
            const confirmed = await emailChange.before(update, ctx);
            const renamed = renamedAccountFields(update);
            renames.before(renamed, ctx);
            return { data: { ...confirmed?.data, ...renamed } };
          },
          after: async (user, ctx) => {
            await renames.after(user, ctx);
            await emailChange.after(user, ctx);
          },
        },
      },
    },
    plugins: [
      admin({
        defaultRole: "member",
        adminRoles: ["admin"],
        bannedUserMessage:
          "This account has been suspended. Contact the site administrators if you think this is a mistake.",
      }),
      // Passwordless: accounts made through single sign-on have no password to ask for; those with one are asked.
      twoFactor({ issuer: "PeerDesk", allowPasswordless: true, accountLockout: TWO_FACTOR_LOCKOUT }),
      ...ssoPlugins(db, options.ssoProviders ?? []),
      passkeyPlugin(db, { baseURL }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
