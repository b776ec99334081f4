/** Tables for signing in safely and owning your data: the site's security settings and profile pictures. */
import { sql } from "drizzle-orm";
import { boolean, check, customType, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";

/** PostgreSQL's byte array; drizzle has no built-in column type for it. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Site-wide sign-in rules that admins change at /admin/security: one row (id 1). A missing row means the defaults,
 * so a fresh database needs no seed.
 */
export const securitySettings = pgTable(
  "security_settings",
  {
    id: integer("id").primaryKey().default(1),
    /** Mentors, moderators and admins must turn on two-step sign-in before they use what their role allows. */
    requireTwoFactorForStaff: boolean("require_two_factor_for_staff").notNull().default(false),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("security_settings_single_row", sql`${t.id} = 1`)],
);

export const AVATAR_SIZES = [64, 160, 400] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/**
 * A person's profile picture, re-encoded as WebP without metadata, one row per size. Kept in the database (not on
 * disk) so every app process serves the same picture; `hash` is the content hash the picture's address carries.
 */
export const avatarImages = pgTable(
  "avatar_images",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    size: integer("size").notNull(),
    hash: text("hash").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.size] })],
);
