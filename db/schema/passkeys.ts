/** Tables for passkeys (WebAuthn): the credentials people register, and the one-time challenges of each ceremony. */
import { bigint, boolean, index, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";

/**
 * A registered passkey: the public key an authenticator made for this site, and the signature counter it last
 * reported (a counter that goes backwards means a cloned authenticator). `credentialId` is base64url, as WebAuthn sends it.
 */
export const passkeys = pgTable(
  "passkeys",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    credentialId: text("credential_id").notNull().unique(),
    /** The COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: text("transports").array().notNull().default([]),
    /** "multiDevice" passkeys sync between a person's devices; "singleDevice" ones (security keys) do not. */
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("passkeys_user_idx").on(t.userId)],
);
export type PasskeyRow = typeof passkeys.$inferSelect;

/**
 * A challenge handed to the browser for one ceremony, kept on the server and deleted when it is answered (right or
 * wrong), so each can be used once. `userId` is set for registration (the signed-in person) and null for sign-in.
 */
export const passkeyChallenges = pgTable(
  "passkey_challenges",
  {
    id: text("id").primaryKey(),
    purpose: text("purpose").$type<"register" | "sign-in">().notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    challenge: text("challenge").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("passkey_challenges_expires_idx").on(t.expiresAt)],
);
