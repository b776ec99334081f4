/**
 * Who is asking, once per request: the person behind the session cookie, checked against the database in one query
 * that also counts their unread notifications (the header shows it on every page).
 *
 * better-auth's signed cookie cache (auth.server.ts, `session.cookieCache`) tells us, without a query, which session
 * and person the cookie claims. That claim may be up to the cache's maxAge old, so it is never trusted alone: the
 * query below only answers for a session row that still exists and has not expired, and reads the person's role,
 * ban and name fresh. A sign-out, a ban (which deletes every session of the person), a revoked session, a role
 * change or a new name therefore take effect on the very next request, in every app process, as before the cache.
 *
 * Loaders of one request run in parallel and all ask; the answer is shared through the request's load context.
 */
import { type Db, queryRows } from "#db/client.server";
import { preparedRows } from "#db/prepared.server";
import type { AppLoadContext } from "@remix-run/node";
import { type SQL, sql } from "drizzle-orm";
import type { Role } from "#db/schema";
import { unreadCountSql } from "~/models/notifications.server";

export type CurrentUser = {
  id: string;
  name: string;
  email: string;
  handle: string | null;
  role: Role;
  banned: boolean;
  /** False until the person opens the link that confirms their address (they may read and draft, not post). */
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  /** Their role must use two-step sign-in (an admin setting) and they have not turned it on yet. */
  needsTwoFactor: boolean;
  /** This device's session (the devices page marks it "this device" and never signs it out by mistake). */
  sessionId: string;
};

export type Viewer = {
  user: CurrentUser | null;
  unreadNotifications: number;
  /** Cookies better-auth wants set (a renewed cookie cache or session); the root loader sends them. */
  setCookies: string[];
};

const ROLES = new Set<string>(["member", "mentor", "moderator", "admin"]);
const ANONYMOUS: Viewer = { user: null, unreadNotifications: 0, setCookies: [] };

// Keyed by the load context (one per request) and then the cookie header, so a context reused by a test for
// several people never mixes them up.
const perRequest = new WeakMap<object, Map<string, Promise<Viewer>>>();

export function getViewer(request: Request, context: AppLoadContext): Promise<Viewer> {
  const cookie = request.headers.get("cookie") ?? "";
  // No cookie, no session: skip the auth machinery entirely (most readers).
  if (!cookie.includes("session_token")) return Promise.resolve(ANONYMOUS);
  let byCookie = perRequest.get(context);
  if (!byCookie) {
    byCookie = new Map();
    perRequest.set(context, byCookie);
  }
  let pending = byCookie.get(cookie);
  if (!pending) {
    pending = loadViewer(request, context);
    byCookie.set(cookie, pending);
  }
  return pending;
}

/**
 * The person behind a request made a while ago (an open event stream), read again now: null once that request's
 * session is gone or expired (signed out, banned: a ban deletes every session), otherwise with their role, ban and
 * confirmation as they are now. One query on the session the request came with; no call to better-auth, which could
 * renew the session for a browser that would never receive the new cookie.
 */
export async function viewerAgain(db: Db, user: CurrentUser): Promise<CurrentUser | null> {
  const [row] = await queryRows<{ role: string; banned: boolean; email_verified: boolean }>(
    db,
    sql`select u.role, u.banned, u.email_verified from sessions s join users u on u.id = s.user_id
      where s.id = ${user.sessionId} and s.user_id = ${user.id} and s.expires_at > now()`,
  );
  if (!row || !ROLES.has(row.role)) return null;
  return { ...user, role: row.role as Role, banned: row.banned, emailVerified: row.email_verified };
}

type Row = {
  session_id: string;
  name: string;
  email: string;
  handle: string | null;
  role: string;
  banned: boolean;
  email_verified: boolean;
  two_factor_enabled: boolean;
  staff_need_two_factor: boolean | null;
  unread: number;
};

const STAFF_ROLES = new Set<string>(["mentor", "moderator", "admin"]);

/**
 * The session's person, read fresh (a prepared statement on the embedded database: it runs on every signed-in request).
 */
export function sessionViewerQuery(token: string, userId: string): SQL {
  return sql`
    select s.id as session_id, u.name, u.email, u.handle, u.role, u.banned, u.two_factor_enabled, u.email_verified,
      (select require_two_factor_for_staff from security_settings where id = 1) as staff_need_two_factor,
      ${unreadCountSql(sql`u.id`)} as unread
    from sessions s join users u on u.id = s.user_id
    where s.token = ${token} and s.user_id = ${userId} and s.expires_at > now()`;
}

/**
 * Who a cookie header claims to be, as better-auth last said, for a minute: asking better-auth costs about a
 * millisecond of its request machinery (parsing, signature checks) on every signed-in request, and the answer for
 * the same cookie header does not change. Only the claim is kept; the query below still checks the session row and
 * reads the person on every request, so a sign-out, ban or revocation acts at once as before. An answer that set
 * cookies (a renewed session or cookie cache) is not kept, so renewals happen when better-auth wants them; a claim
 * whose session is gone is dropped. Per auth instance, bounded, least recently used first out.
 */
const CLAIM_MS = 60_000;
const MAX_CLAIMS = 5_000;
type Claim = { token: string; userId: string; until: number };
const claimsByAuth = new WeakMap<object, Map<string, Claim>>();

function claimsOf(auth: object): Map<string, Claim> {
  let claims = claimsByAuth.get(auth);
  if (!claims) {
    claims = new Map();
    claimsByAuth.set(auth, claims);
  }
  return claims;
}

async function sessionClaim(
  request: Request,
  auth: AppLoadContext["services"]["auth"],
): Promise<{ claim: Omit<Claim, "until"> | null; setCookies: string[] }> {
  const cookie = request.headers.get("cookie") ?? "";
  const claims = claimsOf(auth);
  const known = claims.get(cookie);
  if (known && known.until > Date.now()) {
    claims.delete(cookie);
    claims.set(cookie, known);
    return { claim: known, setCookies: [] };
  }
  const { headers, response } = await auth.api.getSession({ headers: request.headers, returnHeaders: true });
  const setCookies = headers.getSetCookie();
  if (!response) {
    claims.delete(cookie);
    return { claim: null, setCookies };
  }
  const claim = { token: response.session.token, userId: response.user.id };
  if (setCookies.length === 0) {
    claims.delete(cookie);
    claims.set(cookie, { ...claim, until: Date.now() + CLAIM_MS });
    for (const oldest of claims.keys()) {
      if (claims.size <= MAX_CLAIMS) break;
      claims.delete(oldest);
    }
  }
  return { claim, setCookies };
}

async function loadViewer(request: Request, context: AppLoadContext): Promise<Viewer> {
  const { auth, db } = context.services;
  const { claim, setCookies } = await sessionClaim(request, auth);
  if (!claim) return { ...ANONYMOUS, setCookies };
  const result = await preparedRows<Row>(db, sessionViewerQuery(claim.token, claim.userId));
  const [row] = result;
  if (!row) {
    // The session is gone (signed out, revoked, banned): the next request asks better-auth again.
    claimsOf(auth).delete(request.headers.get("cookie") ?? "");
    return { ...ANONYMOUS, setCookies };
  }
  const role = ROLES.has(row.role) ? (row.role as Role) : "member";
  return {
    user: {
      id: claim.userId,
      name: row.name,
      email: row.email,
      handle: row.handle ?? null,
      role,
      banned: row.banned === true,
      emailVerified: row.email_verified === true,
      twoFactorEnabled: row.two_factor_enabled === true,
      needsTwoFactor: row.staff_need_two_factor === true && STAFF_ROLES.has(role) && row.two_factor_enabled !== true,
      sessionId: row.session_id,
    },
    unreadNotifications: row.unread,
    setCookies,
  };
}
