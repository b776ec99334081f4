/**
 * The staff two-step rule on better-auth's own admin API (/api/auth/admin/*): when admins require two-step sign-in
 * for staff, an admin who has not turned it on is refused there too, not only on PeerDesk's admin pages.
 */
import { APIError, getSessionFromCtx } from "better-auth/api";
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users } from "#db/schema";
import { STAFF_ROLES, getSecuritySettings } from "~/models/two-factor.server";

export const TWO_FACTOR_REQUIRED = "TWO_FACTOR_REQUIRED";

/** True for the admin plugin's endpoints, the only ones whose use depends on a staff role. */
export function isAdminEndpoint(path: string): boolean {
  return path.startsWith("/admin/");
}

/**
 * Throws 403 when the caller is staff, the rule is on and their account has no two-step sign-in. Reads role and
 * two-step state from the database, not the session's cookie cache, so turning the rule on acts at once.
 */
export async function requireStaffTwoFactor(db: Db, ctx: Parameters<typeof getSessionFromCtx>[0]): Promise<void> {
  const session = await getSessionFromCtx(ctx);
  // Without a session the admin plugin answers 401 itself.
  if (!session) return;
  const [person] = await db
    .select({ role: users.role, twoFactorEnabled: users.twoFactorEnabled })
    .from(users)
    .where(eq(users.id, session.user.id))
    .limit(1);
  if (!person || person.twoFactorEnabled || !STAFF_ROLES.includes(person.role)) return;
  if (!(await getSecuritySettings(db)).requireTwoFactorForStaff) return;
  throw new APIError("FORBIDDEN", {
    code: TWO_FACTOR_REQUIRED,
    message: "Turn on two-step sign-in (Settings → Two-step sign-in) before using the admin tools.",
  });
}
