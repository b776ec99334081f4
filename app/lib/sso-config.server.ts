/**
 * Reads the single sign-on (OpenID Connect) providers from environment variables: one provider with `OIDC_ISSUER`,
 * `OIDC_CLIENT_ID`, … or several with `OIDC_PROVIDERS=entra,okta` and `OIDC_ENTRA_ISSUER`, … Returns the providers
 * and a list of plain problems, so env.server.ts can report every bad setting at once.
 */

export type SsoProvider = {
  /** Part of the redirect URI (/api/auth/callback/<id>): lowercase letters, digits and dashes. */
  id: string;
  /** The start of its variables' names (OIDC_ENTRA_, or OIDC_ for a single unlisted provider), for messages. */
  envPrefix: string;
  /** Shown on the button: "Sign in with <name>". */
  name: string;
  issuer: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Optional claim-to-role mapping: a claim (e.g. "groups") whose values make someone a moderator or an admin. */
  roleClaim: string | null;
  moderatorValues: string[];
  adminValues: string[];
};

export type SsoConfig = { providers: SsoProvider[]; problems: string[] };

const ID = /^[a-z][a-z0-9-]{0,30}$/;
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function readProvider(
  source: Record<string, string | undefined>,
  id: string,
  prefix: string,
  production: boolean,
  problems: string[],
): SsoProvider | null {
  const get = (key: string) => source[`${prefix}${key}`]?.trim() || undefined;
  const issuer = get("ISSUER");
  const clientId = get("CLIENT_ID");
  const clientSecret = get("CLIENT_SECRET");
  const before = problems.length;
  if (!issuer) problems.push(`${prefix}ISSUER is required (the provider's issuer URL, e.g. https://login.example.org)`);
  if (!clientId) problems.push(`${prefix}CLIENT_ID is required (the client id registered at the provider)`);
  if (!clientSecret) problems.push(`${prefix}CLIENT_SECRET is required (the client secret registered at the provider)`);
  let url: URL | null = null;
  if (issuer) {
    try {
      url = new URL(issuer);
    } catch {
      problems.push(`${prefix}ISSUER must be a URL, e.g. https://login.example.org`);
    }
  }
  if (url && url.protocol !== "https:" && !(url.protocol === "http:" && (!production || LOCAL_HOSTS.has(url.hostname))))
    problems.push(`${prefix}ISSUER must start with https:// (plain http only for a provider on this machine)`);
  const roleClaim = get("ROLE_CLAIM") ?? null;
  const moderatorValues = list(get("MODERATOR_VALUES"));
  const adminValues = list(get("ADMIN_VALUES"));
  if (!roleClaim && (moderatorValues.length > 0 || adminValues.length > 0))
    problems.push(
      `${prefix}ROLE_CLAIM is required with ${prefix}MODERATOR_VALUES or ${prefix}ADMIN_VALUES (e.g. groups)`,
    );
  if (problems.length > before || !url || !issuer || !clientId || !clientSecret) return null;
  const base = issuer.replace(/\/+$/, "");
  return {
    id,
    envPrefix: prefix,
    name: get("NAME") ?? (id === "oidc" ? "your work account" : id),
    issuer: base,
    discoveryUrl: `${base}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    scopes: list(get("SCOPES")).length > 0 ? list(get("SCOPES")) : ["openid", "email", "profile"],
    roleClaim,
    moderatorValues,
    adminValues,
  };
}

/** The configured providers; `problems` names each missing or malformed variable. */
export function readSsoConfig(source: Record<string, string | undefined>, production: boolean): SsoConfig {
  const problems: string[] = [];
  const providers: SsoProvider[] = [];
  const ids = list(source.OIDC_PROVIDERS).map((id) => id.toLowerCase());
  if (ids.length > 0) {
    if (source.OIDC_ISSUER?.trim())
      problems.push("OIDC_ISSUER cannot be combined with OIDC_PROVIDERS (use OIDC_<ID>_ISSUER for each provider)");
    for (const id of ids) {
      if (!ID.test(id)) {
        problems.push(`OIDC_PROVIDERS: "${id}" must be lowercase letters, digits or dashes, starting with a letter`);
        continue;
      }
      if (providers.some((p) => p.id === id) || ids.indexOf(id) !== ids.lastIndexOf(id)) {
        if (!problems.some((p) => p.includes(`"${id}" is listed twice`)))
          problems.push(`OIDC_PROVIDERS: "${id}" is listed twice`);
        continue;
      }
      const provider = readProvider(source, id, `OIDC_${id.toUpperCase().replaceAll("-", "_")}_`, production, problems);
      if (provider) providers.push(provider);
    }
  } else if (source.OIDC_ISSUER?.trim() || source.OIDC_CLIENT_ID?.trim()) {
    const provider = readProvider(source, "oidc", "OIDC_", production, problems);
    if (provider) providers.push(provider);
  }
  return { providers, problems };
}
