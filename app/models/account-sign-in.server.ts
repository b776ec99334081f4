/**
 * How a person signs in (with a password, through their workplace's single sign-on, or both), so the settings pages
 * ask for a password only from those who have one and name the sign-in the others use.
 */
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { accounts } from "#db/schema";
import { hasPassword } from "./two-factor.server";

export type SignInMethods = {
  hasPassword: boolean;
  /** The single sign-on providers linked to the account (better-auth's `providerId`, e.g. "entra"). */
  providerIds: string[];
};

export async function getSignInMethods(db: Db, userId: string): Promise<SignInMethods> {
  const [passwordSet, linked] = await Promise.all([
    hasPassword(db, userId),
    db
      .select({ providerId: accounts.providerId })
      .from(accounts)
      .where(and(eq(accounts.userId, userId), ne(accounts.providerId, "credential")))
      .orderBy(accounts.createdAt),
  ]);
  return { hasPassword: passwordSet, providerIds: linked.map((row) => row.providerId) };
}

/** What to call the sign-in a person uses: the configured provider's name when one is linked, else a plain phrase. */
export function workplaceSignInName(
  providerIds: readonly string[],
  providers: readonly { id: string; name: string }[],
): string {
  const names = providerIds.map((id) => providers.find((p) => p.id === id)?.name);
  return names.find((name) => name !== undefined) ?? "your workplace sign-in";
}

/**
 * For an account without a password, the single sign-on it uses instead, named as workplaceSignInName does; null for
 * one with a password, or without any single sign-on link (an account an admin made, whose owner hasn't chosen one).
 */
export function signInInsteadOfPassword(
  methods: SignInMethods,
  providers: readonly { id: string; name: string }[],
): string | null {
  if (methods.hasPassword || methods.providerIds.length === 0) return null;
  return workplaceSignInName(methods.providerIds, providers);
}
