/** Whether the demo admin (a published address and password) can still sign in here: worth a loud warning at every start. */
import { verifyPassword } from "better-auth/crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { accounts, users } from "#db/schema";

export const DEMO_ADMIN_EMAIL = "admin@peerdesk.test";
/** The demo people's password, published in the README (scripts/seed/demo.ts gives it to every demo account). */
export const DEMO_PASSWORD = "peerdesk-demo-password";

export async function demoAdminCanSignIn(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ hash: accounts.password })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(
      and(
        eq(users.email, DEMO_ADMIN_EMAIL),
        eq(users.role, "admin"),
        eq(users.banned, false),
        eq(accounts.providerId, "credential"),
      ),
    )
    .limit(1);
  if (!row?.hash) return false;
  return verifyPassword({ hash: row.hash, password: DEMO_PASSWORD }).catch(() => false);
}
