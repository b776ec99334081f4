import { ConfigError, parseEnv } from "./env.server";

describe("configuration from the environment", () => {
  test("development needs nothing set", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ NODE_ENV: "development", PORT: 3000, PGLITE_DIR: ".data/pglite", TRUST_PROXY: false });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  test("production on the embedded database needs no secret: one is generated under .data/", () => {
    expect(parseEnv({ NODE_ENV: "production" }).BETTER_AUTH_SECRET).toBeUndefined();
  });

  test("production on PostgreSQL without a secret stops with one line that names the setting", () => {
    try {
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@h/db" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain("BETTER_AUTH_SECRET");
      expect(message.split("\n")).toHaveLength(1);
    }
  });

  test("bad values are named: a non-postgres DATABASE_URL, a short secret, a bad port", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => parseEnv({ BETTER_AUTH_SECRET: "short" })).toThrow(
      /BETTER_AUTH_SECRET must be at least 32 characters/,
    );
    expect(() => parseEnv({ PORT: "http" })).toThrow(/PORT/);
  });

  test("the page cache size is a whole number of MB, 64 by default, 0 turning it off", () => {
    expect(parseEnv({}).PAGE_CACHE_MB).toBe(64);
    expect(parseEnv({ PAGE_CACHE_MB: "0" }).PAGE_CACHE_MB).toBe(0);
    expect(parseEnv({ PAGE_CACHE_MB: "256" }).PAGE_CACHE_MB).toBe(256);
    expect(() => parseEnv({ PAGE_CACHE_MB: "-1" })).toThrow(/PAGE_CACHE_MB/);
    expect(() => parseEnv({ PAGE_CACHE_MB: "lots" })).toThrow(/PAGE_CACHE_MB/);
    expect(() => parseEnv({ PAGE_CACHE_MB: "1.5" })).toThrow(/PAGE_CACHE_MB/);
  });

  test("the embedded database's buffers are a whole number of MB, 256 by default, at least 16", () => {
    expect(parseEnv({}).PGLITE_SHARED_BUFFERS_MB).toBe(256);
    expect(parseEnv({ PGLITE_SHARED_BUFFERS_MB: "64" }).PGLITE_SHARED_BUFFERS_MB).toBe(64);
    expect(() => parseEnv({ PGLITE_SHARED_BUFFERS_MB: "8" })).toThrow(/PGLITE_SHARED_BUFFERS_MB/);
    expect(() => parseEnv({ PGLITE_SHARED_BUFFERS_MB: "lots" })).toThrow(/PGLITE_SHARED_BUFFERS_MB/);
  });

  test("live-update streams: 2000 per process and 100 per client address unless changed, whole numbers from 1", () => {
    const defaults = parseEnv({});
    expect([defaults.SSE_STREAM_LIMIT, defaults.SSE_STREAM_LIMIT_PER_ADDRESS]).toEqual([2000, 100]);
    const office = parseEnv({ SSE_STREAM_LIMIT: "5000", SSE_STREAM_LIMIT_PER_ADDRESS: "400" });
    expect([office.SSE_STREAM_LIMIT, office.SSE_STREAM_LIMIT_PER_ADDRESS]).toEqual([5000, 400]);
    expect(() => parseEnv({ SSE_STREAM_LIMIT: "0" })).toThrow(/SSE_STREAM_LIMIT/);
    expect(() => parseEnv({ SSE_STREAM_LIMIT_PER_ADDRESS: "lots" })).toThrow(/SSE_STREAM_LIMIT_PER_ADDRESS/);
  });

  test("each person's picture storage is a whole number of MB, 100 by default, at least 1", () => {
    expect(parseEnv({}).POST_IMAGES_MB_PER_PERSON).toBe(100);
    expect(parseEnv({ POST_IMAGES_MB_PER_PERSON: "20" }).POST_IMAGES_MB_PER_PERSON).toBe(20);
    expect(() => parseEnv({ POST_IMAGES_MB_PER_PERSON: "0" })).toThrow(/POST_IMAGES_MB_PER_PERSON/);
    expect(() => parseEnv({ POST_IMAGES_MB_PER_PERSON: "lots" })).toThrow(/POST_IMAGES_MB_PER_PERSON/);
  });

  test("a full production configuration is accepted", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      BETTER_AUTH_SECRET: "x".repeat(64),
      DATABASE_URL: "postgres://u@h/db",
      APP_URL: "https://forum.example.org",
      TRUST_PROXY: "true",
    });
    expect(env.DATABASE_URL).toBe("postgres://u@h/db");
    expect(env.TRUST_PROXY).toBe(true);
  });
});

describe("single sign-on settings", () => {
  test("one provider from OIDC_ISSUER…, several from OIDC_PROVIDERS with one prefix each", () => {
    const one = parseEnv({
      OIDC_ISSUER: "https://login.example.org/realms/corp/",
      OIDC_CLIENT_ID: "peerdesk",
      OIDC_CLIENT_SECRET: "secret",
    });
    expect(one.ssoProviders).toMatchObject([
      {
        id: "oidc",
        name: "your work account",
        issuer: "https://login.example.org/realms/corp",
        discoveryUrl: "https://login.example.org/realms/corp/.well-known/openid-configuration",
      },
    ]);
    const two = parseEnv({
      OIDC_PROVIDERS: "entra, okta",
      OIDC_ENTRA_ISSUER: "https://login.microsoftonline.com/tenant/v2.0",
      OIDC_ENTRA_CLIENT_ID: "a",
      OIDC_ENTRA_CLIENT_SECRET: "b",
      OIDC_ENTRA_NAME: "Microsoft",
      OIDC_ENTRA_ROLE_CLAIM: "groups",
      OIDC_ENTRA_MODERATOR_VALUES: "g1, g2",
      OIDC_OKTA_ISSUER: "https://corp.okta.com",
      OIDC_OKTA_CLIENT_ID: "c",
      OIDC_OKTA_CLIENT_SECRET: "d",
    });
    expect(two.ssoProviders.map((p) => [p.id, p.name])).toEqual([
      ["entra", "Microsoft"],
      ["okta", "okta"],
    ]);
    expect(two.ssoProviders[0]?.moderatorValues).toEqual(["g1", "g2"]);
    expect(parseEnv({}).ssoProviders).toEqual([]);
  });

  test("every missing or wrong setting is named at once", () => {
    expect(() =>
      parseEnv({ OIDC_PROVIDERS: "entra,Bad Id", OIDC_ENTRA_ISSUER: "not a url", OIDC_ENTRA_MODERATOR_VALUES: "x" }),
    ).toThrow(
      /OIDC_ENTRA_CLIENT_ID is required.*OIDC_ENTRA_CLIENT_SECRET is required.*OIDC_ENTRA_ISSUER must be a URL.*OIDC_ENTRA_ROLE_CLAIM is required.*"bad id" must be lowercase/,
    );
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        OIDC_ISSUER: "http://idp.example.org",
        OIDC_CLIENT_ID: "a",
        OIDC_CLIENT_SECRET: "b",
      }),
    ).toThrow(/OIDC_ISSUER must start with https:\/\//);
    expect(() => parseEnv({ PASSWORD_SIGNUP: "false" })).toThrow(
      /PASSWORD_SIGNUP=false needs a single sign-on provider/,
    );
    expect(
      parseEnv({
        PASSWORD_SIGNUP: "false",
        OIDC_ISSUER: "https://idp.example.org",
        OIDC_CLIENT_ID: "a",
        OIDC_CLIENT_SECRET: "b",
      }).PASSWORD_SIGNUP,
    ).toBe(false);
  });

  test("the per-address sign-in and sign-up limits: 60 and the auth default unless changed, whole numbers from 1", () => {
    const defaults = parseEnv({});
    // Unset, the sign-up limit is auth.server.ts's SIGN_UPS_PER_ADDRESS (one home for the number and its reasons).
    expect([defaults.SIGN_IN_LIMIT_PER_ADDRESS, defaults.SIGN_UP_LIMIT_PER_ADDRESS]).toEqual([60, undefined]);
    const office = parseEnv({ SIGN_IN_LIMIT_PER_ADDRESS: "300", SIGN_UP_LIMIT_PER_ADDRESS: "200" });
    expect([office.SIGN_IN_LIMIT_PER_ADDRESS, office.SIGN_UP_LIMIT_PER_ADDRESS]).toEqual([300, 200]);
    expect(() => parseEnv({ SIGN_IN_LIMIT_PER_ADDRESS: "0" })).toThrow(/SIGN_IN_LIMIT_PER_ADDRESS/);
    expect(() => parseEnv({ SIGN_UP_LIMIT_PER_ADDRESS: "lots" })).toThrow(/SIGN_UP_LIMIT_PER_ADDRESS/);
  });
});
