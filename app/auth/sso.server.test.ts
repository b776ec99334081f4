import { and, count, eq } from "drizzle-orm";
import type { Database } from "#db/client.server";
import { accounts, sessions, users } from "#db/schema";
import type { AppLoadContext } from "@remix-run/node";
import { type SsoProvider, readSsoConfig } from "~/lib/sso-config.server";
import { ssoErrorMessage } from "~/lib/sso-messages";
import { action as startSingleSignOn } from "~/routes/sso";
import { createInvitation, setAllowedDomains } from "~/models/signup-policy.server";
import { CookieJar, type IdpPerson, type TestIdp, loginAtIdp, startTestIdp } from "../../tests/fixtures/oidc-idp";
import { createTestDatabase } from "../../tests/fixtures/db";
import { type Auth, CLIENT_IP_HEADER, createAuth } from "./auth.server";
import { INVITATION_COOKIE } from "./join-guard.server";
import { makeUser } from "../../tests/fixtures/people";
import { totp } from "../../tests/fixtures/totp";

// Single sign-on end to end: a real OpenID Connect provider in this process, PeerDesk's better-auth on the real
// database, and every redirect between them followed as a browser would.
const BASE = "http://localhost:3000";
const PROVIDER = "testidp";
let database: Database;
let idp: TestIdp;
let auth: Auth;
let providers: SsoProvider[];

const PEOPLE: IdpPerson[] = [
  { sub: "ada", email: "ada@corp.example", email_verified: true, name: "Ada Lovelace" },
  { sub: "grace", email: "grace@corp.example", email_verified: true, name: "Grace Hopper", groups: ["it-staff"] },
  { sub: "mallory", email: "victim@corp.example", email_verified: false, name: "Mallory" },
  { sub: "nobody", email: "nobody@corp.example", name: "No Claim" },
  { sub: "boss", email: "boss@corp.example", email_verified: true, name: "The Boss", groups: ["forum-admins"] },
  { sub: "outsider", email: "outsider@elsewhere.example", email_verified: true, name: "Out Sider" },
  { sub: "guest", email: "guest@elsewhere.example", email_verified: true, name: "Invited Guest" },
  { sub: "pwd-only", email: "pat@corp.example", email_verified: true, name: "Pat Password", amr: ["pwd"] },
  { sub: "with-mfa", email: "mo@corp.example", email_verified: true, name: "Mo Factor", amr: ["pwd", "otp"] },
  // A provider that shares no email address (its email permission not granted to the app).
  { sub: "no-email", email: "", name: "Nomail Person" },
];

beforeAll(async () => {
  database = await createTestDatabase();
  idp = await startTestIdp({ redirectUris: [`${BASE}/api/auth/callback/${PROVIDER}`], people: PEOPLE });
  const config = readSsoConfig(
    {
      OIDC_PROVIDERS: PROVIDER,
      OIDC_TESTIDP_ISSUER: idp.issuer,
      OIDC_TESTIDP_CLIENT_ID: idp.clientId,
      OIDC_TESTIDP_CLIENT_SECRET: idp.clientSecret,
      OIDC_TESTIDP_NAME: "Test IdP",
      OIDC_TESTIDP_SCOPES: "openid,email,profile,groups",
      OIDC_TESTIDP_ROLE_CLAIM: "groups",
      OIDC_TESTIDP_MODERATOR_VALUES: "it-staff",
      OIDC_TESTIDP_ADMIN_VALUES: "forum-admins",
    },
    false,
  );
  expect(config.problems).toEqual([]);
  providers = config.providers;
  auth = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE, ssoProviders: providers, rateLimit: false });
  // The site's very first account becomes its admin; these tests are about the accounts that come after.
  await makeUser(database.db, { email: "first-admin@corp.example", role: "admin" });
});
afterAll(async () => {
  await idp?.stop();
  await database?.close();
});

/** Starts a sign-in as the sign-in page's button does; returns the provider's address and the app's cookies. */
async function start(jar: CookieJar, callbackURL = "/questions", through = auth): Promise<string> {
  const response = await through.handler(
    new Request(`${BASE}/api/auth/sign-in/social`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE,
        cookie: jar.header(),
        [CLIENT_IP_HEADER]: "10.1.0.1",
      },
      body: JSON.stringify({
        provider: PROVIDER,
        callbackURL,
        newUserCallbackURL: `/welcome?redirectTo=${encodeURIComponent(callbackURL)}`,
        errorCallbackURL: "/signin",
        disableRedirect: true,
      }),
    }),
  );
  expect(response.status).toBe(200);
  jar.take(response);
  const { url } = (await response.json()) as { url: string };
  return url;
}

/** Opens the provider's redirect back to PeerDesk's callback, as the browser would. */
async function openCallback(jar: CookieJar, callbackUrl: string, through = auth): Promise<Response> {
  const response = await through.handler(
    new Request(callbackUrl, { headers: { cookie: jar.header(), [CLIENT_IP_HEADER]: "10.1.0.1" } }),
  );
  jar.take(response);
  return response;
}

/** Signs in at the provider as `login` and comes back, through PeerDesk's auth (or another instance of it). */
async function signInWithIdp(login: string, jar = new CookieJar(), through = auth) {
  const callbackUrl = await loginAtIdp(await start(jar, "/questions", through), login);
  const response = await openCallback(jar, callbackUrl, through);
  return { response, location: response.headers.get("location") ?? "", jar, callbackUrl };
}

async function userByEmail(email: string) {
  const [user] = await database.db.select().from(users).where(eq(users.email, email));
  return user;
}

async function sessionCount(userId: string) {
  const [row] = await database.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId));
  return row?.n ?? 0;
}

describe("single sign-on with OpenID Connect, through the real redirects", () => {
  test("the first sign-in creates a verified account from the claims, with a handle, and lands on the welcome step", async () => {
    const { response, location, jar } = await signInWithIdp("ada");
    expect(response.status).toBe(302);
    expect(location).toBe(`/welcome?redirectTo=${encodeURIComponent("/questions")}`);
    expect(jar.get("peerdesk.session_token")).toBeTruthy();
    const ada = await userByEmail("ada@corp.example");
    expect(ada?.name).toBe("Ada Lovelace");
    expect(ada?.emailVerified).toBe(true);
    expect(ada?.handle).toBe("ada-lovelace");
    expect(ada?.role).toBe("member");
    const linked = await database.db
      .select({ accountId: accounts.accountId })
      .from(accounts)
      .where(and(eq(accounts.userId, ada?.id ?? ""), eq(accounts.providerId, PROVIDER)));
    expect(linked).toEqual([{ accountId: "ada" }]);

    // Signing in again is the same account, going straight where they wanted to go.
    const again = await signInWithIdp("ada");
    expect(again.location).toBe("/questions");
    const [people] = await database.db.select({ n: count() }).from(users).where(eq(users.email, "ada@corp.example"));
    expect(people?.n).toBe(1);
  });

  test("an existing account with the same verified address is linked, not duplicated", async () => {
    const existingId = await makeUser(database.db, { email: "grace@corp.example", name: "Grace H." });
    const { location } = await signInWithIdp("grace");
    expect(location).toBe("/questions");
    const grace = await userByEmail("grace@corp.example");
    expect(grace?.id).toBe(existingId);
    expect(grace?.name).toBe("Grace H.");
    expect(await sessionCount(existingId)).toBe(1);
    const linked = await database.db.select().from(accounts).where(eq(accounts.userId, existingId));
    expect(linked.map((a) => a.providerId)).toContain(PROVIDER);
  });

  test("a provider group maps to a staff role (moderator, admin); the mapping only ever raises a role", async () => {
    expect((await userByEmail("grace@corp.example"))?.role).toBe("moderator");
    await signInWithIdp("boss");
    expect((await userByEmail("boss@corp.example"))?.role).toBe("admin");
    // Grace leaves the group at the provider: she stays a moderator until an admin changes it here.
    idp.setPeople(PEOPLE.map((p) => (p.sub === "grace" ? { ...p, groups: [] } : p)));
    await signInWithIdp("grace");
    expect((await userByEmail("grace@corp.example"))?.role).toBe("moderator");
    idp.setPeople(PEOPLE);
  });

  test("an unverified address that matches an existing account is refused, and the account is not touched", async () => {
    const victimId = await makeUser(database.db, { email: "victim@corp.example", name: "Victim" });
    const { location, jar } = await signInWithIdp("mallory");
    expect(location).toBe("/signin?error=account_not_linked");
    expect(jar.get("peerdesk.session_token")).toBeUndefined();
    expect(await sessionCount(victimId)).toBe(0);
    const linked = await database.db.select().from(accounts).where(eq(accounts.userId, victimId));
    expect(linked.filter((a) => a.providerId === PROVIDER)).toEqual([]);
  });

  test("without email_verified from the provider no account is created", async () => {
    const { location, jar } = await signInWithIdp("nobody");
    expect(location).toMatch(/^\/signin\?error=EMAIL_NOT_VERIFIED_BY_PROVIDER/);
    expect(jar.get("peerdesk.session_token")).toBeUndefined();
    expect(await userByEmail("nobody@corp.example")).toBeUndefined();
  });

  test("a tampered state is refused", async () => {
    const jar = new CookieJar();
    const callbackUrl = new URL(await loginAtIdp(await start(jar), "ada"));
    callbackUrl.searchParams.set("state", `${callbackUrl.searchParams.get("state")}x`);
    const response = await openCallback(jar, callbackUrl.toString());
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/signin\?error=/);
    expect(jar.get("peerdesk.session_token")).toBeUndefined();
  });

  test("a callback started in another browser (no state cookie) is refused", async () => {
    const { callbackUrl } = await (async () => {
      const jar = new CookieJar();
      return { callbackUrl: await loginAtIdp(await start(jar), "ada") };
    })();
    const stranger = new CookieJar();
    const response = await openCallback(stranger, callbackUrl);
    expect(response.headers.get("location")).toMatch(/^\/signin\?error=/);
    expect(stranger.get("peerdesk.session_token")).toBeUndefined();
  });

  test("an ID token for another client (wrong audience) is refused", async () => {
    try {
      // The same re-signing with this client's own id is accepted: only the audience differs below.
      idp.setIdTokenAudience(idp.clientId);
      expect((await signInWithIdp("ada")).jar.get("peerdesk.session_token")).toBeTruthy();
      idp.setIdTokenAudience("some-other-client");
      const { location, jar } = await signInWithIdp("ada");
      // The ID token fails verification against this client's id: no person, no session.
      expect(location).toBe("/signin?error=unable_to_get_user_info");
      expect(jar.get("peerdesk.session_token")).toBeUndefined();
    } finally {
      idp.setIdTokenAudience(null);
    }
  });

  test("an expired code is refused", async () => {
    const jar = new CookieJar();
    const callbackUrl = await loginAtIdp(await start(jar), "ada");
    idp.expireCodes();
    const response = await openCallback(jar, callbackUrl);
    expect(response.headers.get("location")).toBe("/signin?error=invalid_code");
    expect(jar.get("peerdesk.session_token")).toBeUndefined();
  });

  test("a code already used is refused, even inside a fresh sign-in", async () => {
    const first = await signInWithIdp("ada");
    expect(first.location).toBe("/questions");
    // The same callback again: its state is spent.
    const replay = await openCallback(first.jar, first.callbackUrl);
    expect(replay.headers.get("location")).toMatch(/^\/signin\?error=/);
    // The old code with a new, genuine state: the provider refuses the code.
    const jar = new CookieJar();
    const fresh = new URL(await loginAtIdp(await start(jar), "ada"));
    fresh.searchParams.set("code", new URL(first.callbackUrl).searchParams.get("code") ?? "");
    const reused = await openCallback(jar, fresh.toString());
    expect(reused.headers.get("location")).toBe("/signin?error=invalid_code");
    expect(jar.get("peerdesk.session_token")).toBeUndefined();
  });

  test("with allowed domains, other domains need an invitation, which single sign-on carries through", async () => {
    const adminId = await makeUser(database.db, { role: "admin" });
    await setAllowedDomains(database.db, { domains: ["corp.example"], by: adminId });
    const refused = await signInWithIdp("outsider");
    expect(refused.location).toMatch(/^\/signin\?error=SIGNUP_NOT_ALLOWED/);
    expect(await userByEmail("outsider@elsewhere.example")).toBeUndefined();

    const { token } = await createInvitation(database.db, { by: adminId, maxUses: 1, days: 7 });
    const jar = new CookieJar();
    jar.take(new Response(null, { headers: { "set-cookie": `${INVITATION_COOKIE}=${token}; Path=/api/auth` } }));
    const invited = await signInWithIdp("guest", jar);
    expect(invited.location).toMatch(/^\/welcome/);
    expect((await userByEmail("guest@elsewhere.example"))?.emailVerified).toBe(true);
    // People at an allowed domain need none; existing accounts sign in whatever the list says.
    expect((await signInWithIdp("ada")).location).toBe("/questions");
    await setAllowedDomains(database.db, { domains: [], by: adminId });
  });

  describe("two-step sign-in after single sign-on", () => {
    async function api(path: string, jar: CookieJar, body: unknown) {
      const response = await auth.handler(
        new Request(`${BASE}/api/auth${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: BASE,
            cookie: jar.header(),
            [CLIENT_IP_HEADER]: "10.1.0.9",
          },
          body: JSON.stringify(body),
        }),
      );
      jar.take(response);
      return response;
    }

    /** Signs in through the provider once and turns two-step sign-in on (as /settings/security does); returns the key. */
    async function withTwoStep(login: string): Promise<string> {
      const { jar } = await signInWithIdp(login);
      const enabled = await api("/two-factor/enable", jar, {});
      expect(enabled.status).toBe(200);
      const { totpURI } = (await enabled.json()) as { totpURI: string };
      const key = new URL(totpURI).searchParams.get("secret") ?? "";
      expect((await api("/two-factor/verify-totp", jar, { code: totp(key) })).status).toBe(200);
      return key;
    }

    test("a provider sign-in with a password alone asks for the code, and the code then signs in", async () => {
      const key = await withTwoStep("pwd-only");
      const pat = await userByEmail("pat@corp.example");
      expect(pat?.twoFactorEnabled).toBe(true);
      const before = await sessionCount(pat?.id ?? "");

      const { location, jar } = await signInWithIdp("pwd-only");
      expect(location).toBe(`/signin/two-factor?redirectTo=${encodeURIComponent("/questions")}`);
      expect(jar.get("peerdesk.session_token")).toBeFalsy();
      expect(jar.get("peerdesk.two_factor")).toBeTruthy();
      expect(await sessionCount(pat?.id ?? "")).toBe(before);

      const wrong = await api("/two-factor/verify-totp", jar, { code: "000000" });
      expect(wrong.status).toBe(401);
      // The set-up used this step's code, and each code works once: the app's next one (accepted early) signs in.
      const right = await api("/two-factor/verify-totp", jar, { code: totp(key, Date.now() + 30_000) });
      expect(right.status).toBe(200);
      expect(jar.get("peerdesk.session_token")).toBeTruthy();
      expect(await sessionCount(pat?.id ?? "")).toBe(before + 1);
    });

    test("a provider that says it checked two factors (amr) is trusted: no second code", async () => {
      await withTwoStep("with-mfa");
      const { location, jar } = await signInWithIdp("with-mfa");
      expect(location).toBe("/questions");
      expect(jar.get("peerdesk.session_token")).toBeTruthy();
    });
  });

  test("a provider that shares no email address lands on a message saying so, and no account is made", async () => {
    const { location, jar } = await signInWithIdp("no-email");
    expect(location).toBe("/signin?error=email_not_found");
    expect(jar.get("peerdesk.session_token")).toBeUndefined();
    expect(ssoErrorMessage("email_not_found")).toMatch(/didn't share an email address with PeerDesk/);
    const [linked] = await database.db.select({ n: count() }).from(accounts).where(eq(accounts.accountId, "no-email"));
    expect(linked?.n).toBe(0);
  });

  test("a role claim the provider's sign-in leaves out is logged once, naming the provider, the claim and the scopes", async () => {
    // The deployment asked only for openid, email and profile: the provider never releases "groups".
    const narrow = readSsoConfig(
      {
        OIDC_PROVIDERS: PROVIDER,
        OIDC_TESTIDP_ISSUER: idp.issuer,
        OIDC_TESTIDP_CLIENT_ID: idp.clientId,
        OIDC_TESTIDP_CLIENT_SECRET: idp.clientSecret,
        OIDC_TESTIDP_SCOPES: "openid,email,profile",
        OIDC_TESTIDP_ROLE_CLAIM: "groups",
        OIDC_TESTIDP_ADMIN_VALUES: "forum-admins",
      },
      false,
    );
    const withoutGroups = createAuth(database.db, {
      secret: "s".repeat(40),
      baseURL: BASE,
      ssoProviders: narrow.providers,
      rateLimit: false,
    });
    idp.setPeople([
      ...PEOPLE,
      { sub: "gwen", email: "gwen@corp.example", email_verified: true, name: "Gwen Admin", groups: ["forum-admins"] },
    ]);
    const lines = vi.spyOn(console, "log").mockImplementation(() => {});
    const warnings = () =>
      lines.mock.calls.map((call) => String(call[0])).filter((line) => line.includes("role claim missing"));
    try {
      const { location } = await signInWithIdp("gwen", new CookieJar(), withoutGroups);
      expect(location).toMatch(/^\/welcome/);
      // Signed in as before, as a member.
      expect((await userByEmail("gwen@corp.example"))?.role).toBe("member");
      expect(warnings()).toHaveLength(1);
      const warning = JSON.parse(warnings()[0] ?? "{}") as Record<string, string>;
      expect(warning).toMatchObject({ level: "warn", provider: PROVIDER, claim: "groups" });
      expect(warning.hint).toContain("OIDC_TESTIDP_SCOPES");

      // With the scope asked for, the claim comes and nothing is logged.
      lines.mockClear();
      await signInWithIdp("gwen");
      expect((await userByEmail("gwen@corp.example"))?.role).toBe("admin");
      expect(warnings()).toEqual([]);
    } finally {
      lines.mockRestore();
      idp.setPeople(PEOPLE);
    }
  });
});

describe("single sign-on from an office behind one network address", () => {
  /** Starts single sign-on as the sign-in page's button does: a form post to /sso from this address. */
  async function pressSignInWith(office: Auth, address: string): Promise<string> {
    const response = await startSingleSignOn({
      request: new Request(`${BASE}/sso`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: BASE,
          [CLIENT_IP_HEADER]: address,
        },
        body: new URLSearchParams({ provider: PROVIDER, redirectTo: "/questions" }),
      }),
      params: {},
      context: {
        services: { auth: office, env: { ssoProviders: providers }, baseURL: BASE },
      } as unknown as AppLoadContext,
    });
    return response.headers.get("location") ?? "";
  }

  test("a dozen colleagues signing in one after another from one address all reach the provider and come back", async () => {
    const office = createAuth(database.db, { secret: "s".repeat(40), baseURL: BASE, ssoProviders: providers });
    for (let colleague = 0; colleague < 12; colleague++) {
      expect(await pressSignInWith(office, "10.20.0.1")).toMatch(new RegExp(`^${idp.issuer}`));
      expect((await signInWithIdp("ada", new CookieJar(), office)).location).toBe("/questions");
    }
  });

  test("past the address's allowance the sign-in page says there were too many attempts and how long to wait", async () => {
    const office = createAuth(database.db, {
      secret: "s".repeat(40),
      baseURL: BASE,
      ssoProviders: providers,
      signInsPerAddress: 5,
    });
    const locations: string[] = [];
    for (let i = 0; i < 6; i++) locations.push(await pressSignInWith(office, "10.20.0.2"));
    expect(locations.slice(0, 5).every((location) => location.startsWith(idp.issuer))).toBe(true);
    expect(locations[5]).toBe("/signin?error=sso_rate_limited&redirectTo=%2Fquestions");
    expect(ssoErrorMessage("sso_rate_limited")).toBe(
      "There were too many sign-in attempts from your network just now. Please wait 60 seconds, then try again.",
    );
    // Single sign-on itself is not said to be down.
    expect(ssoErrorMessage("sso_rate_limited")).not.toBe(ssoErrorMessage("sso_unavailable"));
  });
});

describe("the sign-in page's message for each code single sign-on can come back with", () => {
  test("every code better-auth or a provider sends has a message that fits it, never the expired-link guess", () => {
    const expired = ssoErrorMessage("state_mismatch");
    expect(expired).toMatch(/expired or was already used/);
    for (const code of ["state_not_found", "state_invalid", "invalid_code", "no_code", "invalid_callback_request"])
      expect(ssoErrorMessage(code)).toBe(expired);
    const others = [
      "email_not_found",
      "email_not_verified",
      "unable_to_get_user_info",
      "issuer_mismatch",
      "issuer_missing",
      "nonce_binding_missing",
      "oauth_provider_not_found",
      "no_callback_url",
      "invalid_scope",
      "unauthorized_client",
      "login_required",
      "consent_required",
      "interaction_required",
      "server_error",
      "temporarily_unavailable",
      "account_already_linked_to_different_user",
      "email_does_not_match",
      "unable_to_link_account",
      "unable_to_create_user",
      "unable_to_create_session",
      "internal_server_error",
      "account_not_linked",
      "signup_disabled",
      "SIGNUP_NOT_ALLOWED",
      "EMAIL_NOT_VERIFIED_BY_PROVIDER",
      "BANNED_USER",
      "access_denied",
      "sso_unavailable",
      "sso_rate_limited",
    ];
    for (const code of others) {
      const message = ssoErrorMessage(code);
      expect(message, code).toBeTruthy();
      expect(message, code).not.toMatch(/expired|used already|already used/);
    }
    // A code nobody knows makes no claim about the cause.
    expect(ssoErrorMessage("some_new_code")).not.toMatch(/expired/);
    expect(ssoErrorMessage(null)).toBeNull();
  });
});
