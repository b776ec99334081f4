/** Reads and validates PeerDesk's configuration from environment variables, once, at start-up. */
import { z } from "zod";
import { DEFAULT_POST_IMAGES_MB_PER_PERSON } from "./post-images";
import { type SsoProvider, readSsoConfig } from "./sso-config.server";

const optionalUrl = (protocols: string[], hint: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), { message: hint });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    APP_URL: optionalUrl(
      ["http://", "https://"],
      "must be the public address of the site, e.g. https://peerdesk.example.org",
    ),
    DATABASE_URL: optionalUrl(["postgres://", "postgresql://"], "must start with postgres:// or postgresql://"),
    // Seconds PostgreSQL may take to open a connection before the server or command gives up and names the host (a
    // host that never answers would otherwise hold them for minutes). As db/client.server.ts's DEFAULT_CONNECT_TIMEOUT_MS.
    DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    // A folder (made the server's user's only), or "memory://". Empty is the default, not the working folder; PGlite's
    // own "file://" prefix names the same folder and is dropped, so every part of PeerDesk sees the real path.
    PGLITE_DIR: z
      .string()
      .trim()
      .default("")
      .transform((v) => v.replace(/^file:\/\//, "") || ".data/pglite"),
    // "false" runs the embedded database on the app's main thread instead of a worker thread of its own.
    PGLITE_WORKER: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    // The embedded database's cache (PostgreSQL's shared_buffers) in MB: cleared at every start (about 1 s of CPU for
    // 256 MB), then kept filled with the most used pages.
    PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(16).max(16384).default(256),
    // Backups of the embedded database (not used with DATABASE_URL): every BACKUP_HOURS hours (0: only when an admin
    // asks), into BACKUP_DIR (default: "backups" beside the database's folder), keeping the newest BACKUP_KEEP.
    BACKUP_DIR: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : undefined)),
    BACKUP_HOURS: z.coerce.number().int().min(0).max(720).default(24),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
    BETTER_AUTH_SECRET: z
      .string()
      .optional()
      .refine((v) => v === undefined || v.length >= 32, {
        message: "must be at least 32 characters (try: openssl rand -hex 32)",
      }),
    TRUST_PROXY: z
      .enum(["true", "false", ""])
      .default("false")
      .transform((v) => v === "true"),
    // "auto": demo content for an empty embedded database, except in production (npm start asks with "true").
    SEED_DEMO: z.enum(["auto", "true", "false"]).default("auto"),
    MEILISEARCH_URL: optionalUrl(["http://", "https://"], "must be an http(s) URL of a Meilisearch server"),
    MEILISEARCH_KEY: z.string().optional(),
    MEILISEARCH_INDEX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, { message: "must be letters, digits, - or _ (a Meilisearch index uid)" })
      .optional(),
    // "false" when a separate `npm run search:drain` process sends the search outbox instead of each app process.
    SEARCH_DRAIN: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    // "false" to leave posts stored by an older renderer alone at start (`npm run posts:rerender` does it on request).
    POSTS_RERENDER: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    SMTP_URL: optionalUrl(["smtp://", "smtps://"], "must start with smtp:// or smtps://"),
    MAIL_FROM: z.string().trim().min(3).default("PeerDesk <no-reply@peerdesk.invalid>"),
    // "false" where another process runs the mailer (with PostgreSQL, one mailer per deployment is plenty).
    MAILER: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    MAIL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    // /pulse numbers are computed at most once per this many seconds per scope and period, per process (0: always).
    PULSE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    // Pictures in posts: how much (MB, after re-encoding as WebP) each person may keep stored; past it uploads are
    // refused until unused pictures are swept (a day after upload) or a smaller one is chosen.
    POST_IMAGES_MB_PER_PERSON: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_POST_IMAGES_MB_PER_PERSON),
    // Memory for the anonymous page cache, per process, in MB (0 turns the cache off, e.g. to measure without it).
    PAGE_CACHE_MB: z.coerce.number().int().min(0).max(16384).default(64),
    // Requests that render or write at once per process; more wait their turn in arrival order (0: no limit).
    ACTIVE_REQUESTS: z.coerce.number().int().min(0).max(1000).default(4),
    // Live-update streams (Server-Sent Events) open at once per process, and per client address within that; past
    // either, new ones are refused (503 or 429) and the page goes without live updates. Raise the second where many
    // people share one public address (an office), as for the sign-in limits below.
    SSE_STREAM_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(2000),
    SSE_STREAM_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(100),
    // Password sign-ins per client address per minute (right or wrong: a flood guard; wrong passwords are also counted
    // per account and per address, sign-in-throttle.server.ts), and new password accounts per address per 10 minutes.
    // Raise them where many people share one public address (an office).
    SIGN_IN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(10000).default(60),
    // Unset: auth.server.ts's SIGN_UPS_PER_ADDRESS, explained there.
    SIGN_UP_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(10000).optional(),
    // "false" turns off creating accounts with a password (single sign-on only); existing passwords still sign in.
    PASSWORD_SIGNUP: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    LOG_REQUESTS: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
  })
  .superRefine((env, ctx) => {
    // The embedded database keeps a generated secret beside its data (.data/); a shared PostgreSQL serves many
    // processes and hosts, which must all be given the same secret.
    if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.BETTER_AUTH_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["BETTER_AUTH_SECRET"],
        message: "is required in production with DATABASE_URL (try: openssl rand -hex 32)",
      });
    }
  });

/** The validated settings, with the single sign-on providers read from the OIDC_* variables (sso-config.server.ts). */
export type Env = z.infer<typeof schema> & { ssoProviders: SsoProvider[] };

export class ConfigError extends Error {}

/** Parses the given variables; throws a ConfigError whose message is one line naming each bad setting. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  const sso = readSsoConfig(source, source.NODE_ENV === "production");
  if (
    result.success &&
    result.data.PASSWORD_SIGNUP === false &&
    sso.providers.length === 0 &&
    sso.problems.length === 0
  )
    sso.problems.push("PASSWORD_SIGNUP=false needs a single sign-on provider (OIDC_ISSUER…), or nobody could join");
  if (result.success && sso.problems.length === 0) return { ...result.data, ssoProviders: sso.providers };
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`)),
    ...sso.problems,
  ];
  throw new ConfigError(`PeerDesk cannot start: ${problems.join("; ")}. See .env.example.`);
}
