/**
 * Single sign-on with OpenID Connect through better-auth's generic OAuth plugin: one provider per configured issuer
 * (discovery, PKCE, nonce, ID tokens checked against the issuer's keys), the name taken from the verified claims, and
 * the optional claim-to-role mapping applied after each sign-in, and the two-step code asked unless the provider
 * says it checked two factors (sso-two-factor.server.ts).
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { type Role, accounts, users } from "#db/schema";
import { logEvent } from "~/lib/log.server";
import type { SsoProvider } from "~/lib/sso-config.server";
import { recordModeration } from "~/models/moderation.server";
import { askForCodeAfterSso, rememberProviderMfa, takeProviderMfa } from "./sso-two-factor.server";
import { oneLineName } from "~/lib/plain-text";
import { LIMITS, displayName } from "./validation";

const RANK: Record<Role, number> = { member: 0, mentor: 1, moderator: 2, admin: 3 };

type Claims = Record<string, unknown>;

/** The values of a claim: a list, or one string (some providers send "a b" or "a,b"). */
function claimValues(claims: Claims, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string") return value.split(/[\s,]+/).filter((v) => v.length > 0);
  return [];
}

/**
 * Says in the log when a provider configured with a role claim signed someone in without it: usually the scope that
 * releases the claim was not asked for, or the provider does not map it, and then everyone silently stays a member.
 */
export function warnIfRoleClaimMissing(provider: SsoProvider, claims: Claims): void {
  if (!provider.roleClaim || Object.hasOwn(claims, provider.roleClaim)) return;
  logEvent("warn", "single sign-on: role claim missing", {
    provider: provider.id,
    claim: provider.roleClaim,
    hint: `The provider's sign-in did not include the "${provider.roleClaim}" claim, so the person signed in as a member. Check that ${provider.envPrefix}SCOPES asks for the scope that releases it, and that the provider maps the claim into its ID token or userinfo (a provider may also leave it out for someone in no group at all).`,
  });
}

/** The staff role the provider's claims give, or null (the mapping only ever raises a role; see applyClaimedRole). */
export function roleFromClaims(provider: SsoProvider, claims: Claims): Role | null {
  if (!provider.roleClaim) return null;
  const values = new Set(claimValues(claims, provider.roleClaim));
  if (provider.adminValues.some((v) => values.has(v))) return "admin";
  if (provider.moderatorValues.some((v) => values.has(v))) return "moderator";
  return null;
}

/**
 * A display name from the standard claims, falling back to the address's local part: the first that makes a name by
 * PeerDesk's rule (validation.ts: long enough, no look-alike letters), shortened to its length, so a provider's odd
 * name never keeps someone out.
 */
export function nameFromClaims(claims: Claims): string {
  const text = (key: string) => (typeof claims[key] === "string" ? oneLineName(String(claims[key])) : "");
  const candidates = [
    text("name"),
    `${text("given_name")} ${text("family_name")}`,
    text("preferred_username"),
    text("email").split("@")[0] ?? "",
  ];
  for (const candidate of candidates) {
    const name = displayName.safeParse(candidate.slice(0, LIMITS.nameMax));
    if (name.success) return name.data;
  }
  return "Member";
}

/**
 * Roles read from the claims during a callback, waiting for the account they belong to: the profile is mapped before
 * better-auth knows the local person, and the after-hook of the same request picks the role up (same process).
 */
const claimedRoles = new Map<string, { role: Role; at: number }>();
const CLAIM_TTL_MS = 5 * 60_000;

function rememberClaimedRole(providerId: string, subject: string, role: Role): void {
  const now = Date.now();
  for (const [key, entry] of claimedRoles) if (now - entry.at > CLAIM_TTL_MS) claimedRoles.delete(key);
  claimedRoles.set(`${providerId}\n${subject}`, { role, at: now });
}

function takeClaimedRole(providerId: string, subject: string): Role | null {
  const key = `${providerId}\n${subject}`;
  const entry = claimedRoles.get(key);
  claimedRoles.delete(key);
  return entry && Date.now() - entry.at <= CLAIM_TTL_MS ? entry.role : null;
}

/**
 * Gives the person the role their provider's claims name, when it is higher than the one they have. Removing someone
 * from the group does not demote them: admins do that at /admin/users (so a local admin is never locked out by a
 * provider's change).
 */
export async function applyClaimedRole(
  db: Db,
  { userId, providerId, role }: { userId: string; providerId: string; role: Role },
): Promise<boolean> {
  const [person] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId)).limit(1);
  if (!person || RANK[role] <= RANK[person.role]) return false;
  const updated = await db
    .update(users)
    .set({ role, updatedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.role, person.role)))
    .returning({ id: users.id });
  if (updated.length === 0) return false;
  await recordModeration(db, {
    actorId: null,
    action: "user.role",
    targetType: "user",
    targetId: userId,
    reason: `Granted by single sign-on (${providerId})`,
    details: { role, from: person.role, provider: providerId },
  });
  return true;
}

/** The plugins for the configured providers (none without any). */
export function ssoPlugins(db: Db, providers: SsoProvider[]): BetterAuthPlugin[] {
  if (providers.length === 0) return [];
  const byId = new Map(providers.map((p) => [p.id, p]));
  const roles: BetterAuthPlugin = {
    id: "peerdesk-sso-roles",
    hooks: {
      after: [
        {
          matcher: (ctx) => ctx.path === "/callback/:id",
          handler: createAuthMiddleware(async (ctx) => {
            const providerId = typeof ctx.params?.id === "string" ? ctx.params.id : "";
            const userId = ctx.context.newSession?.user.id;
            if (!byId.has(providerId) || !userId) return;
            const [account] = await db
              .select({ subject: accounts.accountId })
              .from(accounts)
              .where(and(eq(accounts.userId, userId), eq(accounts.providerId, providerId)))
              .limit(1);
            const role = account ? takeClaimedRole(providerId, account.subject) : null;
            if (role) await applyClaimedRole(db, { userId, providerId, role });
            const providerMfa = account ? takeProviderMfa(providerId, account.subject) : false;
            await askForCodeAfterSso(ctx, { providerMfa, returned: ctx.context.returned });
          }),
        },
      ],
    },
  };
  return [
    genericOAuth({
      config: providers.map((provider) => ({
        providerId: provider.id,
        name: provider.name,
        discoveryUrl: provider.discoveryUrl,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        scopes: provider.scopes,
        pkce: true,
        // Identity comes from ID-token claims: never fall back to unverified decoding when discovery is incomplete.
        requireIdTokenVerification: true,
        mapProfileToUser: (profile) => {
          if (profile.sub !== undefined && profile.sub !== null)
            rememberProviderMfa(provider.id, String(profile.sub), profile);
          warnIfRoleClaimMissing(provider, profile);
          const role = roleFromClaims(provider, profile);
          if (role && profile.sub !== undefined && profile.sub !== null)
            rememberClaimedRole(provider.id, String(profile.sub), role);
          return { name: nameFromClaims(profile) };
        },
      })),
    }),
    roles,
  ];
}
