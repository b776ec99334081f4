/** Tables for who may join: the allowed email domains for sign-ups, and invitation links for everyone else. */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";

/**
 * One row (id 1) holding the sign-up policy. An empty list of domains means anyone may join; otherwise only addresses
 * at those domains (or people holding an invitation link) may create an account.
 */
export const signupPolicy = pgTable(
  "signup_policy",
  {
    id: integer("id").primaryKey().default(1),
    allowedDomains: text("allowed_domains").array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("signup_policy_single_row", sql`${t.id} = 1`)],
);

/** A link that lets people outside the allowed domains join: only its SHA-256 is kept, with its expiry and uses. */
export const signupInvitations = pgTable(
  "signup_invitations",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    note: text("note").notNull().default(""),
    maxUses: integer("max_uses").notNull(),
    uses: integer("uses").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /**
     * SHA-256 of each address that took one of its uses: one person pressing "Create account" twice (or trying again
     * after a failure) takes one use, however the presses interleave.
     */
    emailHashes: text("email_hashes").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    index("signup_invitations_created_idx").on(t.createdAt),
    check("signup_invitations_uses", sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxUses} and ${t.maxUses} >= 1`),
  ],
);
export type SignupInvitationRow = typeof signupInvitations.$inferSelect;
