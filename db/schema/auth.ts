/** better-auth's tables (people, sign-in sessions, accounts, two-factor) and the roles and audiences a person has. */
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";

export const ROLES = ["member", "mentor", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const AUDIENCES = ["it", "business"] as const;
export type Audience = (typeof AUDIENCES)[number];

// ---- better-auth tables (field names are the ones better-auth's drizzle adapter expects) ----

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // admin plugin
    role: text("role").$type<Role>().notNull().default("member"),
    banned: boolean("banned").notNull().default(false),
    banReason: text("ban_reason"),
    banExpires: timestamp("ban_expires", { withTimezone: true }),
    // two-factor plugin
    twoFactorEnabled: boolean("two_factor_enabled").notNull().default(false),
    // PeerDesk profile: better-auth never writes these, so each has a database default.
    handle: text("handle").unique(),
    bio: text("bio").notNull().default(""),
    audience: text("audience").$type<Audience>().notNull().default("it"),
    openToMentoring: boolean("open_to_mentoring").notNull().default(false),
    // The mentor directory's card: one or two sentences on how they help, and the languages they help in.
    mentorPitch: text("mentor_pitch").notNull().default(""),
    languages: text("languages").notNull().default(""),
    /** A mentor on holiday: nobody can invite them to questions meanwhile. */
    invitationsPaused: boolean("invitations_paused").notNull().default(false),
    /** IANA zone ("America/New_York") that forms read typed times in; null until the browser or the person sets it. */
    timeZone: text("time_zone"),
    /** The person deleted their account (or an admin did on request): the row stays as "Former member" for their posts. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    index("users_role_idx").on(t.role),
    // The sitemap lists profiles in the order their members joined, reading a file's share in this order.
    index("users_created_handle_idx").on(t.createdAt, t.handle),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    impersonatedBy: text("impersonated_by"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

export const rateLimits = pgTable("rate_limits", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: bigint("last_request", { mode: "number" }).notNull(),
});

export const twoFactors = pgTable(
  "two_factors",
  {
    id: text("id").primaryKey(),
    secret: text("secret").notNull(),
    backupCodes: text("backup_codes").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    verified: boolean("verified").default(true),
    failedVerificationCount: integer("failed_verification_count").default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /**
     * The 30-second time step of the last app code accepted (PeerDesk's, not better-auth's): a code of that step or an
     * earlier one is refused, so a code someone saw being typed cannot be used again (totp-replay.server.ts).
     */
    lastTotpStep: bigint("last_totp_step", { mode: "number" }),
  },
  // One row per person: better-auth reads "the" row of a person, so a second one (two set-ups started at once) left
  // whichever secret it read first deciding whether a code was right.
  (t) => [uniqueIndex("two_factors_user_unique").on(t.userId)],
);
export type User = typeof users.$inferSelect;

// better-auth's drizzle adapter looks tables up by its own model names.
export const authSchema = {
  user: users,
  session: sessions,
  account: accounts,
  verification: verifications,
  rateLimit: rateLimits,
  twoFactor: twoFactors,
};
